"""Collecting a corpus from the web (``discours.collect``): pages, RSS/Atom feeds, sitemaps and polite crawls.

``collect(sources, outdir)`` writes one JSON record per page (with its comment threads) and the
raw HTML into a folder that ``discours analyze`` reads as it is. No spaCy, no pandas here.

Modules: :mod:`.fetch` (robots.txt, per-host delay, retries, limits), :mod:`.sources` (feeds,
sitemaps, links), :mod:`.store` (records, state file, near-duplicates), :mod:`.collector`.
"""
from __future__ import annotations

from .collector import CollectSummary, collect, page_record
from .fetch import DEFAULT_USER_AGENT, Fetcher, Skip

__all__ = ["DEFAULT_USER_AGENT", "CollectSummary", "Fetcher", "Skip", "collect", "page_record"]
