"""Import every discours component so its factory is registered with spaCy.

``FACTORIES`` is the order in which :func:`discours.pipeline.load_pipeline` adds them: the
learned layer sits right after the rules it reads (arguments), and the document stance model
after the rule-based stance it refines.
"""
from __future__ import annotations

from . import arguments, learned, markers, sentences, stance  # noqa: F401  registers the factories

FACTORIES = [
    "discours_sentences",
    "discours_markers",
    "discours_arguments",
    "discours_argument_model",
    "discours_stance",
    "discours_document_stance",
]
