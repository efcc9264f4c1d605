"""The Dask runner gives the single-machine tables (LocalCluster, in-process workers)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")

import discours  # noqa: E402
from discours.analysis import SAVED_TABLES  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    # Two files with the same name in different folders: ids must not collide across partitions.
    root = tmp_path_factory.mktemp("dask-corpus")
    picked = sorted(CORPUS.glob("quebec/201[0-2]*")) + sorted(CORPUS.glob("france/201[34]*"))
    for k, path in enumerate(picked):
        folder = root / f"part{k % 2}"
        folder.mkdir(exist_ok=True)
        (folder / path.name).write_bytes(path.read_bytes())
    (root / "part1" / picked[0].name).write_bytes(picked[0].read_bytes())
    (root / "part1" / "illisible.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


@pytest.mark.slow
def test_cluster_tables_equal_single_machine(nlp, files, client):
    from discours.distributed import analyze_on_cluster

    single = discours.analyze(files, progress=False)
    clustered = analyze_on_cluster(files, client=client, files_per_partition=2)
    assert len(single.errors) == 1
    for name in (*SAVED_TABLES, "tokens"):
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(single, name)), pd.DataFrame(getattr(clustered, name)))


@pytest.mark.slow
def test_cluster_writes_parquet_parts(nlp, files, client, tmp_path):
    from discours.distributed import analyze_on_cluster

    single = discours.analyze(files, progress=False)
    out = analyze_on_cluster(files, client=client, files_per_partition=3, outdir=tmp_path / "tables")
    for name in ("documents", "sentences", "arguments"):
        parts = sorted((out / name).glob("part-*.parquet"))
        table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(single, name)), table, check_dtype=False)
    assert len(pd.read_parquet(out / "errors.parquet")) == 1
