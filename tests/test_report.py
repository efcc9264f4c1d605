"""report.html is self-contained (no network), embeds every figure and links every document view."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from handmade import make_analysis

from discours.analysis import Analysis
from discours.report import view_filename, write_report, write_views

IMG = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"')
DATA_PNG = 'src="data:image/png;base64,'


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Analysis, Path, str]:
    analysis = make_analysis()
    out = tmp_path_factory.mktemp("rapport")
    write_views(analysis, out)
    path = write_report(analysis, out)
    return analysis, path, path.read_text(encoding="utf-8")


def assert_offline(html: str) -> None:
    # no resource fetched from anywhere: no remote src/href, stylesheet, script or CSS url()
    assert not re.search(r'(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"@import|<link\b|<script\b|<iframe\b", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html


def test_report_is_written_and_self_contained(written):
    _, path, html = written
    assert path.name == "report.html" and path.exists()
    assert html.startswith("<!doctype html>") and 'lang="fr"' in html
    assert_offline(html)


def test_report_embeds_every_figure(written):
    analysis, _, html = written
    sources = IMG.findall(html)
    parts = analysis.documents["part"].nunique()
    # frequencies, objections, stance distribution, stance over time, one specificity chart per part, cooccurrences,
    # Reinert dendrogram, classes × stance, classes × objection category, factorial map
    assert len(sources) == 9 + parts
    assert html.count(DATA_PNG) == len(sources)
    assert all(s.startswith("data:image/png;base64,") and len(s) > 2_000 for s in sources)


def test_report_shows_summaries(written):
    _, _, html = written
    for heading in ("Aperçu du corpus", "Objections", "Positions", "Fils de commentaires", "Spécificités par partie",
                    "Mondes lexicaux", "Analyse factorielle des correspondances", "Documents"):
        assert heading in html
    assert "manque de temps" in html  # objection categories in French
    assert "réglementation, droit" in html
    assert "Claire Dubois" in html and "Pas le temps ? Vraiment ?" in html


def test_report_links_each_document_view(written):
    analysis, path, html = written
    links = set(re.findall(r'href="(documents/[^"]+)"', html))
    for doc_id in analysis.documents["doc_id"]:
        target = f"documents/{view_filename(str(doc_id))}"
        assert target in links
        assert (path.parent / target).exists()


def test_report_of_an_empty_analysis(tmp_path):
    html = write_report(Analysis(), tmp_path / "vide").read_text(encoding="utf-8")
    assert_offline(html)
    assert html.count(DATA_PNG) == 10  # every figure, each saying "Aucune donnée"
    assert "Aucun document." in html


def test_cli_writes_the_report(tmp_path, monkeypatch):
    from discours.cli import main

    source = tmp_path / "billets"
    source.mkdir()
    (source / "billet.txt").write_text("Titre\n\nUn billet.", encoding="utf-8")
    # the pipeline is tested elsewhere; here only what the CLI writes after it
    from discours import stream

    def chunks(*args, **kwargs):
        analysis = make_analysis()
        tables = {name: getattr(analysis, name) for name in stream.CHUNK_TABLES}
        yield stream.ChunkResult(tables, [], [], 1, len(analysis.documents))

    monkeypatch.setattr(stream, "analyzed_chunks", chunks)
    out = tmp_path / "sortie"
    assert main(["analyze", str(source), "-o", str(out), "--no-cache", "--no-progress"]) == 0
    assert (out / "report.html").exists() and (out / "documents" / "p1.html").exists()
    assert_offline((out / "report.html").read_text(encoding="utf-8"))
    assert main(["analyze", str(source), "-o", str(tmp_path / "sans"), "--no-html", "--no-cache", "--no-progress"]) == 0
    assert not (tmp_path / "sans" / "report.html").exists()
