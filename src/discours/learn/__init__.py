"""The learned argument layer: training, cross-validation by site, and the weights' format.

- :mod:`.linear`: a linear model over string features, stored as arrays (no pickle);
- :mod:`.webgold`: gold annotations of real web pages recorded as offsets (facts, not text);
- :mod:`.dataset`: gold records → one row per sentence (features, rule labels, gold labels);
- :mod:`.train`: fit, cross-validate by group, save (``discours train-arguments``).

Example:
    >>> from discours.learn import train_arguments                                   # doctest: +SKIP
    >>> train_arguments(["gold/web/pages.jsonl"], "modele/", texts="gold/web/texts")  # doctest: +SKIP
"""
from __future__ import annotations

from typing import Any

__all__ = ["ArgumentModel", "LinearModel", "cross_validate", "read_web_gold", "train_arguments"]

_LAZY = {
    "ArgumentModel": "model",
    "LinearModel": "linear",
    "cross_validate": "train",
    "read_web_gold": "webgold",
    "train_arguments": "train",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
