"""Reader for saved blog pages (.html): metadata, main content, comment threads.

Parsed with selectolax's lexbor backend (a real HTML5 parser, tolerant of the broken markup of
old blogs), then handed to trafilatura for the main text. The page is read in this order, because
later steps destroy what earlier ones need:

1. comment units (WordPress ``li.comment``, generic ``div.comment``, Disqus ``li.post``…) are
   read with their author, date and nesting (trafilatura gives comments only as text), then
   removed from the tree;
2. share/cookie/newsletter widgets are removed (their lines are recorded in ``boilerplate``);
3. trafilatura finds the main text, title, author and date (:mod:`.extraction`); when it finds
   no main text on a page with visible text, the visible text is walked into blocks instead
   (``meta["extraction"] == "fallback"``).

Helpers :func:`html_to_blocks`, :func:`html_to_text` and :func:`looks_like_html` are reused by the
record readers for text fields that contain HTML.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import Msg, ReadError
from .dates import is_date_line, parse_date
from .decode import normalize_text, squash_spaces
from .model import Block, Document
from .structure import Boilerplate, is_signature_line, text_to_blocks
from .text import BYLINE, COMMENTS_HEADER, _resolve_reply

__all__ = ["html_to_blocks", "html_to_text", "looks_like_html", "read_html"]

# Inline elements: their text flows into the surrounding line. Everything else is a block boundary.
_INLINE = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp "
    "small span strike strong sub sup time tt u var wbr".split()
)
# Never text: removed before anything is read from the body.
_DROP_TAGS = frozenset(
    "script style noscript template iframe svg canvas object embed video audio map button select "
    "textarea input form nav header footer aside dialog link meta head title".split()
)
# Inside comment units, header/footer hold the author and date (WordPress 5+): only these are skipped.
_ALWAYS_SKIP = frozenset("script style noscript template iframe svg canvas object embed button select textarea input form head title".split())
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_JUNK_TOKENS = frozenset(
    "share sharing sharedaddy sharethis shareaholic addthis addtoany a2a ssba social socials cookie cookies "
    "consent gdpr rgpd newsletter infolettre subscribe subscription abonnement related relatedposts "
    "sidebar menu breadcrumb breadcrumbs ariane widget widgets ad ads advert advertisement adsense pub "
    "popup modal print imprimer like likes follow navigation pagination toolbar byline jp-post-flair".split()
)
_JUNK_WHOLE = frozenset(
    "screen-reader-text sr-only visually-hidden skip-link entry-meta post-meta entry-footer post-footer "
    "author-bio author-box about-author tag-links tags-links cat-links post-tags entry-tags "
    "post-categories post-navigation nav-links".split()
)
# WordPress puts taxonomy terms in classes ("category-medias-sociaux", "tag-social-media"): those
# say what the post is about, not that the element is a widget.
_NOT_JUNK_PREFIXES = ("category-", "tag-", "has-", "no-", "with-", "is-", "single", "postid-", "page-", "format-", "type-", "status-")
_JUNK_ROLES = frozenset({"navigation", "banner", "complementary", "contentinfo", "dialog", "alertdialog", "search", "menu", "menubar"})
_COMMENT_AREAS = (
    "#comments, .comments, .comments-area, #disqus_thread, .comment-list, .commentlist, #respond, "
    ".comment-respond, .comments-title, #comments-title, .comments-section, .comment-section, "
    "#commentaires, .commentaires, .pingback, .trackback"
)
_COMMENT_STRATEGIES = (
    # Threaded lists: WordPress (ol.commentlist > li.comment, replies in ul.children), Disqus exports.
    "li.comment, li[id^=comment-], li[id^=li-comment-], #disqus_thread li.post, ul.post-list li.post",
    # Generic markup.
    (
        "article.comment, div.comment, section.comment, [id^=comment-], .comment-item, .commentaire, "
        "[itemtype*=Comment]"
    ),
    # Only bodies, no wrappers.
    ".comment-body",
)
_COMMENT_ID = re.compile(r"(?:li-)?comment-?\d+|comment-[0-9a-f]{6,}", re.IGNORECASE)
_REPLY_CONTAINER = re.compile(r"^(?:children|replies|reply-list|sub-?comments?|comment-replies|responses|thread|comment-children)$", re.IGNORECASE)
_AUTHOR_SEL = (
    ".comment-author .fn", ".fn", ".comment-author-name", ".comment-author", "cite", ".author-name",
    "[itemprop=author] [itemprop=name]", "[itemprop=author]", ".post-byline .author", ".author",
    ".username", ".user-name", ".comment-name", ".name",
)
_DATE_SEL = (
    "time", ".comment-date", ".comment-metadata", ".commentmetadata", "[itemprop=dateCreated]",
    "[itemprop=datePublished]", ".comment-meta", ".date", ".published", "a.time-ago", ".post-meta",
)
_TEXT_SEL = (
    ".comment-content", ".comment-text", ".comment_text", ".commentaire-texte", ".post-message",
    ".comment-message", "[itemprop=text]", ".message", ".text", ".content",
)
_META_SEL = (
    ".comment-meta, .comment-metadata, .commentmetadata, .comment-author, .reply, .comment-reply-link, "
    ".avatar, .says, .post-meta, .post-byline, .comment-header, .comment-footer, .fn, cite.fn, time"
)
_SAYS = re.compile(r"\s*(?:,\s*)?(?:a\s+dit|dit|a\s+écrit|écrit|says|said|wrote|a\s+répondu)\s*:?\s*$", re.IGNORECASE)
_BY = re.compile(r"^\s*(?:par|by|de|écrit par|publié par|posté par|auteur\s*:|author\s*:)\s+", re.IGNORECASE)
_HTML_HINT = re.compile(
    r"<(?:p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|blockquote|img|table|tr|td|pre|code|figure|section|article|hr)\b[^>]*>|</[a-z][a-z0-9]*\s*>",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains HTML tags (not just a ``<`` sign).

    Example:
        >>> looks_like_html("<p>Bonjour <em>tout le monde</em></p>"), looks_like_html("3 < 5")
        (True, False)
    """
    return bool(_HTML_HINT.search(text))


# --------------------------------------------------------------------------- node helpers


def _tokens(node: LexborNode) -> list[str]:
    attrs = node.attributes
    out = (attrs.get("class") or "").split()
    if attrs.get("id"):
        out.append(attrs["id"] or "")
    return [t.lower() for t in out if t]


def _is_junk(node: LexborNode) -> bool:
    """Share bars, cookie banners, newsletters, related posts, sidebars, menus: not the author's text."""
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in _JUNK_ROLES:
        return True
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", attrs.get("style") or "", re.IGNORECASE):
        return True
    for tok in _tokens(node):
        if tok in _JUNK_WHOLE:
            return True
        if tok.startswith(_NOT_JUNK_PREFIXES):
            continue
        parts = re.split(r"[-_]+", tok)
        if any(p in _JUNK_TOKENS for p in parts):
            return True
        if any(p.startswith(("share", "social", "cookie", "consent", "newsletter", "subscri", "breadcrumb", "sidebar")) for p in parts):
            return True
    return False


def _holds_content(node: LexborNode) -> bool:
    # A wrapper whose class happens to say "sidebar" ("has-sidebar") must not take the post with it.
    if node.tag in {"article", "main", "body", "html"}:
        return True
    return node.css_first("article, main, h1, [itemprop=articleBody], .entry-content, .post-content") is not None


def _form_holds_page(node: LexborNode) -> bool:
    # ASP.NET WebForms and some CMSs wrap the whole page in one <form>: not a widget.
    return _holds_content(node) or len(node.css("p")) >= 3


def _elements(node: LexborNode) -> Iterator[LexborNode]:
    for child in node.iter(include_text=False):
        if child.tag and not child.tag.startswith("-"):
            yield child


def _remove_junk(root: LexborNode, *, drop_tags: frozenset[str] = _DROP_TAGS, record: list[str] | None = None) -> None:
    """Remove non-text elements and widgets under ``root`` (outermost first, so wrappers go in one cut).

    The lines of removed widgets (share bars, cookie notices…) are appended to ``record``: users
    can check what was cut. Navigation, headers and footers are dropped without a record.
    """
    stack = list(_elements(root))
    while stack:
        node = stack.pop()
        if node.tag in drop_tags and not (node.tag == "form" and _form_holds_page(node)):
            node.decompose()
            continue
        if _is_junk(node) and not _holds_content(node):
            if record is not None and len(record) < 50:
                record.extend(l for l in (squash_spaces(x) for x in _inline(node).split("\n")) if l and len(l) <= 300)
            node.decompose()
            continue
        stack.extend(_elements(node))


def _ws(text: str) -> str:
    return _WS.sub(" ", normalize_text(text))


def _inline(node: LexborNode, *, skip: set[int] | None = None, skip_lists: bool = False, pre: bool = False) -> str:
    """Text of ``node``: source spaces kept, ``<br>`` → newline, block elements → blank line.

    Inline tags add nothing, so ``l'<em>argument</em> massue`` stays three words while
    ``ligne<br>suivante`` and ``<td>a</td><td>b</td>`` never glue.
    """
    out: list[str] = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            raw = child.text_content or ""
            out.append(normalize_text(raw) if pre else _ws(raw))
            continue
        if not tag or tag.startswith("-") or tag in _ALWAYS_SKIP or tag == "img":
            continue
        if skip and child.mem_id in skip:
            continue
        if tag == "br":
            out.append("\n")
        elif tag in _INLINE:
            out.append(_inline(child, skip=skip, skip_lists=skip_lists, pre=pre))
        elif skip_lists and tag in {"ul", "ol"}:
            continue
        else:
            out.append("\n\n" + _inline(child, skip=skip, skip_lists=skip_lists, pre=pre or tag == "pre") + "\n\n")
    return "".join(out)


def _flat(text: str) -> str:
    """All lines of an inline text on one line."""
    return squash_spaces(" ".join(text.split("\n")))


def _clean_lines(text: str) -> str:
    lines = [squash_spaces(l) for l in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first(node: LexborNode, selectors: Iterable[str], *, exclude: set[int] | None = None) -> LexborNode | None:
    for sel in selectors:
        for found in node.css(sel):
            if exclude and _inside(found, exclude, stop=node):
                continue
            return found
    return None


def _inside(node: LexborNode, ids: set[int], *, stop: LexborNode | None = None) -> bool:
    cur: LexborNode | None = node
    stop_id = stop.mem_id if stop is not None else None
    while cur is not None and cur.mem_id != stop_id:
        if cur.mem_id in ids:
            return True
        cur = cur.parent
    return False


# --------------------------------------------------------------------------- blocks


@dataclass
class _Walker:
    """Turns a content element into blocks; boilerplate lines go to ``removed``."""

    bp: Boilerplate
    removed: list[str]
    skip: set[int] = field(default_factory=set)
    title: str | None = None
    allow_loose_headings: bool = True
    comment_author: str | None = None  # set for comments: "Texte.<br>Marc" ends with a signature
    is_comment: bool = False
    blocks: list[Block] = field(default_factory=list)
    _buffer: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        text = squash_spaces(text)
        if text and self.bp.is_content(text, self.removed):
            self.blocks.append(Block(kind, text))

    def add_text(self, text: str, *, headings: bool = False) -> None:
        """Multi-line text (``<br>`` inside a ``<p>``, loose text in a ``<div>``): reuse the .txt rules."""
        text = _clean_lines(text)
        if not text:
            return
        if "\n" not in text:
            self.add("paragraph", text)
            return
        self.blocks.extend(
            text_to_blocks(text, boilerplate=self.bp, removed=self.removed, allow_headings=headings and not self.is_comment,
                           detect_signature=self.is_comment, signature_author=self.comment_author)
        )

    def flush(self) -> None:
        if self._buffer:
            self.add_text("".join(self._buffer), headings=self.allow_loose_headings)
            self._buffer = []

    def walk(self, node: LexborNode) -> list[Block]:
        self._walk(node)
        self.flush()
        return self.blocks

    def _walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self._buffer.append(_ws(child.text_content or ""))
                continue
            if not tag or tag.startswith("-") or tag in _ALWAYS_SKIP or tag == "img" or child.mem_id in self.skip:
                continue
            if tag == "br":
                self._buffer.append("\n")
            elif tag in _INLINE:
                self._buffer.append(_inline(child, skip=self.skip))
            elif tag in _HEADINGS:
                self.flush()
                text = _flat(_inline(child, skip=self.skip))
                if tag == "h1" and self.title and _same(text, self.title):
                    continue  # the title is already the first block
                self.add("heading", text)
            elif tag == "p":
                self.flush()
                self.add_text(_inline(child, skip=self.skip))
            elif tag == "li":
                self.flush()
                self.add("list_item", _flat(_inline(child, skip=self.skip, skip_lists=True)))
                for sub in _nested_lists(child):
                    self._walk(sub)
            elif tag == "blockquote":
                self.flush()
                inner = _Walker(self.bp, self.removed, self.skip, allow_loose_headings=False)
                for b in inner.walk(child):
                    self.blocks.append(Block("quote", b.text))
            elif tag == "pre":
                self.flush()
                self.add_text(_inline(child, skip=self.skip, pre=True))
            else:  # div, section, table cells…: a boundary, then its content
                self.flush()
                self._walk(child)
                self.flush()


def _nested_lists(li: LexborNode) -> Iterator[LexborNode]:
    for child in _elements(li):
        if child.tag in {"ul", "ol"}:
            yield child
        elif child.tag not in _ALWAYS_SKIP:
            yield from _nested_lists(child)


def _same(a: str, b: str) -> bool:
    return squash_spaces(a).casefold().strip(" .:") == squash_spaces(b).casefold().strip(" .:")


def html_to_blocks(
    html: str,
    *,
    boilerplate: Boilerplate | None = None,
    removed: list[str] | None = None,
    allow_headings: bool = True,
    detect_signature: bool = False,
    signature_author: str | None = None,
) -> list[Block]:
    """Blocks of an HTML fragment (a record's ``text`` field, a comment body).

    Example:
        >>> html_to_blocks("<p>Oui, <strong>mais</strong> pas tout de suite.</p><ul><li>le temps</li></ul>")
        [Block(kind='paragraph', text='Oui, mais pas tout de suite.'), Block(kind='list_item', text='le temps')]
    """
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return []
    _remove_junk(root)
    walker = _Walker(boilerplate or Boilerplate.default(), removed if removed is not None else [], allow_loose_headings=allow_headings,
                     comment_author=signature_author, is_comment=detect_signature)
    blocks = walker.walk(root)
    if not allow_headings:
        blocks = [Block("paragraph", b.text) if b.kind == "heading" else b for b in blocks]
    return mark_signature(blocks, signature_author) if detect_signature else blocks


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment on one line (titles, author names).

    Example:
        >>> html_to_text("Bloguer en <em>B2B</em>&nbsp;: pourquoi&#8239;?")
        'Bloguer en B2B : pourquoi ?'
    """
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return _flat(_inline(root)) if root is not None else ""


def mark_signature(blocks: list[Block], author: str | None) -> list[Block]:
    """Mark a closing name (``Marc``, ``-- Hélène``) ending a comment as a ``signature`` block.

    Only the last block can be a signature: one found inside a comment becomes a paragraph again.
    """
    blocks = [Block("paragraph", b.text) if b.kind == "signature" else b for b in blocks[:-1]] + blocks[-1:]
    if len(blocks) >= 2 and blocks[-1].kind == "paragraph":
        last = blocks[-1].text
        if is_signature_line(last, author):
            name = re.sub(r"^\s*(?:--+|\u2014|\u2013)\s*", "", last).strip() or last
            return [*blocks[:-1], Block("signature", name)]
    return blocks


# --------------------------------------------------------------------------- metadata


def _attr(node: LexborNode | None, *names: str) -> str | None:
    if node is None:
        return None
    for name in names:
        value = node.attributes.get(name)
        if value and value.strip():
            return value.strip()
    return None


def clean_author(text: str | None) -> str | None:
    """'Par Julie Tremblay | 12 mars 2024' → 'Julie Tremblay'; sentences are not names (None).

    Example:
        >>> clean_author("Marc Desjardins dit :"), clean_author("Par Julie Tremblay, le 12 mars 2024")
        ('Marc Desjardins', 'Julie Tremblay')
    """
    if not text:
        return None
    s = _flat(normalize_text(text))
    m = BYLINE.match(s)
    if m:
        s = m.group("name")
    s = _BY.sub("", s)
    s = re.split(r"\s+(?:le|on|the)\s+(?=\d)|\s*[|•·;]\s*|\s+[–—-]\s+|,\s+(?=(?:le\s+)?\d)", s)[0]
    s = _SAYS.sub("", s).strip(" :,-–—")
    if not s or len(s) > 80 or len(s.split()) > 6 or s.startswith(("http://", "https://")):
        return None
    return s


def _markup_titles(tree: LexborHTMLParser) -> tuple[str | None, str | None]:
    """(the post's own heading, the page's best title) from markup.

    The first is an element that says it is the post's title (``.entry-title``, ``.post-title``,
    ``[itemprop=headline]``, ``article h1``); the second adds any ``<h1>`` and the ``<title>``.
    """
    post_title = None
    for sel in (".entry-title", ".post-title", "[itemprop=headline]", "article h1", "main h1", "h1"):
        for node in tree.css(sel):
            if any(t in {"site-title", "site-name", "logo", "blog-title"} for t in _tokens(node)):
                continue
            text = _flat(_inline(node))
            if text:
                if sel in {"main h1", "h1"}:
                    return post_title, text
                return text, text
    node = tree.css_first("title")
    title = _flat(_ws(node.text(deep=True) or "")) if node is not None else ""
    return post_title, title or None


def _title(found: str | None, post_title: str | None, markup_title: str | None, page_title: str | None) -> str | None:
    """trafilatura's title, unless it is the blog's name and the post names its own title.

    Blogger and old themes put the blog's name in ``<h1>`` and the post's in ``h3.post-title``;
    the ``<title>`` ("Blog: Post") says which one the page is about.
    """
    if found and post_title and not _same(found, post_title) and page_title and post_title.casefold() in page_title.casefold():
        return post_title
    return found or markup_title


def _markup_dates(tree: LexborHTMLParser) -> list[str]:
    """Machine-readable publication dates of the page (``<time datetime>``, ``article:published_time``).

    trafilatura (htmldate) gives the day; these give the time of day when the page says it.
    """
    out: list[str] = []
    for node in tree.css("article time[datetime], header time[datetime], time[datetime]"):
        date = parse_date(_attr(node, "datetime") or "")
        if date:
            out.append(date)
    for key in ("article:published_time", "datePublished", "date", "dc.date", "DC.date"):
        for sel in (f'meta[property="{key}"]', f'meta[name="{key}"]', f'meta[itemprop="{key}"]'):
            date = parse_date(_attr(tree.css_first(sel), "content") or "")
            if date:
                out.append(date)
    return out


def _page_date(day: str | None, candidates: list[str]) -> str | None:
    """trafilatura's day, with the time of day from the markup when both agree."""
    if day:
        return next((d for d in candidates if d.startswith(day[:10]) and len(d) > len(day)), day)
    return candidates[0] if candidates else None


# --------------------------------------------------------------------------- comments


@dataclass
class _Comment:
    node: LexborNode
    mem: int
    author: str | None
    date: str | None
    blocks: list[Block]
    removed: list[str]
    parent_mem: int | None


def _comment_units(tree: LexborHTMLParser, root: LexborNode) -> list[LexborNode]:
    """Comment elements of the first markup family found, in document order, duplicates merged."""
    for selector in _COMMENT_STRATEGIES:
        found: dict[int, LexborNode] = {}
        for node in root.css(selector):
            node_id = node.attributes.get("id") or ""
            if node.css_matches("[id^=comment-], [id^=li-comment-]") and not _COMMENT_ID.fullmatch(node_id) and not any(
                t in {"comment", "post"} for t in (node.attributes.get("class") or "").split()
            ):
                continue  # "comment-form", "comment-respond"… are not comments
            if node.tag in {"form", "textarea"} or node.css_first("textarea") is not None:
                continue
            found.setdefault(node.mem_id, node)
        if not found:
            continue
        units = list(found.values())
        ids = set(found)
        kept: list[LexborNode] = []
        for node in units:
            outer = _nearest(node, ids)
            if outer is None or _is_reply(node, outer, ids):
                kept.append(node)
            else:
                ids.discard(node.mem_id)  # a wrapper's inner body ("div-comment-3"): same comment
        return kept
    return []


def _nearest(node: LexborNode, ids: set[int]) -> LexborNode | None:
    cur = node.parent
    while cur is not None:
        if cur.mem_id in ids:
            return cur
        cur = cur.parent
    return None


def _is_reply(node: LexborNode, outer: LexborNode, ids: set[int]) -> bool:
    cur = node.parent
    while cur is not None and cur.mem_id != outer.mem_id:
        if cur.tag in {"ul", "ol"} or any(_REPLY_CONTAINER.match(t) for t in _tokens(cur)):
            return True
        cur = cur.parent
    # Two comments nested without a list between them: separate when the outer one has its own author.
    return _first(outer, _AUTHOR_SEL[:6], exclude={node.mem_id}) is not None


def _read_comment(node: LexborNode, skip: set[int], bp: Boilerplate) -> tuple[str | None, str | None, list[Block], list[str]]:
    author_node = _first(node, _AUTHOR_SEL, exclude=skip)
    text_node = _first(node, _TEXT_SEL, exclude=skip)
    if author_node is not None and text_node is not None and _inside(author_node, {text_node.mem_id}):
        author_node = _first(node, _AUTHOR_SEL[:4], exclude=skip | {text_node.mem_id})  # a <cite> quoted in the text
    author = clean_author(_attr(author_node, "content") or _flat(_inline(author_node))) if author_node is not None else None
    date = None
    for sel in _DATE_SEL:
        for found in node.css(sel):
            if _inside(found, skip, stop=node) or (text_node is not None and _inside(found, {text_node.mem_id})):
                continue
            date = parse_date(_attr(found, "datetime", "content", "title") or "") or parse_date(_flat(_inline(found)))
            if date:
                break
        if date:
            break
    removed: list[str] = []
    walker = _Walker(bp, removed, set(skip), allow_loose_headings=False, comment_author=author, is_comment=True)
    if text_node is not None:
        blocks = walker.walk(text_node)
    else:
        # No content wrapper (old themes): everything but the author/date/reply chrome.
        walker.skip |= {n.mem_id for n in node.css(_META_SEL) if not _inside(n, skip, stop=node)}
        blocks = walker.walk(node)
    blocks = [Block("paragraph", b.text) if b.kind == "heading" else b for b in blocks]
    return author, date, mark_signature(blocks, author), removed


def _read_comments(tree: LexborHTMLParser, root: LexborNode, bp: Boilerplate) -> list[_Comment]:
    units = _comment_units(tree, root)
    ids = {u.mem_id for u in units}
    comments = []
    for unit in units:
        if any(t in {"pingback", "trackback"} for t in _tokens(unit)):
            continue  # automatic link notices, not readers' words
        nested = {n.mem_id for n in unit.css("*") if n.mem_id in ids}
        author, date, blocks, removed = _read_comment(unit, nested, bp)
        parent = _nearest(unit, ids)
        comments.append(_Comment(unit, unit.mem_id, author, date, blocks, removed, parent.mem_id if parent is not None else None))
    return comments


def _remove_comments(root: LexborNode, units: list[LexborNode]) -> None:
    """Remove the comment units and the areas around them ("3 commentaires", the reply form)."""
    targets = {u.mem_id: u for u in units}
    for area in root.css(_COMMENT_AREAS):
        if area.tag not in {"body", "html", "article", "main"} and area.css_first(
            "h1, .entry-content, .post-content, [itemprop=articleBody]"
        ) is None:
            targets.setdefault(area.mem_id, area)
    # Outermost first and only: a node freed with its ancestor must not be touched again.
    ids = set(targets)
    for node in [n for n in targets.values() if _nearest(n, ids) is None]:
        node.decompose()


# --------------------------------------------------------------------------- reader


def read_html(text: str, *, doc_id: str, source: str, boilerplate: Boilerplate | None = None) -> list[Document]:
    """Read a saved blog page into a post and its comments.

    The main text, title, author and date come from trafilatura (:mod:`.extraction`); comment
    threads (author, date, reply-to) from discours's own parser. When trafilatura finds no main
    text on a page that has visible text, the page's visible text is read instead and the post's
    ``meta["extraction"]`` (column ``extraction`` of the documents table) says ``"fallback"``.

    Example:
        >>> page = ('<html><head><title>Bloguer ou pas ?</title></head><body><article>'
        ...         '<h1>Bloguer ou pas ?</h1><p>Oui.</p></article><ol class="commentlist">'
        ...         '<li class="comment" id="comment-1"><cite class="fn">Julie</cite>'
        ...         '<div class="comment-content"><p>Bien dit.</p></div></li></ol></body></html>')
        >>> [(d.doc_id, d.part, d.author, d.text) for d in read_html(page, doc_id="b1", source="b1.html")]
        [('b1', 'post', None, 'Bloguer ou pas ?\\n\\nOui.'), ('b1.c1', 'comment', 'Julie', 'Bien dit.')]
    """
    from .extraction import extract_page

    bp = boilerplate or Boilerplate.default()
    tree = LexborHTMLParser(text)
    body = tree.body or tree.root
    if body is None:
        raise ReadError(Msg.NO_TEXT.format(detail=" (the HTML could not be parsed into a page)"))

    # Comment threads first: trafilatura gives comments as bare text, without author, date or nesting.
    raw_comments = _read_comments(tree, body, bp)
    if raw_comments:
        _remove_comments(body, [c.node for c in raw_comments if c.parent_mem is None])
    # else: a comment area in markup discours does not know is left to trafilatura, which reads
    # it apart from the post (as text, without author, date or nesting).
    lang = _attr(tree.css_first("html"), "lang")
    post_title, markup_title = _markup_titles(tree)
    page_title_node = tree.css_first("title")
    page_title = _flat(_ws(page_title_node.text(deep=True) or "")) if page_title_node is not None else None
    dates = _markup_dates(tree)
    metadata_html = tree.html or text

    # Widgets (share bars, cookie notices…) are cut and recorded before trafilatura sees the page,
    # so users can check what was removed; trafilatura then finds the main text among what is left.
    removed: list[str] = []
    _remove_site_headers(body)
    _remove_junk(body, drop_tags=_DROP_TAGS - {"header"}, record=removed)
    found = extract_page(tree.html or "", boilerplate=bp, removed=removed, metadata_html=metadata_html)
    title = _title(found.title, post_title, markup_title, page_title)
    author = clean_author(found.author)
    date = _page_date(found.date, dates)

    blocks = [b for b in found.blocks if not (b.kind == "heading" and title and _same(b.text, title))]
    extraction = "trafilatura"
    if not blocks:
        # trafilatura found nothing (a very short page, an odd template): the visible text, said so.
        blocks = _Walker(bp, removed, title=title).walk(body)
        extraction = "fallback"
    blocks = _trim_post(blocks, removed, title)
    extra_comments = [] if raw_comments else found.comments
    if not blocks and not any(c.blocks for c in raw_comments) and not extra_comments:
        # Last resort, so that a page with visible text is never read as empty: all of it.
        whole = LexborHTMLParser(text)
        if whole.body is not None:
            blocks = _Walker(bp, removed, title=title).walk(whole.body)
            extraction = "fallback"
    if not blocks and not any(c.blocks for c in raw_comments) and not extra_comments:
        raise ReadError(
            Msg.NO_TEXT.format(
                detail=" (the HTML page has no visible text outside scripts, styles and navigation: a page built by "
                "JavaScript?). Save the page from the browser once it has loaded, or export the post as .txt or .md"
            )
        )
    if title:
        blocks.insert(0, Block("title", title))
    meta: dict[str, object] = {"lang": lang} if lang else {}
    meta["extraction"] = extraction
    if found.sitename:
        meta["site"] = found.sitename
    post = Document.from_blocks(doc_id, blocks, part="post", source=source, title=title, author=author, date=date, boilerplate=removed, meta=meta)
    docs = [post]
    by_mem: dict[int, str] = {}
    last_by_author: dict[str, str] = {}
    k = 0
    for c in raw_comments:
        if not c.blocks:
            continue
        k += 1
        cid = f"{doc_id}.c{k}"
        by_mem[c.mem] = cid
        parent = by_mem.get(c.parent_mem) if c.parent_mem is not None else None
        if parent is None:
            # Flat (non-threaded) pages: "@Marc" opening the text points to Marc's last comment.
            m = re.match(r"@([\w.'-]+(?:\s[A-ZÀ-Þ][\w.'-]*)?)", c.blocks[0].text)
            parent = (_resolve_reply(m.group(1), last_by_author) if m else None) or doc_id
        docs.append(
            Document.from_blocks(cid, c.blocks, part="comment", post_id=doc_id, source=source, author=c.author,
                                 date=c.date, parent_id=parent, boilerplate=c.removed, meta={"extraction": "markup"})
        )
        if c.author:
            last_by_author[c.author.lower()] = cid
    for blocks_ in extra_comments:
        # Comment markup discours does not know: trafilatura's text, without author, date or nesting.
        k += 1
        docs.append(Document.from_blocks(f"{doc_id}.c{k}", blocks_, part="comment", post_id=doc_id, source=source,
                                         parent_id=doc_id, meta={"extraction": "trafilatura"}))
    return docs


def _remove_site_headers(body: LexborNode) -> None:
    """Remove the site's ``<header>`` (logo, menus), not an article's (title, standfirst)."""
    targets = []
    for node in body.css("header"):
        cur = node.parent
        while cur is not None and cur.tag not in {"article", "main", "header"}:
            cur = cur.parent
        if cur is None:  # outermost, outside the article: nested ones go with it
            targets.append(node)
    for node in targets:
        node.decompose()


def _trim_post(blocks: list[Block], removed: list[str], title: str | None) -> list[Block]:
    """Drop a byline or date line opening the body and a dangling "3 commentaires" heading."""
    out = list(blocks)
    while out and out[0].kind in {"paragraph", "heading"} and len(out[0].text) < 120:
        if title is not None and _same(out[0].text, title):
            out.pop(0)  # the title repeated in the body (a <p class="title">): already the first block
        elif BYLINE.match(out[0].text) or is_date_line(out[0].text):
            removed.append(out.pop(0).text)
        else:
            break
    while out and out[-1].kind == "heading" and COMMENTS_HEADER.match(out[-1].text):
        removed.append(out.pop().text)
    return out
