"""Reader for Markdown posts (.md) with optional YAML front matter and a comments section.

Blocks come from Markdown syntax, not from the .txt heuristics: ``#`` headings, ``-``/``*``/``+``/
``1.`` list items (continuation lines joined), ``>`` quotes, paragraphs. Inline markup is
stripped (``**gras**``, ``_italique_``, ``code``, links keep their text, images are dropped).

A heading such as ``## Commentaires`` starts the comments; each sub-heading
``### Auteur — date [— en réponse à X]`` (or ``### Auteur (date)``) opens one comment.
"""
from __future__ import annotations

import datetime as _dt
import html as _html
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import ReadError
from .dates import is_date_line, parse_date
from .decode import squash_spaces
from .model import Block, Document
from .structure import Boilerplate, is_signature_line
from .text import (
    BYLINE,
    BYLINE_DATE_FIRST,
    COMMENTS_HEADER,
    REPLY_TO,
    _parse_comments,
    _resolve_reply,
)

__all__ = ["markdown_to_blocks", "read_markdown", "strip_inline"]

_FRONT_MATTER = re.compile(r"\A(?:\s*\n)?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?P<char>=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?(?P<text>.*)$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_YAML_KEY = re.compile(r"^[\w\-]+\s*:", re.MULTILINE)

_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ \t]*(?:!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\])"), ""),  # images: no text for discourse analysis
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [texte](url "titre")
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [texte][ref]
    (re.compile(r"<((?:https?|ftp)://[^>\s]+|[^@>\s]+@[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # snake_case stays intact
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])"), r"\1"),
)
_FM_TITLE = ("title", "titre")
_FM_AUTHOR = ("author", "auteur", "authors", "auteurs", "by", "par")
_FM_DATE = ("date", "published", "publié", "publie", "date_published", "pubdate", "created")


def strip_inline(text: str) -> str:
    """Remove inline Markdown, keeping the words.

    Example:
        >>> strip_inline("**Attention** : voir [le guide](https://ex.org/g) ![logo](l.png) et `code`.")
        'Attention : voir le guide et code.'
    """
    for pattern, repl in _INLINE_RULES:
        text = pattern.sub(repl, text)
    return squash_spaces(_html.unescape(text))


# --------------------------------------------------------------------------- front matter


def _plain(value: Any) -> Any:
    """YAML values → JSON-friendly values (dates become ISO strings)."""
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split ``---`` YAML front matter from the body.

    Returns:
        (front matter mapping, body, number of lines consumed). Raises :class:`ReadError` when the
        block looks like YAML but does not parse.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    raw = m.group("yaml")
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        if not _YAML_KEY.search(raw):
            return {}, text, 0  # a horizontal rule, then a paragraph, then a rule: not front matter
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # +1 for 1-based, +1 for the opening ---
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ReadError(
            f"Invalid YAML front matter{where} ({problem}). Fix the block between the two '---' lines "
            "(quote values that contain ':' or start with a quote, e.g. title: \"RGPD : faut-il fermer la page ?\"), "
            "or remove the block."
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, text, 0
    consumed = text[: m.end()].count("\n")
    return {str(k): _plain(v) for k, v in data.items()}, text[m.end():], consumed


def _fm_get(fm: dict[str, Any], keys: tuple[str, ...]) -> tuple[str | None, Any]:
    lowered = {k.lower(): k for k in fm}
    for key in keys:
        if key in lowered:
            return lowered[key], fm[lowered[key]]
    return None, None


def _author_value(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("nom")
    if isinstance(value, (list, tuple)):
        names = [_author_value(v) for v in value]
        value = ", ".join(n for n in names if n)
    if value is None or isinstance(value, bool):
        return None
    text = squash_spaces(str(value))
    return text or None


def _date_value(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    return parse_date(str(value))


# --------------------------------------------------------------------------- blocks


@dataclass
class _Heading:
    level: int
    text: str
    line: int


@dataclass
class _Builder:
    bp: Boilerplate
    removed: list[str]
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        text = strip_inline(text)
        if text and self.bp.is_content(text, self.removed):
            self.blocks.append(Block(kind, text))


def markdown_to_blocks(
    text: str,
    *,
    boilerplate: Boilerplate | None = None,
    removed: list[str] | None = None,
    headings: list[_Heading] | None = None,
) -> list[Block]:
    """Blocks of a Markdown body (no front matter).

    ``headings``, when given, receives every heading with its level (to find titles and comment
    sections); heading blocks are returned as ``heading``.

    Example:
        >>> [(b.kind, b.text) for b in markdown_to_blocks("## Pourquoi ?\\n\\n- le **coût**\\n  élevé\\n\\n> Jamais.")]
        [('heading', 'Pourquoi ?'), ('list_item', 'le coût élevé'), ('quote', 'Jamais.')]
    """
    out = _Builder(boilerplate or Boilerplate.default(), removed if removed is not None else [])
    para: list[str] = []
    kind = "paragraph"
    fence: str | None = None

    def flush() -> None:
        nonlocal para, kind
        if para:
            out.add(kind, " ".join(para))
        para, kind = [], "paragraph"

    lines = text.split("\n")
    for n, line in enumerate(lines):
        if fence is not None:  # inside ``` … ```: code is kept as plain text lines
            if line.strip().startswith(fence):
                fence = None
                flush()
            elif line.strip():
                para.append(line.strip())
            continue
        if not line.strip():
            flush()
            continue
        stripped = line.strip()
        if not out.bp.is_content(strip_inline(stripped), out.removed):  # share lines, "Imprimez ce billet"…
            flush()
            continue
        if m := _FENCE.match(line):
            flush()
            fence = m.group("fence")
            continue
        if _LINK_DEF.match(line) or _TABLE_RULE.match(line) and "|" in line:
            continue
        if (m := _SETEXT.match(line)) and len(para) == 1 and kind == "paragraph" and len(para[0]) <= 120 and not para[0].endswith("."):
            # "Titre\n=====" (level 1) or "Intertitre\n-----" (level 2)
            heading = _Heading(1 if m.group("char").startswith("=") else 2, strip_inline(" ".join(para)), n)
            para = []
            _emit_heading(out, heading, headings)
            continue
        if _HR.match(line):
            flush()
            continue
        if m := _ATX.match(line):
            flush()
            _emit_heading(out, _Heading(len(m.group("level")), strip_inline(m.group("text") or ""), n), headings)
            continue
        if m := _QUOTE.match(line):
            inner = m.group("text")
            while (m2 := _QUOTE.match(inner)) is not None:  # "> > citation imbriquée"
                inner = m2.group("text")
            if kind != "quote":
                flush()
                kind = "quote"
            if inner.strip():
                para.append(inner.strip())
            else:
                flush()
                kind = "quote"
            continue
        if m := _BULLET.match(line):
            flush()
            kind = "list_item"
            para = [m.group("text").strip()]
            continue
        if kind == "list_item" and para:
            para.append(stripped)  # continuation of the item (indented or lazy)
            continue
        if kind == "quote":
            if para:  # lazy continuation of a quote
                para.append(stripped)
                continue
            flush()
        para.append(stripped.rstrip("\\").rstrip())
    flush()
    return out.blocks


def _emit_heading(out: _Builder, heading: _Heading, sink: list[_Heading] | None) -> None:
    if not heading.text:
        return
    if sink is not None:
        sink.append(heading)
    out.add("heading", heading.text)


# --------------------------------------------------------------------------- comments


@dataclass
class _Section:
    """A run of lines: the post body, or one comment with its header."""

    lines: list[str]
    author: str | None = None
    date: str | None = None
    reply_to: str | None = None


def parse_comment_heading(text: str) -> tuple[str | None, str | None, str | None]:
    """'Sophie L. — 2024-03-15 — en réponse à Marc' → ('Sophie L.', '2024-03-15', 'Marc').

    Example:
        >>> parse_comment_heading("Marc Desjardins (14 mars 2024)")
        ('Marc Desjardins', '2024-03-14', None)
    """
    s = strip_inline(text)
    reply = None
    m = REPLY_TO.search(s)
    if m:
        reply = m.group("name").strip().lstrip("@")
        s = s[: m.start()].strip()
    date = None
    m = re.match(r"^(?P<name>.*?)\s*\((?P<date>[^()]*)\)\s*$", s)
    if m and parse_date(m.group("date")):
        s, date = m.group("name"), parse_date(m.group("date"))
    parts = [p.strip() for p in re.split(r"\s+[—–|-]\s+|\s*[|•·]\s*|,\s+(?=(?:le\s+)?\d)", s) if p.strip()]
    name = parts[0] if parts else ""
    for p in parts[1:]:
        if date is None and parse_date(p):
            date = parse_date(p)
    if date is None:
        m = re.search(r"\s+(?:le|on)\s+(?=\d)", name)
        if m and parse_date(name[m.end():]):
            date, name = parse_date(name[m.end():]), name[: m.start()]
    name = re.sub(r"\s*(?:a\s+dit|a\s+écrit|dit|says|wrote)\s*:?\s*$", "", name, flags=re.IGNORECASE).strip(" :—–-")
    if name and is_date_line(name):
        name = ""
    return (name or None), date, reply


def _split_sections(lines: list[str]) -> tuple[list[str], list[_Section]]:
    """Cut the lines at the comments heading; the sub-headings that follow open comments."""
    heads: list[tuple[int, int, str]] = []  # (line, level, text)
    fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fence = not fence
        if fence:
            continue
        m = _ATX.match(line)
        if m and m.group("text"):
            heads.append((i, len(m.group("level")), strip_inline(m.group("text"))))
    candidates = [(i, lvl) for i, lvl, t in heads if COMMENTS_HEADER.match(t)]
    chosen = None
    for i, lvl in candidates:  # the one followed by comment sub-headings, else the last one
        if any(j > i and l2 > lvl for j, l2, _ in heads):
            chosen = (i, lvl)
            break
    if chosen is None and candidates:
        chosen = candidates[-1]
    if chosen is None:
        return lines, []
    start, level = chosen
    end = next((j for j, l2, _ in heads if j > start and l2 <= level), len(lines))
    body = lines[:start] + lines[end:]  # a "## Voir aussi" after the comments belongs to the page
    section = lines[start + 1 : end]
    subs = [(j - start - 1, t) for j, l2, t in heads if start < j < end and l2 > level]
    comments: list[_Section] = []
    if subs:
        for k, (j, title) in enumerate(subs):
            stop = subs[k + 1][0] if k + 1 < len(subs) else len(section)
            author, date, reply = parse_comment_heading(title)
            comments.append(_Section(section[j + 1 : stop], author, date, reply))
    else:
        # No sub-headings: "Marc a dit :", "**1. Marc**", "---" separators, as in .txt dumps.
        for raw in _parse_comments([strip_inline(l) if l.strip() else l for l in section]):
            comments.append(_Section(raw.lines, raw.author, raw.date, raw.reply_to_name))
    return body, comments


def _mark_signature(blocks: list[Block], author: str | None) -> list[Block]:
    if len(blocks) >= 2 and blocks[-1].kind == "paragraph" and is_signature_line(blocks[-1].text, author):
        return [*blocks[:-1], Block("signature", re.sub(r"^\s*(?:--+|—|–)\s*", "", blocks[-1].text) or blocks[-1].text)]
    return blocks


def _comment_blocks(lines: list[str], bp: Boilerplate, removed: list[str], author: str | None) -> list[Block]:
    # A signature glued under the last line ("…marche ?\nJulie") is split off before joining lines.
    idx = [i for i, l in enumerate(lines) if l.strip()]
    sig = None
    if len(idx) >= 2 and idx[-1] == idx[-2] + 1:
        last, before = strip_inline(lines[idx[-1]]), lines[idx[-2]].rstrip()
        if is_signature_line(last, author) and (re.match(r"^\s*(?:--+|—|–)\s*\S", last) or not (before[-1:].isalnum() or before[-1:] in ",;:(«")):
            if not _BULLET.match(lines[idx[-2]]) or re.match(r"^\s*--", last):
                sig = re.sub(r"^\s*(?:--+|—|–)\s*", "", last) or last
                lines = lines[: idx[-1]]
    blocks = markdown_to_blocks("\n".join(lines), boilerplate=bp, removed=removed)
    blocks = [Block("paragraph", b.text) if b.kind == "heading" else b for b in blocks]
    if sig and blocks:
        return [*blocks, Block("signature", sig)]
    return _mark_signature(blocks, author)


# --------------------------------------------------------------------------- reader


def read_markdown(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a Markdown post (front matter, body, ``## Commentaires``) into a post and its comments.

    Example:
        >>> md = ("---\\ntitle: Bloguer en B2B ?\\nauthor: Julie Tremblay\\ndate: 2024-03-12\\n---\\n"
        ...       "Oui, à petites doses.\\n\\n## Commentaires\\n### Marc — 2024-03-14\\nPas convaincu.\\n"
        ...       "### Julie Tremblay — 2024-03-15 — en réponse à Marc\\nSoit.")
        >>> [(d.doc_id, d.author, d.date, d.parent_id) for d in read_markdown(md, doc_id="b1", source="b1.md")]
        [('b1', 'Julie Tremblay', '2024-03-12', None), ('b1.c1', 'Marc', '2024-03-14', 'b1'), ('b1.c2', 'Julie Tremblay', '2024-03-15', 'b1.c1')]
    """
    bp = boilerplate or Boilerplate.default()
    fm, body, _ = split_front_matter(text)
    meta: dict[str, Any] = {}
    title_key, title_value = _fm_get(fm, _FM_TITLE)
    author_key, author_value = _fm_get(fm, _FM_AUTHOR)
    date_key, date_value = _fm_get(fm, _FM_DATE)
    title = strip_inline(str(title_value)) if title_value not in (None, "") else None
    author = _author_value(author_value)
    date = _date_value(date_value)
    if date_value not in (None, "") and date is None:
        meta["date_raw"] = str(date_value)  # kept for the user, never guessed into a date
    for key, value in fm.items():
        if key not in {title_key, author_key, date_key}:
            meta[key] = value

    body_lines, raw_comments = _split_sections(body.split("\n"))
    removed: list[str] = []
    headings: list[_Heading] = []
    blocks = markdown_to_blocks("\n".join(body_lines), boilerplate=bp, removed=removed, headings=headings)

    # Title: front matter, else the first level-1 heading; an H1 repeating the title is dropped.
    h1 = next((h for h in headings if h.level == 1), None)
    if title is None and h1 is not None:
        title = h1.text
    if title is not None and h1 is not None and h1.text.casefold() == title.casefold():
        for i, b in enumerate(blocks):
            if b.kind == "heading" and b.text == h1.text:
                del blocks[i]
                break
    # A byline under the title ("Par Julie Tremblay | 12 mars 2024") when the front matter has none.
    if blocks and blocks[0].kind == "paragraph" and len(blocks[0].text) < 140:
        first = blocks[0].text
        mf, mb = BYLINE_DATE_FIRST.match(first), BYLINE.match(first)
        if mf and author is None:
            author, date = squash_spaces(mf.group("name")), date or parse_date(mf.group("date"))
            blocks.pop(0)
        elif mb and author is None:
            author = re.split(r"\s+le\s+(?=\d)", squash_spaces(mb.group("name")))[0]
            date = date or parse_date(first)
            blocks.pop(0)
        elif is_date_line(first) and date is None:
            date = parse_date(first)
            blocks.pop(0)
    if title:
        blocks.insert(0, Block("title", title))
    post = Document.from_blocks(doc_id, blocks, part="post", source=source, title=title, author=author, date=date, boilerplate=removed, meta=meta)
    docs = [post]
    last_by_author: dict[str, str] = {}
    k = 0
    for raw in raw_comments:
        c_removed: list[str] = []
        cblocks = _comment_blocks(raw.lines, bp, c_removed, raw.author)
        if not cblocks:
            continue
        k += 1
        cid = f"{doc_id}.c{k}"
        reply = raw.reply_to
        if reply is None:
            m = re.match(r"@([\w.'-]+(?:\s[A-ZÀ-Þ][\w.'-]*)?)", cblocks[0].text)
            reply = m.group(1) if m else None
        parent = (_resolve_reply(reply, last_by_author) if reply else None) or doc_id
        docs.append(
            Document.from_blocks(cid, cblocks, part="comment", post_id=doc_id, source=source, author=raw.author,
                                 date=raw.date, parent_id=parent, boilerplate=c_removed)
        )
        if raw.author:
            last_by_author[raw.author.lower()] = cid
    return docs
