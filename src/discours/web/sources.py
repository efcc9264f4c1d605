"""What a source is (page, feed, sitemap, list of URLs) and the page URLs it leads to."""
from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

__all__ = ["feed_or_sitemap_urls", "is_url", "links", "looks_like_xml", "read_url_file", "same_scope", "scope_of"]

_NON_PAGE = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|webp|svg|ico|css|js|json|xml|rss|atom|zip|gz|tgz|rar|7z|mp3|mp4|avi|mov|webm|docx?|xlsx?|pptx?|odt|csv|txt|woff2?|ttf)$",
    re.IGNORECASE,
)


def is_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme in ("http", "https")


def read_url_file(path: str | Path) -> list[str]:
    """URLs of a text file, one per line; blank lines and ``#`` comments ignored.

    Example:
        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        ...     _ = f.write("# billets\\nhttps://exemple.fr/a\\n\\nhttps://exemple.fr/b  # second\\n")
        >>> read_url_file(f.name); os.unlink(f.name)
        ['https://exemple.fr/a', 'https://exemple.fr/b']
    """
    out = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def looks_like_xml(body: bytes, content_type: str) -> bool:
    """A feed or a sitemap rather than a page (by Content-Type or by the first tag)."""
    if body[:2] == b"\x1f\x8b":
        return True
    if any(t in content_type for t in ("xml", "rss", "atom")) and "xhtml" not in content_type:
        return True
    head = body[:500].lstrip().lower()
    return head.startswith(b"<?xml") and b"<html" not in body[:2000].lower() or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def feed_or_sitemap_urls(body: bytes, base: str) -> tuple[str, list[str]]:
    """(kind, URLs) of an RSS/Atom feed or a sitemap: kind ``"sitemapindex"`` lists sitemaps.

    Example:
        >>> rss = b'<rss><channel><item><link>https://exemple.fr/a</link></item></channel></rss>'
        >>> feed_or_sitemap_urls(rss, "https://exemple.fr/feed")
        ('feed', ['https://exemple.fr/a'])
    """
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)[: 50 * 1024 * 1024]
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not a valid feed or sitemap ({exc})") from exc
    kind = _local(root.tag)
    urls: list[str] = []
    if kind in ("urlset", "sitemapindex"):
        for el in root.iter():
            if _local(el.tag) == "loc" and el.text and el.text.strip():
                urls.append(urljoin(base, el.text.strip()))
        return ("sitemapindex" if kind == "sitemapindex" else "sitemap"), urls
    if kind in ("rss", "rdf", "feed", "channel"):
        for el in root.iter():
            name = _local(el.tag)
            if name == "item":
                link = next((c for c in el if _local(c.tag) == "link"), None)
                about = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
                href = (link.text or "").strip() if link is not None and link.text else (about or "")
                if not href:
                    guid = next((c for c in el if _local(c.tag) == "guid"), None)
                    href = (guid.text or "").strip() if guid is not None and guid.text and is_url(guid.text) else ""
                if href:
                    urls.append(urljoin(base, href))
            elif name == "entry":
                links = [c for c in el if _local(c.tag) == "link" and c.get("href")]
                best = next((c for c in links if c.get("rel", "alternate") == "alternate"), links[0] if links else None)
                if best is not None:
                    urls.append(urljoin(base, best.get("href", "")))
        return "feed", urls
    raise ValueError(f"an XML document of an unknown kind <{kind}>, neither a feed nor a sitemap")


def scope_of(url: str, prefix: str | None = None) -> tuple[str, str]:
    """(host, path prefix) a crawl started at ``url`` stays within; default prefix: the URL's folder."""
    parts = urlsplit(url)
    if prefix is None:
        path = parts.path or "/"
        prefix = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return parts.netloc.lower(), prefix


def same_scope(url: str, scope: tuple[str, str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == scope[0] and (parts.path or "/").startswith(scope[1])


def links(html: str, base: str) -> list[str]:
    """Absolute page links of an HTML page, fragments removed, in page order, no duplicates."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(base, base_node.attributes.get("href") or "")
    seen: dict[str, None] = {}
    for node in tree.css("a[href]"):
        if "nofollow" in (node.attributes.get("rel") or "").lower():
            continue
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if is_url(url) and not _NON_PAGE.search(urlsplit(url).path):
            seen.setdefault(url, None)
    return list(seen)
