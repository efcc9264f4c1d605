"""Corpus summaries: DataFrames in, DataFrames out (frequencies, specificities, KWIC, threads, …).

Every public function takes an :class:`~discours.Analysis` first and is also a method of it
(``analysis.frequencies(...)`` calls ``frequencies(analysis, ...)``). Summaries never parse
text: they count and join the ``tokens``, ``sentences``, ``arguments``, ``markers`` and
``documents`` tables. Each returns a tidy DataFrame whose columns are documented and present
even when the analysis is empty.

Partitions (``by=``) name columns of ``documents`` (``part``, ``author``, ``stance``,
``agreement``, ``post_id``, …) or the derived ``year`` and ``month`` (taken from ``date``).
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis

__all__ = [
    "concordance",
    "cooccurrences",
    "frequencies",
    "objection_summary",
    "overview",
    "repeated_segments",
    "specificities",
    "stance_summary",
    "thread_summary",
    "to_iramuteq",
]

By = str | Sequence[str] | None
TokenUnit = Literal["lemma", "form", "pos"]
Unit = Literal["lemma", "form", "pos", "label", "category", "marker", "sense"]

TOKEN_UNITS = ("lemma", "form", "pos")
UNITS = ("lemma", "form", "pos", "label", "category", "marker", "sense")
#: columns derived from ``documents.date`` that ``by=`` accepts besides real columns
DERIVED = {"year": 4, "month": 7}

#: output columns (after the ``by`` columns) and dtypes of every summary
COLUMNS: dict[str, dict[str, str]] = {
    "frequencies": {"term": "string", "count": "int64", "relative": "float64", "n_docs": "int64"},
    "specificities": {"part": "string", "term": "string", "f": "int64", "F": "int64", "t": "int64", "T": "int64",
                      "expected": "float64", "score": "float64"},
    "concordance": {"doc_id": "string", "sent_id": "Int64", "left": "string", "match": "string", "right": "string"},
    "repeated_segments": {"segment": "string", "length": "int64", "count": "int64", "n_docs": "int64"},
    "cooccurrences": {"pivot": "string", "term": "string", "f": "int64", "F": "int64", "t": "int64", "T": "int64",
                      "expected": "float64", "score": "float64"},
    "objection_summary": {"category": "string", "count": "int64", "share": "float64", "n_docs": "int64",
                          "doc_share": "float64", "mean_stance_score": "float64"},
    "stance_summary": {"stance": "string", "count": "int64", "share": "float64", "mean_score": "float64"},
    "thread_summary": {"post_id": "string", "title": "string", "author": "string", "date": "string", "stance": "string",
                       "n_comments": "int64", "n_agree": "int64", "n_disagree": "int64", "n_mixed": "int64",
                       "n_none": "int64", "n_objecting_comments": "int64", "n_comment_objections": "int64"},
    "thread_summary_by": {"n_posts": "int64", "n_comments": "int64", "n_agree": "int64", "n_disagree": "int64",
                          "n_mixed": "int64", "n_none": "int64", "n_objecting_comments": "int64",
                          "n_comment_objections": "int64"},
    "overview": {"n_documents": "int64", "n_posts": "int64", "n_comments": "int64", "n_authors": "int64",
                 "n_sentences": "int64", "n_tokens": "int64", "n_arguments": "int64", "n_objections": "int64",
                 "first_date": "string", "last_date": "string"},
}


# -- helpers ------------------------------------------------------------------------------------
def _typed(df: "pd.DataFrame", spec: dict[str, str], by: list[str] | None = None) -> "pd.DataFrame":
    """Order and type the columns: ``by`` columns (strings) first, then ``spec``."""
    import pandas as pd

    by = by or []
    for col in by:
        if col not in df.columns:
            df[col] = pd.Series(dtype="string")
    for col, dtype in spec.items():
        if col not in df.columns:
            df[col] = pd.Series(dtype=dtype)
    df = df[by + list(spec)].reset_index(drop=True)
    return df.astype({**{c: "string" for c in by}, **spec})


def _by_list(by: By) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _partition(analysis: "Analysis", by: By) -> tuple["pd.DataFrame", list[str]]:
    """``doc_id`` + the ``by`` columns (as strings, NA kept) for every document."""
    import pandas as pd

    cols = _by_list(by)
    docs = analysis.documents
    out = pd.DataFrame({"doc_id": docs["doc_id"].astype("string")})
    for col in cols:
        if col in docs.columns:
            out[col] = docs[col].astype("string")
        elif col in DERIVED:
            date = docs["date"].astype("string")
            width = DERIVED[col]
            value = date.str.slice(0, width)
            pattern = r"^\d{4}$" if width == 4 else r"^\d{4}-\d{2}$"
            out[col] = value.where(value.str.match(pattern).fillna(False).astype(bool), pd.NA).astype("string")
        else:
            known = sorted(set(docs.columns) | set(DERIVED))
            raise KeyError(f"Cannot break down by {col!r}: not a column of analysis.documents. Use one of {known}.")
    return out.drop_duplicates("doc_id"), cols


def _stopset(stopwords: bool | Collection[str] | None) -> frozenset[str]:
    """The stop list to apply: True → discours's French list, False/None → none, else the given words."""
    if stopwords is True:
        from .lexicons import load

        return frozenset(load("stopwords")["words"])
    if not stopwords:
        return frozenset()
    if isinstance(stopwords, str):
        raise TypeError("stopwords must be True, False or a collection of words, not a single string.")
    return frozenset(w.lower() for w in stopwords)


def _lower(series: "pd.Series") -> "pd.Series":
    return series.astype("string").str.lower()


def _ordered_tokens(analysis: "Analysis") -> "pd.DataFrame":
    """Tokens in reading order with boolean ``is_punct`` (NA → False), whitespace dropped."""
    tok = analysis.tokens
    if tok.empty:
        return tok.assign(is_punct=tok["is_punct"].astype(bool))
    tok = tok[tok["text"].astype("string").str.strip().fillna("") != ""]
    tok = tok.sort_values(["doc_id", "token_id"], kind="stable")
    return tok.assign(is_punct=tok["is_punct"].fillna(False).astype(bool)).reset_index(drop=True)


def _segment_ids(tok: "pd.DataFrame") -> Any:
    """Ids of the runs of tokens between punctuation marks and sentence ends (Salem's delimiters)."""
    import numpy as np

    doc = tok["doc_id"].astype("string").fillna("").to_numpy(dtype=object)
    sent = tok["sent_id"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    new = np.ones(len(tok), dtype=bool)
    new[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    return np.cumsum(new | tok["is_punct"].to_numpy(dtype=bool))


def _separators(prev: Any, nxt: Any) -> Any:
    """" " between words, "" after an elision or before a hyphenated clitic (« n'est », « est-ce »)."""
    import numpy as np

    prev = np.asarray(prev, dtype=str)
    nxt = np.asarray(nxt, dtype=str)
    glued = np.char.endswith(prev, "'") | np.char.endswith(prev, "’") | np.char.startswith(nxt, "-")
    return np.where(glued, "", " ").astype(object)


def _token_terms(tok: "pd.DataFrame", unit: str) -> "pd.Series":
    if unit == "form":
        return _lower(tok["text"])
    if unit == "lemma":
        lemma = _lower(tok["lemma"])
        empty = lemma.isna() | (lemma.fillna("") == "")
        return lemma.where(~empty, _lower(tok["text"]))
    if unit == "pos":
        return tok["pos"].astype("string")
    raise ValueError(f"Unknown token unit {unit!r}; use one of {TOKEN_UNITS}.")


def _is_stop(tok: "pd.DataFrame", stops: frozenset[str]) -> "pd.Series":
    """A token is a stop word when its lower-cased form or its lemma is in the list."""
    if not stops:
        return tok["text"].notna() & False
    return (_lower(tok["text"]).isin(stops) | _lower(tok["lemma"]).isin(stops)).fillna(False).astype(bool)


def _occurrences(analysis: "Analysis", unit: str, *, n: int = 1, stopwords: bool | Collection[str] = False) -> "pd.DataFrame":
    """One row per occurrence of the unit: ``doc_id``, ``sent_id``, ``term``, ``is_stop``.

    Token n-grams never cross a sentence or a punctuation mark; an n-gram is a "stop" n-gram
    when its first or last word is a stop word (so "pas de temps" stays, "de la" goes).
    """
    import pandas as pd

    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}; use one of {UNITS}.")
    if n < 1:
        raise ValueError(f"n must be at least 1 (got {n}).")
    if n > 1 and unit not in TOKEN_UNITS:
        raise ValueError(f"n-grams (n={n}) are built from tokens only; use unit='lemma', 'form' or 'pos'.")
    empty = pd.DataFrame({"doc_id": pd.Series(dtype="string"), "sent_id": pd.Series(dtype="Int64"),
                          "term": pd.Series(dtype="string"), "is_stop": pd.Series(dtype=bool)})
    if unit in TOKEN_UNITS:
        tok = _ordered_tokens(analysis)
        if tok.empty:
            return empty
        stops = _stopset(stopwords) if unit != "pos" else frozenset()
        tok = tok.assign(term=_token_terms(tok, unit), is_stop=_is_stop(tok, stops), seg=_segment_ids(tok))
        tok = tok[~tok["is_punct"]].reset_index(drop=True)
        if n == 1:
            return tok[["doc_id", "sent_id", "term", "is_stop"]]
        seg = tok["seg"].to_numpy()
        if len(tok) < n:
            return empty
        ok = seg[: len(seg) - n + 1] == seg[n - 1:]
        terms = tok["term"].astype(str).to_numpy()
        gram = pd.Series(terms[: len(terms) - n + 1], dtype=object)
        for k in range(1, n):
            prev, nxt = terms[k - 1: len(terms) - n + k], terms[k: len(terms) - n + 1 + k]
            gram = gram + _separators(prev, nxt) + nxt
        stop = tok["is_stop"].to_numpy()
        head = tok.iloc[: len(tok) - n + 1]
        out = pd.DataFrame({"doc_id": head["doc_id"].to_numpy(), "sent_id": head["sent_id"].to_numpy(),
                            "term": gram.to_numpy(), "is_stop": stop[: len(stop) - n + 1] | stop[n - 1:]})
        out = out[ok].reset_index(drop=True)
        return out.astype({"doc_id": "string", "sent_id": "Int64", "term": "string"})
    if unit in ("label", "category"):
        args = analysis.arguments
        if unit == "category":
            args = args[(args["label"] == "objection").fillna(False) & args["category"].notna()]
        col = "label" if unit == "label" else "category"
        out = pd.DataFrame({"doc_id": args["doc_id"], "sent_id": args["sent_id"], "term": args[col].astype("string")})
    else:
        marks = analysis.markers
        term = _lower(marks["text"]).str.strip() if unit == "marker" else marks["sense"].astype("string")
        out = pd.DataFrame({"doc_id": marks["doc_id"], "sent_id": marks["sent_id"], "term": term})
    out = out[out["term"].notna()].reset_index(drop=True)
    return out.assign(is_stop=False).astype({"doc_id": "string", "sent_id": "Int64", "term": "string", "is_stop": bool})


# -- frequencies --------------------------------------------------------------------------------
def frequencies(
    analysis: "Analysis",
    unit: Unit = "lemma",
    *,
    n: int = 1,
    by: By = None,
    stopwords: bool | Collection[str] = True,
    min_count: int = 1,
) -> "pd.DataFrame":
    """Counts and relative frequencies of a unit, optionally n-grams and by partition.

    Args:
        unit: ``"lemma"``, ``"form"`` (lower-cased), ``"pos"``, ``"label"`` (argument labels),
            ``"category"`` (objection categories), ``"marker"`` (discourse markers) or ``"sense"``
            (marker senses).
        n: n-gram length for token units; n-grams never cross a sentence or punctuation.
        by: column(s) of ``documents`` (or ``"year"``/``"month"``) to break the counts down by.
        stopwords: True drops the words of discours's French stop list (it keeps "pas", "mais",
            "contre", "pour" and other argumentative words); False keeps every word; a
            collection of words is used as the list instead. With n > 1, n-grams starting or
            ending with a stop word are dropped.
        min_count: drop rows counted fewer times than this.

    Returns:
        One row per (group, term): the ``by`` columns, ``term``, ``count``, ``relative`` (count
        divided by the number of units in the group, stop words included) and ``n_docs``
        (documents where the term occurs). Sorted by group then decreasing count.

    Example:
        >>> analysis.frequencies("lemma", by="part").head()             # doctest: +SKIP
        >>> analysis.frequencies("form", n=2, stopwords=True)            # « pas le temps », …  # doctest: +SKIP
    """
    spec = COLUMNS["frequencies"]
    part, cols = _partition(analysis, by)
    occ = _occurrences(analysis, unit, n=n, stopwords=stopwords)
    if occ.empty:
        return _typed(occ.iloc[0:0].copy(), spec, cols)
    occ = occ.merge(part, on="doc_id", how="left") if cols else occ
    sizes = occ.groupby(cols, dropna=False).size().rename("size") if cols else len(occ)
    occ = occ[~occ["is_stop"]]
    grouped = occ.groupby(cols + ["term"], dropna=False)
    out = grouped.agg(count=("doc_id", "size"), n_docs=("doc_id", "nunique")).reset_index()
    if cols:
        out = out.merge(sizes.reset_index(), on=cols, how="left")
        out["relative"] = out["count"] / out["size"]
    else:
        out["relative"] = out["count"] / sizes
    out = out[out["count"] >= min_count]
    out = out.sort_values(cols + ["count", "term"], ascending=[True] * len(cols) + [False, True], kind="stable")
    return _typed(out, spec, cols)


# -- specificities ------------------------------------------------------------------------------
def specificities(
    analysis: "Analysis",
    by: str | Sequence[str],
    *,
    unit: Unit = "lemma",
    n: int = 1,
    min_count: int = 2,
    stopwords: bool | Collection[str] = False,
    max_cells: int = 50_000_000,
) -> "pd.DataFrame":
    """Lafon's hypergeometric specificities of every term in every part of a partition.

    Args:
        by: the partition: column(s) of ``documents`` (``"part"``, ``"author"``, ``"year"``, …);
            several columns are crossed and their values joined with " | ".
        unit: as in :func:`frequencies`; ``"category"`` tells which objections are specific to
            comments, to an author or to a year.
        n: n-gram length for token units.
        min_count: keep terms seen at least this many times in the whole corpus (``F``).
        stopwords: drop stop words from the terms listed; part sizes still count every unit,
            as Lafon's model draws parts from the whole text.
        max_cells: refuse partitions whose parts × terms matrix is larger (raise ``min_count``).

    Returns:
        One row per (part, term) including absent terms: ``part``, ``term``, ``f`` (count in
        part), ``F`` (count in corpus), ``t`` (part size), ``T`` (corpus size), ``expected``
        (``F * t / T``) and ``score`` (signed log10 of the hypergeometric tail: +3 means an
        over-representation with chance below 1/1000; negative = under-represented).
        Sorted by part then decreasing score.

    Example:
        >>> spec = analysis.specificities("part", unit="category")
        >>> spec.query("part == 'comment' and score > 2")              # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    from .textometry import lafon_scores

    spec = COLUMNS["specificities"]
    part, cols = _partition(analysis, by)
    if not cols:
        raise ValueError("specificities needs a partition: by='part', 'author', 'year', … (a column of analysis.documents).")
    occ = _occurrences(analysis, unit, n=n, stopwords=stopwords)
    if occ.empty:
        return _typed(pd.DataFrame(), spec)
    occ = occ.merge(part, on="doc_id", how="left")
    if len(cols) == 1:
        labels = occ[cols[0]].astype("string")
    else:
        labels = occ[cols].astype("string").fillna("NA").agg(" | ".join, axis=1).astype("string")
    part_codes, part_names = pd.factorize(labels, use_na_sentinel=False, sort=True)
    t = np.bincount(part_codes, minlength=len(part_names))
    T = int(t.sum())
    keep = ~occ["is_stop"].to_numpy()
    term_codes, term_names = pd.factorize(occ["term"][keep], sort=True)
    F = np.bincount(term_codes, minlength=len(term_names))
    kept_terms = np.flatnonzero(F >= min_count)
    n_cells = len(part_names) * len(kept_terms)
    if n_cells > max_cells:
        raise ValueError(f"{len(part_names)} parts × {len(kept_terms)} terms = {n_cells:,} cells, over max_cells={max_cells:,}. "
                         "Raise min_count (or max_cells).")
    remap = np.full(len(term_names), -1)
    remap[kept_terms] = np.arange(len(kept_terms))
    col = remap[term_codes]
    ok = col >= 0
    matrix = np.zeros((len(part_names), len(kept_terms)), dtype=np.int64)
    np.add.at(matrix, (part_codes[keep][ok], col[ok]), 1)
    f = matrix.ravel()
    FF = np.tile(F[kept_terms], len(part_names))
    tt = np.repeat(t, len(kept_terms))
    out = pd.DataFrame({
        "part": np.repeat(np.asarray(part_names, dtype=object), len(kept_terms)),
        "term": np.tile(np.asarray(term_names, dtype=object)[kept_terms], len(part_names)),
        "f": f, "F": FF, "t": tt, "T": T,
    })
    out["expected"] = FF * tt / T
    out["score"] = lafon_scores(f, FF, tt, T)
    out["_p"] = np.repeat(np.arange(len(part_names)), len(kept_terms))
    out = out.sort_values(["_p", "score", "term"], ascending=[True, False, True], kind="stable")
    return _typed(out, spec)


# -- concordance --------------------------------------------------------------------------------
class _Contexts:
    """Left and right contexts cut from the documents' cleaned text at token boundaries."""

    def __init__(self, analysis: "Analysis", tok: "pd.DataFrame", window: int):
        import numpy as np

        docs = analysis.documents
        self.text: dict[str, str] = {str(d): str(t) for d, t in zip(docs["doc_id"], docs["text"]) if not _isna(t)}
        self.window = window
        self.bounds: dict[str, tuple[Any, Any]] = {}
        if not tok.empty and tok["start_char"].notna().all():
            for doc_id, g in tok.groupby("doc_id", sort=False):
                self.bounds[str(doc_id)] = (g["start_char"].to_numpy(dtype=np.int64), g["end_char"].to_numpy(dtype=np.int64))

    def __call__(self, doc_id: str, a: int, b: int) -> tuple[str, str, str] | None:
        import numpy as np

        text = self.text.get(doc_id)
        if text is None:
            return None
        if doc_id in self.bounds:
            starts, ends = self.bounds[doc_id]
            i = int(np.searchsorted(starts, a, side="left"))  # tokens starting before the match
            left_start = int(starts[max(i - self.window, 0)]) if i > 0 else a
            j = int(np.searchsorted(starts, b, side="left"))  # first token after the match
            right_end = int(ends[min(j + self.window, len(ends)) - 1]) if j < len(ends) else b
        else:
            # no tokens table: about six characters a word
            left_start, right_end = max(0, a - 6 * self.window), min(len(text), b + 6 * self.window)
        return (_flat(text[left_start:a]), _flat(text[a:b]), _flat(text[b:right_end]))


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def concordance(
    analysis: "Analysis",
    query: str | re.Pattern[str],
    unit: Literal["form", "lemma", "label", "marker", "regex"] = "form",
    *,
    window: int = 8,
    ignore_case: bool = True,
) -> "pd.DataFrame":
    """Keyword in context (KWIC): every occurrence of ``query`` with its left and right context.

    Args:
        query: a word or several words (``"pas le temps"``) for ``"form"``/``"lemma"``; an
            argument label or objection category for ``"label"`` (the match is the cue); a
            marker or marker sense for ``"marker"``; a regular expression for ``"regex"``
            (searched in each sentence).
        window: context size, in tokens on each side.
        ignore_case: compare case-insensitively.

    Returns:
        One row per occurrence: ``doc_id``, ``sent_id``, ``left``, ``match``, ``right``.

    Example:
        >>> analysis.concordance("temps", unit="lemma", window=5)     # doctest: +SKIP
        >>> analysis.concordance(r"\\bcertes\\b.*\\bmais\\b", unit="regex")   # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    spec = COLUMNS["concordance"]
    tok = _ordered_tokens(analysis)
    ctx = _Contexts(analysis, tok, window)
    rows: list[dict[str, Any]] = []

    def add(doc_id: Any, sent_id: Any, a: Any, b: Any, fallback: str) -> None:
        cut = ctx(str(doc_id), int(a), int(b)) if not (pd.isna(a) or pd.isna(b)) else None
        left, match, right = cut if cut is not None else ("", fallback, "")
        rows.append({"doc_id": doc_id, "sent_id": sent_id, "left": left, "match": match, "right": right})

    if unit in ("form", "lemma"):
        words = str(query).split()
        if words and not tok.empty:
            terms = _token_terms(tok, unit) if ignore_case else (tok["text"] if unit == "form" else tok["lemma"]).astype("string")
            if ignore_case:
                words = [w.lower() for w in words]
            values = terms.fillna("").to_numpy(dtype=object)
            docs = tok["doc_id"].to_numpy(dtype=object)
            k = len(words)
            m = len(values) - k + 1
            hit = np.ones(max(m, 0), dtype=bool)
            for i, w in enumerate(words):
                hit &= values[i: i + m] == w
                hit &= docs[i: i + m] == docs[:m]
            starts, ends = tok["start_char"].to_numpy(dtype=object), tok["end_char"].to_numpy(dtype=object)
            texts = tok["text"].to_numpy(dtype=object)
            sents = tok["sent_id"].to_numpy(dtype=object)
            for i in np.flatnonzero(hit):
                add(docs[i], sents[i], starts[i], ends[i + k - 1], " ".join(texts[i: i + k]))
    elif unit == "regex":
        flags = re.IGNORECASE if ignore_case else 0
        pattern = query if isinstance(query, re.Pattern) else re.compile(query, flags)
        sents = analysis.sentences
        for s in sents.itertuples(index=False):
            if pd.isna(s.text):
                continue
            for m in pattern.finditer(str(s.text)):
                if m.end() > m.start():
                    offset = 0 if pd.isna(s.start_char) else int(s.start_char)
                    a, b = (offset + m.start(), offset + m.end()) if not pd.isna(s.start_char) else (pd.NA, pd.NA)
                    add(s.doc_id, s.sent_id, a, b, m.group(0))
    elif unit == "label":
        q = str(query).lower() if ignore_case else str(query)
        args = analysis.arguments
        lab = _lower(args["label"]) if ignore_case else args["label"].astype("string")
        cat = _lower(args["category"]) if ignore_case else args["category"].astype("string")
        sel = args[((lab == q) | (cat == q)).fillna(False).astype(bool)]
        for a in sel.itertuples(index=False):
            has_cue = not (pd.isna(a.cue_start) or pd.isna(a.cue_end))
            add(a.doc_id, a.sent_id, a.cue_start if has_cue else a.start_char, a.cue_end if has_cue else a.end_char,
                str(a.cue) if not pd.isna(a.cue) else "")
    elif unit == "marker":
        q = str(query).lower() if ignore_case else str(query)
        marks = analysis.markers
        text = _lower(marks["text"]) if ignore_case else marks["text"].astype("string")
        sense = _lower(marks["sense"]) if ignore_case else marks["sense"].astype("string")
        sel = marks[((text.str.strip() == q) | (sense == q)).fillna(False).astype(bool)]
        for mk in sel.itertuples(index=False):
            add(mk.doc_id, mk.sent_id, mk.start_char, mk.end_char, str(mk.text))
    else:
        raise ValueError(f"Unknown concordance unit {unit!r}; use 'form', 'lemma', 'label', 'marker' or 'regex'.")
    return _typed(pd.DataFrame(rows), spec)


# -- repeated segments --------------------------------------------------------------------------
def repeated_segments(
    analysis: "Analysis",
    *,
    min_len: int = 2,
    max_len: int = 8,
    min_count: int = 2,
    unit: Literal["form", "lemma"] = "form",
    stopwords: bool | Collection[str] = False,
) -> "pd.DataFrame":
    """Salem's repeated segments: word sequences occurring at least ``min_count`` times.

    Segments never cross a sentence boundary or a punctuation mark (Salem's delimiters).

    Args:
        min_len, max_len: segment length range, in words.
        min_count: minimum number of occurrences.
        unit: ``"form"`` (lower-cased) or ``"lemma"``.
        stopwords: True (or a word list) drops segments that begin or end with a stop word.

    Returns:
        ``segment``, ``length``, ``count``, ``n_docs``; sorted by decreasing count then length.

    Example:
        >>> analysis.repeated_segments(min_len=3).head()    # « on n'a pas le temps », …   # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    spec = COLUMNS["repeated_segments"]
    if min_len < 1 or max_len < min_len:
        raise ValueError(f"Need 1 <= min_len <= max_len (got min_len={min_len}, max_len={max_len}).")
    tok = _ordered_tokens(analysis)
    if tok.empty:
        return _typed(pd.DataFrame(), spec)
    stops = _stopset(stopwords)
    tok = tok.assign(term=_token_terms(tok, unit), stop=_is_stop(tok, stops), seg=_segment_ids(tok))
    tok = tok[~tok["is_punct"]].reset_index(drop=True)
    terms = tok["term"].astype(str).to_numpy(dtype=object)
    segs = tok["seg"].to_numpy()
    stop = tok["stop"].to_numpy()
    doc_codes = pd.factorize(tok["doc_id"])[0]
    size = len(terms)
    pos = np.arange(size)
    keys = pd.Series(terms, dtype=object)
    found = []
    for length in range(1, max_len + 1):
        if length > 1:
            nxt = pos + length - 1
            ok = nxt < size
            ok[ok] = segs[nxt[ok]] == segs[pos[ok]]
            pos = pos[ok]
            nxt = terms[pos + length - 1]
            keys = (keys[ok].reset_index(drop=True) + _separators(terms[pos + length - 2], nxt) + nxt).reset_index(drop=True)
        if pos.size == 0:
            break
        counts = keys.map(keys.value_counts()).to_numpy()
        # a segment can only repeat if its prefix repeats: prune the rest (apriori)
        frequent = counts >= min_count
        pos, keys = pos[frequent], keys[frequent].reset_index(drop=True)
        if length >= min_len and pos.size:
            sel = ~(stop[pos] | stop[pos + length - 1]) if stops else np.ones(pos.size, dtype=bool)
            df = pd.DataFrame({"segment": keys[sel].to_numpy(), "doc": doc_codes[pos[sel]]})
            agg = df.groupby("segment").agg(count=("doc", "size"), n_docs=("doc", "nunique")).reset_index()
            agg["length"] = length
            found.append(agg)
    if not found:
        return _typed(pd.DataFrame(), spec)
    out = pd.concat(found, ignore_index=True)
    out = out.sort_values(["count", "length", "segment"], ascending=[False, False, True], kind="stable")
    return _typed(out, spec)


# -- cooccurrences ------------------------------------------------------------------------------
def cooccurrences(
    analysis: "Analysis",
    term: str,
    *,
    unit: Literal["lemma", "form"] = "lemma",
    scope: Literal["sentence", "window"] = "sentence",
    window: int = 5,
    min_count: int = 2,
    stopwords: bool | Collection[str] = True,
) -> "pd.DataFrame":
    """Cooccurrents of a pivot term, with Lafon's specificity of each in the pivot's contexts.

    The contexts are the sentences containing the pivot (``scope="sentence"``) or the
    ``window`` words on each side of it within its sentence (``scope="window"``). A word in
    two overlapping contexts counts once; pivot occurrences are not counted.

    Args:
        term: the pivot (a lemma or a form, compared lower-cased).
        unit: ``"lemma"`` or ``"form"``.
        scope: ``"sentence"`` or ``"window"``.
        window: half-width of the window, in words (punctuation not counted).
        min_count: keep cooccurrents seen at least this many times in the contexts.
        stopwords: True drops stop words from the cooccurrents listed (they still count in sizes).

    Returns:
        ``pivot``, ``term``, ``f`` (cooccurrence count), ``F`` (count in corpus), ``t``
        (context size), ``T`` (corpus size, pivot excluded), ``expected``, ``score``; by
        decreasing score.

    Example:
        >>> analysis.cooccurrences("temps", scope="window", window=4).head()   # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    from .textometry import lafon_scores

    spec = COLUMNS["cooccurrences"]
    if unit not in ("lemma", "form"):
        raise ValueError(f"Cooccurrences use unit='lemma' or 'form' (got {unit!r}).")
    if scope not in ("sentence", "window"):
        raise ValueError(f"scope must be 'sentence' or 'window' (got {scope!r}).")
    occ = _occurrences(analysis, unit, stopwords=stopwords)
    pivot = str(term).lower()
    is_pivot = (occ["term"] == pivot).fillna(False).to_numpy(dtype=bool)
    if occ.empty or not is_pivot.any():
        return _typed(pd.DataFrame(), spec)
    sent_key = pd.factorize(pd.MultiIndex.from_arrays([occ["doc_id"], occ["sent_id"]]))[0]
    if scope == "sentence":
        in_context = np.isin(sent_key, np.unique(sent_key[is_pivot]))
    else:
        where = np.flatnonzero(is_pivot)
        idx = (where[:, None] + np.arange(-window, window + 1)[None, :]).ravel()
        src = np.repeat(where, 2 * window + 1)
        ok = (idx >= 0) & (idx < len(occ))
        idx, src = idx[ok], src[ok]
        idx = idx[sent_key[idx] == sent_key[src]]
        in_context = np.zeros(len(occ), dtype=bool)
        in_context[idx] = True
    in_context &= ~is_pivot
    T = int((~is_pivot).sum())
    t = int(in_context.sum())
    rest = occ[~is_pivot]
    F = rest[~rest["is_stop"]].groupby("term").size()
    ctx = occ[in_context & ~occ["is_stop"].to_numpy()]
    f = ctx.groupby("term").size()
    f = f[f >= min_count]
    if f.empty:
        return _typed(pd.DataFrame(), spec)
    out = pd.DataFrame({"term": f.index, "f": f.to_numpy()})
    out["F"] = F.reindex(out["term"]).to_numpy()
    out["pivot"] = pivot
    out["t"], out["T"] = t, T
    out["expected"] = out["F"] * t / T
    out["score"] = lafon_scores(out["f"].to_numpy(), out["F"].to_numpy(), t, T)
    out = out.sort_values(["score", "term"], ascending=[False, True], kind="stable")
    return _typed(out, spec)


# -- objections, stance, threads ----------------------------------------------------------------
def objection_summary(analysis: "Analysis", *, by: By = None) -> "pd.DataFrame":
    """Objections per category: how many, what share, in how many documents, with what stance.

    Args:
        by: column(s) of ``documents`` (``"part"`` compares posts and comments; ``"author"``,
            ``"year"``, ``"stance"``, …).

    Returns:
        The ``by`` columns, ``category``, ``count`` (objection detections), ``share`` (of the
        group's objections), ``n_docs`` (documents raising it), ``doc_share`` (of the group's
        documents) and ``mean_stance_score`` (mean stance score of those documents).

    Example:
        >>> analysis.objection_summary(by="part")    # « cost_resources » plus fréquent en commentaire ?  # doctest: +SKIP
    """
    import pandas as pd

    spec = COLUMNS["objection_summary"]
    part, cols = _partition(analysis, by)
    args = analysis.arguments
    obj = args[(args["label"] == "objection").fillna(False).astype(bool)][["doc_id", "category"]]
    if obj.empty:
        return _typed(pd.DataFrame(), spec, cols)
    obj = obj.astype({"doc_id": "string", "category": "string"}).merge(part, on="doc_id", how="left")
    docs = part.merge(analysis.documents[["doc_id", "stance_score"]].astype({"doc_id": "string"}), on="doc_id", how="left")
    keys = cols + ["category"]
    out = obj.groupby(keys, dropna=False).agg(count=("doc_id", "size"), n_docs=("doc_id", "nunique")).reset_index()
    if cols:
        out["share"] = out["count"] / out.groupby(cols, dropna=False)["count"].transform("sum")
        n_docs = docs.groupby(cols, dropna=False).size().rename("_docs").reset_index()
        out = out.merge(n_docs, on=cols, how="left")
    else:
        out["share"] = out["count"] / out["count"].sum()
        out["_docs"] = len(docs)
    out["doc_share"] = out["n_docs"] / out["_docs"]
    pairs = obj[keys + ["doc_id"]].drop_duplicates().merge(docs[["doc_id", "stance_score"]], on="doc_id", how="left")
    means = pairs.groupby(keys, dropna=False)["stance_score"].mean().rename("mean_stance_score").reset_index()
    out = out.merge(means, on=keys, how="left")
    out["mean_stance_score"] = out["mean_stance_score"].astype("float64")
    out = out.sort_values(cols + ["count", "category"], ascending=[True] * len(cols) + [False, True], kind="stable")
    return _typed(out, spec, cols)


def stance_summary(analysis: "Analysis", *, by: By = None) -> "pd.DataFrame":
    """Documents per stance (favor / against / neutral), their share and mean stance score.

    Args:
        by: column(s) of ``documents``: ``"part"``, ``"year"``, ``"author"``, ``"agreement"``, ….

    Returns:
        The ``by`` columns, ``stance`` (NA when not measured), ``count`` (documents), ``share``
        (of the group's documents) and ``mean_score`` (mean ``stance_score``).

    Example:
        >>> analysis.stance_summary(by="year")     # la position évolue-t-elle de 2009 à 2025 ?  # doctest: +SKIP
    """
    import pandas as pd

    spec = COLUMNS["stance_summary"]
    part, cols = _partition(analysis, by)
    docs = analysis.documents
    if docs.empty:
        return _typed(pd.DataFrame(), spec, cols)
    d = pd.DataFrame({"doc_id": docs["doc_id"].astype("string"), "stance": docs["stance"].astype("string"),
                      "score": docs["stance_score"].astype("Float64")}).merge(part, on="doc_id", how="left")
    keys = cols + ["stance"]
    out = d.groupby(keys, dropna=False).agg(count=("doc_id", "size"), mean_score=("score", "mean")).reset_index()
    total = out.groupby(cols, dropna=False)["count"].transform("sum") if cols else out["count"].sum()
    out["share"] = out["count"] / total
    out["mean_score"] = out["mean_score"].astype("float64")
    order = {"favor": 0, "neutral": 1, "against": 2}
    out["_o"] = out["stance"].map(order).astype("float64").fillna(3)
    out = out.sort_values(cols + ["_o"], kind="stable")
    return _typed(out, spec, cols)


def thread_summary(analysis: "Analysis", *, by: By = None) -> "pd.DataFrame":
    """Comment threads: how many comments agree, disagree, or add objections, per post.

    Args:
        by: None for one row per post; else column(s) of the *post* in ``documents``
            (``"author"``, ``"year"``, …) to add the threads up by.

    Returns:
        Without ``by``: ``post_id``, ``title``, ``author``, ``date``, ``stance``,
        ``n_comments``, ``n_agree``, ``n_disagree``, ``n_mixed``, ``n_none``,
        ``n_objecting_comments`` (comments with at least one objection) and
        ``n_comment_objections`` (objections detected in comments). With ``by``: the ``by``
        columns, ``n_posts`` and the same counts summed.

    Example:
        >>> analysis.thread_summary().sort_values("n_disagree", ascending=False).head()   # doctest: +SKIP
    """
    import pandas as pd

    docs = analysis.documents
    counts = ["n_comments", "n_agree", "n_disagree", "n_mixed", "n_none", "n_objecting_comments", "n_comment_objections"]
    posts = docs[(docs["part"] == "post").fillna(False).astype(bool)]
    comments = docs[(docs["part"] == "comment").fillna(False).astype(bool)]
    out = pd.DataFrame({c: posts[c].astype("string") for c in ("post_id", "title", "author", "date", "stance")})
    post_ids = out["post_id"]
    n_comments = comments.groupby("post_id").size()
    out["n_comments"] = post_ids.map(n_comments).fillna(0).to_numpy()
    for value in ("agree", "disagree", "mixed", "none"):
        per = comments[(comments["agreement"] == value).fillna(False).astype(bool)].groupby("post_id").size()
        out[f"n_{value}"] = post_ids.map(per).fillna(0).to_numpy()
    args = analysis.arguments
    obj = args[(args["label"] == "objection").fillna(False).astype(bool)]
    obj = obj.merge(comments[["doc_id", "post_id"]], on="doc_id", how="inner")
    out["n_objecting_comments"] = post_ids.map(obj.groupby("post_id")["doc_id"].nunique()).fillna(0).to_numpy()
    out["n_comment_objections"] = post_ids.map(obj.groupby("post_id").size()).fillna(0).to_numpy()
    if by is None:
        out = out.sort_values(["date", "post_id"], kind="stable", na_position="last")
        return _typed(out, COLUMNS["thread_summary"])
    part, cols = _partition(analysis, by)
    per_post = out[["post_id"] + counts].merge(part.rename(columns={"doc_id": "post_id"}), on="post_id", how="left")
    grouped = per_post.groupby(cols, dropna=False)
    agg = grouped[counts].sum().reset_index()
    agg["n_posts"] = grouped.size().to_numpy()
    return _typed(agg, COLUMNS["thread_summary_by"], cols)


def overview(analysis: "Analysis", *, by: By = None) -> "pd.DataFrame":
    """The corpus at a glance: documents, posts, comments, authors, sentences, tokens, dates.

    Args:
        by: column(s) of ``documents`` for one row per group (None: one row for the corpus).

    Returns:
        The ``by`` columns, ``n_documents``, ``n_posts``, ``n_comments``, ``n_authors``,
        ``n_sentences``, ``n_tokens`` (words, punctuation excluded), ``n_arguments`` (argument
        labels), ``n_objections``, ``first_date`` and ``last_date`` (ISO strings).

    Example:
        >>> analysis.overview(by="part")          # doctest: +SKIP
    """
    import pandas as pd

    spec = COLUMNS["overview"]
    part, cols = _partition(analysis, by)
    docs = analysis.documents
    d = pd.DataFrame({"doc_id": docs["doc_id"].astype("string"), "part_": docs["part"].astype("string"),
                      "author_": docs["author"].astype("string"), "date_": docs["date"].astype("string"),
                      "n_sentences": docs["n_sentences"].astype("Int64").fillna(0),
                      "n_tokens": docs["n_tokens"].astype("Int64").fillna(0)}).merge(part, on="doc_id", how="left")
    args = analysis.arguments
    d["n_arguments"] = d["doc_id"].map(args.groupby("doc_id").size()).fillna(0).astype("int64")
    obj = args[(args["label"] == "objection").fillna(False).astype(bool)]
    d["n_objections"] = d["doc_id"].map(obj.groupby("doc_id").size()).fillna(0).astype("int64")
    d["is_post"] = (d["part_"] == "post").fillna(False).astype(int)
    d["is_comment"] = (d["part_"] == "comment").fillna(False).astype(int)
    named = {"n_documents": ("doc_id", "size"), "n_posts": ("is_post", "sum"), "n_comments": ("is_comment", "sum"),
             "n_authors": ("author_", "nunique"), "n_sentences": ("n_sentences", "sum"), "n_tokens": ("n_tokens", "sum"),
             "n_arguments": ("n_arguments", "sum"), "n_objections": ("n_objections", "sum"),
             "first_date": ("date_", "min"), "last_date": ("date_", "max")}
    if cols:
        out = d.groupby(cols, dropna=False).agg(**named).reset_index()
    else:
        # one row for the whole corpus, zeros included when it is empty
        out = pd.DataFrame([{name: (len(d) if how == "size" else getattr(d[col], how)()) for name, (col, how) in named.items()}])
        for c in ("first_date", "last_date"):
            out[c] = out[c].astype("string")
    for c in ("n_sentences", "n_tokens"):
        out[c] = out[c].astype("Int64").fillna(0)
    return _typed(out, spec, cols)


# -- export ------------------------------------------------------------------------------------
def _iramuteq_token(value: str, *, keep_underscore: bool) -> str:
    """ASCII letters and digits only (IRaMuTeQ splits ``*variable_modality`` on the first '_')."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    allowed = r"[^A-Za-z0-9_]+" if keep_underscore else r"[^A-Za-z0-9]+"
    return re.sub(r"_+", "_", re.sub(allowed, "_" if keep_underscore else "", folded)).strip("_")


def to_iramuteq(
    analysis: "Analysis",
    path: str | os.PathLike[str],
    *,
    variables: Iterable[str] = ("part", "author", "year"),
) -> Path:
    """Write the corpus in IRaMuTeQ/ALCESTE format, one text per post and per comment.

    Each text starts with a line such as ``**** *part_comment *author_Helene_Marceau *year_2009``;
    variable names and modalities are folded to ASCII letters, digits (and ``_`` in
    modalities); a missing value leaves the variable out of that text (never invented).
    Asterisks are removed from the texts, since IRaMuTeQ reads them as markup.

    Args:
        path: the .txt file to write (UTF-8).
        variables: columns of ``documents`` (or ``"year"``/``"month"``) to carry over.

    Returns:
        The path written.

    Example:
        >>> analysis.to_iramuteq("corpus_iramuteq.txt", variables=["part", "year", "stance"])  # doctest: +SKIP
    """
    import pandas as pd

    names = list(variables)
    part, cols = _partition(analysis, names)
    docs = part.merge(analysis.documents[["doc_id", "text"]].astype({"doc_id": "string"}), on="doc_id", how="left")
    sents = analysis.sentences
    lines: list[str] = []
    for _, row in docs.iterrows():
        stars = ["****"]
        for col in cols:
            value = row[col]
            if pd.isna(value):
                continue
            modality = _iramuteq_token(str(value), keep_underscore=True)
            var = _iramuteq_token(col, keep_underscore=False)
            if modality and var:
                stars.append(f"*{var}_{modality}")
        text = row["text"]
        if _isna(text):
            body = sents[sents["doc_id"] == row["doc_id"]]["text"].dropna().astype(str)
            text = "\n".join(body)
        text = str(text).replace("*", " ")
        # a line starting with "-*" is a thematic mark in IRaMuTeQ
        text = re.sub(r"(?m)^\s*-\s*(?=\S)", "- ", text)
        paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
        lines.append(" ".join(stars))
        lines.extend(p.replace("\n", " ") for p in paragraphs if p)
        lines.append("")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
