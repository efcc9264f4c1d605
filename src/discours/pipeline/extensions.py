"""Custom attributes, declared once (spaCy requires a single ``set_extension`` per name).

Values are plain (str, float, list, dict) so Docs survive ``n_process > 1`` and DocBin.
"""
from __future__ import annotations

#: span groups written by discours components
BLOCKS = "discours_blocks"
MARKERS = "discours_markers"
ARGUMENTS = "discours_arguments"
CUES = "discours_cues"
STANCE = "discours_stance"

_DONE = False


def register_extensions() -> None:
    """Declare ``Doc._.discours`` (document metadata and results) once per process."""
    global _DONE
    if _DONE:
        return
    from spacy.tokens import Doc

    if not Doc.has_extension("discours"):
        # {"doc_id":…, "part":…, "stance":…, "stance_score":…, "stance_evidence": [[sent_id, score, reason], …]}
        Doc.set_extension("discours", default=None)
    _DONE = True
