"""Resumable, atomic batches: tables appear whole or not at all; a killed run resumes from its cache.

The end-to-end tests run the real command line in a subprocess on the shipped corpus and
interrupt it for real (SIGKILL, then SIGINT as Ctrl-C sends it).
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from discours.output import TableWriter, write_table

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
TABLES = ("documents", "sentences", "arguments", "markers", "stance_evidence", "errors")
RESUME_MESSAGE = "interrupted; finished parses are cached, run the same command again to resume."


# ----------------------------------------------------------------------------- atomic writes


def test_failed_write_keeps_the_previous_table_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = pd.DataFrame({"doc_id": ["a"], "text": ["ancien"]})
    path = write_table(old, tmp_path / "documents")
    before = path.read_bytes()

    def half_written(self: pd.DataFrame, target: str, **kwargs: object) -> None:
        Path(target).write_text("doc_id,te", encoding="utf-8")  # the crash happens mid-file
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(KeyboardInterrupt):
        write_table(pd.DataFrame({"doc_id": ["b"], "text": ["nouveau"]}), tmp_path / "documents")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.csv"]


def test_interrupted_streaming_writer_leaves_nothing(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"x": [1]}), tmp_path / "documents")
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path) as writer:
            writer.append("documents", pd.DataFrame({"x": [2, 3]}))
            raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.csv"]
    assert pd.read_csv(tmp_path / "documents.csv")["x"].tolist() == [1]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_tables_get_the_usual_permissions(tmp_path: Path) -> None:
    """mkstemp makes owner-only files; renamed into place they must look like any other file."""
    umask = os.umask(0o022)
    try:
        path = write_table(pd.DataFrame({"x": [1]}), tmp_path / "documents")
        with TableWriter(tmp_path / "streamed") as writer:
            writer.append("sentences", pd.DataFrame({"x": [1]}))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "streamed" / "sentences.csv").stat().st_mode) == 0o644


# ----------------------------------------------------------------------------- the command line, interrupted


def _command(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "discours", "analyze", str(src), "-o", str(out), "--no-html", "--no-progress", *extra]


def _cache_entries(out: Path) -> list[Path]:
    return sorted((out / ".cache").rglob("*.spacy"))


def _start_and_wait_for_cache(src: Path, out: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[Path, int]]:
    """Start the CLI and return as soon as its cache holds a first parse (with entry mtimes)."""
    proc = subprocess.Popen(_command(src, out, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as in a terminal
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        entries = _cache_entries(out)
        if entries:
            return proc, {p: p.stat().st_mtime_ns for p in entries}
        if proc.poll() is not None:
            pytest.fail(f"the run ended (rc {proc.returncode}) before caching anything: {proc.communicate()}")
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no parse was cached within 240 s")


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dozen files of the shipped corpus (posts with comments, every format): about 60 documents."""
    src = tmp_path_factory.mktemp("resume") / "corpus"
    for path in sorted(CORPUS_DIR.rglob("*.*"))[:12]:
        target = src / path.relative_to(CORPUS_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return src


@pytest.fixture(scope="module")
def reference(corpus_copy: Path) -> dict[str, bytes]:
    """The tables of an uninterrupted run."""
    out = corpus_copy.parent / "reference"
    done = subprocess.run(_command(corpus_copy, out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return _tables(out)


@pytest.mark.slow
def test_sigkill_then_rerun_resumes_and_gives_identical_tables(corpus_copy: Path, reference: dict[str, bytes]) -> None:
    out = corpus_copy.parent / "killed"
    proc, cached = _start_and_wait_for_cache(corpus_copy, out)
    proc.kill()  # SIGKILL: no handler, no cleanup, nothing flushed
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    # The cache is written parse by parse, the tables only at the end: none exists yet, or whole.
    assert not (out / "documents.csv").exists()

    rerun = subprocess.run(_command(corpus_copy, out), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    tables = _tables(out)
    for name in TABLES:
        if tables[name] != reference[name]:  # a readable diff before the byte comparison
            pd.testing.assert_frame_equal(pd.read_csv(out / f"{name}.csv"), pd.read_csv(corpus_copy.parent / "reference" / f"{name}.csv"))
        assert tables[name] == reference[name], name
    # Resumed, not redone: the parses cached before the kill were read, not parsed and rewritten.
    for path, mtime in cached.items():
        assert path.stat().st_mtime_ns == mtime, path
    assert set(cached) < set(_cache_entries(out))


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_with_a_resume_message(corpus_copy: Path, reference: dict[str, bytes], jobs: str) -> None:
    out = corpus_copy.parent / f"interrupted-{jobs}"
    proc, _ = _start_and_wait_for_cache(corpus_copy, out, "--jobs", jobs)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C signals the whole foreground group, workers included
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == [f"discours: {RESUME_MESSAGE}"]  # once, no worker traceback
    # Nothing half-written: no table, no temp file (the cache keeps only complete entries).
    assert sorted(p.name for p in out.iterdir()) == [".cache"]
    assert not [p for p in (out / ".cache").rglob("*") if p.is_file() and p.suffix != ".spacy"]

    if jobs == "1":  # resuming does not depend on how the run was stopped; once is enough
        rerun = subprocess.run(_command(corpus_copy, out), capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert _tables(out) == reference


def test_stale_temp_files_of_killed_runs_are_swept(tmp_path):
    import os
    import time

    from discours.cache import sweep_stale

    old_tmp = tmp_path / "ab" / ".tmp-x1"
    old_tmp.parent.mkdir()
    old_tmp.write_bytes(b"half")
    pending = tmp_path / "tables" / "f" / ".pending-123"
    pending.mkdir(parents=True)
    (pending / "k.pickle").write_bytes(b"x")
    fresh = tmp_path / "ab" / ".tmp-live"
    fresh.write_bytes(b"being written")
    day_ago = time.time() - 86400
    for p in (old_tmp, pending):
        os.utime(p, (day_ago, day_ago))
    assert sweep_stale(tmp_path) == 2
    assert not old_tmp.exists() and not pending.exists()
    assert fresh.exists(), "a live run's temp file is left alone"
