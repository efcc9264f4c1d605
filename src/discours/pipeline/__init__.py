"""spaCy side of discours: the French pipeline and the components it adds.

Every factory is registered when :mod:`discours.pipeline.factories` is imported (spaCy also finds
them through the ``spacy_factories`` entry points, so a saved pipeline loads with ``spacy.load``).
"""
from __future__ import annotations

from .nlp import PIPELINE_VERSION, get_nlp, load_pipeline

__all__ = ["PIPELINE_VERSION", "get_nlp", "load_pipeline"]
