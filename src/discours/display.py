"""Documents shown with highlighted argument spans and markers (Jupyter and standalone HTML)."""
from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis

COLORS = {
    "objection": "#f8b4b4",
    "rebuttal": "#a7e3b5",
    "concession": "#fde68a",
    "rhetorical_question": "#c4b5fd",
    "authority": "#93c5fd",
    "example": "#fdba74",
    "attributed": "#e5e7eb",
}


@dataclass
class DocumentView:
    """An HTML rendering of one document; displays itself in Jupyter.

    Example:
        >>> DocumentView.from_analysis(analysis, "billet-1").save("billet-1.html")   # doctest: +SKIP
    """

    html: str
    doc_id: str

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | os.PathLike[str]) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        page = f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{html.escape(self.doc_id)}</title></head><body>{self.html}</body></html>'
        p.write_text(page, encoding="utf-8")
        return p

    @classmethod
    def from_analysis(cls, analysis: "Analysis", doc_id: str) -> "DocumentView":
        docs = analysis.documents
        match = docs[docs["doc_id"] == doc_id]
        if match.empty:
            raise KeyError(f"No document {doc_id!r} in this analysis; see analysis.documents.doc_id for the ids.")
        row = match.iloc[0]
        text = str(row["text"]) if row["text"] is not None else ""
        sents = analysis.sentences[analysis.sentences["doc_id"] == doc_id]
        args = analysis.arguments[analysis.arguments["doc_id"] == doc_id]
        marks = analysis.markers[analysis.markers["doc_id"] == doc_id]
        labels_of: dict[int, list[tuple[str, Any, Any, Any]]] = {}
        for a in args.itertuples(index=False):
            labels_of.setdefault(int(a.sent_id), []).append((a.label, a.category, a.rule, a.cue))
        return cls(render(row, text, sents, labels_of, marks), doc_id)


def _na(value: Any) -> Any:
    try:
        import pandas as pd

        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def render(row: Any, text: str, sents: Any, labels_of: dict[int, list[tuple[str, Any, Any, Any]]], marks: Any) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    # Character-level events: sentence spans (background = first label) and marker underlines.
    marker_ranges = [(int(m.start_char), int(m.end_char), str(m.sense), str(m.rule)) for m in marks.itertuples(index=False)]
    pieces_by_block: list[dict[str, str]] = []
    blocks = _blocks_from_text(text, sents)
    for kind, bstart, bend in blocks:
        out = []
        pos = bstart
        for s in sents.itertuples(index=False):
            s0, s1 = int(s.start_char), int(s.end_char)
            if s0 < bstart or s1 > bend:
                continue
            if pos < s0:
                out.append(html.escape(text[pos:s0]))
            labs = labels_of.get(int(s.sent_id), [])
            inner = _with_markers(text, s0, s1, marker_ranges)
            if labs:
                color = COLORS.get(labs[0][0], "#eee")
                title = "; ".join(f"{l}{'/' + str(_na(c)) if _na(c) else ''} — cue « {cue} » ({r})" for l, c, r, cue in labs)
                tags = "".join(
                    f'<span class="tag" style="background:{COLORS.get(l, "#eee")}">{html.escape(l)}{"·" + html.escape(str(_na(c))) if _na(c) else ""}</span>'
                    for l, c, _, _ in labs
                )
                out.append(f'<span class="lab" style="background:{color}" title="{html.escape(title)}">{inner}</span><span class="tags">{tags}</span>')
            else:
                out.append(inner)
            pos = s1
        if pos < bend:
            out.append(html.escape(text[pos:bend]))
        pieces_by_block.append({"kind": kind, "html": "".join(out)})
    env = Environment(loader=PackageLoader("discours", "templates"), autoescape=select_autoescape())
    template = env.get_template("document.v1.html.jinja")
    return template.render(
        doc_id=row["doc_id"], part=row["part"], author=_na(row["author"]), date=_na(row["date"]),
        stance=_na(row["stance"]), stance_score=_na(row["stance_score"]), agreement=_na(row["agreement"]),
        legend=list(COLORS.items()), blocks=pieces_by_block,
    )


def _blocks_from_text(text: str, sents: Any) -> list[tuple[str, int, int]]:
    """Recover block bounds: blocks are separated by blank lines in the cleaned text."""
    kinds = {int(s.start_char): str(s.block) for s in sents.itertuples(index=False)}
    out = []
    pos = 0
    for part in text.split("\n\n"):
        start, end = pos, pos + len(part)
        kind = next((k for c, k in kinds.items() if start <= c < end), "paragraph")
        out.append((kind, start, end))
        pos = end + 2
    return out


def _with_markers(text: str, s0: int, s1: int, markers: list[tuple[int, int, str, str]]) -> str:
    out = []
    pos = s0
    for m0, m1, sense, rule in sorted(markers):
        if m0 < pos or m1 > s1:
            continue
        out.append(html.escape(text[pos:m0]))
        out.append(f'<span class="marker" title="{html.escape(sense)} ({html.escape(rule)})">{html.escape(text[m0:m1])}</span>')
        pos = m1
    out.append(html.escape(text[pos:s1]))
    return "".join(out)
