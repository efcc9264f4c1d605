"""Gold annotations of real web pages, recorded as facts: offsets and labels, never text.

A page's text stays in a git-ignored folder (``gold/web/texts/<id>.txt``); the committed record
(``gold/web/pages.jsonl``) holds its url, site, query, the sha1 of the text, and every labelled
sentence as character offsets into that text. :func:`read_web_gold` rebuilds ordinary gold
records (as :func:`discours.evaluation.read_gold` returns) from both, and says which texts are
missing or changed.

Example:
    >>> facts = to_facts({"id": "w_1", "stance": "favor", "sentences": [
    ...     {"text": "Ça coûte cher.", "labels": ["objection"], "objection_category": "cost_resources"}]},
    ...     "Titre\\nÇa  coûte cher. Et alors ?")
    >>> facts["sentences"][0]["start"], facts["sentences"][0]["end"]
    (6, 21)
"""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from ..errors import GoldFormatError


def site(url: str) -> str:
    """The site of a URL: its host, lowercase, without ``www.`` (the unit of cross-validation).

    Example:
        >>> site("https://www.exemple.fr/blogue/billet")
        'exemple.fr'
    """
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised as gold texts are compared (NFKC, ’ → ', lowercase, spaces collapsed),
    with the offset in ``text`` of every normalised character."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        for c in unicodedata.normalize("NFKC", ch).replace("\u2019", "'").replace("\u02bc", "'").lower():
            out.append(c)
            where.append(i)
    return "".join(out), where


def _norm(text: str) -> str:
    return _normalized_with_map(text)[0].strip()


def locate(needle: str, text: str, *, after: int = 0) -> tuple[int, int] | None:
    """Character offsets of ``needle`` in ``text`` after normalisation, first match from ``after``."""
    hay, where = _normalized_with_map(text)
    n = _norm(needle)
    if not n:
        return None
    start_norm = next((k for k, w in enumerate(where) if w >= after), len(where))
    pos = hay.find(n, start_norm)
    if pos < 0:
        pos = hay.find(n)
    if pos < 0:
        return None
    return where[pos], where[pos + len(n) - 1] + 1


_KEEP = ("labels", "objection_category", "part")


def to_facts(annotation: dict[str, Any], text: str) -> dict[str, Any]:
    """Turn an annotation with sentence texts into a record of offsets into ``text``.

    Raises:
        GoldFormatError: a sentence of the annotation does not occur in the text.
    """
    facts: dict[str, Any] = {k: annotation[k] for k in ("id", "url", "query", "annotator", "stance") if k in annotation}
    if "url" in annotation:
        facts["site"] = site(annotation["url"])
    facts["sha1"] = sha1(text)
    facts["chars"] = len(text)
    for key in ("sentences", "unlabelled"):
        rows = []
        cursor = 0
        for s in annotation.get(key, []):
            found = locate(s["text"], text, after=cursor)
            if found is None:
                raise GoldFormatError(f"{annotation.get('id')}: {key} text not found in the page: {s['text'][:60]!r}")
            cursor = found[0]
            rows.append({"start": found[0], "end": found[1], **{k: s[k] for k in _KEEP if k in s}})
        facts[key] = rows
    if annotation.get("comments"):
        comments, cursor = [], 0
        for c in annotation["comments"]:
            row = {k: c[k] for k in ("stance", "agreement", "reply_to") if c.get(k) is not None}
            if c.get("start_text"):
                # where the reply begins: its text runs to the next reply (or the page's end)
                found = locate(c["start_text"], text, after=cursor)
                if found is None:
                    raise GoldFormatError(f"{annotation.get('id')}: comment start not found in the page: {c['start_text'][:60]!r}")
                row["start"] = cursor = found[0]
            comments.append(row)
        facts["comments"] = comments
    return facts


@dataclass(frozen=True)
class WebPage:
    """One recorded page: its facts, where its text should be, and whether that text is there."""

    facts: dict[str, Any]
    path: Path
    status: str
    """``ok``, ``missing`` (no text file) or ``changed`` (the file's sha1 differs)"""


def pages(facts_file: str | os.PathLike[str], texts: str | os.PathLike[str] | None = None) -> list[WebPage]:
    """The pages recorded in ``facts_file`` and the state of their texts (default folder:
    ``texts/`` beside the facts file)."""
    facts_path = Path(facts_file)
    folder = Path(texts) if texts is not None else facts_path.parent / "texts"
    out = []
    for line in facts_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        path = (folder / f"{rec['id']}.txt").resolve()
        if not path.exists():
            status = "missing"
        else:
            status = "ok" if sha1(path.read_text(encoding="utf-8")) == rec.get("sha1") else "changed"
        out.append(WebPage(rec, path, status))
    return out


def read_web_gold(facts_files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
                  texts: str | os.PathLike[str] | None = None) -> tuple[list[Any], dict[str, str], list[WebPage]]:
    """Gold records rebuilt from facts files and their texts.

    Returns:
        (records, site of each record id, pages whose text is missing or changed). Records are
        :class:`discours.evaluation.GoldRecord` objects, scored like any gold file.
    """
    from ..evaluation import GoldRecord

    files = [facts_files] if isinstance(facts_files, (str, os.PathLike)) else list(facts_files)
    records, sites, unusable = [], {}, []
    for f in files:
        for page in pages(f, texts):
            if page.status != "ok":
                unusable.append(page)
                continue
            text = page.path.read_text(encoding="utf-8")
            rec = page.facts

            def rebuild(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
                return tuple({"text": text[r["start"]:r["end"]], **{k: r[k] for k in _KEEP if k in r}} for r in rows)

            records.append(GoldRecord(id=rec["id"], path=page.path, gold_file=Path(f), line=1, stance=rec.get("stance"),
                                      sentences=rebuild(rec.get("sentences", [])),
                                      unlabelled=rebuild(rec.get("unlabelled", [])),
                                      comments=tuple(rec.get("comments", []))))
            sites[rec["id"]] = rec.get("site") or site(rec.get("url", ""))
    return records, sites, unusable


def is_web_facts(path: str | os.PathLike[str]) -> bool:
    """Whether a gold file holds web facts (offsets) rather than sentence texts."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(first, dict) and "sha1" in first and "sentences" in first and all(
                    "start" in s for s in first["sentences"])
    return False
