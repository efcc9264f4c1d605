"""The sentences that decided a document's stance.

``analysis.stance_evidence`` is the tidy table (one row per scored sentence: ``score`` in
[-1, 1] toward the target, ``weight``, ``reason``); it is also callable:
``analysis.stance_evidence(doc_id)`` returns that document's rows, strongest first, with their
``contribution`` (score × weight), ``share`` of the document's evidence and whether they are
``decisive`` (on the side the document came out on).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..analysis import Analysis


def stance_evidence(source: "Analysis | pd.DataFrame", doc_id: str, *, decisive_only: bool = False) -> pd.DataFrame:
    """The sentences behind the stance of ``doc_id``, strongest contribution first.

    Args:
        source: an :class:`~discours.Analysis` or its ``stance_evidence`` table.
        doc_id: the document.
        decisive_only: keep only the sentences on the side the document came out on.

    Returns:
        ``doc_id``, ``sent_id``, ``text``, ``score``, ``weight``, ``contribution``, ``share``,
        ``decisive``, ``reason``.

    Example:
        >>> analysis.stance_evidence("000_f575c90b760d7ac5").head(3)   # pourquoi « favor » ?  # doctest: +SKIP
    """
    table = source.stance_evidence if hasattr(source, "stance_evidence") and not isinstance(source, pd.DataFrame) else source
    rows = pd.DataFrame(table[table["doc_id"] == doc_id]).copy()
    rows["contribution"] = (rows["score"].astype("Float64") * rows["weight"].astype("Float64")).astype("Float64")
    total = float(rows["contribution"].sum()) if len(rows) else 0.0
    mass = float(rows["contribution"].abs().sum()) if len(rows) else 0.0
    rows["share"] = (rows["contribution"].abs() / mass).astype("Float64") if mass else pd.Series(0.0, index=rows.index, dtype="Float64")
    side = 1 if total > 0 else (-1 if total < 0 else 0)
    rows["decisive"] = ((rows["contribution"] * side) > 0).astype("boolean") if side else pd.Series(False, index=rows.index, dtype="boolean")
    rows = rows.assign(_abs=rows["contribution"].abs()).sort_values(["_abs", "sent_id"], ascending=[False, True], kind="stable")
    if decisive_only:
        rows = rows[rows["decisive"].fillna(False)]
    cols = ["doc_id", "sent_id", "text", "score", "weight", "contribution", "share", "decisive", "reason"]
    return pd.DataFrame(rows[cols + [c for c in rows.columns if c not in cols and c != "_abs"]]).reset_index(drop=True)


class EvidenceTable(pd.DataFrame):
    """The ``stance_evidence`` table, callable with a doc_id (operations return plain DataFrames)."""

    @property
    def _constructor(self) -> Any:
        return pd.DataFrame

    def __call__(self, doc_id: str, *, decisive_only: bool = False) -> pd.DataFrame:
        """The sentences that decided the stance of ``doc_id`` (see :func:`stance_evidence`)."""
        return stance_evidence(pd.DataFrame(self), doc_id, decisive_only=decisive_only)


def evidence_table(table: pd.DataFrame) -> EvidenceTable:
    """Wrap the ``stance_evidence`` table so that ``analysis.stance_evidence(doc_id)`` works."""
    return table if isinstance(table, EvidenceTable) else EvidenceTable(table)
