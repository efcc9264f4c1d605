"""Files written next to the tables: per-document highlighted views (and, later, report.html)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .analysis import Analysis


def view_filename(doc_id: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", doc_id) + ".html"


def write_views(analysis: "Analysis", outdir: str | os.PathLike[str]) -> list[Path]:
    """Write ``OUTDIR/documents/<doc_id>.html`` for every document; return the paths."""
    from .display import DocumentView

    folder = Path(outdir) / "documents"
    paths = []
    for doc_id in analysis.documents["doc_id"]:
        paths.append(DocumentView.from_analysis(analysis, str(doc_id)).save(folder / view_filename(str(doc_id))))
    return paths
