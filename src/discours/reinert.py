"""Reinert's descending hierarchical classification (CHD, the ALCESTE method) on tables.

Pure numerics and DataFrames (numpy, scipy, pandas): the input is the ``tokens`` table (or a
presence matrix), never text to parse. The steps follow IRaMuTeQ and R's rainette
(Barnier, ``rainette.R``):

1. **Segments.** Each document is cut into text segments of about ``segment_size`` words at
   sentence ends (a sentence longer than 1.5 × ``segment_size`` is cut into equal pieces).
2. **Presence matrix.** Segments × terms, 0/1 (``scipy.sparse``): terms are the lemmas of full
   words (nouns, verbs, adjectives, adverbs; proper nouns optionally), outside the stop list,
   seen in at least ``min_count`` segments. With ``min_segment_size``, consecutive segments of a
   document are merged into units holding at least that many terms (rainette's ``min_uc_size``).
3. **Bipartitions.** The largest remaining class is split in two: its units are ordered along
   the first factor of the class's correspondence analysis, cut where the χ² of the resulting
   2 × terms table is largest, then units are moved one at a time from one side to the other
   while a move raises that χ² (rainette's switching step). In each half, terms too rare
   (fewer than ``tsj`` units) or clearly specific to the other half (contingency coefficient
   above ``cc_test`` and under-represented) are dropped before later splits; units left with no
   term stay unclassified (``cluster`` NA). Splitting stops after ``k - 1`` splits or when the
   largest class has fewer than ``min_split_members`` units.
4. **Double classification** (``double=True``): the classification runs twice, on units of two
   sizes; every class of the first tree (at any level) is crossed with every class of the
   second; crossings of at least ``min_split_members`` segments positively associated
   (χ² > 3.84) are candidates; the final classes are the disjoint candidates, as many as
   possible up to ``k``, with the largest total χ² (a bounded branch-and-bound search).
   Simplified from rainette2, which lists the best partitions for every k by total χ² and by
   size and lets the user choose; here only the requested ``k`` (or the largest reachable) is
   kept, by χ². Segments in no chosen crossing are unclassified.

Classes are numbered 1…K in the order of the dendrogram's leaves (a split class is replaced by
its two halves, first-factor negative side first), as rainette numbers them.

Determinism: orderings use stable sorts, ties go to the first index, the first factor's sign is
fixed and ARPACK starts from a seeded vector, so the same tokens give the same classes on every
run, whatever the number of processes that produced the tokens.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd
    from scipy.sparse import csr_matrix

__all__ = [
    "FULL_POS",
    "Reinert",
    "SegmentedTokens",
    "chd",
    "classify",
    "merge_units",
    "segment_tokens",
    "segments_of",
    "term_chi2",
]

#: parts of speech of "full words" (IRaMuTeQ's formes actives)
FULL_POS = ("NOUN", "VERB", "ADJ", "ADV")
#: χ² (1 df) of a p-value of 0.05: the threshold of a significant crossing in double classification
CHI2_05 = 3.84
#: segments columns besides the ``by`` columns
SEGMENT_COLUMNS = {"doc_id": "string", "segment_id": "Int64", "text": "string", "cluster": "Int64",
                   "start_char": "Int64", "end_char": "Int64", "n_tokens": "Int64", "n_terms": "Int64"}
TERM_COLUMNS = {"cluster": "Int64", "term": "string", "f": "int64", "chi2": "float64", "p": "float64"}
CLUSTER_COLUMNS = {"cluster": "Int64", "size": "int64", "share": "float64"}
TREE_COLUMNS = {"step": "int64", "node": "int64", "left": "int64", "right": "int64", "chi2": "float64",
                "size": "int64", "size_left": "int64", "size_right": "int64", "left_cluster": "Int64",
                "right_cluster": "Int64"}


# -- 1. segments ---------------------------------------------------------------------------------
@dataclass
class SegmentedTokens:
    """Text segments and the terms they contain (the input of :func:`classify`).

    Attributes:
        segments: ``doc_id``, ``segment_id`` (0, 1, … within the document), ``start_char``,
            ``end_char``, ``n_tokens`` (words), ``n_terms`` (distinct terms), ``text``.
        segment_index, terms: one pair per (segment row, term) present, segment rows being
            positions in ``segments``.
    """

    segments: "pd.DataFrame"
    segment_index: NDArray[np.int64]
    terms: NDArray[Any]

    @staticmethod
    def concat(parts: Sequence["SegmentedTokens"]) -> "SegmentedTokens":
        """Join the segments of several chunks (documents never straddle chunks)."""
        import pandas as pd

        parts = [p for p in parts if len(p.segments)] or list(parts[:1])
        if not parts:
            return segment_tokens(_empty_tokens())
        offsets = np.cumsum([0] + [len(p.segments) for p in parts[:-1]])
        segments = pd.concat([p.segments for p in parts], ignore_index=True)
        index = np.concatenate([p.segment_index + o for p, o in zip(parts, offsets)]).astype(np.int64)
        terms = np.concatenate([np.asarray(p.terms, dtype=object) for p in parts])
        # the order segment_tokens gives the whole corpus (by doc_id), whatever the chunks' order
        order = segments.sort_values(["doc_id", "segment_id"], kind="stable").index.to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return SegmentedTokens(segments.loc[order].reset_index(drop=True), rank[index], terms)


def _empty_tokens() -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({"doc_id": pd.Series(dtype="string"), "sent_id": pd.Series(dtype="Int64"),
                         "token_id": pd.Series(dtype="Int64"), "text": pd.Series(dtype="string"),
                         "lemma": pd.Series(dtype="string"), "pos": pd.Series(dtype="string"),
                         "start_char": pd.Series(dtype="Int64"), "end_char": pd.Series(dtype="Int64"),
                         "is_punct": pd.Series(dtype="boolean")})


def segment_tokens(
    tokens: "pd.DataFrame",
    texts: Mapping[str, str] | None = None,
    *,
    segment_size: int = 40,
    unit: str = "lemma",
    pos: Collection[str] = FULL_POS,
    stopwords: Collection[str] = (),
) -> SegmentedTokens:
    """Cut documents into segments of about ``segment_size`` words at sentence ends; list their terms.

    A segment grows sentence by sentence and stops before the sentence that would take it
    further from ``segment_size`` than it is; a sentence longer than 1.5 × ``segment_size``
    words is first cut into equal pieces of about ``segment_size`` words.

    Args:
        tokens: a ``tokens`` table (``doc_id``, ``sent_id``, ``token_id``, ``text``, ``lemma``,
            ``pos``, ``start_char``, ``end_char``, ``is_punct``).
        texts: the documents' texts by ``doc_id``, for the segments' ``text`` (else the tokens
            joined by spaces).
        segment_size: target length in words (punctuation excluded).
        unit: ``"lemma"`` or ``"form"`` (lower-cased).
        pos: parts of speech kept as terms.
        stopwords: lower-cased words never kept as terms.

    Returns:
        A :class:`SegmentedTokens`.

    Example:
        >>> seg = segment_tokens(analysis.tokens, segment_size=40)     # doctest: +SKIP
        >>> seg.segments[["doc_id", "segment_id", "text"]].head()      # doctest: +SKIP
    """
    import pandas as pd

    if segment_size < 1:
        raise ValueError(f"segment_size must be at least 1 word (got {segment_size}).")
    if unit not in ("lemma", "form"):
        raise ValueError(f"Unknown unit {unit!r} for segments; use 'lemma' or 'form'.")
    tok = tokens
    if len(tok):
        tok = tok[tok["text"].astype("string").str.strip().fillna("") != ""]
        tok = tok.sort_values(["doc_id", "token_id"], kind="stable").reset_index(drop=True)
    n = len(tok)
    doc = tok["doc_id"].astype("string").fillna("").to_numpy(dtype=object)
    sent = tok["sent_id"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    punct = tok["is_punct"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    word = ~punct
    new_doc = np.ones(n, dtype=bool)
    new_doc[1:] = doc[1:] != doc[:-1]
    new_sent = new_doc.copy()
    new_sent[1:] |= sent[1:] != sent[:-1]
    sent_idx = np.cumsum(new_sent) - 1
    n_sent = int(sent_idx[-1]) + 1 if n else 0
    sent_words = np.bincount(sent_idx, weights=word, minlength=n_sent).astype(np.int64)
    # rank of each token's word within its sentence (words before it)
    cum = np.cumsum(word) - word
    sent_first = np.flatnonzero(new_sent)
    rank = cum - cum[sent_first][sent_idx]
    long = sent_words > 1.5 * segment_size
    pieces = np.where(long, np.maximum(np.rint(sent_words / segment_size), 1), 1).astype(np.int64)
    m = pieces[sent_idx]
    piece = np.minimum(rank * m // np.maximum(sent_words[sent_idx], 1), m - 1)
    new_unit = new_sent.copy()
    new_unit[1:] |= piece[1:] != piece[:-1]
    unit_idx = np.cumsum(new_unit) - 1
    n_units = int(unit_idx[-1]) + 1 if n else 0
    unit_words = np.bincount(unit_idx, weights=word, minlength=n_units)
    unit_new_doc = new_doc[np.flatnonzero(new_unit)]
    # greedy: stop before the unit that would take the segment further from segment_size
    seg_of_unit = np.empty(n_units, dtype=np.int64)
    seg_in_doc = np.empty(n_units, dtype=np.int64)
    seg, k, length = -1, -1, 0.0
    for u in range(n_units):
        w = unit_words[u]
        if unit_new_doc[u]:
            seg, k, length = seg + 1, 0, 0.0
        elif length > 0 and length + w / 2 > segment_size:
            seg, k, length = seg + 1, k + 1, 0.0
        length += w
        seg_of_unit[u] = seg
        seg_in_doc[u] = k
    seg_of_tok = seg_of_unit[unit_idx] if n else np.zeros(0, dtype=np.int64)
    n_seg = seg + 1
    start = tok["start_char"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    end = tok["end_char"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    first_tok = np.flatnonzero(np.r_[True, seg_of_tok[1:] != seg_of_tok[:-1]]) if n else np.zeros(0, dtype=np.int64)
    last_tok = np.r_[first_tok[1:] - 1, n - 1] if n else np.zeros(0, dtype=np.int64)
    seg_docs = doc[first_tok]
    seg_start, seg_end = start[first_tok], end[last_tok]
    n_words = np.bincount(seg_of_tok, weights=word, minlength=n_seg).astype(np.int64)
    forms = tok["text"].astype("string").fillna("").to_numpy(dtype=object)
    seg_text: list[str] = []
    for s in range(n_seg):
        t = texts.get(seg_docs[s]) if texts is not None else None
        if isinstance(t, str) and 0 <= seg_start[s] <= seg_end[s] <= len(t):
            seg_text.append(" ".join(t[seg_start[s]:seg_end[s]].split()))
        else:
            seg_text.append(" ".join(forms[first_tok[s]:last_tok[s] + 1]))
    # terms: full words, outside the stop list, with a letter
    if unit == "lemma":
        lemma = tok["lemma"].astype("string").str.lower()
        term = lemma.where(lemma.notna() & (lemma.fillna("") != ""), tok["text"].astype("string").str.lower())
    else:
        term = tok["text"].astype("string").str.lower()
    keep = (word & tok["pos"].astype("string").isin(list(pos)).fillna(False).to_numpy(dtype=bool)
            & term.str.contains(r"[^\W\d_]", regex=True).fillna(False).to_numpy(dtype=bool)
            & (term.str.len().fillna(0).to_numpy() > 1))
    if stopwords:
        stops = list(stopwords)
        keep &= ~(term.isin(stops).fillna(False).to_numpy(dtype=bool)
                  | tok["text"].astype("string").str.lower().isin(stops).fillna(False).to_numpy(dtype=bool))
    pairs = pd.DataFrame({"s": seg_of_tok[keep], "t": term.to_numpy(dtype=object)[keep]}).drop_duplicates()
    n_terms = np.bincount(pairs["s"].to_numpy(dtype=np.int64), minlength=n_seg).astype(np.int64)
    segments = pd.DataFrame({
        "doc_id": pd.array(seg_docs, dtype="string"),
        "segment_id": pd.array(seg_in_doc[np.flatnonzero(np.r_[True, seg_of_unit[1:] != seg_of_unit[:-1]])] if n_units else [], dtype="Int64"),
        "start_char": pd.array(seg_start, dtype="Int64"),
        "end_char": pd.array(seg_end, dtype="Int64"),
        "n_tokens": pd.array(n_words, dtype="Int64"),
        "n_terms": pd.array(n_terms, dtype="Int64"),
        "text": pd.array(seg_text, dtype="string"),
    })
    return SegmentedTokens(segments, pairs["s"].to_numpy(dtype=np.int64), pairs["t"].to_numpy(dtype=object))


def segments_of(
    tokens: "pd.DataFrame",
    documents: "pd.DataFrame | None" = None,
    *,
    segment_size: int = 40,
    unit: str = "lemma",
    propn: bool = False,
    stopwords: bool | Collection[str] = True,
) -> SegmentedTokens:
    """:func:`segment_tokens` with discours's defaults: full words, the French stop list, texts from ``documents``.

    Example:
        >>> seg = segments_of(analysis.tokens, analysis.documents)     # doctest: +SKIP
    """
    from .summaries import _stopset

    texts = None
    if documents is not None and "text" in documents.columns:
        texts = {str(d): t for d, t in zip(documents["doc_id"], documents["text"]) if isinstance(t, str)}
    pos = FULL_POS + (("PROPN",) if propn else ())
    return segment_tokens(tokens, texts, segment_size=segment_size, unit=unit, pos=pos, stopwords=_stopset(stopwords))


def presence_matrix(seg: SegmentedTokens, *, min_count: int = 3) -> tuple["csr_matrix", list[str]]:
    """The segments × terms 0/1 matrix of the terms present in at least ``min_count`` segments.

    Columns are the terms in sorted order (the same terms always give the same matrix).
    """
    import pandas as pd
    from scipy import sparse

    codes, names = pd.factorize(pd.Series(seg.terms, dtype=object), sort=True)
    df = np.bincount(codes, minlength=len(names)) if len(codes) else np.zeros(0, dtype=np.int64)
    keep = df >= min_count
    remap = np.full(len(names), -1)
    remap[keep] = np.arange(int(keep.sum()))
    col = remap[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    ok = col >= 0
    X = sparse.csr_matrix((np.ones(int(ok.sum())), (seg.segment_index[ok], col[ok])),
                          shape=(len(seg.segments), int(keep.sum())))
    X.sum_duplicates()
    X.data[:] = 1.0
    return X, [str(t) for t in np.asarray(names, dtype=object)[keep]]


def merge_units(X: "csr_matrix", doc_ids: Sequence[Any], min_terms: int) -> NDArray[np.int64]:
    """Unit of each segment: consecutive segments of a document merged until ≥ ``min_terms`` terms.

    A last, too small group of a document joins the previous unit of that document
    (rainette's ``compute_uc``). ``min_terms`` ≤ 1 keeps one unit per segment.

    Example:
        >>> from scipy.sparse import csr_matrix
        >>> merge_units(csr_matrix([[1, 0], [0, 1], [1, 1]]), ["a", "a", "a"], 2).tolist()
        [0, 0, 1]
    """
    n = X.shape[0]
    if min_terms <= 1:
        return np.arange(n, dtype=np.int64)
    indptr, indices = X.indptr, X.indices
    units = np.empty(n, dtype=np.int64)
    u = -1
    current: set[int] = set()
    prev_doc: Any = object()
    doc_start_unit = 0
    for i in range(n):
        d = doc_ids[i]
        if d != prev_doc:
            # a too-small tail of the previous document joins its previous unit
            if current and len(current) < min_terms and u > doc_start_unit:
                units[units == u] = u - 1
                u -= 1
            u += 1
            doc_start_unit = u
            current = set()
            prev_doc = d
        elif len(current) >= min_terms:
            u += 1
            current = set()
        current.update(indices[indptr[i]:indptr[i + 1]].tolist())
        units[i] = u
    if current and len(current) < min_terms and u > doc_start_unit:
        units[units == u] = u - 1
    _, units = np.unique(units, return_inverse=True)
    return units.astype(np.int64)


# -- 2. the bipartitions -------------------------------------------------------------------------
def _first_factor(X: "csr_matrix") -> NDArray[np.float64]:
    """Row coordinates on the first factor of the correspondence analysis of ``X``."""
    from .correspondence import ca_svd

    sol = ca_svd(X, 1, dense_cells=250_000)
    if sol.singular_values.size == 0 or sol.singular_values[0] <= 1e-12:
        return np.zeros(X.shape[0])
    return sol.u[:, 0] / np.sqrt(sol.row_mass)


def _chi2_two_rows(A: Any, n1: Any, n: float) -> Any:
    """χ² of a 2 × p table from ``A = Σ_j a_j² / C_j`` (a: first row, C: column totals)."""
    n2 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = n * n * A / (n1 * n2) - n * n1 / n2
    return np.where((n1 > 0) & (n2 > 0), out, -np.inf)


def _best_cut(X: "csr_matrix", order: NDArray[np.int64]) -> tuple[int, float]:
    """Position of the cut of the ordered rows with the largest χ² (rows ``order[:i+1]`` vs the rest)."""
    Xo = X[order].tocsc()
    C = np.asarray(Xo.sum(axis=0)).ravel()
    n = float(C.sum())
    # A_i = Σ_j (count of column j in the first i+1 rows)² / C_j; each nonzero of rank k in
    # its column adds (2k - 1) / C_j at its row
    counts = np.diff(Xo.indptr)
    ranks = np.arange(Xo.nnz) - np.repeat(Xo.indptr[:-1], counts) + 1
    cols = np.repeat(np.arange(Xo.shape[1]), counts)
    delta = (2 * ranks - 1) / C[cols]
    A = np.cumsum(np.bincount(Xo.indices, weights=delta * Xo.data, minlength=Xo.shape[0]))
    n1 = np.cumsum(np.asarray(Xo.sum(axis=1)).ravel())
    chi2 = _chi2_two_rows(A[:-1], n1[:-1], n)
    i = int(np.argmax(chi2))
    return i, float(chi2[i])


def _switch(X: "csr_matrix", in1: NDArray[np.bool_], chi2: float, *, max_moves: int) -> tuple[NDArray[np.bool_], float]:
    """Move one row at a time to the other half while the move raises the χ² (rainette's switch_docs)."""
    C = np.asarray(X.sum(axis=0)).ravel()
    n = float(C.sum())
    s = np.asarray(X.sum(axis=1)).ravel()
    invC = 1.0 / C
    h = X @ invC
    in1 = in1.copy()
    a = np.asarray(X[in1].sum(axis=0)).ravel()
    for _ in range(max_moves):
        A = float((a * a * invC).sum())
        n1 = float(a.sum())
        g = X @ (a * invC)
        sign = np.where(in1, -1.0, 1.0)
        A_new = A + sign * 2 * g + h
        n1_new = n1 + sign * s
        cand = _chi2_two_rows(A_new, n1_new, n)
        # a half is never emptied
        k1 = int(in1.sum())
        if k1 == 1:
            cand[in1] = -np.inf
        if k1 == len(in1) - 1:
            cand[~in1] = -np.inf
        best = int(np.argmax(cand))
        if not cand[best] > chi2 * (1 + 1e-12) + 1e-12:
            break
        row = X.getrow(best).toarray().ravel()
        a = a - row if in1[best] else a + row
        in1[best] = not in1[best]
        chi2 = float(cand[best])
    return in1, chi2


def _select_features(X: "csr_matrix", in1: NDArray[np.bool_], cc_test: float, tsj: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Terms kept in each half (rainette's select_features)."""
    t1 = np.asarray(X[in1].sum(axis=0)).ravel()
    t2 = np.asarray(X[~in1].sum(axis=0)).ravel()
    tot = t1 + t2
    prop = tot / tot.sum()
    e1, e2 = prop * t1.sum(), prop * t2.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.nan_to_num((t1 - e1) ** 2 / e1) + np.nan_to_num((t2 - e2) ** 2 / e2)
        cc = np.sqrt(chi2 / (chi2 + tot))
    low = cc <= cc_test
    keep1 = (t1 >= tsj) & (low | (t1 > e1))
    keep2 = (t2 >= tsj) & (low | (t2 > e2))
    return keep1, keep2


@dataclass
class _Group:
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    node: int


@dataclass
class CHD:
    """A descending hierarchical classification of the rows of a matrix.

    Attributes:
        labels: class of each row, 1…K (0 = unclassified).
        splits: one dict per split, in order (see ``Reinert.tree``).
        nodes: rows of every node of the tree (root 0), for crossing trees.
        leaves: the node of each class (``leaves[c - 1]``).
    """

    labels: NDArray[np.int64]
    splits: list[dict[str, Any]] = field(default_factory=list)
    nodes: dict[int, NDArray[np.int64]] = field(default_factory=dict)
    leaves: list[int] = field(default_factory=list)


def chd(X: "csr_matrix", k: int, *, min_split_members: int = 10, cc_test: float = 0.3, tsj: int = 3) -> CHD:
    """Reinert's classification of the rows of a 0/1 matrix into at most ``k`` classes.

    Args:
        X: units × terms presence matrix (``scipy.sparse``).
        k: the number of classes aimed at (``k - 1`` splits at most).
        min_split_members: a class with fewer units is not split (splitting stops).
        cc_test: contingency coefficient above which a term stays only on its side after a split.
        tsj: a term present in fewer units of a half is dropped from that half.

    Returns:
        A :class:`CHD`.

    Example:
        >>> res = chd(X, 5)                                # doctest: +SKIP
        >>> np.bincount(res.labels)                        # doctest: +SKIP
    """
    from scipy import sparse

    X = sparse.csr_matrix(X, dtype=np.float64)
    n_rows = X.shape[0]
    groups = [_Group(np.arange(n_rows, dtype=np.int64), np.arange(X.shape[1], dtype=np.int64), 0)]
    nodes: dict[int, NDArray[np.int64]] = {0: groups[0].rows}
    splits: list[dict[str, Any]] = []
    next_node = 1
    min_split_members = max(int(min_split_members), 3)
    for step in range(1, max(int(k), 1)):
        b = int(np.argmax([len(g.rows) for g in groups]))
        g = groups[b]
        if len(g.rows) < min_split_members:
            break
        sub = X[g.rows][:, g.cols]
        row_ok = np.asarray(sub.sum(axis=1)).ravel() > 0
        col_ok = np.asarray(sub.sum(axis=0)).ravel() > 0
        sub = sub[row_ok][:, col_ok]
        rows, cols = g.rows[row_ok], g.cols[col_ok]
        if sub.shape[0] < 3 or sub.shape[1] < 3:
            break
        coord = _first_factor(sub)
        if not np.any(coord):
            break
        order = np.argsort(coord, kind="stable")
        cut, chi2 = _best_cut(sub, order)
        in1 = np.zeros(sub.shape[0], dtype=bool)
        in1[order[: cut + 1]] = True
        in1, chi2 = _switch(sub, in1, chi2, max_moves=10 * sub.shape[0])
        keep1, keep2 = _select_features(sub, in1, cc_test, tsj)
        left = _Group(rows[in1], cols[keep1], next_node)
        right = _Group(rows[~in1], cols[keep2], next_node + 1)
        nodes[left.node], nodes[right.node] = left.rows, right.rows
        splits.append({"step": step, "node": g.node, "left": left.node, "right": right.node, "chi2": chi2,
                       "size": int(len(rows)), "size_left": int(len(left.rows)), "size_right": int(len(right.rows))})
        next_node += 2
        groups[b: b + 1] = [left, right]
    labels = np.zeros(n_rows, dtype=np.int64)
    if splits:
        for c, grp in enumerate(groups, start=1):
            labels[grp.rows] = c
    leaves = [grp.node for grp in groups] if splits else []
    return CHD(labels, splits, nodes, leaves)


def _cross(first: CHD, second: CHD, units1: NDArray[np.int64], units2: NDArray[np.int64], n_segments: int, *,
           k: int, min_members: int) -> tuple[NDArray[np.int64], list[dict[str, Any]]]:
    """Double classification: greedy choice of disjoint, significant crossings of two trees' classes."""
    def members(res: CHD, units: NDArray[np.int64]) -> list[tuple[int, NDArray[np.bool_]]]:
        out = []
        for node, rows in sorted(res.nodes.items()):
            if node == 0:
                continue
            mask = np.zeros(units.max() + 1 if len(units) else 0, dtype=bool)
            mask[rows] = True
            out.append((node, mask[units]))
        return out

    m1, m2 = members(first, units1), members(second, units2)
    N = float(n_segments)
    candidates = []
    for node1, a in m1:
        for node2, b in m2:
            both = a & b
            n_both = int(both.sum())
            if n_both < min_members:
                continue
            n1, n2 = float(a.sum()), float(b.sum())
            chi2 = _signed_chi2(np.array([n_both]), np.array([n1]), np.array([n2]), N)[0]
            if chi2 > CHI2_05:
                candidates.append((-chi2, -n_both, node1, node2, both))
    candidates.sort(key=lambda c: (c[0], c[1], c[2], c[3]))
    masks = np.array([c[4] for c in candidates], dtype=np.float64).reshape(len(candidates), n_segments)
    overlap = (masks @ masks.T) > 0
    picked = _best_partition(np.array([-c[0] for c in candidates]), overlap, k)
    chosen = [(candidates[i][2], candidates[i][3], -candidates[i][0], candidates[i][4]) for i in picked]
    # number classes in the order of the first tree's leaves
    leaf_rank = {node: i for i, node in enumerate(first.leaves)}

    def rank(node: int) -> int:
        rows = first.nodes[node]
        leaf_rows = [(leaf_rank[leaf], first.nodes[leaf]) for leaf in first.leaves]
        return min((r for r, lr in leaf_rows if np.intersect1d(lr, rows).size), default=len(leaf_rank))

    chosen.sort(key=lambda c: (rank(c[0]), c[0], c[1]))
    labels = np.zeros(n_segments, dtype=np.int64)
    crossings = []
    for c, (node1, node2, chi2, both) in enumerate(chosen, start=1):
        labels[both] = c
        crossings.append({"cluster": c, "node1": node1, "node2": node2, "chi2": chi2, "size": int(both.sum())})
    return labels, crossings


def _best_partition(chi2: NDArray[np.float64], overlap: NDArray[np.bool_], k: int, *, max_visits: int = 200_000) -> list[int]:
    """Indices of the disjoint candidates, as many as possible up to ``k``, with the largest total χ².

    A branch-and-bound search over candidates sorted by decreasing χ² (rainette2 enumerates
    every partition); after ``max_visits`` nodes the best partition found so far is kept.
    """
    n = len(chi2)
    prefix = np.concatenate([[0.0], np.cumsum(chi2)])
    for target in range(min(k, n), 1, -1):
        best: list[Any] = [-np.inf, None]
        visits = 0

        def dfs(start: int, chosen: list[int], total: float) -> None:
            nonlocal visits
            visits += 1
            if len(chosen) == target:
                if total > best[0]:
                    best[0], best[1] = total, list(chosen)
                return
            need = target - len(chosen)
            for i in range(start, n - need + 1):
                if visits > max_visits or total + prefix[i + need] - prefix[i] <= best[0]:
                    return
                if chosen and overlap[i, chosen].any():
                    continue
                chosen.append(i)
                dfs(i + 1, chosen, total + float(chi2[i]))
                chosen.pop()

        dfs(0, [], 0.0)
        if best[1] is not None:
            return best[1]
    return [0] if n else []


# -- 3. characteristic terms ----------------------------------------------------------------------
def _signed_chi2(f: NDArray[Any], n_class: NDArray[Any], F: NDArray[Any], N: float) -> NDArray[np.float64]:
    """Signed χ² of the 2 × 2 table (in the class or not) × (has the term or not), no continuity correction."""
    f, n_class, F = (np.asarray(x, dtype=np.float64) for x in (f, n_class, F))
    a, b, c = f, n_class - f, F - f
    d = N - n_class - F + f
    denom = n_class * (N - n_class) * F * (N - F)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(denom > 0, N * (a * d - b * c) ** 2 / denom, 0.0)
    expected = n_class * F / N if N > 0 else np.zeros_like(f)
    return np.where(f < expected, -chi2, chi2)


def term_chi2(X: "csr_matrix", labels: NDArray[np.int64], terms: Sequence[str]) -> "pd.DataFrame":
    """Signed χ² of every term in every class, over the classified rows (label > 0).

    Returns:
        ``cluster``, ``term``, ``f`` (rows of the class containing the term), ``chi2`` (positive:
        over-represented in the class), ``p`` (χ² with 1 df); sorted by class then decreasing χ².
    """
    import pandas as pd
    from scipy import sparse
    from scipy.stats import chi2 as chi2_law

    K = int(labels.max()) if len(labels) else 0
    ok = labels > 0
    if K == 0 or not ok.any():
        return _typed(pd.DataFrame(), TERM_COLUMNS)
    rows = np.flatnonzero(ok)
    ind = sparse.csr_matrix((np.ones(len(rows)), (labels[rows] - 1, rows)), shape=(K, X.shape[0]))
    counts = np.asarray((ind @ X).todense())  # K × terms
    n_class = np.bincount(labels[rows] - 1, minlength=K).astype(np.float64)
    F = counts.sum(axis=0)
    N = float(len(rows))
    present = F > 0
    counts, F = counts[:, present], F[present]
    names = np.asarray(terms, dtype=object)[present]
    chi2 = _signed_chi2(counts, n_class[:, None], F[None, :], N)
    out = pd.DataFrame({
        "cluster": np.repeat(np.arange(1, K + 1), len(names)),
        "term": np.tile(names, K),
        "f": counts.ravel().astype(np.int64),
        "chi2": chi2.ravel(),
    })
    out["p"] = chi2_law.sf(np.abs(out["chi2"].to_numpy()), 1)
    out = out.sort_values(["cluster", "chi2", "term"], ascending=[True, False, True], kind="stable")
    return _typed(out, TERM_COLUMNS)


def _typed(df: "pd.DataFrame", spec: dict[str, str]) -> "pd.DataFrame":
    import pandas as pd

    for col, dtype in spec.items():
        if col not in df.columns:
            df[col] = pd.Series(dtype=dtype)
    extra = [c for c in df.columns if c not in spec]
    return df[list(spec) + extra].reset_index(drop=True).astype(spec)


# -- 4. the result ---------------------------------------------------------------------------------
def classify(
    seg: SegmentedTokens,
    k: int = 10,
    *,
    min_count: int = 3,
    min_segment_size: int | None = None,
    min_segment_size2: int | None = None,
    min_split_members: int = 10,
    double: bool = False,
    cc_test: float = 0.3,
    tsj: int = 3,
) -> tuple[NDArray[np.int64], "csr_matrix", list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Classify segments: ``(labels per segment, presence matrix, terms, splits, crossings)``.

    ``labels`` are 1…K, 0 for unclassified segments. See :meth:`Reinert.from_segments`.
    """
    X, terms = presence_matrix(seg, min_count=min_count)
    docs = seg.segments["doc_id"].astype("string").fillna("").to_numpy(dtype=object)
    n = X.shape[0]
    if n == 0 or X.shape[1] == 0:
        return np.zeros(n, dtype=np.int64), X, terms, [], []

    def run(min_terms: int) -> tuple[CHD, NDArray[np.int64]]:
        from scipy import sparse

        units = merge_units(X, docs, min_terms)
        U = sparse.csr_matrix((np.ones(n), (units, np.arange(n))), shape=(int(units.max()) + 1, n)) @ X
        U.data[:] = 1.0
        return chd(U, k, min_split_members=min_split_members, cc_test=cc_test, tsj=tsj), units

    if not double:
        res, units = run(min_segment_size or 0)
        return res.labels[units], X, terms, res.splits, []
    size1 = 10 if min_segment_size is None else min_segment_size
    size2 = int(round(1.5 * size1)) if min_segment_size2 is None else min_segment_size2
    res1, units1 = run(size1)
    res2, units2 = run(size2)
    labels, crossings = _cross(res1, res2, units1, units2, n, k=k, min_members=min_split_members)
    return labels, X, terms, res1.splits, crossings


class Reinert:
    """The lexical worlds of a corpus: Reinert's classification of its text segments.

    Attributes:
        segments: one row per text segment: ``doc_id``, ``segment_id``, ``text``, ``cluster``
            (NA when unclassified), ``start_char``, ``end_char``, ``n_tokens``, ``n_terms``, then
            the ``by`` columns.
        clusters: ``cluster``, ``size`` (segments), ``share`` (of the classified segments).
        terms: ``cluster``, ``term``, ``f`` (segments of the class containing the term), ``chi2``
            (signed: positive = over-represented in the class), ``p``; every term, every class.
        tree: the splits in order (``step``, ``node`` split, its halves ``left`` and ``right``,
            ``chi2``, sizes, and ``left_cluster``/``right_cluster`` when a half is a final class).
            With ``double=True`` it is the tree of the first classification, whose leaves are
            not the final classes (``*_cluster`` then NA); ``crossings`` lists the classes.
        crossings: with ``double=True``, the crossed classes kept (``cluster``, ``node1``,
            ``node2``, ``chi2``, ``size``); empty otherwise.

    Example:
        >>> rei = analysis.reinert(6)                                    # doctest: +SKIP
        >>> rei.clusters                                                  # doctest: +SKIP
        >>> rei.terms.query("cluster == 1").head(10)                      # doctest: +SKIP
        >>> rei.crosstab("stance")                                        # doctest: +SKIP
    """

    def __init__(self, segments: "pd.DataFrame", terms: "pd.DataFrame", tree: "pd.DataFrame",
                 crossings: "pd.DataFrame", *, documents: "pd.DataFrame | None" = None,
                 arguments: "pd.DataFrame | None" = None, by: Sequence[str] = (),
                 matrix: "csr_matrix | None" = None, term_names: Sequence[str] = ()):
        import pandas as pd

        self.segments = segments
        self._matrix = matrix
        self._term_names = list(term_names)
        self.terms = terms
        self.tree = tree
        self.crossings = crossings
        self.by = list(by)
        self._documents = documents
        self._arguments = arguments
        cl = segments["cluster"].dropna().astype(np.int64)
        sizes = cl.value_counts().sort_index()
        total = int(sizes.sum())
        self.clusters = _typed(pd.DataFrame({"cluster": sizes.index.to_numpy(), "size": sizes.to_numpy(),
                                             "share": sizes.to_numpy() / total if total else sizes.to_numpy()}),
                               CLUSTER_COLUMNS)

    @classmethod
    def from_segments(
        cls,
        seg: SegmentedTokens,
        k: int = 10,
        *,
        min_count: int = 3,
        min_segment_size: int | None = None,
        min_segment_size2: int | None = None,
        min_split_members: int = 10,
        double: bool = False,
        cc_test: float = 0.3,
        tsj: int = 3,
        documents: "pd.DataFrame | None" = None,
        arguments: "pd.DataFrame | None" = None,
        by: Sequence[str] = (),
    ) -> "Reinert":
        """Classify segments cut by :func:`segment_tokens` (see the module docstring).

        Example:
            >>> seg = segment_tokens(analysis.tokens)                   # doctest: +SKIP
            >>> Reinert.from_segments(seg, 6).clusters                  # doctest: +SKIP
        """
        import pandas as pd

        if k < 2:
            raise ValueError(f"k must be at least 2 classes (got {k}).")
        labels, X, terms, splits, crossings = classify(
            seg, k, min_count=min_count, min_segment_size=min_segment_size, min_segment_size2=min_segment_size2,
            min_split_members=min_split_members, double=double, cc_test=cc_test, tsj=tsj)
        segments = seg.segments.copy()
        segments["cluster"] = pd.array(np.where(labels > 0, labels, 0), dtype="Int64")
        segments.loc[labels == 0, "cluster"] = pd.NA
        for col in by:
            segments[col] = _doc_column(documents, col).reindex(segments["doc_id"].to_numpy()).to_numpy()
            segments[col] = segments[col].astype("string")
        segments = _typed(segments, SEGMENT_COLUMNS)
        tree = pd.DataFrame(splits)
        if len(tree) and not double:
            leaf_cluster = _leaf_clusters(splits)
            tree["left_cluster"] = tree["left"].map(leaf_cluster)
            tree["right_cluster"] = tree["right"].map(leaf_cluster)
        tree = _typed(tree, TREE_COLUMNS)
        cross = pd.DataFrame(crossings, columns=["cluster", "node1", "node2", "chi2", "size"])
        return cls(segments, term_chi2(X, labels, terms), tree, cross, documents=documents, arguments=arguments, by=by,
                   matrix=X, term_names=terms)

    def __repr__(self) -> str:
        n = len(self.segments)
        classified = int(self.clusters["size"].sum())
        return (f"<Reinert: {len(self.clusters)} classes, {classified} of {n} segments classified "
                f"({classified / n if n else 0:.0%})>")

    def top_terms(self, n: int = 10) -> "pd.DataFrame":
        """The ``n`` most over-represented terms of each class (positive χ², decreasing).

        Example:
            >>> rei.top_terms(5)                                          # doctest: +SKIP
        """
        pos = self.terms[self.terms["chi2"] > 0]
        return pos.groupby("cluster", sort=True).head(n).reset_index(drop=True)

    def characteristic_segments(self, n: int = 3) -> "pd.DataFrame":
        """The ``n`` segments of each class richest in its over-represented terms (IRaMuTeQ's score).

        A segment's score is the sum of the χ² of the class's over-represented terms it holds.

        Example:
            >>> rei.characteristic_segments(3)[["cluster", "text"]]     # doctest: +SKIP
        """
        import pandas as pd

        mask = self.segments["cluster"].notna().to_numpy()
        seg = self.segments[mask]
        if seg.empty or self.terms.empty or self._matrix is None:
            return seg.assign(score=pd.Series(dtype="float64")).iloc[0:0]
        X = self._matrix[np.flatnonzero(mask)]
        cl = seg["cluster"].astype(np.int64).to_numpy()
        col = {t: j for j, t in enumerate(self._term_names)}
        scores = np.zeros(len(seg))
        pos = self.terms[self.terms["chi2"] > 0]
        for c, grp in pos.groupby("cluster", sort=True):
            w = np.zeros(len(col))
            for t, x in zip(grp["term"].astype(str), grp["chi2"].to_numpy(dtype=np.float64)):
                if t in col:
                    w[col[t]] = x
            rows = np.flatnonzero(cl == int(c))
            scores[rows] = X[rows] @ w
        seg = seg.assign(score=scores)
        seg = seg.sort_values(["cluster", "score", "doc_id", "segment_id"], ascending=[True, False, True, True], kind="stable")
        return seg.groupby("cluster", sort=True).head(n).reset_index(drop=True)

    def crosstab(self, by: str) -> "pd.DataFrame":
        """Classes against a documents column, argument labels, objection categories or stance.

        Each cell counts the classified segments of a class that carry the modality (for
        ``"label"`` and ``"category"``: hold at least one such detection) and gives the signed
        χ² of the 2 × 2 table (in the class or not × with the modality or not), as IRaMuTeQ
        profiles a class: positive = the modality is over-represented in the class.

        Args:
            by: a column of ``documents`` (``"part"``, ``"author"``, ``"stance"``, …, or
                ``"year"``/``"month"``), ``"label"`` (argument labels) or ``"category"``
                (objection categories).

        Returns:
            ``cluster``, the ``by`` column, ``count``, ``share`` (of the class's segments),
            ``chi2``, ``p``; every class × modality.

        Example:
            >>> rei.crosstab("category").query("chi2 > 3.84")             # doctest: +SKIP
        """
        import pandas as pd
        from scipy.stats import chi2 as chi2_law

        seg = self.segments[self.segments["cluster"].notna()].reset_index(drop=True)
        cl = seg["cluster"].astype(np.int64).to_numpy()
        if by in ("label", "category"):
            pairs = self._argument_pairs(seg, by)
        else:
            if by in seg.columns and by in self.by:
                values = seg[by].astype("string")
            else:
                values = pd.Series(_doc_column(self._documents, by).reindex(seg["doc_id"].to_numpy()).to_numpy(), dtype="string")
            values = values.fillna("non renseigné")
            pairs = pd.DataFrame({"row": np.arange(len(seg)), "value": values.to_numpy(dtype=object)})
        spec = {"cluster": "Int64", by: "string", "count": "int64", "share": "float64", "chi2": "float64", "p": "float64"}
        if seg.empty or pairs.empty:
            return _typed(pd.DataFrame(), spec)
        pairs = pairs.drop_duplicates()
        codes, names = pd.factorize(pairs["value"], sort=True)
        K = int(cl.max())
        table = np.zeros((K, len(names)))
        np.add.at(table, (cl[pairs["row"].to_numpy()] - 1, codes), 1)
        n_class = np.bincount(cl - 1, minlength=K).astype(np.float64)
        F = np.bincount(codes, minlength=len(names)).astype(np.float64)
        chi2 = _signed_chi2(table, n_class[:, None], F[None, :], float(len(seg)))
        out = pd.DataFrame({"cluster": np.repeat(np.arange(1, K + 1), len(names)),
                            by: np.tile(np.asarray(names, dtype=object), K),
                            "count": table.ravel().astype(np.int64),
                            "share": (table / np.maximum(n_class[:, None], 1)).ravel(), "chi2": chi2.ravel()})
        out["p"] = chi2_law.sf(np.abs(out["chi2"].to_numpy()), 1)
        return _typed(out, spec)

    def _argument_pairs(self, seg: "pd.DataFrame", by: str) -> "pd.DataFrame":
        """(segment row, label or category) for every detection whose cue lies in a segment."""
        import pandas as pd

        args = self._arguments
        empty = pd.DataFrame({"row": pd.Series(dtype=np.int64), "value": pd.Series(dtype=object)})
        if args is None or args.empty:
            return empty
        if by == "category":
            args = args[(args["label"] == "objection").fillna(False).astype(bool) & args["category"].notna()]
        pos = args["cue_start"].astype("Int64").fillna(args["start_char"].astype("Int64"))
        a = pd.DataFrame({"doc_id": args["doc_id"].astype(str).to_numpy(), "pos": pos.fillna(-1).astype(np.int64).to_numpy(),
                          "value": args[by].astype(str).to_numpy()})
        s = pd.DataFrame({"doc_id": seg["doc_id"].astype(str).to_numpy(), "start": seg["start_char"].fillna(-1).astype(np.int64).to_numpy(),
                          "end": seg["end_char"].fillna(-1).astype(np.int64).to_numpy(), "row": np.arange(len(seg))})
        m = a.merge(s, on="doc_id", how="inner")
        m = m[(m["pos"] >= m["start"]) & (m["pos"] < m["end"])]
        return m[["row", "value"]].reset_index(drop=True) if len(m) else empty


def _leaf_clusters(splits: list[dict[str, Any]]) -> dict[int, int]:
    """Final class of every leaf node, numbered in leaf order (as :func:`chd` numbers them)."""
    order = [0]
    for s in splits:
        i = order.index(s["node"])
        order[i: i + 1] = [s["left"], s["right"]]
    return {node: c for c, node in enumerate(order, start=1)}


def _doc_column(documents: "pd.DataFrame | None", col: str) -> "pd.Series":
    """A documents column (or the derived ``year``/``month``) indexed by ``doc_id``."""
    import pandas as pd

    from .summaries import DERIVED

    if documents is None:
        raise KeyError(f"Cannot cross the classes with {col!r}: no documents table was given.")
    docs = documents.drop_duplicates("doc_id")
    index = pd.Index(docs["doc_id"].astype(str), name="doc_id")
    if col in docs.columns:
        return pd.Series(docs[col].astype("string").to_numpy(), index=index)
    if col in DERIVED:
        width = DERIVED[col]
        value = docs["date"].astype("string").str.slice(0, width)
        pattern = r"^\d{4}$" if width == 4 else r"^\d{4}-\d{2}$"
        value = value.where(value.str.match(pattern).fillna(False).astype(bool), pd.NA)
        return pd.Series(value.to_numpy(), index=index, dtype="string")
    known = sorted(set(docs.columns) | set(DERIVED) | {"label", "category"})
    raise KeyError(f"Cannot cross the classes with {col!r}: not a column of analysis.documents. Use one of {known}.")
