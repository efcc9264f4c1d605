"""Main text and metadata of a web page with trafilatura, turned into discours's blocks.

trafilatura (https://trafilatura.readthedocs.io) finds the main text of a page whatever its
template (blog themes, news sites with heavy navigation, forums) better than a list of CSS
selectors can. Its structured output (``output_format="xml"``) keeps what discours needs: ``<head>``
→ heading, ``<p>`` → paragraph, ``<list><item>`` → list item, ``<quote>`` → quote, ``<table>``
cells → paragraphs. Its metadata (title, author, date through htmldate) replaces discours's own
selector chains. Comments it only gives as text: discours's thread parser (:mod:`.html`) keeps
author, date and reply-to; :func:`extract_page` returns trafilatura's comment text for the pages
whose markup that parser does not know.

The API used here was read from trafilatura 2.x's installed source: ``bare_extraction(...,
output_format="xml")`` returns a ``trafilatura.settings.Document`` whose ``.body`` and
``.commentsbody`` are lxml elements, or ``None`` when it finds nothing;
``extract_metadata(html, date_config=...)`` returns the same ``Document`` with metadata only.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Msg, ModelNotInstalledError
from .dates import parse_date
from .decode import normalize_text, squash_spaces
from .model import Block

if TYPE_CHECKING:
    from .structure import Boilerplate

__all__ = ["PageExtraction", "extract_page", "xml_to_blocks"]

# htmldate's "extensive" search guesses dates from any text of the page (a copyright year, a
# comment's date): discours never invents metadata, so only the page's markup is searched.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
#: trafilatura's trade-off ("recall", "balanced" or "precision"). Recall: discours removes share
#: bars, cookie notices and other widgets itself before trafilatura runs, which keeps precision up
#: (benchmarks/extraction_bench.py --focus compares the three).
FOCUS = "recall"
_WS = re.compile(r"\s+")
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "div", "note", "figure", "ab"})
_SKIP_TAGS = frozenset({"graphic", "fw"})


@dataclass
class PageExtraction:
    """What trafilatura found on a page (empty ``blocks`` when it found no main text)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    blocks: list[Block] = field(default_factory=list)
    comments: list[list[Block]] = field(default_factory=list)


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a declared dependency; broken installs only
        raise ModelNotInstalledError(
            Msg.OPTIONAL_MISSING.format(feature="Reading .html pages", package="trafilatura",
                                        install="'trafilatura>=2.0' 'lxml_html_clean'")
        ) from exc
    # trafilatura logs every page it discards at WARNING: a fallback is reported in the tables.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    return trafilatura


def _line(text: str | None) -> str | None:
    if not text:
        return None
    out = squash_spaces(_WS.sub(" ", normalize_text(text)))
    return out or None


def extract_page(html: str, *, boilerplate: "Boilerplate", removed: list[str], metadata_html: str | None = None) -> PageExtraction:
    """Run trafilatura on ``html``: metadata, main text as blocks, and comment texts.

    Args:
        html: the page (discours removes comment threads and widgets before calling this).
        boilerplate: whole-line boilerplate patterns still applied to every block.
        removed: receives the boilerplate lines dropped from the blocks.
        metadata_html: the page to read metadata from, when it differs from ``html``
            (widgets removed from ``html`` may hold the byline).

    Example:
        >>> from discours.corpus.structure import Boilerplate
        >>> page = ("<html><head><title>Bloguer ? | Carnet</title></head><body><article><h1>Bloguer ?</h1>"
        ...         "<p>Oui, et voici pourquoi nous le faisons depuis dix ans.</p></article></body></html>")
        >>> found = extract_page(page, boilerplate=Boilerplate.default(), removed=[])
        >>> found.title, [b.kind for b in found.blocks]
        ('Bloguer ?', ['heading', 'paragraph'])
    """
    traf = _trafilatura()
    meta = traf.extract_metadata(metadata_html or html, date_config=dict(_DATE_PARAMS))
    found = PageExtraction(title=_line(meta.title), author=_line(meta.author), date=parse_date(meta.date or ""),
                           sitename=_line(meta.sitename))
    options = dict(output_format="xml", include_comments=True, include_formatting=True, include_tables=True,
                   include_links=False, include_images=False, with_metadata=False)
    doc = traf.bare_extraction(html, favor_recall=FOCUS == "recall", favor_precision=FOCUS == "precision", **options)
    if doc is not None and doc.body is not None and _flattened(doc.body):
        # Under 250 characters of main text, trafilatura's last resort ("baseline") dumps the whole
        # page into one paragraph: structure and precision lost. Its precision mode skips that step.
        precise = traf.bare_extraction(html, favor_precision=True, **options)
        if precise is not None and precise.body is not None and len(precise.body):
            doc = precise
    if doc is None:
        return found
    if doc.body is not None:
        found.blocks = xml_to_blocks(doc.body, boilerplate=boilerplate, removed=removed)
    if doc.commentsbody is not None:
        for child in doc.commentsbody:
            blocks = xml_to_blocks(_wrap(child), boilerplate=boilerplate, removed=removed, comment=True)
            if blocks:
                found.comments.append(blocks)
    return found


def _flattened(body: Any) -> bool:
    """One paragraph without line breaks or formatting: what trafilatura's baseline step returns."""
    return len(body) == 1 and body[0].tag == "p" and len(body[0]) == 0


def _wrap(element: Any) -> Any:
    from lxml.etree import Element

    body = Element("body")
    body.append(element)
    return body


def _text(element: Any, *, skip_lists: bool = False, pre: bool = False) -> str:
    """Text of an XML element: ``<lb/>`` → newline, nested ``<list>`` skipped in list items."""
    parts: list[str] = []

    def ws(s: str | None) -> str:
        if not s:
            return ""
        return normalize_text(s) if pre else _WS.sub(" ", normalize_text(s))

    def visit(el: Any) -> None:
        parts.append(ws(el.text))
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "lb":
                parts.append("\n")
            elif skip_lists and tag == "list":
                pass
            elif tag in _SKIP_TAGS or not tag:
                pass
            elif tag != "quote" and (tag in _BLOCK_TAGS or tag in {"item", "row", "cell"}):
                parts.append("\n\n")
                visit(child)
                parts.append("\n\n")
            else:  # hi, ref, del, an inline <q> (a <quote> inside a paragraph)…: inline
                visit(child)
            parts.append(ws(child.tail))

    visit(element)
    return "".join(parts)


def xml_to_blocks(body: Any, *, boilerplate: "Boilerplate", removed: list[str], comment: bool = False) -> list[Block]:
    """Blocks of trafilatura's XML ``<body>`` (headings, paragraphs, list items, quotes, cells).

    A ``<p>`` holding line breaks goes through the .txt rules (:func:`text_to_blocks`), like the
    HTML reader's ``<p>…<br>…</p>``; boilerplate lines are dropped and recorded in ``removed``.
    """
    from .structure import text_to_blocks

    blocks: list[Block] = []

    def add(kind: str, text: str) -> None:
        text = squash_spaces(" ".join(text.split("\n")))
        if text and boilerplate.is_content(text, removed):
            blocks.append(Block(kind, text))

    def add_text(text: str, *, pre: bool = False) -> None:
        lines = [squash_spaces(l) for l in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if not text:
            return
        if "\n" not in text:
            add("paragraph", text)
            return
        blocks.extend(text_to_blocks(text, boilerplate=boilerplate, removed=removed, allow_headings=False))

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            add("paragraph" if comment else "heading", _text(el))
        elif tag == "p" or tag == "ab":
            add_text(_text(el))
        elif tag == "code":
            add_text(_text(el, pre=True), pre=True)
        elif tag == "list":
            for item in el:
                if not isinstance(item.tag, str) or item.tag != "item":
                    walk(item)
                    continue
                add("list_item", _text(item, skip_lists=True))
                for sub in item.iter("list"):
                    if sub.getparent() is item:
                        walk(sub)
        elif tag == "quote":
            inner = xml_to_blocks(el, boilerplate=boilerplate, removed=removed, comment=comment) if len(el) and any(
                isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el) else []
            if inner:
                blocks.extend(Block("quote", b.text) for b in inner)
            else:
                text = squash_spaces(" ".join(_text(el).split("\n")))
                if text and boilerplate.is_content(text, removed):
                    blocks.append(Block("quote", text))
        elif tag == "table":
            for cell in el.iter("cell"):
                add_text(_text(cell))
        elif tag in _SKIP_TAGS or not tag:
            return
        elif len(el):  # div, note, figure…: a boundary, then its content
            walk_content(el)
        else:
            add_text(_text(el))

    def walk_content(el: Any) -> None:
        """An element's own text, its children, and the text after each child."""
        if el.text and el.text.strip():
            add_text(el.text)
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                add_text(child.tail)

    walk_content(body)
    return blocks
