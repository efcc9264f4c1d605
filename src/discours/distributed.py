"""Run the analysis on a Dask cluster: partitions of files analysed by workers, tables gathered.

Needs the ``dask`` extra: ``pip install "discours[dask]"``. Every worker needs discours and the
spaCy model installed, and must see the files at the same paths (a shared disk or bucket mount).

The driver only lists the files and names them (as :func:`discours.read_corpus` does); each
task reads one partition of files, analyses it exactly as :func:`discours.analyze` does
(:mod:`discours.stream`), and returns its tables, so the gathered tables equal the
single-machine ones. With ``outdir`` each task writes its own Parquet part files instead
(``OUTDIR/<table>/part-00000.parquet``), a layout that ``pandas.read_parquet(OUTDIR/table)``
and ``dask.dataframe.read_parquet`` read back as one table, and nothing large travels back.

Example:
    >>> from dask.distributed import Client
    >>> from discours.distributed import analyze_on_cluster
    >>> analysis = analyze_on_cluster("archives/", client=Client("scheduler:8786"))   # doctest: +SKIP
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES, iter_files
from .errors import DiscoursError

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis
    from .stream import Options

#: files per task: enough work to amortise scheduling, few enough to spread over workers
PARTITION_FILES = 200
INSTALL = 'pip install "discours[dask]"'


def _require_distributed() -> Any:
    try:
        import distributed
    except ModuleNotFoundError as exc:
        raise DiscoursError(f"Running on a Dask cluster needs dask and distributed, which are not installed. Install them with: {INSTALL}") from exc
    return distributed


def partitions(source: Any, *, files_per_partition: int = PARTITION_FILES) -> list[list[tuple[str, str]]]:
    """List ``source`` and cut it into partitions of ``(path, base document id)`` in corpus order."""
    from .stream import file_ids

    paths = list(iter_files(source))
    ids = file_ids(paths)
    pairs = [(str(p), ids[str(p)]) for p in paths]
    size = max(1, files_per_partition)
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]


def analyze_partition(files: Sequence[tuple[str, str]], options: "Options", *, boilerplate: Sequence[str] | None = None,
                      max_file_bytes: int = MAX_FILE_BYTES, max_doc_chars: int = MAX_DOC_CHARS,
                      outdir: str | None = None, part: int = 0) -> dict[str, Any]:
    """One task: read and analyse a partition of files on a worker.

    Returns the chunk tables (pandas) plus ``failures`` and ``errors`` (lists of rows), or, with
    ``outdir``, only the row counts once the part files are written.
    """
    from .api import _concat
    from .stream import CHUNK_TABLES, iter_chunks, iter_read, run_chunks

    ids = dict(files)
    reads = iter_read([path for path, _ in files], boilerplate=boilerplate, max_file_bytes=max_file_bytes,
                      max_doc_chars=max_doc_chars, doc_ids=ids)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in CHUNK_TABLES}
    failures: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    for result in run_chunks(iter_chunks(reads), options):
        for name in CHUNK_TABLES:
            parts[name].append(result.tables[name])
        failures.extend({"source": f.source, "error": f.error} for f in result.failures)
        errors.extend(result.errors)
    tables = {name: _concat(name, frames) for name, frames in parts.items()}
    if outdir is None:
        return {"tables": tables, "failures": failures, "errors": errors}
    from .output import write_table

    for name, df in tables.items():
        write_table(df, Path(outdir) / name / f"part-{part:05d}", format="parquet")
    return {"rows": {name: len(df) for name, df in tables.items()}, "failures": failures, "errors": errors}


def analyze_on_cluster(
    source: Any,
    *,
    client: Any = None,
    target: str | None = None,
    model: str = "fr_core_news_sm",
    stance_model: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    outdir: str | os.PathLike[str] | None = None,
    files_per_partition: int = PARTITION_FILES,
    batch_size: int = 256,
    with_tokens: bool = True,
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
) -> "Analysis | Path":
    """Analyse ``source`` on a Dask cluster; same tables as :func:`discours.analyze`.

    Args:
        source: a folder (read recursively), a file or a list of paths, visible to every worker.
        client: a ``dask.distributed.Client``; None uses the current default client.
        target, model, stance_model, batch_size, with_tokens, boilerplate, max_file_bytes,
            max_doc_chars: as for :func:`discours.analyze` (``model`` is a package name: each worker
            loads it once).
        cache_dir: a parse cache every worker can reach (a shared folder), or None.
        outdir: write Parquet part files per table into this folder instead of gathering the
            tables (for corpora larger than the driver's memory); ``errors.parquet`` beside them.
        files_per_partition: files per task.

    Returns:
        An :class:`~discours.Analysis`, or ``outdir`` when the tables were written there.

    Example:
        >>> from dask.distributed import Client, LocalCluster
        >>> with Client(LocalCluster(n_workers=4)) as client:                          # doctest: +SKIP
        ...     analysis = analyze_on_cluster("corpus/", client=client)
    """
    distributed = _require_distributed()
    from .analysis import Analysis
    from .api import _concat, _options
    from .stream import CHUNK_TABLES

    if not isinstance(model, str):
        raise TypeError("analyze_on_cluster needs the model's package name (each worker loads it), not a pipeline object.")
    client = client or distributed.get_client()
    options = _options(model, target, stance_model, cache_dir, batch_size, with_tokens)
    parts = partitions(source, files_per_partition=files_per_partition)
    out = os.fspath(outdir) if outdir is not None else None
    futures = [client.submit(analyze_partition, files, options, boilerplate=boilerplate, max_file_bytes=max_file_bytes,
                             max_doc_chars=max_doc_chars, outdir=out, part=k, pure=False)
               for k, files in enumerate(parts)]
    results = client.gather(futures)
    from .tables import frame

    failures = [row for r in results for row in r["failures"]]
    errors = [row for r in results for row in r["errors"]]
    error_table = frame("errors", failures + errors)
    if out is not None:
        from .output import write_table

        write_table(error_table, Path(out) / "errors", format="parquet")
        return Path(out)
    tables = {name: _concat(name, [r["tables"][name] for r in results]) for name in CHUNK_TABLES}
    tables["errors"] = error_table
    return Analysis(tables, target=target)
