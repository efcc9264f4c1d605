"""The learned layer: ``discours_argument_model`` and ``discours_document_stance``.

``discours_argument_model`` runs after ``discours_arguments``. It scores every sentence with a
linear model trained on real French web pages (features: :mod:`.features`, which include what
the rules found), combines model and rules per label as cross-validation chose, and rewrites
``doc.spans["discours_arguments"]``: a label both agree on keeps the rule's id and cue; a label
only the model gives has ``id_`` = ``model.arguments.v1`` and, as cue, the words that weighed
most for it in the sentence. Objection categories come from the model's category classifier.

``discours_document_stance`` runs after ``discours_stance``: for the default target (and no
stance model of the user's), a post's ``stance`` / ``stance_score`` come from the document
model; the rule-based evidence sentences stay, and the model's strongest features are kept in
``doc._.discours["stance_model_evidence"]``.

The weights ship in ``discours/models/arguments.v1`` (arrays and JSON, no pickle) and load on
first use. ``model=None`` (or ``analyze(arguments_model=None)``) keeps the rules alone.

Example:
    >>> nlp = load_pipeline()                                                   # doctest: +SKIP
    >>> doc = nlp("Beaucoup de dirigeants craignent les commentaires négatifs.")  # doctest: +SKIP
    >>> [(s.label_, s.id_) for s in doc.spans["discours_arguments"]]             # doctest: +SKIP
    [('objection', 'objection.reported.v1'), ('attributed', 'attributed.reporting_verb.v1')]
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from .extensions import ARGUMENTS, CUES, RULE_ARGUMENTS, SENTENCE_VECTORS, record_error, sentence_bounds, sentence_finder
from ..learn.model import MIN_SENTENCES, model_folder
from .arguments import LABELS
from .features import document_features, document_frame, label_features, lemma_counts, sentence_features, sentence_vectors, vectors_source

if TYPE_CHECKING:
    from ..learn.model import ArgumentModel

DEFAULT_MODEL = "default"
_LEXICAL = ("l=", "w=", "b=")




@lru_cache(maxsize=8)
def _load(path: str) -> "ArgumentModel":
    from ..learn.model import ArgumentModel

    return ArgumentModel.load(path)


def load_argument_model(model: str | Path | None) -> "ArgumentModel | None":
    """The model for ``model`` ("default" = shipped weights, a folder, or None = no model)."""
    folder = model_folder(model)
    return None if folder is None else _load(str(folder))


#: the last Doc the learned layer read and its lemmas (lemma_counts), for the document stance
_LAST_LEMMAS: list[Any] = [None, None]


class ArgumentModelComponent:
    """Combine the rules' argument labels with a learned model's, sentence by sentence."""

    def __init__(self, nlp: Language, name: str = "discours_argument_model", *, model: str | None = DEFAULT_MODEL):
        self.nlp = nlp
        self.name = name
        self.model_path = model
        self._loaded: tuple[str | None, ArgumentModel | None] | None = None
        self._source: str | None = None

    def set_model(self, model: str | Path | None) -> None:
        """Use the shipped weights ("default"), a folder written by ``train-arguments``, or None."""
        self.model_path = None if model is None else str(model)
        self._loaded = None
        if model is not None:
            self.current()  # fail now, with the folder named, not mid-batch

    # not a ``model`` attribute: spaCy takes one for a thinc Model when it looks for listeners
    def current(self) -> "ArgumentModel | None":
        """The model in use (loaded on first call), or None for the rules alone."""
        if self._loaded is None or self._loaded[0] != self.model_path:
            self._loaded = (self.model_path, load_argument_model(self.model_path))
        return self._loaded[1]

    def __call__(self, doc: Doc) -> Doc:
        model = self.current()
        try:
            bounds = sentence_bounds(doc)
            keep_vectors(doc, bounds)  # even for the rules alone: a later run may use the cached parse
            if model is not None and ARGUMENTS in doc.spans:
                self._apply(doc, model, bounds)
        except Exception as exc:  # noqa: BLE001 - the rules' labels stay; the batch goes on
            record_error(doc, self.name, exc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _reads_vectors(self, model: "ArgumentModel") -> bool:
        """Whether the model reads this pipeline's token vectors: it was trained on the same
        pipeline's (otherwise it counts each vector feature at its average)."""
        if model.vector_edges is None:
            return False
        trained_on = model.meta.get("vectors_from")
        if trained_on is None:
            return True
        if self._source is None:
            self._source = vectors_source(self.nlp.meta)  # nlp.meta is rebuilt on every read
        return trained_on == self._source

    def _apply(self, doc: Doc, model: "ArgumentModel", bounds: list[tuple[int, int]]) -> None:
        words: list[list[tuple[int, str, str]]] = []  # per sentence: (token, lemma, form) of its words
        feats = sentence_features(doc, words)
        sent_of = sentence_finder(bounds)
        rule_spans: list[dict[str, tuple[Span, Span]]] = [dict() for _ in bounds]
        old_cues = list(doc.spans[CUES]) if CUES in doc.spans else []
        for k, span in enumerate(doc.spans[ARGUMENTS]):
            sid = sent_of(span.start)
            if sid is not None and span.label_ not in rule_spans[sid]:
                rule_spans[sid][span.label_] = (span, old_cues[k] if k < len(old_cues) else span)
        indices: list[list[int]] = []
        first: list[Any] = []
        vectors = doc.user_data.get(SENTENCE_VECTORS) if self._reads_vectors(model) else None
        # the document's lemmas from the words the features were built on (no second walk over
        # the tokens); the document stance component, next on this Doc, reads them too
        lemmas = lemma_counts(words)
        _LAST_LEMMAS[:] = [doc, lemmas]
        prior = model.prior(lemmas + document_frame(doc, bounds)) if model.stance_prior is not None else []
        probs = model.sentence_probs(feats, indices, first, vectors, prior)
        final = model.decide(probs, feats, [set(r) for r in rule_spans])
        objections = [sid for sid, labs in enumerate(final) if "objection" in labs]
        rule_cats = [rule_spans[sid]["objection"][0].kb_id_ or None if "objection" in rule_spans[sid] else None for sid in objections]
        categories = dict(zip(objections, model.document_categories(feats, objections, rule_cats,
                                                                    first=first[0] if first else None, indices=indices,
                                                                    lemmas=list(set(lemmas)))))
        spans: list[Span] = []
        cues: list[Span] = []
        deciding = model.deciding
        label_index = {lab: j for j, lab in enumerate(deciding.outputs)}
        # the first stage's feature indices are valid in the deciding model when it extends its vocabulary
        shared = deciding is model.labels or model._shared("context")
        for sid, labs in enumerate(final):
            start, end = bounds[sid]
            learned_only = [lab for lab in LABELS if lab in labs and lab not in rule_spans[sid]]
            outs = [label_index[lab] for lab in learned_only]
            evidence = dict(zip(learned_only, _evidence(deciding, indices[sid], feats[sid], outs) if shared else
                                deciding.evidence_many(_content_words(feats[sid]), outs, k=3))) if learned_only else {}
            for label in LABELS:
                if label not in labs:
                    continue
                kb = ""
                if label == "objection":
                    kb = categories[sid][0]
                if label in rule_spans[sid]:
                    rule, cue = rule_spans[sid][label]
                    spans.append(Span(doc, start, end, label=label, span_id=rule.id_, kb_id=kb or rule.kb_id_))
                    cues.append(Span(doc, cue.start, cue.end, label=label, span_id=rule.id_))
                    continue
                cs, ce = _cue_tokens(words[sid], start, end, evidence[label])
                spans.append(Span(doc, start, end, label=label, span_id=model.name, kb_id=kb))
                cues.append(Span(doc, cs, ce, label=label, span_id=model.name))
        doc.spans[RULE_ARGUMENTS] = list(doc.spans[ARGUMENTS])
        doc.spans[ARGUMENTS] = spans
        doc.spans[CUES] = cues
        info = doc._.discours if isinstance(doc._.discours, dict) else {}
        info["argument_model"] = model.name
        info["argument_categories"] = {str(sid): cats for sid, cats in categories.items()}
        doc._.discours = info


def keep_vectors(doc: Doc, bounds: list[tuple[int, int]] | None = None) -> None:
    """Store the sentences' mean token vectors in ``doc.user_data`` while the tensor is there
    (a parse read back from the cache has none, and the learned layer re-runs on it)."""
    vectors = sentence_vectors(doc, bounds)
    if vectors is not None:
        doc.user_data[SENTENCE_VECTORS] = vectors


@lru_cache(maxsize=1)
def _stop_features() -> frozenset[str]:
    from ..lexicons import load

    return frozenset("l=" + w for w in load("stopwords")["words"])


def _content_words(feats: list[str]) -> list[str]:
    """The lemmas of a sentence a reader can take as a cue: no grammatical words, no bigrams of
    them (``l=coût``, not ``b=est_pas``); the forms and bigrams when nothing else is left."""
    stop = _stop_features()
    words = [f for f in feats if f.startswith("l=") and f not in stop and len(f) > 4]
    return words or [f for f in feats if f.startswith(_LEXICAL)]


def _evidence(model: Any, idx: list[int], feats: list[str], outputs: list[int], k: int = 3) -> list[list[tuple[str, float]]]:
    """What :meth:`LinearModel.evidence_many` gives on the sentence's content words, read from
    the feature indices already looked up (a mask over the vocabulary instead of string tests)."""
    mask = model.__dict__.get("_content_mask")
    if mask is None:
        stop = _stop_features()
        mask = model.__dict__["_content_mask"] = np.array(
            [f.startswith("l=") and f not in stop and len(f) > 4 for f in model.features], dtype=bool)
    ids = np.asarray(idx, dtype=np.int64)
    ids = ids[mask[ids]] if ids.size else ids
    if not ids.size:  # no content word: the forms and bigrams, as _content_words falls back
        return model.evidence_many(_content_words(feats), outputs, k=k)  # type: ignore[no-any-return]
    return model.evidence_from_indices(ids.tolist(), outputs, k)  # type: ignore[no-any-return]


def _cue_tokens(words: list[tuple[int, str, str]], start: int, end: int, evidence: list[tuple[str, float]]) -> tuple[int, int]:
    """The tokens of the strongest lexical feature present in the sentence (``words``: its words'
    token index, lemma and form; the sentence's first word when no word weighed for the label:
    the decision then came from context)."""
    for feature, _ in evidence:
        kind, value = feature[:2], feature[2:]
        target = value.split("_") if kind == "b=" else [value]
        n = len(target)
        for i in range(len(words) - n + 1):
            if all(w == words[i + j][1] or w == words[i + j][2] for j, w in enumerate(target)):
                return words[i][0], words[i + n - 1][0] + 1
    return start, min(end, start + 1)


class DocumentStanceComponent:
    """A post's stance toward the default target from the learned document model."""

    def __init__(self, nlp: Language, name: str = "discours_document_stance"):
        self.nlp = nlp
        self.name = name

    def _active_model(self) -> "ArgumentModel | None":
        if "discours_argument_model" not in self.nlp.pipe_names or "discours_stance" not in self.nlp.pipe_names:
            return None
        stance = self.nlp.get_pipe("discours_stance")
        if getattr(stance, "target", None) is not None or getattr(stance, "model_path", None):
            return None  # the weights know only the default target; a user's stance model decides itself
        model = self.nlp.get_pipe("discours_argument_model").current()
        return model if model is not None and model.stance is not None else None

    def __call__(self, doc: Doc) -> Doc:
        info = doc._.discours if isinstance(doc._.discours, dict) else None
        if info is None or info.get("part", "post") != "post":
            return doc
        bounds = sentence_bounds(doc)
        if len(bounds) < MIN_SENTENCES:
            return doc  # a few sentences: the rules read them closely; the model was trained on pages
        model = self._active_model()
        if model is None:
            return doc
        sent_of = sentence_finder(bounds)
        labels: list[set[str]] = [set() for _ in bounds]
        for span in doc.spans.get(ARGUMENTS, []):
            sid = sent_of(span.start)
            if sid is not None:
                labels[sid].add(span.label_)
        known = _LAST_LEMMAS[1] if _LAST_LEMMAS[0] is doc else None
        feats = document_features(doc, known) + label_features(labels)
        probs = model.stance.proba([feats])[0]
        outputs = model.stance.outputs
        best = int(probs.argmax())
        p = dict(zip(outputs, (float(x) for x in probs)))
        info["stance_rules"] = info.get("stance")
        info["stance"] = outputs[best]
        info["stance_score"] = round(max(-1.0, min(1.0, p.get("favor", 0.0) - p.get("against", 0.0))), 4)
        info["stance_method"] = model.name
        info["stance_probabilities"] = {k: round(v, 4) for k, v in p.items()}
        info["stance_model_evidence"] = [f for f, _ in model.stance.evidence(feats, best, k=8)]
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("discours_argument_model", default_config={"model": DEFAULT_MODEL})
def make_argument_model(nlp: Language, name: str, model: str | None) -> ArgumentModelComponent:
    return ArgumentModelComponent(nlp, name, model=model)


@Language.factory("discours_document_stance", default_config={})
def make_document_stance(nlp: Language, name: str) -> DocumentStanceComponent:
    return DocumentStanceComponent(nlp, name)


def describe(model: "ArgumentModel | None") -> dict[str, Any]:
    """Name, date and cross-validated figures of a model (its card), for reports and the CLI."""
    if model is None:
        return {"name": "rules"}
    return {k: model.meta.get(k) for k in ("name", "date", "n_records", "n_sentences", "n_groups", "cross_validation")}
