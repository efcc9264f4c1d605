"""Stance toward a target and agreement between a comment and its post.

- :mod:`discours.pipeline.stance` scores sentences and documents inside the spaCy pipeline;
- :mod:`.agreement` compares each comment with its post (``agreement`` column);
- :mod:`.evidence` returns the sentences that decided a document's stance;
- :mod:`.train`, :mod:`.model`, :mod:`.evaluate` learn stance from labelled examples and score it.

Example:
    >>> from discours.stance import train_stance, evaluate_stance          # doctest: +SKIP
    >>> train_stance("exemples.jsonl", "modele_position")                   # doctest: +SKIP
    >>> evaluate_stance("test.jsonl", model="modele_position")["macro_f1"]  # doctest: +SKIP
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "agreement_column",
    "cross_validate",
    "evaluate_stance",
    "load_examples",
    "load_model",
    "predict_stance",
    "stance_evidence",
    "stance_scores",
    "train_stance",
]

_LAZY = {
    "agreement_column": "agreement",
    "cross_validate": "evaluate",
    "evaluate_stance": "evaluate",
    "load_examples": "data",
    "load_model": "model",
    "predict_stance": "train",
    "stance_evidence": "evidence",
    "stance_scores": "evaluate",
    "train_stance": "train",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
