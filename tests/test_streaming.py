"""Streaming and parallel paths give the tables of the in-memory analysis, whatever the chunking."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import discours
from discours import stream
from discours.analysis import SAVED_TABLES

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
#: a few files of each reader kind (txt, md, html, json, jsonl, csv), threads included
FILES = sorted(CORPUS.glob("quebec/201[01]*")) + sorted(CORPUS.glob("france/201[0-3]*")) + sorted(CORPUS.glob("france/2009*"))


@pytest.fixture(scope="module")
def reference(nlp):
    return discours.analyze(FILES, progress=False)


def _equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(pd.DataFrame(a).reset_index(drop=True), pd.DataFrame(b).reset_index(drop=True))


@pytest.mark.slow
def test_chunking_does_not_change_tables(reference, monkeypatch):
    monkeypatch.setattr(stream, "CHUNK_DOCS", 3)  # cuts between threads of the multi-post files too
    chunked = discours.analyze(FILES, progress=False)
    for name in (*SAVED_TABLES, "tokens"):
        _equal(getattr(reference, name), getattr(chunked, name))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_analyze_to_writes_the_in_memory_tables(reference, tmp_path, monkeypatch, fmt):
    reference.save(tmp_path / "memory", format=fmt)
    monkeypatch.setattr(stream, "CHUNK_DOCS", 5)
    summary = discours.analyze_to(FILES, tmp_path / "stream", format=fmt, progress=False)
    assert summary.n_files == len(FILES) and summary.n_documents == len(reference.documents)
    for name in SAVED_TABLES:
        a, b = tmp_path / "memory" / f"{name}.{fmt}", tmp_path / "stream" / f"{name}.{fmt}"
        if fmt == "csv":
            assert a.read_bytes() == b.read_bytes(), name
        else:
            _equal(pd.read_parquet(a), pd.read_parquet(b))
    assert not list((tmp_path / "stream").glob(".*.tmp"))  # temp files renamed into place


@pytest.mark.slow
def test_worker_processes_give_the_same_tables(reference, monkeypatch):
    monkeypatch.setattr(stream, "WORKER_CHUNK_DOCS", 7)
    parallel = discours.analyze(FILES, n_process=2, progress=False)
    for name in (*SAVED_TABLES, "tokens"):
        _equal(getattr(reference, name), getattr(parallel, name))


def test_interrupted_stream_leaves_previous_tables(tmp_path, monkeypatch):
    from discours.output import TableWriter

    (tmp_path / "documents.csv").write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path) as writer:
            writer.append("documents", pd.DataFrame({"doc_id": ["a"]}))
            raise KeyboardInterrupt
    assert (tmp_path / "documents.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.csv"]


def test_threads_stay_whole():
    from discours.corpus import Block, Document

    def doc(i: str, post: str) -> Document:
        return Document(i, [Block("paragraph", "Texte.")], part="post" if i == post else "comment", post_id=post)

    docs = [doc("a", "a"), doc("a1", "a"), doc("b", "b"), doc("b1", "b"), doc("a2", "a"), doc("c", "c")]
    runs = [[d.doc_id for d in run] for run in stream._threads(docs)]
    assert runs == [["a", "a1", "b", "b1", "a2"], ["c"]]


@pytest.mark.slow
def test_cached_rerun_reads_nothing_and_gives_the_same_tables(reference, tmp_path, monkeypatch):
    first = discours.analyze(FILES, cache_dir=tmp_path / "cache", progress=False)

    def no_reading(*args, **kwargs):
        raise AssertionError("a cached file was read again")

    from discours import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "read_one", no_reading)  # every reader path goes through it
    again = discours.analyze(FILES, cache_dir=tmp_path / "cache", progress=False)
    for name in (*SAVED_TABLES, "tokens"):
        _equal(getattr(reference, name), getattr(first, name))
        _equal(getattr(reference, name), getattr(again, name))
    assert not list((tmp_path / "cache").rglob(".pending-*"))
