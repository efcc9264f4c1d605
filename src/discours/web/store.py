"""The collected folder: one JSON record and the raw HTML per page, a state file, near-duplicates.

Layout (everything ``discours analyze FOLDER`` must not read is hidden or under ``_``)::

    FOLDER/<name>.json            one record per page: what ``discours analyze`` reads
    FOLDER/_raw/<name>.html       the page as fetched
    FOLDER/.collect-state.json    URLs done and skipped (resuming a run skips them)

Every file is written whole or not at all (temp file, then rename), and the state is saved after
each page, so a run killed midway loses at most the page it was fetching.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..output import atomic_write

__all__ = ["State", "page_name", "simhash", "hamming"]

STATE_FILE = ".collect-state.json"
RAW_DIR = "_raw"
#: reasons worth another try on a re-run (the others are final for the same page)
TRANSIENT = ("HTTP 429", "HTTP 5", "network error")


def page_name(url: str) -> str:
    """A stable file name for ``url``: host and path, readable, plus a short hash.

    Example:
        >>> page_name("https://exemple.fr/blogue/2019/peur-des-reseaux/")
        'exemple.fr_blogue_2019_peur-des-reseaux_b5b24e0ff0'
    """
    parts = urlsplit(url)
    readable = re.sub(r"[^\w\-.]+", "_", f"{parts.netloc}{parts.path}").strip("_.")[:80]
    return f"{readable}_{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


def _shingles(text: str, size: int = 3) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def simhash(text: str) -> int:
    """64-bit SimHash of the text's word 3-shingles: near-identical texts differ in few bits.

    Reliable on page-sized texts (a hundred words or more); two short texts may differ in many bits.

    Example:
        >>> a = simhash("Les médias sociaux coûtent du temps. " * 20)
        >>> a == simhash("Les  médias sociaux coûtent du temps ! " * 20)
        True
    """
    weights = [0] * 64
    for sh in _shingles(text):
        h = int.from_bytes(hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def hamming(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    atomic_write(path, lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"))


class State:
    """URLs done (file name, SimHash) and skipped (reason), saved atomically in FOLDER."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STATE_FILE
        self.pages: dict[str, dict[str, Any]] = {}
        self.skipped: dict[str, str] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}  # a state file from elsewhere, or damaged by hand: start over, files stay
            self.pages = dict(data.get("pages") or {})
            self.skipped = dict(data.get("skipped") or {})

    def done(self, url: str) -> bool:
        return url in self.pages

    def saved_as(self, final_url: str) -> str | None:
        """The URL whose page, after redirects, was ``final_url`` (None if no such page)."""
        return next((u for u, page in self.pages.items() if page.get("url") == final_url), None)

    def final_skip(self, url: str) -> str | None:
        """The earlier reason for skipping ``url`` if it is not worth another try."""
        reason = self.skipped.get(url)
        if reason is None or reason.startswith(TRANSIENT):
            return None
        return reason

    def near_duplicate(self, fingerprint: int, *, distance: int) -> str | None:
        for url, page in self.pages.items():
            other = page.get("simhash")
            if isinstance(other, str) and hamming(fingerprint, int(other, 16)) <= distance:
                return url
        return None

    def add_page(self, url: str, name: str, fingerprint: int, final_url: str) -> None:
        self.pages[url] = {"file": name, "simhash": f"{fingerprint:016x}", "url": final_url}
        self.skipped.pop(url, None)
        self.save()

    def add_skip(self, url: str, reason: str) -> None:
        self.skipped[url] = reason
        self.save()

    def save(self) -> None:
        write_json(self.path, {"version": 1, "pages": self.pages, "skipped": self.skipped})
