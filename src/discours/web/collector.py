"""``collect()``: pages, feeds, sitemaps and crawls → a folder that ``discours analyze`` reads."""
from __future__ import annotations

import datetime as _dt
import os
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import DiscoursError, Msg, OutputError, ReadError
from .fetch import DEFAULT_USER_AGENT, Fetcher, Skip
from .sources import feed_or_sitemap_urls, is_url, links, looks_like_xml, read_url_file, same_scope, scope_of
from .store import RAW_DIR, State, page_name, simhash, write_json

__all__ = ["CollectSummary", "collect"]

_AUTO, _PAGE = "auto", "page"  # auto: a source given by the user (page, feed or sitemap)
_HTML = ("text/html", "application/xhtml+xml")
_HTML_OR_XML = (*_HTML, "application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
                "application/rdf+xml", "application/x-gzip", "application/gzip", "application/octet-stream")


@dataclass
class CollectSummary:
    """What a :func:`collect` run did: pages saved, pages found from an earlier run, skips and why."""

    outdir: Path
    saved: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason with detail)
    not_reached: int = 0  # page URLs left when --max-pages was reached

    @property
    def reasons(self) -> Counter[str]:
        return Counter(reason.split(":", 1)[0] for _, reason in self.skipped)

    def describe(self) -> str:
        """One paragraph for a terminal.

        Example:
            >>> CollectSummary(Path("out"), saved=["u1", "u2"], skipped=[("u3", "not HTML: u3")]).describe()
            '2 page(s) saved in out/ (0 from an earlier run); 1 skipped: 1 not HTML.'
        """
        text = f"{len(self.saved)} page(s) saved in {self.outdir}/ ({len(self.already)} from an earlier run)"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped: " + ", ".join(f"{n} {r}" for r, n in self.reasons.most_common())
        if self.not_reached:
            text += f"; {self.not_reached} page URL(s) left after --max-pages"
        return text + "."


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_record(html: str, *, url: str, name: str, fetched: str, requested: str | None = None) -> tuple[dict, str]:
    """The JSON record of one fetched page (post, blocks, comments with their thread) and its text.

    Raises :class:`ReadError` when the page has no text. The record is what the .json reader
    takes as it is: ``blocks`` keep headings, list items and quotes; ``comments`` keep author,
    date and ``reply_to``.
    """
    from ..corpus.html import read_html
    from ..corpus.language import detect_language
    from ..corpus.structure import Boilerplate

    docs = read_html(html, doc_id="page", source=url, boilerplate=Boilerplate.default())
    post, comments = docs[0], docs[1:]
    body = [b for b in post.blocks if b.kind != "title"]
    text = "\n\n".join(b.text for b in body)
    local = {post.doc_id: None}
    record: dict = {
        "id": name, "url": url, "fetched": fetched, "title": post.title, "author": post.author, "date": post.date,
        "language": detect_language(post.text), "extraction": post.meta.get("extraction"),
        "html_file": f"{RAW_DIR}/{name}.html",
    }
    if requested and requested != url:
        record["requested_url"] = requested
    if post.meta.get("site"):
        record["site"] = post.meta["site"]
    record["text"] = text
    record["blocks"] = [{"kind": b.kind, "text": b.text} for b in body]
    out_comments = []
    for k, c in enumerate(comments, start=1):
        cid = f"c{k}"
        local[c.doc_id] = cid
        out_comments.append({
            "id": cid, "author": c.author, "date": c.date, "reply_to": local.get(c.parent_id or "", None),
            "extraction": c.meta.get("extraction"), "text": c.text,
            "blocks": [{"kind": b.kind, "text": b.text} for b in c.blocks],
        })
    record["comments"] = out_comments
    return record, post.text + "\n\n" + "\n\n".join(c.text for c in comments)


def _show_progress(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    return sys.stderr.isatty()


def collect(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    crawl: bool = False,
    prefix: str | None = None,
    max_pages: int = 500,
    delay: float = 1.0,
    timeout: float = 15.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_retry_after: float = 120.0,
    max_bytes: int = 5 * 1024 * 1024,
    user_agent: str = DEFAULT_USER_AGENT,
    near_duplicate_bits: int = 3,
    progress: bool | None = None,
) -> CollectSummary:
    """Fetch pages, feeds and sitemaps politely and save them as a folder ``discours analyze`` reads.

    Every page gives ``OUTDIR/<name>.json`` (url, fetch date, title, author, date, text blocks,
    comments with author, date and reply-to) and ``OUTDIR/_raw/<name>.html``. robots.txt is
    honoured, one request at a time with ``delay`` seconds between two requests to a host, 429
    and 5xx retried with backoff (Retry-After honoured), redirects followed, non-HTML, oversized
    and near-duplicate pages skipped with a reason. Re-running the same command skips the URLs
    already saved: a killed run resumes where it stopped.

    Args:
        sources: page URLs, RSS/Atom feed or sitemap URLs (sitemap index files included), or
            files listing URLs one per line.
        outdir: the folder to fill (created if needed).
        crawl: also follow the links of the page sources, on the same host and under ``prefix``.
        prefix: path prefix a crawl stays under (default: the folder of each page source).
        max_pages: stop once this many pages are saved (earlier runs included).
        delay: seconds between two requests to the same host (robots.txt Crawl-delay wins if larger).
        timeout, retries, backoff, max_retry_after: see :class:`~discours.web.fetch.Fetcher`.
        max_bytes: larger responses are skipped.
        user_agent: the User-Agent sent and matched against robots.txt.
        near_duplicate_bits: pages whose text SimHash is this close to a saved page's are skipped.
        progress: show the progress bar (default: on a terminal only).

    Returns:
        A :class:`CollectSummary`.

    Example:
        >>> summary = discours.collect(["https://exemple.fr/feed/"], "billets/")   # doctest: +SKIP
        >>> print(summary.describe())                                               # doctest: +SKIP
        12 page(s) saved in billets/ (0 from an earlier run); 1 skipped: 1 disallowed by robots.txt.
        >>> analysis = discours.analyze("billets/")                                 # doctest: +SKIP
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    out = Path(outdir)
    try:
        (out / RAW_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(Msg.OUTPUT_NOT_WRITABLE.format(path=out, reason=exc.strerror or exc)) from exc
    summary = CollectSummary(out)
    state = State(out)
    fetcher = Fetcher(user_agent=user_agent, delay=delay, timeout=timeout, retries=retries, backoff=backoff,
                      max_retry_after=max_retry_after, max_bytes=max_bytes)

    queue: deque[tuple[str, str]] = deque()
    seen: set[str] = set()
    scopes: list[tuple[str, str]] = []

    def push(url: str, kind: str) -> None:
        if url not in seen:
            seen.add(url)
            queue.append((url, kind))

    for source in sources:
        text = os.fspath(source).strip()
        if is_url(text):
            push(text, _AUTO)
        elif Path(text).is_file():
            for url in read_url_file(text):
                if is_url(url):
                    push(url, _AUTO)
                else:
                    summary.skipped.append((url, f"not a URL: {url} (in {text})"))
        else:
            summary.skipped.append((text, f"not a URL or a file: {text}"))
    if crawl:
        scopes = [scope_of(url, prefix) for url, _ in queue]

    def skip(url: str, reason: str, detail: str = "") -> None:
        summary.skipped.append((url, f"{reason}: {detail or url}"))
        state.add_skip(url, reason)

    def follow(url: str, html: str) -> None:
        if crawl:
            for link in links(html, url):
                if any(same_scope(link, s) for s in scopes):
                    push(link, _PAGE)

    from tqdm.auto import tqdm

    bar = tqdm(total=len(queue), unit="page", desc="collect", disable=not _show_progress(progress), dynamic_ncols=True)
    try:
        while queue:
            url, kind = queue.popleft()
            if len(state.pages) >= max_pages:
                summary.not_reached = len(queue) + 1
                break
            bar.total = max(bar.total or 0, bar.n + len(queue) + 1)
            if state.done(url):
                summary.already.append(url)
                raw = out / RAW_DIR / f"{state.pages[url]['file']}.html"
                if crawl and raw.exists():  # the links of a page saved earlier, without fetching it again
                    follow(state.pages[url].get("url", url), raw.read_text(encoding="utf-8", errors="replace"))
                bar.update(1)
                continue
            earlier = state.final_skip(url)
            if earlier is not None:
                summary.skipped.append((url, f"{earlier}: {url} (earlier run)"))
                bar.update(1)
                continue
            try:
                resp = fetcher.get(url, accept=_HTML_OR_XML if kind == _AUTO else _HTML)
            except Skip as exc:
                skip(url, exc.reason, exc.detail)
                bar.update(1)
                continue
            if looks_like_xml(resp.body, resp.content_type):
                try:
                    found, urls = feed_or_sitemap_urls(resp.body, resp.url)
                except (ValueError, OSError, EOFError) as exc:
                    skip(url, "not HTML", f"{url} ({exc})")
                else:
                    # Not recorded in the state: a feed or sitemap is read again on every run (it changes).
                    for child in urls:
                        push(child, _AUTO if found == "sitemapindex" else _PAGE)
                bar.update(1)
                continue
            _save_page(url, resp, out=out, state=state, summary=summary, skip=skip, near=near_duplicate_bits, follow=follow)
            bar.update(1)
            bar.set_postfix(saved=len(summary.saved), skipped=len(summary.skipped), refresh=False)
    finally:
        bar.close()
    return summary


def _save_page(url, resp, *, out, state, summary, skip, near, follow) -> None:  # type: ignore[no-untyped-def]
    from ..corpus.decode import decode_bytes, normalize_text

    if resp.url != url and (state.done(resp.url) or state.saved_as(resp.url)):
        skip(url, "duplicate", f"{url} redirects to {resp.url}, already saved")
        return
    try:
        html, _ = decode_bytes(resp.body)
    except DiscoursError as exc:
        skip(url, "undecodable", f"{url} ({exc})")
        return
    html = normalize_text(html)
    name = page_name(resp.url)
    try:
        record, text = page_record(html, url=resp.url, name=name, fetched=_now(), requested=url)
    except ReadError:
        skip(url, "no text", f"{url} (no readable text on the page)")
        return
    except Exception as exc:  # a reader bug must not stop the collection: the page is listed
        skip(url, "unreadable", f"{url} ({type(exc).__name__}: {exc}; please report it with the page attached)")
        return
    fingerprint = simhash(text)
    twin = state.near_duplicate(fingerprint, distance=near)
    if twin is not None:
        skip(url, "near duplicate", f"{url} (of {twin})")
        return
    # Raw page first, record second, state last: a kill between two steps refetches this page only.
    from ..output import atomic_write

    atomic_write(out / RAW_DIR / f"{name}.html", lambda tmp: Path(tmp).write_bytes(resp.body))
    write_json(out / f"{name}.json", record)
    state.add_page(url, name, fingerprint, resp.url)
    summary.saved.append(url)
    follow(resp.url, html)
