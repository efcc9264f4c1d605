"""``Analysis``: the tables of an analysed corpus, and convenience methods that delegate."""
from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Iterable, Literal

from .tables import TABLES, frame

if TYPE_CHECKING:
    import pandas as pd

    from .correspondence import Correspondence
    from .reinert import Reinert

#: tables written by ``save`` (and the CLI), in this order
SAVED_TABLES = ("documents", "sentences", "arguments", "markers", "stance_evidence", "errors")


class Analysis:
    """The result of :func:`discours.analyze`: tidy pandas tables, one row per unit.

    Attributes:
        documents: one row per post and per comment (metadata, counts, stance, agreement).
        sentences: one row per sentence or list item, with offsets in the cleaned text.
        tokens: one row per token (form, lemma, POS) for frequency and concordance work.
        arguments: one row per (sentence, label) detection, with cue and rule id.
        markers: one row per discourse marker, with its sense.
        stance_evidence: the sentences that decided each document's stance.
        errors: one row per input that could not be read or analysed.

    Example:
        >>> analysis = discours.analyze("corpus/")            # doctest: +SKIP
        >>> analysis.documents.groupby("part").size()          # doctest: +SKIP
    """

    documents: "pd.DataFrame"
    sentences: "pd.DataFrame"
    tokens: "pd.DataFrame"
    arguments: "pd.DataFrame"
    markers: "pd.DataFrame"
    stance_evidence: "pd.DataFrame"
    errors: "pd.DataFrame"

    def __init__(self, tables: dict[str, "pd.DataFrame"] | None = None, *, target: str | None = None):
        tables = tables or {}
        for name in TABLES:
            setattr(self, name, tables[name] if name in tables else frame(name))
        self.target = target
        from .stance.evidence import evidence_table  # also callable: analysis.stance_evidence(doc_id)

        self.stance_evidence = evidence_table(self.stance_evidence)

    @classmethod
    def from_rows(cls, rows: "dict[str, list[dict[str, Any]] | dict[str, list[Any]]]", errors: Iterable[dict[str, Any]], *,
                  target: str | None = None, arguments_model: str | None = None) -> "Analysis":
        """Tables from row dicts (or columns); ``arguments_model`` ("default", a folder or None)
        gives the learned agreement model, when the folder holds one."""
        tables = {name: frame(name, part) for name, part in rows.items()}
        tables["errors"] = frame("errors", errors)
        analysis = cls(tables, target=target)
        analysis._finish(arguments_model)
        return analysis

    def _finish(self, arguments_model: str | None = None) -> None:
        """Thread-level columns: comments per post, agreement of each comment with its post."""
        docs = self.documents
        if docs.empty:
            return
        counts = docs[docs["part"] == "comment"].groupby("post_id").size()
        is_post = docs["part"] == "post"
        docs.loc[is_post, "n_comments"] = docs.loc[is_post, "post_id"].map(counts).fillna(0).astype("Int64")
        try:
            from .stance.agreement import agreement_column
        except ModuleNotFoundError:
            return
        from .learn.model import agreement_model

        docs["agreement"] = agreement_column(self, agreement_model(arguments_model)).astype("string")

    # -- viewing ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        d = self.documents
        n_posts = int((d["part"] == "post").sum()) if len(d) else 0
        return (
            f"<Analysis: {n_posts} posts, {len(d) - n_posts} comments, {len(self.sentences)} sentences, "
            f"{len(self.arguments)} argument labels, {len(self.errors)} errors>"
        )

    def show(self, doc_id: str, *, path: str | os.PathLike[str] | None = None) -> Any:
        """Display a document with its argument spans and markers highlighted.

        In Jupyter this returns a displayable HTML object; with ``path`` it writes a standalone
        HTML file and returns its path.

        Example:
            >>> analysis.show("000_f575c90b760d7ac5")      # doctest: +SKIP
        """
        from .display import DocumentView

        view = DocumentView.from_analysis(self, doc_id)
        if path is not None:
            return view.save(path)
        return view

    # -- output -------------------------------------------------------------------------------
    def save(self, outdir: str | os.PathLike[str], *, format: str = "csv", tables: Iterable[str] = SAVED_TABLES) -> list[Path]:
        """Write the tables into ``outdir`` (CSV UTF-8 or Parquet), atomically; return the paths.

        Example:
            >>> analysis.save("resultats", format="parquet")    # doctest: +SKIP
        """
        from .output import write_table

        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        return [write_table(getattr(self, name), out / name, format=format) for name in tables]

    # -- lexical worlds and correspondence analysis (delegate to discours.reinert / .correspondence)
    def reinert(
        self,
        k: int = 10,
        *,
        unit: "Literal['lemma', 'form']" = "lemma",
        segment_size: int = 40,
        min_segment_size: int | None = None,
        min_segment_size2: int | None = None,
        min_split_members: int = 10,
        min_count: int = 3,
        double: bool = False,
        by: str | Sequence[str] | None = None,
        propn: bool = False,
        stopwords: "bool | Collection[str]" = True,
    ) -> "Reinert":
        """Lexical worlds: Reinert's descending hierarchical classification of text segments.

        The method of IRaMuTeQ and R's rainette (see :mod:`discours.reinert`): segments of about
        ``segment_size`` words cut at sentence ends, a segments × lemmas presence matrix of full
        words, successive bipartitions of the largest class along the first factor of its
        correspondence analysis, then reassignment of segments.

        Args:
            k: number of classes aimed at (``k - 1`` splits at most).
            unit: ``"lemma"`` or ``"form"``.
            segment_size: segment length aimed at, in words.
            min_segment_size: merge consecutive segments of a document until they hold this
                many terms before classifying (default: none; 10 with ``double=True``).
            min_segment_size2: the second unit size of a double classification (default 1.5 ×
                ``min_segment_size``).
            min_split_members: classes with fewer units are not split.
            min_count: terms present in fewer segments are left out.
            double: classify twice on two unit sizes and keep the stable crossed classes.
            by: documents column(s) copied onto ``segments`` (and crossable at once).
            propn: count proper nouns as full words.
            stopwords: True drops discours's French stop list; a collection replaces it.

        Returns:
            A :class:`~discours.reinert.Reinert`: ``segments``, ``clusters``, ``terms``, ``tree``,
            ``crosstab(by)``.

        Example:
            >>> mondes = analysis.reinert(6)                                 # doctest: +SKIP
            >>> mondes.terms.query("cluster == 1 and chi2 > 10")             # doctest: +SKIP
            >>> mondes.crosstab("category")                                  # objections × classes  # doctest: +SKIP
        """
        from .reinert import Reinert, segments_of

        by_cols = [by] if isinstance(by, str) else list(by or [])
        seg = segments_of(self.tokens, self.documents, segment_size=segment_size, unit=unit, propn=propn, stopwords=stopwords)
        return Reinert.from_segments(seg, k, min_count=min_count, min_segment_size=min_segment_size,
                                     min_segment_size2=min_segment_size2, min_split_members=min_split_members,
                                     double=double, documents=self.documents, arguments=self.arguments, by=by_cols)

    def correspondence(
        self,
        by: str | Sequence[str],
        *,
        unit: str = "lemma",
        min_count: int = 5,
        n_components: int = 5,
        full_words: bool = True,
        stopwords: "bool | Collection[str]" = True,
    ) -> "Correspondence":
        """Correspondence analysis (AFC) of the parts × terms contingency table.

        Args:
            by: the parts: column(s) of ``documents`` (``"part"``, ``"author"``, ``"year"``, …);
                several columns are crossed and their values joined with " | ".
            unit: any unit of :func:`~discours.summaries.frequencies` (``"lemma"``, ``"form"``,
                ``"category"``, ``"label"``, ``"marker"``, …).
            min_count: terms seen fewer times in the corpus are left out (then empty parts).
            n_components: dimensions kept (at most parts − 1 and terms − 1).
            full_words: for ``lemma``/``form``, keep nouns, verbs, adjectives and adverbs only.
            stopwords: True drops discours's French stop list (token units).

        Returns:
            A :class:`~discours.correspondence.Correspondence`: ``table``, ``eigenvalues``,
            ``rows`` and ``columns`` (coordinates, contributions, cos²).

        Example:
            >>> afc = analysis.correspondence("author", min_count=10)        # doctest: +SKIP
            >>> afc.eigenvalues                                               # doctest: +SKIP
        """
        import pandas as pd

        from .correspondence import Correspondence, contingency
        from .summaries import _occurrences, _partition

        part, cols = _partition(self, by)
        if not cols:
            raise ValueError("correspondence needs a partition: by='part', 'author', 'year', … (a column of analysis.documents).")
        if unit in ("lemma", "form") and full_words:
            # counts need no reading order: filter the tokens table directly (no sort)
            from .reinert import FULL_POS
            from .summaries import _is_stop, _stopset, _token_terms

            tok = self.tokens
            keep = (~tok["is_punct"].astype("boolean").fillna(False).to_numpy(dtype=bool)
                    & tok["pos"].astype("string").isin(FULL_POS).fillna(False).to_numpy(dtype=bool))
            tok = tok[keep]
            occ = pd.DataFrame({"doc_id": tok["doc_id"].astype("string").to_numpy(), "term": _token_terms(tok, unit).to_numpy(),
                                "is_stop": _is_stop(tok, _stopset(stopwords)).to_numpy(dtype=bool)})
        else:
            occ = _occurrences(self, unit, stopwords=stopwords)
        occ = occ[~occ["is_stop"].to_numpy(dtype=bool)]
        occ = occ.merge(part, on="doc_id", how="left")
        if len(cols) == 1:
            labels = occ[cols[0]].astype("string")
        else:
            labels = occ[cols].astype("string").fillna("NA").agg(" | ".join, axis=1).astype("string")
        counts, rows, terms = contingency(labels, occ["term"], min_count=min_count)
        return Correspondence(counts, rows, terms, by=" | ".join(cols), n_components=n_components)

    # -- summaries (delegate to discours.summaries) -------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # Summary methods live in discours.summaries; looked up lazily so pandas-free imports stay cheap.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            from . import summaries
        except ModuleNotFoundError:
            raise AttributeError(name) from None
        func = getattr(summaries, name, None)
        if func is None or name not in getattr(summaries, "__all__", ()):
            raise AttributeError(f"'Analysis' object has no attribute {name!r}")

        def method(*args: Any, **kwargs: Any) -> Any:
            return func(self, *args, **kwargs)

        method.__doc__ = func.__doc__
        method.__name__ = name
        return method
