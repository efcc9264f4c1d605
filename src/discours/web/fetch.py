"""A polite HTTP fetcher: robots.txt, one request at a time per host with a delay, retries.

Built on the standard library (``urllib.request``, ``urllib.robotparser``) so collecting adds no
dependency. Redirects are followed by hand, so that every hop is checked against robots.txt and
waits its turn like any other request.
"""
from __future__ import annotations

import email.utils
import http.client
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

__all__ = ["DEFAULT_USER_AGENT", "Fetcher", "Response", "Skip"]

DEFAULT_USER_AGENT = "discours-collect/0.1 (a research crawler building corpora for discourse analysis; honours robots.txt)"
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUS = {429, 500, 502, 503, 504}


class Skip(Exception):
    """A URL that is not collected, with the reason shown in the summary (``reason``: a short key)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # surfaces as HTTPError 3xx: followed by Fetcher.get, hop by hop


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """GET with robots.txt honoured, a per-host delay, timeouts, retries with backoff, size limits.

    Args:
        user_agent: sent with every request and matched against robots.txt groups.
        delay: minimum seconds between the end of a request and the start of the next one to the
            same host (one request at a time per host); a larger
            ``Crawl-delay`` in robots.txt wins.
        timeout: seconds for connecting and for each read.
        retries: further attempts after a 429, a 5xx, a timeout or a dropped connection.
        backoff: first wait before a retry (doubled each time) when no Retry-After is given.
        max_retry_after: a Retry-After longer than this gives up on the URL instead of waiting.
        max_bytes: larger responses are skipped (``Content-Length`` checked before reading).
        sleep, clock: injectable for tests.

    Example:
        >>> fetcher = Fetcher(delay=1.0)                                  # doctest: +SKIP
        >>> fetcher.get("https://exemple.fr/blogue/", accept=("text/html",)).status   # doctest: +SKIP
        200
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        delay: float = 1.0,
        timeout: float = 15.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_retry_after: float = 120.0,
        max_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._opener = urllib.request.build_opener(_NoRedirect())
        self.requests = 0

    # ------------------------------------------------------------------ politeness

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def _wait_turn(self, host: str) -> None:
        delay = self.delay
        robots = self._robots.get(host)
        if robots is not None:
            crawl_delay = robots.crawl_delay(self.user_agent)
            if crawl_delay:
                delay = max(delay, float(crawl_delay))
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The parsed robots.txt of ``url``'s host (fetched once, with the same politeness)."""
        host = self._host(url)
        if host in self._robots:
            return self._robots[host]
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        try:
            resp = self._request(host + "/robots.txt", check_robots=False, accept=None)
            parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        except Skip as skip:
            status = _status_of(skip)
            if status in (401, 403):
                parser.disallow_all = True
            elif status is not None and 400 <= status < 500:
                parser.allow_all = True  # no robots.txt: everything is allowed
            else:
                # RFC 9309: an unreachable robots.txt (server or network error) means "disallow all".
                parser.disallow_all = True
        self._robots[host] = parser
        return parser

    def allowed(self, url: str) -> bool:
        return self.robots(url).can_fetch(self.user_agent, url)

    # ------------------------------------------------------------------ requests

    def get(self, url: str, *, accept: tuple[str, ...] | None = ("text/html", "application/xhtml+xml")) -> Response:
        """Fetch ``url``; raises :class:`Skip` with the reason when it cannot or may not be collected.

        ``accept``: content types kept (prefixes); ``None`` keeps any type.
        """
        return self._request(url, check_robots=True, accept=accept)

    def _request(self, url: str, *, check_robots: bool, accept: tuple[str, ...] | None) -> Response:
        seen = 0
        current = url
        while True:
            if urlsplit(current).scheme not in ("http", "https"):
                raise Skip("unsupported scheme", current)
            if check_robots and not self.allowed(current):
                raise Skip("disallowed by robots.txt", current)
            resp = self._attempts(current, accept=accept)
            if isinstance(resp, str):  # a redirect target
                seen += 1
                if seen > self.max_redirects:
                    raise Skip("too many redirects", url)
                current = resp
                continue
            return resp

    def _attempts(self, url: str, *, accept: tuple[str, ...] | None) -> Response | str:
        host = self._host(url)
        attempt = 0
        while True:
            self._wait_turn(host)
            self.requests += 1
            wait: float | None = None
            try:
                return self._once(url, accept=accept)
            except urllib.error.HTTPError as exc:
                self._last[host] = self._clock()
                code = exc.code
                headers = exc.headers
                exc.close()
                if code in _REDIRECTS:
                    location = headers.get("Location") if headers else None
                    if not location:
                        raise Skip("redirect without Location", url) from None
                    return urljoin(url, location)
                if code not in _RETRY_STATUS:
                    raise Skip(f"HTTP {code}", url) from None
                wait = _retry_after(headers.get("Retry-After") if headers else None)
                reason = f"HTTP {code}"
            except ValueError as exc:  # http.client.InvalidURL, a malformed Location…
                self._last[host] = self._clock()
                raise Skip("invalid URL", f"{url} ({exc})") from None
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
                self._last[host] = self._clock()
                reason = "network error"
                detail = getattr(exc, "reason", None) or exc
                if attempt >= self.retries:
                    raise Skip(reason, f"{url} ({detail})") from None
            if attempt >= self.retries:
                raise Skip(reason, f"{url} (after {attempt + 1} attempts)")
            if wait is None:
                wait = self.backoff * (2**attempt)
            if wait > self.max_retry_after:
                raise Skip(reason, f"{url} (Retry-After {wait:.0f} s is over the limit of {self.max_retry_after:.0f} s)")
            attempt += 1
            # The per-host turn starts after this pause: the next request waits at least `wait`.
            self._last[host] = max(self._last.get(host, 0.0), self._clock() + wait - self.delay)

    def _once(self, url: str, *, accept: tuple[str, ...] | None) -> Response:
        try:
            return self._read(url, accept=accept)
        finally:
            # The delay runs from the end of a request: a slow server is never asked twice at once.
            self._last[self._host(url)] = self._clock()

    def _read(self, url: str, *, accept: tuple[str, ...] | None) -> Response:
        req = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity",
                                                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"})
        with self._opener.open(req, timeout=self.timeout) as resp:
            ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if accept is not None and ctype and not ctype.startswith(accept):
                raise Skip("not HTML", f"{url} (Content-Type {ctype})")
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise Skip("too large", f"{url} ({int(length):,} bytes, limit {self.max_bytes:,})")
            body = resp.read(self.max_bytes + 1)
            if len(body) > self.max_bytes:
                raise Skip("too large", f"{url} (over {self.max_bytes:,} bytes)")
            return Response(resp.geturl() or url, resp.status, ctype, body, dict(resp.headers.items()))


def _status_of(skip: Skip) -> int | None:
    if skip.reason.startswith("HTTP "):
        try:
            return int(skip.reason[5:])
        except ValueError:
            return None
    return None
