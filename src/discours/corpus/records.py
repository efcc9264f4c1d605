"""Readers for structured exports: .json, .jsonl and .csv records of posts and comments.

Three shapes are accepted and may be mixed:

- a post object with its ``comments`` list (comments may nest their own ``replies``);
- a list of post objects, or ``{"posts": [...]}``;
- flat records ``{"id", "type": "post"|"comment", "post_id", "parent_id", ...}`` where comments
  point to their post with ``post_id`` (one per line in .jsonl, one per row in .csv).

Document ids follow the .txt reader: a file with one post gives ``doc_id`` and its comments
``doc_id.c1``, ``doc_id.c2``…; a file with several posts gives ``doc_id.<record id>``. The
original record id is kept in ``meta["id"]``; replies point to the comment's new ``doc_id``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import html as _html
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Msg, ReadError
from .dates import parse_date
from .decode import squash_spaces
from .model import Block, Document
from .structure import Boilerplate, text_to_blocks
from .text import _resolve_reply

__all__ = ["read_csv", "read_json", "read_jsonl", "records_to_documents"]

TEXT_FIELDS = ("text", "body", "content", "texte", "contenu", "message", "html")
TITLE_FIELDS = ("title", "titre", "headline")
AUTHOR_FIELDS = ("author", "auteur", "author_name", "by", "user", "username", "name")
DATE_FIELDS = ("date", "published", "published_at", "date_published", "created", "created_at", "timestamp", "datetime", "time")
REPLY_FIELDS = ("reply_to", "parent_id", "parent", "in_reply_to", "in_reply_to_id", "reply_to_id", "parent_comment")
POST_REF_FIELDS = ("post_id", "post", "article_id", "thread_id")
COMMENTS_FIELDS = ("comments", "commentaires", "replies", "responses", "reponses", "réponses", "reactions", "children")
TYPE_FIELDS = ("type", "kind", "part")
#: ready-made blocks ([{"kind": "heading", "text": "…"}, …], as ``discours collect`` writes): used instead of the text field
BLOCKS_FIELDS = ("blocks",)
_BLOCK_KINDS = frozenset({"heading", "paragraph", "list_item", "quote", "signature"})
_POST_LIST_KEYS = ("posts", "articles", "billets", "items", "entries", "data")
_COMMENT_TYPES = {"comment", "comments", "commentaire", "reply", "réponse", "reponse", "response", "reaction"}
_POST_TYPES = {"post", "posts", "article", "billet", "blogpost", "blog_post", "entry", "page"}
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


# --------------------------------------------------------------------------- field access


def _get(rec: dict[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    """(key as written, value) of the first of ``names`` present, case-insensitively."""
    lowered = {str(k).strip().lower(): k for k in rec}
    for name in names:
        if name in lowered:
            key = lowered[name]
            return str(key), rec[key]
    return None, None


def _scalar_text(value: Any) -> str | None:
    """A text value; WordPress REST exports wrap it as {"rendered": "..."}."""
    if isinstance(value, dict):
        for key in ("rendered", "text", "html", "value", "raw", "name", "display_name"):
            if isinstance(value.get(key), str):
                return value[key]
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    if isinstance(value, str):
        return value
    return None


def _plain_line(value: Any) -> str | None:
    """Title/author values: HTML stripped, entities decoded, one line; empty → None."""
    text = _scalar_text(value)
    if text is None:
        return None
    if "<" in text:
        from .html import html_to_text, looks_like_html

        if looks_like_html(text):
            text = html_to_text(text)
    text = squash_spaces(_html.unescape(text).replace("\n", " "))
    return text or None


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_author(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, (int, float, bool)):
        return None  # a numeric user id is not a name: never shown as one
    return _plain_line(value)


def _date(value: Any) -> str | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value  # JavaScript exports count milliseconds
        if 1e8 < seconds < 5e9:
            return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M")
        return None
    return parse_date(str(value))


def _id(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _slug(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", text).strip("_")


def _json_value(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def _meta(rec: dict[str, Any]) -> dict[str, Any]:
    """Every key discours does not interpret (blog, tags, likes…), plus the record's own id."""
    used = {"id"}
    for names in (TEXT_FIELDS, TITLE_FIELDS, AUTHOR_FIELDS, DATE_FIELDS, REPLY_FIELDS, POST_REF_FIELDS, COMMENTS_FIELDS, TYPE_FIELDS,
                  BLOCKS_FIELDS):
        key, _ = _get(rec, names)
        if key is not None:
            used.add(key.strip().lower())
    meta = {str(k): _json_value(v) for k, v in rec.items() if str(k).strip().lower() not in used}
    rid = _id(rec.get("id"))
    if rid is not None:
        meta["id"] = rid
    return meta


def _blocks(text: str | None, *, bp: Boilerplate, removed: list[str], comment: bool, author: str | None) -> list[Block]:
    if not text or not text.strip():
        return []
    from .html import html_to_blocks, looks_like_html

    if looks_like_html(text):
        return html_to_blocks(text, boilerplate=bp, removed=removed, allow_headings=not comment, detect_signature=comment, signature_author=author)
    if _ENTITY.search(text):
        text = _html.unescape(text)
    return text_to_blocks(text, boilerplate=bp, removed=removed, allow_headings=not comment, detect_signature=comment, signature_author=author)


def _given_blocks(rec: dict[str, Any], *, bp: Boilerplate, removed: list[str]) -> list[Block] | None:
    """The record's own ``blocks`` list, or None when it has none (then its text field is read).

    Kinds other than heading, paragraph, list_item, quote and signature become paragraphs; a
    ``title`` block is skipped (the title comes from the title field).
    """
    _, value = _get(rec, BLOCKS_FIELDS)
    if not isinstance(value, list) or not value:
        return None
    out: list[Block] = []
    for item in value:
        if isinstance(item, str):
            kind, text = "paragraph", item
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            kind, text = str(item.get("kind") or "paragraph"), item["text"]
        else:
            return None  # not blocks as discours writes them: read the text field instead
        if kind == "title":
            continue
        text = squash_spaces(text.replace("\n", " "))
        if text and bp.is_content(text, removed):
            out.append(Block(kind if kind in _BLOCK_KINDS else "paragraph", text))
    return out


# --------------------------------------------------------------------------- records → documents


@dataclass
class _Rec:
    """One record with where it came from (for messages) and, for comments, its nesting."""

    data: dict[str, Any]
    where: str
    nested_parent: str | None = None  # original id of the enclosing comment (nested "replies")
    nested_key: int | None = None  # index of the enclosing comment in the post's list


@dataclass
class _Post:
    rec: _Rec | None
    key: str | None  # original id
    comments: list[_Rec] = field(default_factory=list)


def _kind(rec: dict[str, Any]) -> str:
    _, t = _get(rec, TYPE_FIELDS)
    t = str(t).strip().lower() if t not in (None, "") else ""
    if t in _COMMENT_TYPES:
        return "comment"
    if t in _POST_TYPES:
        return "post"
    # No type: a record pointing to another record's post is a comment.
    _, post_ref = _get(rec, POST_REF_FIELDS)
    post_ref = _id(post_ref)
    if post_ref is not None and post_ref != _id(rec.get("id")):
        return "comment"
    return "post"


def _flatten_comments(items: Any, where: str, parent: str | None = None, parent_pos: int | None = None, out: list[_Rec] | None = None) -> list[_Rec]:
    out = [] if out is None else out
    if not isinstance(items, list):
        raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: \"comments\" must be a list of objects, not {type(items).__name__}"))
    for i, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: comment {i} is a {type(item).__name__}, not an object"))
        out.append(_Rec(item, f"{where}, comment {i}", parent, parent_pos))
        pos = len(out) - 1
        _, nested = _get(item, COMMENTS_FIELDS)
        if nested:
            _flatten_comments(nested, f"{where}, comment {i}", _id(item.get("id")), pos, out)
    return out


def records_to_documents(records: list[_Rec], *, doc_id: str, source: str, bp: Boilerplate) -> list[Document]:
    """Group records into posts and their comments and build the documents."""
    posts: list[_Post] = []
    by_key: dict[str, _Post] = {}
    orphans: dict[str, _Post] = {}
    pending: list[_Rec] = []
    for rec in records:
        if _kind(rec.data) == "post":
            key = _id(rec.data.get("id"))
            post = _Post(rec, key)
            _, embedded = _get(rec.data, COMMENTS_FIELDS)
            if embedded:
                post.comments.extend(_flatten_comments(embedded, rec.where))
            posts.append(post)
            if key is not None:
                by_key.setdefault(key, post)
        else:
            pending.append(rec)
    for rec in pending:  # after all posts: a comment may come before its post in the file
        _, ref = _get(rec.data, POST_REF_FIELDS)
        ref = _id(ref)
        if ref is not None and ref in by_key:
            by_key[ref].comments.append(rec)
        elif ref is None and len(posts) == 1:
            posts[0].comments.append(rec)  # one post in the file: comments without post_id are its own
        else:
            orphans.setdefault(ref or "", _Post(None, ref)).comments.append(rec)

    single = len(posts) == 1
    docs: list[Document] = []
    used: set[str] = set()
    for n, post in enumerate(posts, start=1):
        if single:
            pid = doc_id
        else:
            pid = f"{doc_id}.{_slug(post.key or '') or n}"
            while pid in used:
                pid = f"{pid}_{n}"
        used.add(pid)
        docs.extend(_post_documents(post, pid, source, bp))
    for ref, post in orphans.items():
        # Comments whose post is not in the file: kept (never dropped silently), flagged in meta.
        pid = ref or "?"
        base = f"{doc_id}.{_slug(pid) or 'orphans'}"
        docs.extend(_comment_documents(post.comments, base, pid, post_key=post.key, source=source, bp=bp, orphan=True))
    return docs


def _post_documents(post: _Post, pid: str, source: str, bp: Boilerplate) -> list[Document]:
    assert post.rec is not None
    rec = post.rec.data
    _, tval = _get(rec, TITLE_FIELDS)
    _, aval = _get(rec, AUTHOR_FIELDS)
    _, dval = _get(rec, DATE_FIELDS)
    _, xval = _get(rec, TEXT_FIELDS)
    title = _plain_line(tval)
    author = _author(aval)
    date = _date(dval)
    meta = _meta(rec)
    if dval not in (None, "") and date is None:
        meta["date_raw"] = _json_value(dval)
    if aval is not None and author is None:
        meta["author_raw"] = _json_value(aval)
    removed: list[str] = []
    blocks = _given_blocks(rec, bp=bp, removed=removed)
    if blocks is None:
        blocks = _blocks(_scalar_text(xval), bp=bp, removed=removed, comment=False, author=author)
    if title:
        if blocks and blocks[0].kind == "heading" and blocks[0].text.casefold() == title.casefold():
            blocks.pop(0)  # the text repeats the title as its first line
        blocks.insert(0, Block("title", title))
    doc = Document.from_blocks(pid, blocks, part="post", source=source, title=title, author=author, date=date, boilerplate=removed, meta=meta)
    return [doc, *_comment_documents(post.comments, pid, pid, post_key=post.key, source=source, bp=bp)]


def _comment_documents(
    comments: list[_Rec], base: str, post_id: str, *, post_key: str | None, source: str, bp: Boilerplate, orphan: bool = False
) -> list[Document]:
    # First pass: every comment's new id, so replies may point forward or backward.
    ids: dict[str, str] = {}
    cids: list[str] = []
    for k, rec in enumerate(comments, start=1):
        cid = f"{base}.c{k}"
        cids.append(cid)
        rid = _id(rec.data.get("id"))
        if rid is not None:
            ids.setdefault(rid, cid)
    docs: list[Document] = []
    last_by_author: dict[str, str] = {}
    skipped: dict[str, str] = {}  # empty comments: their replies go to the comment (or post) above
    for k, rec in enumerate(comments):
        data = rec.data
        _, aval = _get(data, AUTHOR_FIELDS)
        _, dval = _get(data, DATE_FIELDS)
        _, xval = _get(data, TEXT_FIELDS)
        author = _author(aval)
        date = _date(dval)
        meta = _meta(data)
        if dval not in (None, "") and date is None:
            meta["date_raw"] = _json_value(dval)
        removed: list[str] = []
        blocks = _given_blocks(data, bp=bp, removed=removed)
        if blocks is None:
            blocks = _blocks(_scalar_text(xval), bp=bp, removed=removed, comment=True, author=author)
        _, reply = _get(data, REPLY_FIELDS)
        reply = _id(reply)
        parent: str | None = None
        if rec.nested_key is not None:
            parent = cids[rec.nested_key]
        elif reply is not None and reply in ids and ids[reply] != cids[k]:
            parent = ids[reply]
        elif reply is not None and (reply == post_key or reply in {"0", post_id}):
            parent = post_id
        elif reply is not None:
            # Some exports put the name of the person answered: resolve it like "en réponse à X".
            parent = _resolve_reply(reply, last_by_author)
            if parent is None:
                meta["reply_to_unresolved"] = reply
        if parent is None and reply is None and blocks:
            m = re.match(r"@([\w.'-]+(?:\s[A-ZÀ-Þ][\w.'-]*)?)", blocks[0].text)
            parent = _resolve_reply(m.group(1), last_by_author) if m else None
        while parent in skipped:
            parent = skipped[parent]
        if not blocks:
            skipped[cids[k]] = parent or post_id
            continue
        if orphan:
            meta["orphan"] = True
            meta["warning"] = f"post {post_id!r} is not in this file; the comment is kept with post_id={post_id!r}"
        docs.append(
            Document.from_blocks(cids[k], blocks, part="comment", post_id=post_id, source=source, author=author,
                                 date=date, parent_id=parent or post_id, boilerplate=removed, meta=meta)
        )
        if author:
            last_by_author[author.lower()] = cids[k]
    return docs


# --------------------------------------------------------------------------- readers


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"


def _top_records(data: Any, where: str) -> list[_Rec]:
    if isinstance(data, dict):
        _, posts = _get(data, _POST_LIST_KEYS)
        _, text = _get(data, TEXT_FIELDS)
        if isinstance(posts, list) and text is None:
            return _top_records(posts, where)
        if text is None and _get(data, COMMENTS_FIELDS)[1] is None and _get(data, TITLE_FIELDS)[1] is None:
            keys = ", ".join(sorted(map(str, data))[:12]) or "none"
            raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: an object without a text field (keys: {keys})"))
        return [_Rec(data, where)]
    if isinstance(data, list):
        out = []
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: item {i} of the list is a {type(item).__name__}, not an object"))
            out.append(_Rec(item, f"{where}, item {i}"))
        if not out:
            raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: an empty list"))
        return out
    raise ReadError(Msg.JSON_SHAPE.format(detail=f"{where}: a {type(data).__name__} at the top level"))


def read_json(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a .json export: a post with ``comments``, a list of posts, or ``{"posts": [...]}``.

    Example:
        >>> js = ('{"id": "b12", "title": "Bloguer ?", "text": "Oui.", "comments": ['
        ...       '{"id": "c1", "author": "Marc", "text": "Non."}, {"id": "c2", "author": "Julie", '
        ...       '"text": "Pourquoi ?", "reply_to": "c1"}]}')
        >>> [(d.doc_id, d.parent_id, d.meta["id"]) for d in read_json(js, doc_id="b", source="b.json")]
        [('b', None, 'b12'), ('b.c1', 'b', 'c1'), ('b.c2', 'b.c1', 'c2')]
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(Msg.MALFORMED_JSON.format(detail=_json_error(exc))) from exc
    except RecursionError as exc:
        raise ReadError(Msg.MALFORMED_JSON.format(detail="nested too deeply")) from exc
    return records_to_documents(_top_records(data, "the file"), doc_id=doc_id, source=source, bp=boilerplate or Boilerplate.default())


def read_jsonl(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a .jsonl export: one post (with ``comments``) or one flat post/comment record per line.

    Example:
        >>> jl = ('{"id": "p1", "type": "post", "title": "Twitter ?", "text": "Pas pour nous."}\\n'
        ...       '{"id": "k1", "type": "comment", "post_id": "p1", "author": "Fred", "text": "Dommage."}')
        >>> [(d.doc_id, d.part, d.parent_id) for d in read_jsonl(jl, doc_id="f", source="f.jsonl")]
        [('f', 'post', None), ('f.c1', 'comment', 'f')]
    """
    records: list[_Rec] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReadError(Msg.MALFORMED_JSONL.format(line=n, detail=f"column {exc.colno}: {exc.msg}")) from exc
        if not isinstance(item, dict):
            raise ReadError(Msg.MALFORMED_JSONL.format(line=n, detail=f"a {type(item).__name__}, not an object"))
        records.append(_Rec(item, f"line {n}"))
    if not records:
        raise ReadError(Msg.EMPTY_FILE)
    return records_to_documents(records, doc_id=doc_id, source=source, bp=boilerplate or Boilerplate.default())


def _sniff_delimiter(text: str) -> str:
    """The delimiter that makes the header hold a text column (Sniffer first, then each candidate)."""
    sample = text[:20000]
    candidates: list[str] = []
    try:
        candidates.append(csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter)
    except csv.Error:
        pass
    header = text.split("\n", 1)[0]
    # Then by how often each appears in the header row (quoted text cannot confuse a header).
    candidates += sorted(",;\t|", key=lambda d: -header.count(d))
    for delim in candidates:
        cols = {c.strip().strip('"').lower() for c in next(csv.reader([header], delimiter=delim))}
        if cols & set(TEXT_FIELDS):
            return delim
    return candidates[0] if candidates else ","


def read_csv(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a .csv/.tsv export: a header row, one row per post or comment (``type`` defaults to post).

    Example:
        >>> rows = "id;type;post_id;author;text\\np1;post;;Julie;Bloguer, oui.\\nk1;comment;p1;Marc;Non."
        >>> [(d.doc_id, d.part, d.author) for d in read_csv(rows, doc_id="t", source="t.csv")]
        [('t', 'post', 'Julie'), ('t.c1', 'comment', 'Marc')]
    """
    text = text.lstrip("\ufeff")
    delim = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError(Msg.EMPTY_FILE) from None
    except csv.Error as exc:
        raise ReadError(Msg.MALFORMED_CSV.format(detail=f"line 1: {exc}")) from exc
    columns = [c.strip().lower() for c in header]
    if not set(columns) & set(TEXT_FIELDS):
        shown = ", ".join(repr(c) for c in header[:10]) or "none"
        raise ReadError(Msg.MALFORMED_CSV.format(detail=f"no text column in the header row (found {shown}, delimiter {delim!r})"))
    records: list[_Rec] = []
    start = 1
    try:
        for row in reader:
            line = start + 1
            start = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                raise ReadError(
                    Msg.MALFORMED_CSV.format(
                        detail=f"line {line} has {len(row)} fields but the header has {len(columns)}; "
                        f"quote the text cells that contain {delim!r}"
                    )
                )
            rec = {col: (cell if cell.strip() else None) for col, cell in zip(columns, row) if col}
            records.append(_Rec(rec, f"line {line}"))
    except csv.Error as exc:
        # The record that failed starts right after the last good one (a quote left open runs to the end).
        raise ReadError(Msg.MALFORMED_CSV.format(detail=f"the row starting on line {start + 1}: {exc}; check its quotes")) from exc
    if not records:
        raise ReadError(Msg.MALFORMED_CSV.format(detail="a header row but no data rows"))
    return records_to_documents(records, doc_id=doc_id, source=source, bp=boilerplate or Boilerplate.default())
