"""``Analysis``: the tables of an analysed corpus, and convenience methods that delegate."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .tables import TABLES, frame

if TYPE_CHECKING:
    import pandas as pd

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
    def from_rows(cls, rows: dict[str, list[dict[str, Any]]], errors: Iterable[dict[str, Any]], *, target: str | None = None) -> "Analysis":
        tables = {name: frame(name, part) for name, part in rows.items()}
        tables["errors"] = frame("errors", errors)
        analysis = cls(tables, target=target)
        analysis._finish()
        return analysis

    def _finish(self) -> None:
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
        docs["agreement"] = agreement_column(self).astype("string")

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
