"""The only place that knows table columns and dtypes; rows come from Documents + spaCy Docs.

Row extraction (:func:`rows_from_doc`) uses plain Python (no pandas) so it can run anywhere;
:func:`frame` turns row dicts into typed DataFrames, empty frames keeping their columns.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

    from .corpus.model import Document

COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string",
        "post_id": "string",
        "part": "string",
        "source": "string",
        "title": "string",
        "author": "string",
        "date": "string",
        "parent_id": "string",
        "n_sentences": "Int64",
        "n_tokens": "Int64",
        "stance": "string",
        "stance_score": "Float64",
        "agreement": "string",
        "n_comments": "Int64",
        "language": "string",
        "encoding": "string",
        "extraction": "string",
        "n_boilerplate": "Int64",
        "text": "string",
    },
    "sentences": {
        "doc_id": "string",
        "sent_id": "Int64",
        "block": "string",
        "text": "string",
        "start_char": "Int64",
        "end_char": "Int64",
        "n_tokens": "Int64",
        "stance_score": "Float64",
    },
    "tokens": {
        "doc_id": "string",
        "sent_id": "Int64",
        "token_id": "Int64",
        "text": "string",
        "lemma": "string",
        "pos": "string",
        "start_char": "Int64",
        "end_char": "Int64",
        "is_stop": "boolean",
        "is_punct": "boolean",
    },
    "arguments": {
        "doc_id": "string",
        "sent_id": "Int64",
        "text": "string",
        "label": "string",
        "category": "string",
        "cue": "string",
        "rule": "string",
        "start_char": "Int64",
        "end_char": "Int64",
        "cue_start": "Int64",
        "cue_end": "Int64",
    },
    "markers": {
        "doc_id": "string",
        "sent_id": "Int64",
        "text": "string",
        "start_char": "Int64",
        "end_char": "Int64",
        "sense": "string",
        "rule": "string",
    },
    "stance_evidence": {
        "doc_id": "string",
        "sent_id": "Int64",
        "text": "string",
        "score": "Float64",
        "weight": "Float64",
        "reason": "string",
    },
    "errors": {
        "source": "string",
        "error": "string",
    },
}

TABLES = tuple(COLUMNS)


def frame(name: str, rows: "Iterable[dict[str, Any]] | Mapping[str, list[Any]] | None" = None) -> "pd.DataFrame":
    """Build the typed DataFrame ``name`` from row dicts or from columns (a dict of equal-length
    lists); missing keys → NA, extra keys kept.

    Example:
        >>> frame("errors").columns.tolist()
        ['source', 'error']
    """
    import pandas as pd

    cols = COLUMNS[name]
    df = pd.DataFrame(rows) if isinstance(rows, Mapping) else pd.DataFrame(list(rows or []))
    for col in cols:
        if col not in df.columns:
            df[col] = pd.NA
    extra = [c for c in df.columns if c not in cols]
    df = df[list(cols) + extra]
    return df.astype({c: t for c, t in cols.items()}) if len(cols) else df


def rows_from_doc(document: "Document", doc: "Doc", *, with_tokens: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Extract the rows of every table for one document from its annotated Doc.

    Token attributes are read in one ``Doc.to_array`` call rather than through ``Token`` objects
    (creating a Python object per token per attribute was most of this function's cost).

    Returns:
        {"documents": [row], "sentences": [...], "tokens": {column: [...]}, "arguments": [...],
        "markers": [...], "stance_evidence": [...]}: rows as dicts, the tokens as columns.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, ORTH, POS

    from .corpus.language import detect_language
    from .pipeline.extensions import ARGUMENTS, CUES, MARKERS, sentence_bounds

    doc_id = document.doc_id
    block_spans = document.block_spans()
    # the Doc was made from the document's text (tokenisation keeps every character); Doc.text
    # would re-join every token
    same = len(doc) > 0 and len(document.text) == doc[-1].idx + len(doc[-1].text_with_ws)
    text = document.text if same else doc.text
    columns = doc.to_array([IS_SPACE, IS_PUNCT, IDX, ORTH, LEMMA, POS, IS_STOP]).T.tolist() if len(doc) else [[]] * 7
    is_space, is_punct, idx, orth, lemma, pos, is_stop = columns
    # words: neither space nor punctuation; prefix sums give per-sentence counts
    word_before = [0]
    for sp, pu in zip(is_space, is_punct):
        word_before.append(word_before[-1] + (0 if sp or pu else 1))
    bounds = sentence_bounds(doc, is_space)
    sent_of_token = [-1] * len(doc)
    sentences = []
    bi = 0
    # the stance component scores the same sentences (signed score toward the target, 0 if none)
    info = doc._.discours if isinstance(doc._.discours, dict) else {}
    sentence_scores = info.get("stance_sentences") or []
    strings = doc.vocab.strings
    if len(sentence_scores) != len(bounds):
        sentence_scores = [0.0] * len(bounds)
    for sid, (start, end) in enumerate(bounds):
        for t in range(start, end):
            sent_of_token[t] = sid
        start_char = idx[start]
        end_char = idx[end - 1] + len(strings[orth[end - 1]])
        while bi + 1 < len(block_spans) and block_spans[bi][2] <= start_char:
            bi += 1
        kind = block_spans[bi][0] if block_spans else "paragraph"
        sentences.append(
            {"doc_id": doc_id, "sent_id": sid, "block": kind, "text": text[start_char:end_char],
             "start_char": start_char, "end_char": end_char, "n_tokens": word_before[end] - word_before[start],
             "stance_score": float(sentence_scores[sid])}
        )
    # fill whitespace tokens' sentence ids for span lookups
    last = 0
    for i, s in enumerate(sent_of_token):
        if s == -1:
            sent_of_token[i] = last
        else:
            last = s

    # the tokens table is built as columns: a dict per token cost more than the rest of the row work
    tokens: dict[str, list[Any]] = {c: [] for c in COLUMNS["tokens"]}
    if with_tokens:
        keep = [i for i in range(len(doc)) if not is_space[i]]
        forms = [strings[orth[i]] for i in keep]
        tokens["doc_id"] = [doc_id] * len(keep)
        tokens["sent_id"] = [sent_of_token[i] for i in keep]
        tokens["token_id"] = keep
        tokens["text"] = forms
        tokens["lemma"] = [(strings[lemma[i]] if lemma[i] else "") or form.lower() for i, form in zip(keep, forms)]
        tokens["pos"] = [(strings[pos[i]] if pos[i] else "") or "X" for i in keep]
        tokens["start_char"] = [idx[i] for i in keep]
        tokens["end_char"] = [idx[i] + len(form) for i, form in zip(keep, forms)]
        tokens["is_stop"] = [bool(is_stop[i]) for i in keep]
        tokens["is_punct"] = [bool(is_punct[i]) for i in keep]

    def sent_row(span_start: int) -> dict[str, Any]:
        return sentences[sent_of_token[span_start]] if sentences else {"sent_id": 0, "text": "", "start_char": 0, "end_char": 0}

    arguments = []
    if ARGUMENTS in doc.spans:
        cues = doc.spans[CUES] if CUES in doc.spans else None
        for k, span in enumerate(doc.spans[ARGUMENTS]):
            s = sent_row(span.start)
            cue = cues[k] if cues is not None and k < len(cues) else span
            arguments.append(
                {"doc_id": doc_id, "sent_id": s["sent_id"], "text": s["text"], "label": span.label_,
                 "category": span.kb_id_ or None, "cue": cue.text, "rule": span.id_ or None,
                 "start_char": s["start_char"], "end_char": s["end_char"],
                 "cue_start": cue.start_char, "cue_end": cue.end_char}
            )
    markers = []
    if MARKERS in doc.spans:
        for span in doc.spans[MARKERS]:
            s = sent_row(span.start)
            markers.append(
                {"doc_id": doc_id, "sent_id": s["sent_id"], "text": span.text, "start_char": span.start_char,
                 "end_char": span.end_char, "sense": span.label_, "rule": span.id_ or None}
            )
    info = doc._.discours or {}
    evidence = []
    for sid, score, weight, reason in info.get("stance_evidence", []):
        if 0 <= sid < len(sentences):
            evidence.append({"doc_id": doc_id, "sent_id": sid, "text": sentences[sid]["text"], "score": score,
                             "weight": weight, "reason": reason})
    document_row = {
        "doc_id": doc_id,
        "post_id": document.post_id,
        "part": document.part,
        "source": document.source,
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "parent_id": document.parent_id,
        "n_sentences": len(sentences),
        "n_tokens": word_before[-1],
        "stance": info.get("stance") or "neutral",
        "stance_score": info.get("stance_score") if info.get("stance_score") is not None else 0.0,
        "agreement": None,
        "n_comments": None,
        # Set by the corpus readers; a Document built by hand gets it here.
        "language": document.meta.get("language") or detect_language(document.text),
        "encoding": document.meta.get("encoding"),
        # HTML pages: "trafilatura" or "fallback" (no main text found: the visible text was read).
        "extraction": document.meta.get("extraction"),
        "n_boilerplate": len(document.boilerplate),
        "text": text,
    }
    return {"documents": [document_row], "sentences": sentences, "tokens": tokens, "arguments": arguments,
            "markers": markers, "stance_evidence": evidence}
