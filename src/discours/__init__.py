"""discours: argument patterns, objections and stance in French blog posts and comment threads.

Example:
    >>> import discours
    >>> analysis = discours.analyze("corpus/")              # doctest: +SKIP
    >>> analysis.arguments.label.value_counts()              # doctest: +SKIP
    >>> print(discours.evaluate("gold/quebec.gold.jsonl").summary())   # doctest: +SKIP

``import discours`` is cheap: spaCy, pandas and matplotlib are imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Corpus",
    "DiscoursError",
    "Document",
    "ModelNotInstalledError",
    "OutputError",
    "ReadError",
    "SourceNotFoundError",
    "__version__",
    "analyze",
    "analyze_to",
    "collect",
    "evaluate",
    "read_corpus",
]

from .errors import DiscoursError, ModelNotInstalledError, OutputError, ReadError, SourceNotFoundError

if TYPE_CHECKING:
    from .analysis import Analysis
    from .api import analyze, analyze_to
    from .web import collect
    from .corpus import Corpus, Document, read_corpus
    from .evaluation import evaluate

_LAZY = {
    "Analysis": ("analysis", "Analysis"),
    "analyze": ("api", "analyze"),
    "analyze_to": ("api", "analyze_to"),
    "collect": ("web", "collect"),
    "Corpus": ("corpus", "Corpus"),
    "Document": ("corpus", "Document"),
    "evaluate": ("evaluation", "evaluate"),
    "read_corpus": ("corpus", "read_corpus"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'discours' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
