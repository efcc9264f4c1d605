"""Build the French pipeline once, lazily: fr_core_news_sm + discours components."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelNotInstalledError, Msg

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "fr_core_news_sm"
#: bump when a component's output changes: the parse cache is keyed on it
PIPELINE_VERSION = "discours-pipeline-3"
#: what the analysis needs from the model; NER is not used (authority cues come from POS/lemmas)
MODEL_EXCLUDE = ("ner",)


def load_pipeline(model: str = DEFAULT_MODEL, *, blank: bool = False) -> "Language":
    """Load ``model`` (or a blank French pipeline for tests) and add the discours components.

    Example:
        >>> nlp = load_pipeline(blank=True)      # doctest: +SKIP
        >>> nlp.pipe_names[:1]                    # doctest: +SKIP
        ['discours_sentences']
    """
    import spacy

    from . import factories
    from .attributes import vectorize_attribute_ruler
    from .extensions import register_extensions
    from .lemmas import memoize_lemmatizer
    from .tokenizer import customize_tokenizer

    register_extensions()
    if blank:
        nlp = spacy.blank("fr")
        before = None
    else:
        try:
            nlp = spacy.load(model, exclude=list(MODEL_EXCLUDE))
        except OSError as exc:
            package = model.replace("_", "-")
            raise ModelNotInstalledError(Msg.MODEL_MISSING.format(name=model, package=package)) from exc
        before = "parser" if "parser" in nlp.pipe_names else None
        memoize_lemmatizer(nlp)
        vectorize_attribute_ruler(nlp)
    customize_tokenizer(nlp)
    nlp.add_pipe("discours_sentences", before=before) if before else nlp.add_pipe("discours_sentences", first=True)
    for name in factories.FACTORIES[1:]:
        nlp.add_pipe(name)
    return nlp


def get_nlp(model: "str | Language" = DEFAULT_MODEL) -> "Language":
    """The shared pipeline for ``model``, built on first use; a ``Language`` is returned as is.

    Passing a pipeline lets tests and users run ``analyze(..., model=nlp)`` on a pipeline they
    built themselves (e.g. ``load_pipeline(blank=True)``, fast and model-free).
    """
    if not isinstance(model, str):
        return model
    return _shared_nlp(model)


@lru_cache(maxsize=4)
def _shared_nlp(model: str) -> "Language":
    return load_pipeline(model)
