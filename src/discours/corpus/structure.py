"""Plain text → structural blocks (heading, paragraph, list item, quote, signature).

Used for .txt dumps and for the text fields of .json/.jsonl/.csv records; the Markdown and HTML
readers build blocks from their own markup and only reuse :func:`Boilerplate`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from .decode import squash_spaces
from .model import Block

# "--" opens a signature ("-- Hélène, conseillère RP"), never a list item.
BULLET = re.compile(r"^\s*(?!--)(?:[-\u2013\u2014\u2022\u25aa\u25cf\u25e6\u2023\u2043*+\u27a2\u2192>]\s*(?=\S)(?<!>)|(?:\d{1,2}|[a-z])[.)]\s+(?=\S))")
_DASH_BULLET = re.compile(r"^\s*(?!--)[-\u2013\u2014\u2022\u25aa\u25cf\u25e6\u2023\u2043*+\u27a2\u2192]\s*(?=\S)")
_NUM_BULLET = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+(?=\S)")
QUOTE = re.compile(r"^\s*>\s?")
MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?;,:…»\")\]]\s*$")
_SIGNATURE_DASH = re.compile(r"^\s*(?:--+|\u2014|\u2013)\s*(?=\S)")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'.-]*$")


@dataclass(frozen=True)
class BoilerplatePattern:
    id: str
    regex: re.Pattern[str]


class Boilerplate:
    """Whole-line boilerplate matcher built from the ``boilerplate`` lexicon plus user patterns.

    Example:
        >>> bp = Boilerplate.default()
        >>> bp.match("Imprimez ce billet Imprimez ce billet")
        'boilerplate.print.v1'
        >>> bp.match("Imprimez ce billet si vous voulez convaincre votre patron.") is None
        True
    """

    def __init__(self, patterns: Iterable[tuple[str, str]]):
        self.patterns = [BoilerplatePattern(pid, re.compile(p, re.IGNORECASE)) for pid, p in patterns]

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Boilerplate":
        from ..lexicons import load

        return cls((e["id"], e["pattern"]) for e in load("boilerplate")["patterns"])

    @classmethod
    def with_extra(cls, extra: Sequence[str] | None) -> "Boilerplate":
        if not extra:
            return cls.default()
        base = [(p.id, p.regex.pattern) for p in cls.default().patterns]
        return cls(base + [(f"boilerplate.user.{i}", p) for i, p in enumerate(extra)])

    def match(self, line: str) -> str | None:
        """Return the id of the pattern matching the whole line, else None."""
        line = squash_spaces(line)
        if not line or len(line) > 600:
            return None
        for p in self.patterns:
            if p.regex.fullmatch(line):
                return p.id
        return None


    def is_content(self, line: str, removed: list[str] | None) -> bool:
        """False for a boilerplate line, which is then recorded in ``removed`` (nothing is lost).

        Example:
            >>> removed = []; Boilerplate.default().is_content("Pin It", removed), removed
            (False, ['Pin It'])
        """
        if self.match(line):
            if removed is not None:
                removed.append(line)
            return False
        return True


def is_heading_line(line: str, next_nonblank: str | None, prev_blank: bool, next_blank: bool) -> bool:
    """A short standalone line without final punctuation, followed by more text, is a heading.

    Example:
        >>> is_heading_line("Ma réponse béton", "Imaginez une organisation…", True, True)
        True
        >>> is_heading_line("Identifier et mettre en place les mesures et politiques qui permettent "
        ...                 "une prise en charge appropriée des risques", None, True, True)
        False
    """
    s = line.strip()
    if not s or not prev_blank or not next_blank or next_nonblank is None:
        return False
    words = s.split()
    if len(words) > 10 or len(s) > 90:
        return False
    # « Nos clients ne sont pas là »: a quoted objection used as an intertitle; judge the words inside.
    inner = re.sub(r"^[«\"“]\s*(.*?)\s*[»\"”]$", r"\1", s) if s[:1] in "«\"“" else s
    if _TERMINAL.search(inner) and not inner.endswith("?") and not inner.endswith(":"):
        return False
    if s.endswith(":"):  # "Voici les trois raisons :" introduces a list: a paragraph
        return False
    if s.endswith("?") and len(words) > 8:
        return False
    first = s.lstrip("«\"'(“ ")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def is_signature_line(line: str, author: str | None = None) -> bool:
    """A closing line made of a name (1–3 capitalised words) or starting with ``--``.

    Example:
        >>> is_signature_line("Marc", "Marc Desjardins")
        True
        >>> is_signature_line("Merci !")
        False
    """
    s = line.strip()
    if not s or len(s) > 60:
        return False
    if _SIGNATURE_DASH.match(s):
        return True
    words = s.rstrip(".").split()
    if author:
        first_names = {w.lower() for w in author.split()}
        if words and all(w.lower().strip(",.") in first_names for w in words):
            return True
        # "Karine, stratège en contenu", "Me F. Roy, notaire", "Olivier (le neveu)",
        # "Raphaël — https://…": the author's name, then a role, a place or a link.
        m = re.match(r"^(?P<head>[^,(—–|]+?)\s*(?:,|\(|\s[—–|-]\s)(?P<tail>.*)$", s)
        if m and len(m.group("tail").split()) <= 10 and not re.search(r"[.!?…]\s*$", m.group("tail")) and _names_author(m.group("head"), author):
            return True
    if 1 <= len(words) <= 3 and all(_NAME_WORD.match(w) for w in words) and not _TERMINAL.search(s):
        # "Merci", "Bravo" are closings, not names: keep only if it is a plausible name
        common = {"merci", "bravo", "salut", "cordialement", "amicalement", "bonne", "journée", "à", "plus"}
        return not any(w.lower().strip(",!.") in common for w in words)
    return False


def _names_author(head: str, author: str) -> bool:
    """Every word of ``head`` is a word, a 3+ letter prefix ("Max") or an initial ("F.") of ``author``."""
    parts = [w.lower().strip(".,") for w in re.split(r"[\s-]+", author) if w.strip(".,")]
    words = [w.lower() for w in head.split()]
    if not words or len(words) > 4:
        return False
    for w in words:
        bare = w.strip(".,")
        if not bare:
            return False
        if bare in parts or (len(bare) >= 3 and any(p.startswith(bare) for p in parts)):
            continue
        if re.fullmatch(r"\w\.?", w) and any(p.startswith(bare) for p in parts):
            continue
        return False
    return True


def text_to_blocks(
    text: str,
    *,
    boilerplate: Boilerplate | None = None,
    removed: list[str] | None = None,
    allow_headings: bool = True,
    signature_author: str | None = None,
    detect_signature: bool = False,
) -> list[Block]:
    """Split plain text into blocks: blank lines end paragraphs, bullets and ``>`` lines stand alone.

    Lines of one paragraph are joined with a space (hard-wrapped text). A line starting with a
    bullet (``-``, ``•``, ``*``, ``1.``, ``a)``) is one ``list_item``; ``>`` lines are a ``quote``;
    Markdown ``#`` lines and short standalone lines without final punctuation are ``heading``s.
    Boilerplate lines are dropped and appended to ``removed``.

    Example:
        >>> [b.kind for b in text_to_blocks("Pourquoi pas ?\\n\\nParce que :\\n- le coût\\n- le temps")]
        ['heading', 'paragraph', 'list_item', 'list_item']
    """
    bp = boilerplate or Boilerplate.default()
    raw_lines = [squash_spaces(l) for l in text.split("\n")]
    lines = [l for l in raw_lines if not l or bp.is_content(l, removed)]
    signature = _split_signature(lines, signature_author) if detect_signature else None
    if signature is not None:
        lines = lines[: signature[0]]
    # Drop runs of blank lines left by removed boilerplate.
    blocks: list[Block] = []
    para: list[str] = []
    para_kind = "paragraph"

    def flush() -> None:
        nonlocal para, para_kind
        if para:
            blocks.append(Block(para_kind, " ".join(para)))
        para = []
        para_kind = "paragraph"

    n = len(lines)
    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        if MD_HEADING.match(line):
            flush()
            blocks.append(Block("heading", MD_HEADING.sub("", line).strip().rstrip("#").strip()))
            continue
        if QUOTE.match(line):
            content = QUOTE.sub("", line).strip()
            if para_kind != "quote":
                flush()
                para_kind = "quote"
            if content:
                para.append(content)
            continue
        if _DASH_BULLET.match(line) or (_NUM_BULLET.match(line) and _looks_like_list(lines, i)):
            flush()
            item = BULLET.sub("", line, count=1).strip() if _DASH_BULLET.match(line) else _NUM_BULLET.sub("", line, count=1).strip()
            blocks.append(Block("list_item", item))
            continue
        if para_kind == "quote":
            flush()
        if para and _ENDS_UNIT.search(para[-1]):
            # Web pages saved as text put one paragraph per line, with no blank line between:
            # a line that ends a sentence ends its paragraph (harmless for hard-wrapped text).
            flush()
        elif para and len(para) == 1 and _is_glued_heading(para[0], line):
            # "Pourquoi je quitte X" directly followed by its first paragraph: a heading.
            head = para[0]
            para = []
            blocks.append(Block("heading" if allow_headings else "paragraph", head))
        if allow_headings and not para:
            prev_blank = i == 0 or not lines[i - 1]
            next_blank = i + 1 >= n or not lines[i + 1]
            nxt = next((l for l in lines[i + 1 :] if l), None)
            if is_heading_line(line, nxt, prev_blank, next_blank):
                blocks.append(Block("heading", line))
                continue
        para.append(line)
    flush()

    if signature is not None:
        if blocks:
            blocks.append(Block("signature", signature[1]))
        else:  # the whole comment is one short line ("Bien dit Marc"): text, not a signature
            blocks.append(Block("paragraph", signature[2]))
    elif detect_signature and len(blocks) >= 2:
        last = blocks[-1]
        if last.kind == "paragraph" and is_signature_line(last.text, signature_author):
            blocks[-1] = Block("signature", _SIGNATURE_DASH.sub("", last.text).strip() or last.text)
    return blocks


_ENDS_UNIT = re.compile(r"[.!?…:»”\"]\s*$")


def _is_glued_heading(prev: str, line: str) -> bool:
    """A short line with no final punctuation, followed by a capitalised line, stands alone.

    Example:
        >>> _is_glued_heading("Pourquoi je quitte X", "C'est officiel : je pars.")
        True
        >>> _is_glued_heading("Les entreprises qui hésitent encore à se lancer sur", "Facebook ont tort.")
        False
    """
    s = prev.strip()
    if not s or _TERMINAL.search(s) or len(s) > 90 or len(s.split()) > 10:
        return False
    if s.split()[-1].lower() in _FUNCTION_ENDS:
        return False
    first, nxt = s.lstrip("«\"'(“ ")[:1], line.strip().lstrip("«\"'(“ ")[:1]
    return bool(first) and (first.isupper() or first.isdigit()) and bool(nxt) and (nxt.isupper() or nxt.isdigit())


#: a line ending with one of these words is cut mid-sentence (hard-wrapped), never a heading
_FUNCTION_ENDS = frozenset({"le", "la", "les", "l'", "un", "une", "des", "de", "du", "d'", "à", "au", "aux", "et", "ou",
                            "sur", "pour", "par", "dans", "en", "avec", "que", "qui", "qu'", "ne", "se", "sa", "son",
                            "ses", "leur", "leurs", "ce", "cet", "cette", "ces", "mais", "donc", "car", "est", "sont"})


def _split_signature(lines: list[str], author: str | None) -> tuple[int, str, str] | None:
    """Find a closing signature line glued to the last paragraph (no blank line before it).

    Returns (line index, signature text, original line), or None. Comment dumps often end with
    ``…c'est la clé 😄\nLuc`` or ``…de deux pages ».\n-- Hélène, conseillère RP``; the line
    before must end a sentence (or be blank) so a hard-wrapped paragraph is never cut.
    """
    idx = [i for i, l in enumerate(lines) if l]
    if len(idx) < 2:
        return None
    last, prev = idx[-1], idx[-2]
    line, before = lines[last], lines[prev]
    if not is_signature_line(line, author):
        return None
    if _SIGNATURE_DASH.match(line):
        if _DASH_BULLET.match(before) or BULLET.match(before):
            return None  # "— le coût" after other items: the end of a list
        return last, _SIGNATURE_DASH.sub("", line).strip() or line, line
    if prev == last - 1 and (before[-1].isalnum() or before[-1] in ",;:-(«"):
        return None
    if prev < last - 1:
        return None  # separated by a blank line: the paragraph rule below decides
    return last, line, line


def _looks_like_list(lines: list[str], i: int) -> bool:
    """Numbered lines are list items when a neighbour is numbered too (not "2. Il faut…" alone)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines) and lines[j] and _NUM_BULLET.match(lines[j]):
            return True
    return False
