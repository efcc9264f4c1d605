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

from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES, Corpus, Document, ReadFailure, iter_files
from .errors import Msg

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
    #: the learned argument layer: "default" (shipped), a model folder, or None (rules only)
    arguments_model: str | None = "default"
    cache_dir: str | None = None
    batch_size: int = 256
    with_tokens: bool = True
    #: (root, fingerprint, run id) of the table cache; set by :func:`analyzed_chunks`
    table_cache: tuple[str, str, str] | None = None


@dataclass
class CachedFile:
    """A file's finished tables, as plain column lists (unpickling lists is several times faster
    than unpickling DataFrames, and a chunk of cached files is then typed once)."""

    columns: dict[str, dict[str, list[Any]]]
    dtypes: dict[str, dict[str, str]]
    n_documents: int

    @classmethod
    def from_tables(cls, tables: dict[str, "pd.DataFrame"], n_documents: int) -> "CachedFile":
        return cls({name: {col: df[col].tolist() for col in df.columns} for name, df in tables.items()},
                   {name: {col: str(dtype) for col, dtype in df.dtypes.items()} for name, df in tables.items()},
                   n_documents)

    @property
    def doc_ids(self) -> list[str]:
        return list(self.columns["documents"]["doc_id"])


def _gather(files: Sequence[CachedFile]) -> dict[str, "pd.DataFrame"]:
    """The tables of consecutive cached files, typed as they were written."""
    import pandas as pd

    tables = {}
    for name in CHUNK_TABLES:
        dtypes = files[0].dtypes[name]
        columns: dict[str, list[Any]] = {col: [] for col in dtypes}
        for f in files:
            for col, values in f.columns[name].items():
                columns[col].extend(values)
        tables[name] = pd.DataFrame(columns).astype(dtypes) if dtypes else pd.DataFrame()
    return tables


@dataclass
class FileRead:
    """One file of the source: its documents, or why it could not be read, or its cached tables."""

    documents: list[Document] = field(default_factory=list)
    failure: ReadFailure | None = None
    cached: CachedFile | None = None
    #: table-cache key of the file (None: not cached)
    key: str | None = None


@dataclass
class Chunk:
    """Whole threads of documents, and the files that could not be read since the last chunk.

    A chunk of cached files has no documents: its tables come from ``cached``.
    """

    documents: list[Document]
    failures: list[ReadFailure] = field(default_factory=list)
    n_files: int = 0
    #: (table-cache key, source, doc_ids) of each whole file in ``documents``, to store its tables
    keys: list[tuple[str, str, list[str]]] = field(default_factory=list)
    cached: list[CachedFile] = field(default_factory=list)


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
    table_cache: Any = None,
) -> Iterator[FileRead]:
    """Read ``source`` one file at a time, lazily.

    Documents get the ids :func:`discours.read_corpus` gives them. ``doc_ids`` (path → base id),
    when given, replaces the naming of files (the Dask runner names files before splitting them).
    A file found in ``table_cache`` (a :class:`~discours.cache.TableCache`) is not read at all.
    """
    from .corpus import _slug, claim_ids, read_one, unique_id
    from .corpus.structure import Boilerplate

    if isinstance(source, Corpus):
        for failure in source.errors:
            yield FileRead(failure=failure)
        for thread in _threads(source.documents):
            yield FileRead(thread)
        return
    bp = Boilerplate.with_extra(boilerplate)
    used_ids: set[str] = set()
    for path in iter_files(source):
        # with doc_ids the driver has named every file already: no renaming here
        doc_id, k = (doc_ids[str(path)], 2) if doc_ids is not None else unique_id(_slug(path), used_ids)
        key = table_cache.key(path, doc_id) if table_cache is not None else None
        cached = table_cache.get(key) if key is not None else None
        if cached is not None:
            # ids of its documents still count for the naming of later files, as if read
            used_ids.update(cached.doc_ids)
            used_ids.add(doc_id)
            yield FileRead(cached=cached, key=key)
            continue
        docs = read_one(path, doc_id, bp, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
        if isinstance(docs, ReadFailure):
            yield FileRead(failure=docs)
            continue
        claim_ids(docs, doc_id, k, used_ids)
        yield FileRead(docs, key=key)


def file_ids(paths: Iterable[Path]) -> dict[str, str]:
    """Base document id of every file, as :func:`iter_read` names them when every file reads."""
    from .corpus import _slug, unique_id

    used: set[str] = set()
    out: dict[str, str] = {}
    for path in paths:
        doc_id, _ = unique_id(_slug(path), used)
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


def iter_chunks(files: Iterable[FileRead], chunk_docs: int = CHUNK_DOCS) -> Iterator[Chunk]:
    """Group files into chunks of about ``chunk_docs`` documents; a big file is cut between threads.

    Cached files form chunks of their own (no documents to analyse), in corpus order.
    """
    chunk = Chunk([])
    for item in files:
        if item.cached is not None:
            if chunk.documents or (not chunk.cached and chunk.n_files) or \
                    sum(c.n_documents for c in chunk.cached) + item.cached.n_documents > chunk_docs:
                yield chunk
                chunk = Chunk([])
            chunk.cached.append(item.cached)
            chunk.n_files += 1
            continue
        if chunk.cached:
            yield chunk
            chunk = Chunk([])
        chunk.n_files += 1
        if item.failure is not None:
            chunk.failures.append(item.failure)
            continue
        docs = item.documents
        if len(docs) <= chunk_docs:  # a whole file per chunk: its tables can be cached
            if chunk.documents and len(chunk.documents) + len(docs) > chunk_docs:
                yield chunk
                chunk = Chunk([])
            if item.key is not None and docs:
                chunk.keys.append((item.key, docs[0].source, [d.doc_id for d in docs]))
            chunk.documents.extend(docs)
            continue
        for piece in _threads(docs):  # a very big file: cut between threads
            if chunk.documents and len(chunk.documents) + len(piece) > chunk_docs:
                yield chunk
                chunk = Chunk([])
            chunk.documents.extend(piece)
    if chunk.documents or chunk.failures or chunk.n_files or chunk.cached:
        yield chunk


# -- analysing ------------------------------------------------------------------------------------
def prepare_nlp(options: Options) -> "Language":
    """The shared pipeline for ``options``, pointed at its target (and stance model)."""
    from .api import _configure_target
    from .pipeline import get_nlp

    nlp = get_nlp(options.model)
    _configure_target(nlp, options.target, options.stance_model, options.arguments_model)
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
    columns: dict[str, dict[str, list[Any]]] = {}
    for document, doc in parsed:
        try:
            parts = rows_from_doc(document, doc, with_tokens=options.with_tokens)
        except Exception as exc:  # one document must never stop the batch
            on_error(document, Msg.ANALYSIS_FAILED.format(detail=f"{type(exc).__name__}: {exc}"))
            continue
        for name, part in parts.items():
            if isinstance(part, dict):  # a table given as columns (tokens)
                into = columns.setdefault(name, {c: [] for c in part})
                for c, values in part.items():
                    into[c].extend(values)
            else:
                rows[name].extend(part)
    analysis = Analysis.from_rows({**rows, **columns}, [], target=options.target, arguments_model=options.arguments_model)
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
    return _run_one(chunk, _WORKER["nlp"], _WORKER["options"], _WORKER["cache"])


def _table_cache(options: Options) -> Any:
    if options.table_cache is None:
        return None
    from .cache import TableCache

    root, fingerprint, run = options.table_cache
    return TableCache(root, fingerprint, run=run)


def _run_one(chunk: Chunk, nlp: "Language", options: Options, cache: Any, n_process: int = 1) -> ChunkResult:
    """Analyse one chunk (or gather its cached tables); store the tables of its whole files."""
    if chunk.cached:
        tables = _gather(chunk.cached)
        return ChunkResult(tables, [], chunk.failures, chunk.n_files, sum(c.n_documents for c in chunk.cached))
    tables, errors = analyze_chunk(chunk.documents, nlp, options, cache=cache, n_process=n_process)
    store = _table_cache(options)
    if store is not None and chunk.keys:
        failed = {e["source"] for e in errors}  # a failure may be transient: never cached
        for key, (part, n_docs) in _per_file(tables, chunk.keys).items():
            if not any(source in failed for k, source, _ in chunk.keys if k == key):
                store.put(key, CachedFile.from_tables(part, n_docs))
    return ChunkResult(tables, errors, chunk.failures, chunk.n_files, len(chunk.documents))


def _per_file(tables: dict[str, "pd.DataFrame"], keys: list[tuple[str, str, list[str]]]) -> dict[str, tuple[dict[str, "pd.DataFrame"], int]]:
    """Split a chunk's tables into the tables of each of its whole files."""
    owner = {doc_id: k for k, (_, _, ids) in enumerate(keys) for doc_id in ids}
    parts: list[dict[str, pd.DataFrame]] = [{} for _ in keys]
    for name, df in tables.items():
        codes = df["doc_id"].map(owner) if len(df) else None
        groups = dict(iter(df.groupby(codes, sort=False))) if codes is not None else {}
        for k in range(len(keys)):
            part = groups.get(k, groups.get(float(k)))
            parts[k][name] = (part if part is not None else df.iloc[0:0]).reset_index(drop=True)
    return {key: (parts[k], len(ids)) for k, (key, _, ids) in enumerate(keys)}


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
            yield _run_one(chunk, nlp, options, cache, n_process)
        return
    pending: deque[Future[ChunkResult]] = deque()
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context, initializer=_init_worker, initargs=(options,)) as pool:
        try:
            for chunk in chunks:
                if chunk.cached:  # nothing to analyse: gathered here, kept in order
                    done: Future[ChunkResult] = Future()
                    done.set_result(_run_one(chunk, nlp, options, None))
                    pending.append(done)
                else:
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
    store = None
    if options.cache_dir is not None and not isinstance(source, Corpus):
        import uuid
        from dataclasses import replace

        from .cache import TableCache

        fingerprint = _fingerprint(options, boilerplate, max_file_bytes, max_doc_chars)
        options = replace(options, table_cache=(options.cache_dir, fingerprint, f"{os.getpid()}-{uuid.uuid4().hex[:8]}"))
        store = _table_cache(options)
    files = iter_read(source, boilerplate=boilerplate, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars,
                      table_cache=store)
    bar = progress_bar(total, progress)
    try:
        for result in run_chunks(iter_chunks(files, size), options, n_process=n_process):
            bar.update(result.n_files)
            yield result
    except BaseException:
        if store is not None:
            store.abort()
        raise
    else:
        if store is not None:
            store.commit()
    finally:
        bar.close()


def _fingerprint(options: Options, boilerplate: Sequence[str] | None, max_file_bytes: int, max_doc_chars: int) -> str:
    """Everything a file's tables depend on besides the file itself."""
    import hashlib

    import pandas as pd

    from . import __version__
    from .cache import code_fingerprint
    from .pipeline import PIPELINE_VERSION

    nlp = prepare_nlp(options)
    stance_model = None
    if options.stance_model is not None:
        files = sorted(Path(options.stance_model).rglob("*"))
        stance_model = (str(Path(options.stance_model).resolve()), [(str(f), f.stat().st_mtime_ns) for f in files if f.is_file()])
    parts = (__version__, PIPELINE_VERSION, pd.__version__, nlp.meta.get("name"), nlp.meta.get("version"), nlp.pipe_names,
             options.target, stance_model, _model_fingerprint(options.arguments_model), options.with_tokens, list(boilerplate or []), max_file_bytes, max_doc_chars,
             code_fingerprint())
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _model_fingerprint(model: str | None) -> Any:
    """What identifies an argument model's weights (a cached table is reused only with the same)."""
    from .learn.model import model_folder

    folder = model_folder(model)
    if folder is None:
        return None
    return (str(folder), [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in sorted(folder.glob("*")) if f.is_file()])
