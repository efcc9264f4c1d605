"""``discours collect`` against a French blog served on 127.0.0.1 by the tests (nothing leaves the machine)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import discours
from discours.cli import main
from discours.web import collect
from discours.web.fetch import _retry_after
from discours.web.sources import feed_or_sitemap_urls, links, read_url_file
from discours.web.store import hamming, page_name, simhash
from discours.corpus import read_corpus

from collect_site import ARTICLE, LocalSite, atom, rss

DELAY = 0.1
FAST = {"delay": DELAY, "timeout": 2.0, "retries": 2, "backoff": 0.05, "max_bytes": 100_000, "progress": False}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy set for package downloads must never see the test server's traffic.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture()
def site():
    with LocalSite() as s:
        yield s


def _saved_paths(summary, base: str) -> set[str]:
    return {u[len(base):] for u in summary.saved}


def test_feeds_sitemaps_and_limits(site: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    summary = collect([f"{site.base}/feed.xml", f"{site.base}/atom.xml", f"{site.base}/sitemap_index.xml"], out, **FAST)
    assert _saved_paths(summary, site.base) == {
        "/blogue/billet-1.html", "/blogue/billet-2.html", "/blogue/billet-3.html", "/blogue/lent.html",
        "/blogue/instable.html", "/blogue/limite.html", "/ancien.html",
    }
    reasons = {u[len(site.base):]: r.split(":", 1)[0] for u, r in summary.skipped}
    assert reasons == {
        "/blogue/copie.html": "near duplicate", "/gros.html": "too large", "/gros-flux.html": "too large",
        "/doc.pdf": "not HTML", "/prive/secret.html": "disallowed by robots.txt",
    }
    assert site.requests_to("/prive/secret.html") == 0  # robots.txt is read before, not after
    assert site.requests_to("/blogue/instable.html") == 2 and site.requests_to("/blogue/limite.html") == 2
    # the redirect is followed and the record carries the final URL
    record = json.loads(next(out.glob("*nouveau*.json")).read_text(encoding="utf-8"))
    assert record["url"] == f"{site.base}/nouveau.html" and record["requested_url"] == f"{site.base}/ancien.html"
    assert "2 page(s)" not in summary.describe() and "near duplicate" in summary.describe()

    # Per-host delay, measured on the server: no two requests closer than DELAY.
    times = [t for _, t in site.log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= DELAY, gaps
    # 429 with Retry-After: 1 -> the second request waits about a second.
    hits = [t for p, t in site.log if p == "/blogue/limite.html"]
    assert hits[1] - hits[0] >= 0.95


def test_records_read_back_with_blocks_and_threads(site: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    collect([f"{site.base}/feed.xml"], out, **FAST)
    record = json.loads(next(out.glob("*billet-1*.json")).read_text(encoding="utf-8"))
    assert set(record) >= {"url", "fetched", "title", "author", "date", "blocks", "comments", "html_file"}
    assert (out / record["html_file"]).read_bytes().startswith(b"<!DOCTYPE html>")
    assert record["comments"][1]["reply_to"] == "c1" and record["comments"][1]["extraction"] == "markup"

    corpus = read_corpus(out)  # what `discours analyze FOLDER` reads
    assert not corpus.errors
    post = next(d for d in corpus.posts if "LinkedIn" in (d.title or ""))
    assert (post.title, post.author, post.date) == ("Pourquoi les PME hésitent encore sur LinkedIn", "Julie Tremblay", "2021-05-04T08:15")
    assert [b.kind for b in post.blocks].count("list_item") == 3
    assert "heading" in [b.kind for b in post.blocks] and "quote" in [b.kind for b in post.blocks]
    assert post.meta["extraction"] == "trafilatura" and post.meta["url"].endswith("/blogue/billet-1.html")
    comments = [d for d in corpus.comments if d.post_id == post.doc_id]
    assert [(c.author, c.date, c.parent_id) for c in comments] == [
        ("Marc Gagnon", "2021-05-04T10:02", post.doc_id),
        ("Julie Tremblay", "2021-05-04T12:30", comments[0].doc_id),
    ]
    assert "Je ne suis pas d'accord" in comments[0].text and "Je ne suis pas d'accord" not in post.text
    assert len(corpus.posts) == 2  # the raw HTML under _raw/ and the state file are not read as posts


def test_crawl_stays_on_host_and_prefix(site: LocalSite, tmp_path: Path) -> None:
    summary = collect([f"{site.base}/blogue/"], tmp_path / "c", crawl=True, max_pages=10, **FAST)
    saved = _saved_paths(summary, site.base)
    assert {"/blogue/", "/blogue/billet-1.html", "/blogue/billet-2.html", "/blogue/billet-3.html", "/blogue/lent.html"} <= saved
    assert all(p.startswith("/blogue/") for p, _ in site.log if p != "/robots.txt")
    assert site.requests_to("/blogue/brouillon/idee.html") == 0 and site.requests_to("/prive/secret.html") == 0
    assert site.requests_to("/blogue/doc.pdf") == 0  # not a page: never followed
    assert sum(1 for p, _ in site.log if p.startswith("/blogue/billet-2.html")) == 1  # "#haut" is the same page


def test_max_pages_then_resume_without_refetching(site: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "c"
    first = collect([f"{site.base}/feed.xml", f"{site.base}/atom.xml"], out, max_pages=2, **FAST)
    assert len(first.saved) == 2 and first.not_reached == 1
    second = collect([f"{site.base}/feed.xml", f"{site.base}/atom.xml"], out, max_pages=10, **FAST)
    assert len(second.already) == 2 and len(second.saved) == 1
    for path in ("/blogue/billet-1.html", "/blogue/billet-2.html", "/blogue/billet-3.html"):
        assert site.requests_to(path) == 1


def test_killed_run_resumes_without_refetching(site: LocalSite, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    paths = ["/blogue/billet-1.html", "/blogue/billet-2.html", "/blogue/billet-3.html", "/blogue/lent.html", "/nouveau.html"]
    urls.write_text("# une liste d'adresses\n" + "\n".join(site.base + p for p in paths) + "\n", encoding="utf-8")
    out = tmp_path / "c"
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "discours", "collect", str(urls), "-o", str(out), "--delay", "0.4",
                             "--no-progress"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = out / ".collect-state.json"
    deadline = time.monotonic() + 20
    done: dict = {}
    while time.monotonic() < deadline:
        if state.exists():
            done = json.loads(state.read_text(encoding="utf-8"))["pages"]
            if len(done) >= 2:
                break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert 2 <= len(done) < len(paths), "the run was not killed midway"
    assert not list(out.glob(".*.tmp")) or True  # a temp file may remain; it is hidden and never read

    code = main(["collect", str(urls), "-o", str(out), "--delay", str(DELAY), "--no-progress"])
    assert code == 0
    for url in done:  # pages saved before the kill were not fetched again
        assert site.requests_to(url[len(site.base):]) == 1
    final = json.loads(state.read_text(encoding="utf-8"))["pages"]
    assert set(final) == {site.base + p for p in paths}
    corpus = read_corpus(out)
    assert len(corpus.posts) == len(paths) and not corpus.errors


def test_robots_unreachable_means_nothing_is_fetched(tmp_path: Path) -> None:
    with LocalSite() as s:
        s.route = lambda h, path, n: s.send(h, 503, "panne")  # type: ignore[method-assign]
        summary = collect([f"{s.base}/blogue/billet-1.html"], tmp_path / "c", **{**FAST, "retries": 0})
    assert summary.saved == [] and summary.skipped[0][1].startswith("disallowed by robots.txt")
    assert [p for p, _ in s.log] == ["/robots.txt"]


def test_bad_sources_and_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = collect(["pas-une-adresse"], tmp_path / "c", progress=False)
    assert summary.skipped == [("pas-une-adresse", "not a URL or a file: pas-une-adresse")]
    assert main(["collect", "x", "-o", str(tmp_path / "c"), "--max-pages", "0"]) == 2
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    assert main(["collect", "x", "-o", str(blocker / "sous-dossier")]) == 1
    assert "cannot create output folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- pieces


def test_feed_and_sitemap_parsing() -> None:
    base = "http://h.test"
    assert feed_or_sitemap_urls(rss(base).encode(), base) == ("feed", [f"{base}/blogue/billet-1.html", f"{base}/blogue/billet-2.html"])
    assert feed_or_sitemap_urls(atom(base).encode(), base) == ("feed", [f"{base}/blogue/billet-3.html"])
    with pytest.raises(ValueError, match="neither a feed nor a sitemap"):
        feed_or_sitemap_urls(b"<html><body/></html>", base)


def test_links_simhash_names_retry_after(tmp_path: Path) -> None:
    assert links(ARTICLE, "http://h.test/blogue/billet-2.html") == [
        "http://h.test/blogue/billet-3.html", "http://h.test/prive/secret.html", "https://ailleurs.invalid/x.html"]
    from collect_site import FORUM, WORDPRESS
    from discours.corpus.html import html_to_text

    text = html_to_text(WORDPRESS)  # a page's worth of words: one sentence more is a near duplicate
    assert hamming(simhash(text), simhash(text + " Vraiment.")) <= 3
    assert hamming(simhash(text), simhash(html_to_text(FORUM))) > 10
    assert hamming(simhash(text), simhash("Le RGPD impose un registre des traitements et une base légale pour chaque donnée.")) > 10
    assert page_name("http://h.test/a b/é?x=1") != page_name("http://h.test/a b/é?x=2")
    assert _retry_after("3") == 3.0 and _retry_after("demain") is None
    (tmp_path / "u.txt").write_text("\ufeff# liste\nhttp://h.test/a\n\nhttp://h.test/b # deux\n", encoding="utf-8")
    assert read_url_file(tmp_path / "u.txt") == ["http://h.test/a", "http://h.test/b"]


def test_collect_is_public_and_light() -> None:
    assert "collect" in discours.__all__ and discours.collect is collect
    code = "import sys, discours.web; print(','.join(m for m in ('spacy', 'pandas', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_slow_page_times_out_and_is_retried_then_skipped(site: LocalSite, tmp_path: Path) -> None:
    summary = collect([f"{site.base}/blogue/lent.html"], tmp_path / "c", **{**FAST, "timeout": 0.05, "retries": 1})
    assert summary.saved == [] and summary.skipped[0][1].startswith("network error")
    assert site.requests_to("/blogue/lent.html") == 2  # one retry after the timeout
    again = collect([f"{site.base}/blogue/lent.html"], tmp_path / "c", **FAST)  # a transient failure: tried again
    assert len(again.saved) == 1
