"""Chunked analysis: files read lazily, whole threads per chunk, tables per chunk, worker processes.

Every path of discours runs through here (``analyze``, ``analyze_to``, the CLI, the Dask
runner), so their tables are identical by construction:

1. :func:`iter_read` reads files one at a time and names documents exactly as
   :func:`discours.read_corpus` does;
2. :func:`iter_chunks` groups them into chunks of whole threads (a post and all its comments
   stay together: comment agreement and ``n_comments`` are computed within a thread);
3. :func:`analyze_chunk` parses one chunk (``nlp.pipe``, cache) and returns its typed tables;
4. :func:`run_chunks` does that in this process or in ``n_process`` worker processes (each runs
   the whole analysis of a chunk, so the parent only reads files and gathers tables).

Memory is bounded by the chunk size and the number of chunks in flight, never the corpus size.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES, Corpus, Document, ReadFailure, iter_files, read_file
from .errors import Msg, ReadError

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

#: documents per chunk in this process; big enough for full nlp.pipe batches, small enough that
#: a chunk's tables (about 120 token rows per comment, 700 per post) stay a few tens of MiB
CHUNK_DOCS = 1000
#: documents per chunk sent to a worker process: smaller, so the workers stay evenly loaded
WORKER_CHUNK_DOCS = 250
#: tables produced per chunk (``errors`` is gathered separately: read failures come first)
CHUNK_TABLES = ("documents", "sentences", "tokens", "arguments", "markers", "stance_evidence")


@dataclass
class Options:
    """Settings of one analysis, picklable so that worker processes can rebuild the pipeline."""

    model: Any = "fr_core_news_sm"
    target: str | None = None
    stance_model: str | None = None
    cache_dir: str | None = None
    batch_size: int = 256
    with_tokens: bool = True


@dataclass
class Chunk:
    """Whole threads of documents, and the files that could not be read since the last chunk."""

    documents: list[Document]
    failures: list[ReadFailure] = field(default_factory=list)
    n_files: int = 0


@dataclass
class ChunkResult:
    """The tables of one chunk, the documents the pipeline failed on, and the read failures."""

    tables: dict[str, "pd.DataFrame"]
    errors: list[dict[str, str]]
    failures: list[ReadFailure]
    n_files: int
    n_documents: int


# -- reading --------------------------------------------------------------------------------------
def iter_read(
    source: Any,
    *,
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
    doc_ids: dict[str, str] | None = None,
) -> Iterator[tuple[list[Document], ReadFailure | None]]:
    """Read ``source`` one file at a time: ``(documents, None)`` or ``([], failure)`` per file.

    Documents get the ids :func:`discours.read_corpus` gives them. ``doc_ids`` (path → base id),
    when given, replaces the naming of files (the Dask runner names files before splitting them).
    """
    from .corpus import _slug
    from .corpus.structure import Boilerplate

    if isinstance(source, Corpus):
        for failure in source.errors:
            yield [], failure
        for thread in _threads(source.documents):
            yield thread, None
        return
    bp = Boilerplate.with_extra(boilerplate)
    used_ids: set[str] = set()
    for path in iter_files(source):
        base = doc_ids[str(path)] if doc_ids is not None else _slug(path)
        doc_id = base
        k = 2
        while doc_ids is None and doc_id in used_ids:
            doc_id = f"{base}_{k}"
            k += 1
        try:
            docs = read_file(path, doc_id=doc_id, boilerplate=bp, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
        except ReadError as exc:
            yield [], ReadFailure(str(path), str(exc))
            continue
        except Exception as exc:  # a reader bug must not stop the batch either
            yield [], ReadFailure(str(path), f"Unexpected error while reading ({type(exc).__name__}: {exc}). Please report it with the file attached.")
            continue
        for d in docs:
            if d.doc_id in used_ids:  # multi-post files: make ids unique across the corpus
                d.doc_id = f"{d.doc_id}_{k}"
            used_ids.add(d.doc_id)
        used_ids.add(doc_id)
        yield docs, None


def file_ids(paths: Iterable[Path]) -> dict[str, str]:
    """Base document id of every file, as :func:`iter_read` names them when every file reads."""
    from .corpus import _slug

    used: set[str] = set()
    out: dict[str, str] = {}
    for path in paths:
        base = doc_id = _slug(path)
        k = 2
        while doc_id in used:
            doc_id = f"{base}_{k}"
            k += 1
        used.add(doc_id)
        out[str(path)] = doc_id
    return out


def _threads(documents: Sequence[Document]) -> Iterator[list[Document]]:
    """Split documents into runs that hold whole threads (no post_id spans two runs)."""
    last: dict[str, int] = {}
    for i, d in enumerate(documents):
        last[d.post_id] = i
    start = 0
    reach = -1
    for i, d in enumerate(documents):
        reach = max(reach, last[d.post_id])
        if reach == i:
            yield list(documents[start : i + 1])
            start = i + 1


def iter_chunks(files: Iterable[tuple[list[Document], ReadFailure | None]], chunk_docs: int = CHUNK_DOCS) -> Iterator[Chunk]:
    """Group files into chunks of about ``chunk_docs`` documents; a big file is cut between threads."""
    chunk = Chunk([])
    for docs, failure in files:
        chunk.n_files += 1
        if failure is not None:
            chunk.failures.append(failure)
            continue
        pieces = [docs] if len(chunk.documents) + len(docs) <= chunk_docs else list(_threads(docs))
        for piece in pieces:
            if chunk.documents and len(chunk.documents) + len(piece) > chunk_docs:
                yield chunk
                chunk = Chunk([])
            chunk.documents.extend(piece)
    if chunk.documents or chunk.failures or chunk.n_files:
        yield chunk


# -- analysing ------------------------------------------------------------------------------------
def prepare_nlp(options: Options) -> "Language":
    """The shared pipeline for ``options``, pointed at its target (and stance model)."""
    from .api import _configure_target
    from .pipeline import get_nlp

    nlp = get_nlp(options.model)
    _configure_target(nlp, options.target, options.stance_model)
    return nlp


def make_cache(nlp: "Language", options: Options) -> Any:
    if options.cache_dir is None:
        return None
    from .cache import DocCache
    from .pipeline import PIPELINE_VERSION

    return DocCache(options.cache_dir, nlp, PIPELINE_VERSION)


def analyze_chunk(documents: Sequence[Document], nlp: "Language", options: Options, *, cache: Any = None,
                  n_process: int = 1) -> tuple[dict[str, "pd.DataFrame"], list[dict[str, str]]]:
    """Analyse whole threads: their typed tables (thread columns filled) and pipeline failures."""
    from .analysis import Analysis
    from .api import iter_parsed
    from .tables import rows_from_doc

    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CHUNK_TABLES}
    errors: list[dict[str, str]] = []

    def on_error(document: Document, message: str) -> None:
        errors.append({"source": document.source, "error": f"{document.doc_id}: {message}"})

    parsed = iter_parsed(documents, nlp, n_process=n_process, batch_size=options.batch_size, cache=cache,
                         on_error=on_error, chunk_size=max(len(documents), 1))
    for document, doc in parsed:
        try:
            for name, part in rows_from_doc(document, doc, with_tokens=options.with_tokens).items():
                rows[name].extend(part)
        except Exception as exc:  # one document must never stop the batch
            on_error(document, Msg.ANALYSIS_FAILED.format(detail=f"{type(exc).__name__}: {exc}"))
    analysis = Analysis.from_rows(rows, [], target=options.target)
    tables = {name: getattr(analysis, name) for name in CHUNK_TABLES}
    tables["stance_evidence"] = _in_document_order(tables["stance_evidence"], documents)
    return tables, errors


def _in_document_order(table: "pd.DataFrame", documents: Sequence[Document]) -> "pd.DataFrame":
    """Evidence rows by document (input order) then sentence: the same order whatever the chunking."""
    import pandas as pd

    if len(table) < 2:
        return pd.DataFrame(table)
    position = {d.doc_id: i for i, d in enumerate(documents)}
    order = pd.DataFrame({"p": table["doc_id"].map(position).astype("float64").to_numpy(),
                          "s": table["sent_id"].astype("float64").to_numpy()})
    index = order.sort_values(["p", "s"], kind="stable").index
    return pd.DataFrame(table).iloc[index].reset_index(drop=True)


# -- running chunks, here or in worker processes ------------------------------------------------
_WORKER: dict[str, Any] = {}


def _quiet_exit(signum: int, frame: Any) -> None:
    raise SystemExit(130)


def _init_worker(options: Options) -> None:
    # Ctrl-C reaches the whole process group: the parent reports it once; a worker leaves quietly
    # (SystemExit runs the cleanup of a half-written cache entry and prints no traceback).
    signal.signal(signal.SIGINT, _quiet_exit)
    # A forked worker inherits the parent's pipeline (already loaded); a spawned one loads it.
    nlp = prepare_nlp(options)
    _WORKER.update(nlp=nlp, options=options, cache=make_cache(nlp, options))


def _work(chunk: Chunk) -> ChunkResult:
    tables, errors = analyze_chunk(chunk.documents, _WORKER["nlp"], _WORKER["options"], cache=_WORKER["cache"])
    return ChunkResult(tables, errors, chunk.failures, chunk.n_files, len(chunk.documents))


def _context() -> Any:
    # fork: workers start at once and share the loaded model pages; elsewhere spawn (macOS, Windows)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") and "fork" in methods else "spawn")


def run_chunks(chunks: Iterable[Chunk], options: Options, *, n_process: int = 1) -> Iterator[ChunkResult]:
    """Analyse chunks in input order, in this process or in ``n_process`` worker processes.

    With workers, at most ``2 × n_process`` chunks are in flight, so reading never runs ahead
    of the analysis by more than that.
    """
    nlp = prepare_nlp(options)
    context = _context()
    if n_process <= 1 or (context.get_start_method() != "fork" and not isinstance(options.model, str)):
        # one process (a pipeline object cannot be sent to spawned workers: spaCy's own
        # n_process then parallelises the model part)
        cache = make_cache(nlp, options)
        for chunk in chunks:
            tables, errors = analyze_chunk(chunk.documents, nlp, options, cache=cache, n_process=n_process)
            yield ChunkResult(tables, errors, chunk.failures, chunk.n_files, len(chunk.documents))
        return
    pending: deque[Future[ChunkResult]] = deque()
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context, initializer=_init_worker, initargs=(options,)) as pool:
        try:
            for chunk in chunks:
                pending.append(pool.submit(_work, chunk))
                while len(pending) >= 2 * n_process:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def count_files(source: Any) -> int | None:
    """How many files ``source`` holds (for the progress bar's ETA); None for a Corpus."""
    if isinstance(source, Corpus):
        return None
    return sum(1 for _ in iter_files(source))


def progress_bar(total: int | None, enabled: bool | None, desc: str = "discours") -> Any:
    """A tqdm bar over files with rate and ETA; hidden unless on a terminal (or ``enabled``)."""
    from tqdm.auto import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, desc=desc, unit="file", dynamic_ncols=True, leave=False)


def analyzed_chunks(
    source: Any,
    options: Options,
    *,
    n_process: int = 1,
    progress: bool | None = None,
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
    chunk_docs: int | None = None,
) -> Iterator[ChunkResult]:
    """Read ``source`` lazily and yield the analysed chunks in order, under a progress bar."""
    if not isinstance(source, Corpus):
        # fail on a missing path before any work, as read_corpus does
        source = [source] if isinstance(source, (str, os.PathLike)) else list(source)
        for item in source:
            if not Path(item).exists() and not Path(item).is_symlink():
                from .errors import SourceNotFoundError

                raise SourceNotFoundError(Msg.SOURCE_NOT_FOUND.format(path=Path(item)))
    total = count_files(source) if progress is not False else None
    size = chunk_docs or (WORKER_CHUNK_DOCS if n_process > 1 else CHUNK_DOCS)
    files = iter_read(source, boilerplate=boilerplate, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
    bar = progress_bar(total, progress)
    try:
        for result in run_chunks(iter_chunks(files, size), options, n_process=n_process):
            bar.update(result.n_files)
            yield result
    finally:
        bar.close()
