"""Reader for plain-text blog dumps (.txt): title, byline, body, comments section."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from .dates import is_date_line, parse_date
from .model import Block, Document
from .structure import Boilerplate, text_to_blocks

COMMENTS_HEADER = re.compile(
    r"^\s*(?:\d+\s+|un\s+|une\s+)?(?:commentaires?|r[ée]ponses?|comments?|r[ée]actions?|vos r[ée]actions|vos commentaires"
    r"|responses?|replies)(?:\s+(?:à|a|on|to|sur|au sujet de)\b.{0,200})?\s*:?\s*(?:\(\d+\))?\s*$",
    re.IGNORECASE,
)
_NAME = r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_@][\w.'’-]*){0,4}?"
NUMBERED_AUTHOR = re.compile(r"^(?P<indent>\s*)#?(?P<n>\d{1,4})(?:[.)]|\s*[-–—:])?\s+(?P<rest>.+?)\s*$")
SAID_AUTHOR = re.compile(
    r"^\s*(?P<name>" + _NAME + r")\s+(?:a\s+dit|a\s+écrit|a\s+ecrit|dit|écrit|said|says|wrote)\s*(?P<after>.*?)\s*:?\s*$",
    re.IGNORECASE,
)
FIELD_AUTHOR = re.compile(r"^\s*(?:auteur|author|de|par|posté par|écrit par)\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE)
SEPARATOR = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,}|={3,})\s*$")
BYLINE_DATE_FIRST = re.compile(r"^\s*(?:publié|posté|écrit|mis en ligne)\s+le\s+(?P<date>.+?)\s+par\s+(?P<name>[^|,•·–—]+?)\s*$", re.IGNORECASE)
BYLINE = re.compile(r"^\s*(?:par|by|auteur\s*:|author\s*:|écrit par|publié par|posté par)\s+(?P<name>[^|,•·–—]+?)\s*(?:[|,•·–—]\s*(?P<rest>.*))?$", re.IGNORECASE)
DATE_FIELD = re.compile(r"^\s*(?:date|publié le|posté le|publié|le)\s*:?\s*(?P<date>.+)$", re.IGNORECASE)
REPLY_TO = re.compile(r"[(\[,–—-]?\s*(?:en\s+r[ée]ponse\s+(?:à|a)|r[ée]ponse\s+(?:à|a)|in\s+reply\s+to|replying\s+to)\s+@?(?P<name>[^()\[\]|–—]+?)\s*[)\]]?\s*$", re.IGNORECASE)


_PHONE = re.compile(r"^\s*(?:(?:t[ée]l(?:[ée]phone)?|phone|fax)\.?\s*:?\s*)?[+(]?\d[\d\s.()/-]{6,}\d\s*$", re.IGNORECASE)
_CONTACT = re.compile(r"^\s*(?:\S+@\S+\.\w+|(?:https?://|www\.)\S+)\s*$", re.IGNORECASE)
_TERMINAL = (".", "!", "?", "…", ":", ";")
#: skip links and widgets that head a page's text ("Aller au contenu principal", "Menu")
_NAVIGATION = re.compile(
    r"^[\s•·*-]*(?:aller|passer|acc[ée]der)\s+(?:au|à la)\s+(?:contenu|navigation)\b.*|^[\s•·*-]*(?:top of page|skip to content|menu|"
    r"rechercher?|recherche\b.*|s[ée]lectionner une page|photo du r[ée]dacteur.*|se connecter|connexion|newsletter|"
    r"partager|imprimer)\s*$", re.IGNORECASE)
#: lines read at the top of a text for site noise before the first body paragraph
HEADER_LINES = 10


def _words(line: str) -> int:
    return len(line.split())


def _is_body(line: str) -> bool:
    """A paragraph of running text: long, or a sentence with its final punctuation."""
    n = _words(line)
    return n >= 12 or (n >= 6 and line.rstrip().endswith((".", "!", "…")))


def _byline(line: str) -> tuple[str | None, str | None] | None:
    """(author, date) of a byline or date line, None when the line is neither."""
    s = line.strip()
    mf = BYLINE_DATE_FIRST.match(s)
    if mf and len(s) < 140:
        return mf.group("name").strip(), parse_date(mf.group("date"))
    mb = BYLINE.match(s)
    if mb and len(s) < 120:
        return mb.group("name").strip(), parse_date(mb.group("rest") or "")
    md = DATE_FIELD.match(s)
    if is_date_line(s) or (md and is_date_line(md.group("date"))):
        return None, parse_date(s)
    return None


def site_header(lines: list[str], start: int) -> tuple[int, str | None, str | None, str | None, list[str]] | None:
    """Site noise above a web page's text: skip links, phone numbers, contact lines, section
    names ("Magazine Société"), bylines and dates before the title. It is neither title nor
    content: the lines are dropped (kept in ``boilerplate``), a byline gives the author and date.

    Returns (index of the first line after the header, title, author, date, noise lines), or None
    when the top of the text is not such a header (a plain title, a byline, then the body: the
    usual reading applies).

    Example:
        >>> site_header(["Magazine Société", "01 23 45 67 89", "Les PME boudent encore LinkedIn", "",
        ...              "Beaucoup de dirigeants disent manquer de temps pour publier chaque semaine."], 0)
        (3, 'Les PME boudent encore LinkedIn', None, None, ['Magazine Société', '01 23 45 67 89'])
    """
    zone: list[int] = []
    k = start
    while k < len(lines) and len(zone) < HEADER_LINES:
        line = lines[k].strip()
        if line:
            if _is_body(line) or COMMENTS_HEADER.match(line):
                break
            zone.append(k)
        k += 1
    if k >= len(lines) or len(zone) < 2 or len(zone) >= HEADER_LINES:
        return None  # no body found near the top, or a single line: not a web page's header
    kinds = []
    bylines: dict[int, tuple[str | None, str | None]] = {}  # zone position → (author, date)
    for n, idx in enumerate(zone):
        line = lines[idx].strip()
        found = _byline(line)
        if found is None and _words(line) <= 9 and (when := parse_date(line)):
            found = (None, when)  # "Dernière mise à jour : 20 janvier 2025 à 15:01"
        if _PHONE.match(line) or _CONTACT.match(line) or _NAVIGATION.match(line):
            kinds.append("noise")
        elif found is not None:
            bylines[n] = found
            kinds.append("byline")
        elif _words(line) <= 3 and not line.endswith(_TERMINAL):
            kinds.append("short")
        else:
            kinds.append("line")
    # the title: the first line of four words or more; else the last short line of three words
    lines_ = [n for n, kind in enumerate(kinds) if kind == "line" and _words(lines[zone[n]]) >= 4
              and not lines[zone[n]].strip().endswith((".", ";", ","))]
    shorts = [n for n, kind in enumerate(kinds) if kind == "short" and _words(lines[zone[n]]) >= 3]
    t = lines_[0] if lines_ else (shorts[-1] if shorts else None)
    if t is None or t == 0 or not any(kind in ("noise", "byline", "short") for kind in kinds[:t]):
        return None  # the text starts with its title: the usual reading applies
    author = date = None
    removed = []
    end = zone[t] + 1
    for n, idx in enumerate(zone):
        line = lines[idx].strip()
        if n == t:
            continue
        if n > t and kinds[n] not in ("noise", "byline"):
            break  # a subtitle or heading: body from here
        if kinds[n] == "byline":
            author, date = author or bylines[n][0], date or bylines[n][1]
        removed.append(line)
        end = max(end, idx + 1)
    return end, lines[zone[t]].strip(), author, date, removed


@dataclass
class _RawComment:
    author: str | None
    lines: list[str] = field(default_factory=list)
    date: str | None = None
    reply_to_name: str | None = None


def _looks_like_name(text: str) -> bool:
    s = text.strip()
    if not s or len(s) > 70 or s.endswith((".", "!", "?", ";")) and not re.search(r"\b[A-Z]\.$", s):
        return False
    words = s.split()
    if len(words) > 6:
        return False
    return bool(re.match(r"^[@A-ZÀ-ÖØ-Þa-z]", s))


def _split_author(rest: str) -> tuple[str, str | None, str | None]:
    """'Sophie L. (en réponse à Marc) — 3 mai 2012' → (name, reply_to, date)."""
    reply = None
    m = REPLY_TO.search(rest)
    if m:
        reply = m.group("name").strip()
        rest = rest[: m.start()].strip()
    date = None
    parts = re.split(r"\s+[|–—-]\s+|\s*[|•·]\s*|,\s+(?=(?:le\s+)?\d)", rest)
    name = parts[0].strip().rstrip(":").strip()
    for p in parts[1:]:
        d = parse_date(p)
        if d:
            date = d
    if date is None and len(parts) == 1:
        # "Marc Desjardins le 3 mai 2012 à 10:15"
        m2 = re.search(r"\s+(?:le|on)\s+(?=\d)", name)
        if m2 and parse_date(name[m2.end():]):
            date = parse_date(name[m2.end():])
            name = name[: m2.start()].strip()
    return name, reply, date


def _is_author_date_line(lines: list[str], i: int) -> bool:
    """An unnumbered comment header: a short name line followed by a date line (or with its date)."""
    stripped = lines[i].strip()
    if not stripped or is_date_line(stripped):
        return False
    name, _, date = _split_author(stripped)
    if not _looks_like_name(name) or not all(w[:1].isupper() or w[:1] in "@(" for w in name.split()):
        return False
    if date is not None:
        return True
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and is_date_line(lines[j])


def _find_comments_header(lines: list[str], start: int) -> int | None:
    candidates = [i for i in range(start, len(lines)) if COMMENTS_HEADER.match(lines[i])]
    for i in candidates:
        if _parse_comments(lines[i + 1 :], probe=True):
            return i
    return candidates[-1] if candidates else None


def _parse_comments(lines: list[str], *, probe: bool = False) -> list[_RawComment]:
    comments: list[_RawComment] = []
    expected = 1
    cur: _RawComment | None = None
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        start: _RawComment | None = None
        m = NUMBERED_AUTHOR.match(line)
        if m and int(m.group("n")) == expected and _looks_like_name(_split_author(m.group("rest"))[0]):
            name, reply, date = _split_author(m.group("rest"))
            start = _RawComment(name, date=date, reply_to_name=reply)
            expected += 1
        elif (m2 := SAID_AUTHOR.match(line)) and _looks_like_name(m2.group("name")) and (cur is None or not stripped.endswith(".")):
            name = m2.group("name").strip()
            after = m2.group("after")
            reply = None
            rm = REPLY_TO.search(name)
            if rm:
                reply = rm.group("name").strip()
                name = name[: rm.start()].strip()
            elif after and (rm := REPLY_TO.search(after)):  # "Roger a écrit : (en réponse à Martine)"
                reply = rm.group("name").strip()
                after = after[: rm.start()]
            start = _RawComment(name, date=parse_date(after) if after else None, reply_to_name=reply)
        elif (m3 := FIELD_AUTHOR.match(line)) and _looks_like_name(_split_author(m3.group("name"))[0]):
            name, reply, date = _split_author(m3.group("name"))
            start = _RawComment(name, date=date, reply_to_name=reply)
        elif _is_author_date_line(lines, i):
            # "Luc Gagnon" then "12 mars 2009 à 10:15", or both on one line
            name, reply, date = _split_author(stripped)
            start = _RawComment(name, date=date, reply_to_name=reply)
        elif SEPARATOR.match(line):
            # "---" then an author line (or straight into an anonymous comment)
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _looks_like_name(_split_author(lines[j])[0]) and not SAID_AUTHOR.match(lines[j]) and not FIELD_AUTHOR.match(lines[j]):
                name, reply, date = _split_author(lines[j].strip())
                start = _RawComment(name, date=date, reply_to_name=reply)
                i = j
            elif cur is not None and cur.lines:
                start = _RawComment(None)
        if start is not None:
            if cur is not None:
                comments.append(cur)
            cur = start
            # optional date line right after the author line
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and is_date_line(lines[j]):
                if cur.date is None:
                    cur.date = parse_date(lines[j])
                i = j
            i += 1
            continue
        if cur is None:
            if stripped and probe:
                return []
            if stripped and not probe:
                cur = _RawComment(None)
            else:
                i += 1
                continue
        cur.lines.append(line)
        i += 1
    if cur is not None:
        comments.append(cur)
    return [c for c in comments if "".join(c.lines).strip() or c.author]


def read_text(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a plain-text blog dump into a post and its comments.

    Example:
        >>> docs = read_text("Faut-il bloguer ?\\n\\nOui, et vite.\\n\\n2 commentaires\\n\\n"
        ...                  "  1. Julie\\n     Bien dit.\\n  2. Marc (en réponse à Julie)\\n     Pas sûr.",
        ...                  doc_id="b1", source="b1.txt")
        >>> [(d.doc_id, d.part, d.author, d.parent_id) for d in docs]
        [('b1', 'post', None, None), ('b1.c1', 'comment', 'Julie', 'b1'), ('b1.c2', 'comment', 'Marc', 'b1.c1')]
    """
    bp = boilerplate or Boilerplate.default()
    lines = text.split("\n")
    removed: list[str] = []
    # Title: the first non-empty, non-boilerplate line, when it is short and stands alone.
    i = 0
    title = None
    while i < len(lines) and (not lines[i].strip() or bp.match(lines[i])):
        if lines[i].strip():
            removed.append(lines[i].strip())
        i += 1
    site = site_header(lines, i)
    if site is not None:
        i, title, head_author, head_date, noise = site
        removed += noise
    else:
        head_author = head_date = None
    if site is None and i < len(lines):
        cand = lines[i].strip()
        nxt_blank = i + 1 >= len(lines) or not lines[i + 1].strip() or bool(BYLINE.match(lines[i + 1]) or BYLINE_DATE_FIRST.match(lines[i + 1])) or is_date_line(lines[i + 1])
        if len(cand) <= 200 and nxt_blank and not COMMENTS_HEADER.match(cand) and not cand.endswith((".", ",", ";")):
            title = cand
            i += 1
    author, date = head_author, head_date
    # Byline and date lines right after the title.
    j = i
    seen = 0
    while j < len(lines) and seen < 3:
        s = lines[j].strip()
        if not s:
            j += 1
            continue
        found = _byline(s)
        if found is None:
            break
        name, when = found
        if name is not None and author is None:
            author, date = name, when or date
        elif name is None and date is None:
            date = when
        else:
            break  # a second byline, or a date when one is known: the body starts here
        j += 1
        seen += 1
    if seen:
        i = j
    header = _find_comments_header(lines, i)
    body_lines = lines[i:header] if header is not None else lines[i:]
    blocks = text_to_blocks("\n".join(body_lines), boilerplate=bp, removed=removed)
    if title:
        blocks.insert(0, Block("title", title))
    post = Document.from_blocks(doc_id, blocks, part="post", source=source, title=title, author=author, date=date, boilerplate=removed)
    docs = [post]
    if header is None:
        return docs
    last_by_author: dict[str, str] = {}
    for k, raw in enumerate(_parse_comments(lines[header + 1 :]), start=1):
        cid = f"{doc_id}.c{k}"
        body = textwrap.dedent("\n".join(raw.lines)).strip("\n")
        reply_name = raw.reply_to_name
        first = body.lstrip()
        if reply_name is None and first.startswith("@"):
            cand = re.match(r"@([\w.'-]+(?:\s[A-ZÀ-Þ][\w.'-]*)?)", first)
            if cand:
                reply_name = cand.group(1)
        c_removed: list[str] = []
        cblocks = text_to_blocks(body, boilerplate=bp, removed=c_removed, allow_headings=False, detect_signature=True, signature_author=raw.author)
        parent = doc_id
        if reply_name:
            parent = _resolve_reply(reply_name, last_by_author) or doc_id
        docs.append(
            Document.from_blocks(cid, cblocks, part="comment", post_id=doc_id, source=source,
                                 author=raw.author or None, date=raw.date, parent_id=parent, boilerplate=c_removed)
        )
        if raw.author:
            last_by_author[raw.author.lower()] = cid
    return [d for d in docs if d.blocks or d.part == "post"]


def _resolve_reply(name: str, last_by_author: dict[str, str]) -> str | None:
    key = name.lower().strip("@ ")
    if not key:
        return None
    # Authors who sign with a handle ("@ClemComDigitale") are answered as "@ClemComDigitale" or by name.
    authors = [(a.strip("@ "), cid) for a, cid in last_by_author.items() if a.strip("@ ")]
    for author, cid in reversed(authors):
        if author == key:
            return cid
    for author, cid in reversed(authors):
        if author.startswith(key) or key.startswith(author) or key.split()[0] == author.split()[0]:
            return cid
    return None
