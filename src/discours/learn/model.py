"""The learned argument layer as it runs: label, context, category and stance models.

Stored as arrays and JSON (:class:`~discours.learn.linear.LinearModel`), loaded without
scikit-learn. Labels are decided in two stages: a first linear model scores every sentence from
its own features; a second one adds what the first said of the sentence and its neighbours
(``p1:example=3``: the previous sentence looks like an example), so a case study, a list of
reported objections or a quoted exchange is labelled as a whole.

Example:
    >>> model = ArgumentModel.load(default_model_path())            # doctest: +SKIP
    >>> model.sentence_labels([["l=coût", "R=objection"]], [{"objection"}])  # doctest: +SKIP
    [{'objection'}]
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .linear import LinearModel

LABELS = ("objection", "rebuttal", "concession", "rhetorical_question", "authority", "example", "attributed")
CATEGORIES = ("regulation_legal", "confidentiality", "employee_trust", "competition", "loss_of_control",
              "reputation_criticism", "cost_resources", "time", "roi_measurement", "security_privacy",
              "audience_relevance", "other")
STANCES = ("favor", "against", "neutral")
MODEL_NAME = "model.arguments.v1"
FORMAT = "discours-argument-model-1"
#: feature set when the rules saw every barrier of a sentence denied ("ne craint pas les critiques")
NEGATED = "C=negated_barrier"
#: feature set when an objection topic of the sentence is under negation ("n'invoquent pas la réglementation")
NEGATED_TOPIC = "C=negated_topics"
#: features set when the rules read a question as asking for information or for a choice
INFO_QUESTION = "C=info_question"
ASKS_WHICH = "C=asks_which"
#: feature set when the sentence's verb of saying asks for an action ("me demandent de prêter")
REQUEST = "C=request"
#: posts with fewer sentences keep the rule-based stance (the document model learned from pages)
MIN_SENTENCES = 8
#: contextual vector features: each dimension of a sentence's mean token vector, bucketed by the
#: quantiles of the training sentences ("tv17=3": dimension 17 in its fourth fifth)
VECTOR_TAG = "tv"
VECTOR_BUCKETS = 5


def agreement_model(model: str | os.PathLike[str] | None) -> "LinearModel | None":
    """The learned agreement model of an argument model ("default" = shipped weights, a folder,
    or None for the rules), or None when that model has none.

    Example:
        >>> agreement_model(None) is None
        True
    """
    folder = model_folder(model)
    return None if folder is None else _agreement_of(str(folder))


def default_model_path() -> Path:
    """Folder of the weights shipped with discours."""
    from importlib import resources

    return Path(str(resources.files("discours") / "models" / "arguments.v1"))


def model_folder(model: str | os.PathLike[str] | None) -> Path | None:
    """The folder an argument model option names: ``"default"`` (the shipped weights), a folder,
    or None (no model: the rules alone)."""
    if model is None or model == "" or model is False:
        return None
    return (default_model_path() if model == "default" else Path(model)).resolve()


def optional_part(folder: Path, stem: str) -> LinearModel | None:
    """A model part a folder may hold (``stance``, ``context``, ``agreement``), or None."""
    return LinearModel.load(folder, stem) if (folder / f"{stem}.json").exists() else None


@lru_cache(maxsize=8)
def _agreement_of(path: str) -> "LinearModel | None":
    # the analysis tables need only this part: the label models stay unread
    return optional_part(Path(path), "agreement")


# -- the bundle ------------------------------------------------------------------------------
@dataclass
class ArgumentModel:
    """The learned layer: label models (two stages), categories, stance, and how labels combine
    with the rules (``combine``: label → ``model`` | ``union`` | ``rules``)."""

    labels: LinearModel
    categories: LinearModel
    stance: LinearModel | None
    combine: dict[str, str]
    meta: dict[str, Any] = field(default_factory=dict)
    second_category: float = 0.35
    context: LinearModel | None = None
    """second stage: the sentence's features plus the first stage's scores around it"""
    agreement: LinearModel | None = None
    """agreement of a comment with its post, from :func:`discours.stance.agreement.comment_features`"""
    categories_context: LinearModel | None = None
    """second category stage: the sentence's features plus the categories of the document's
    other likely objections (:func:`category_context`)"""
    vector_edges: np.ndarray | None = None
    """bucket edges of the sentences' contextual vectors (:func:`vector_features`), when the label
    models read them"""
    stance_prior: LinearModel | None = None
    """the document's stance from its words alone, before any label is decided: the second label
    stage reads it (:func:`prior_features`)"""

    @property
    def name(self) -> str:
        return str(self.meta.get("name", MODEL_NAME))

    @property
    def deciding(self) -> LinearModel:
        """The model whose probabilities and thresholds decide labels (the last stage)."""
        return self.context if self.context is not None else self.labels

    def save(self, folder: str | os.PathLike[str]) -> Path:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        self.labels.save(out, "labels")
        self.categories.save(out, "categories")
        for stem, part in (("stance", self.stance), ("context", self.context), ("agreement", self.agreement),
                           ("categories_context", self.categories_context), ("stance_prior", self.stance_prior)):
            if part is not None:
                part.save(out, stem)
            else:
                for ext in (".json", ".npz"):
                    (out / f"{stem}{ext}").unlink(missing_ok=True)
        if self.vector_edges is not None:
            np.savez_compressed(out / "vectors.npz", edges=np.asarray(self.vector_edges, dtype=np.float32))
        else:
            (out / "vectors.npz").unlink(missing_ok=True)
        meta = dict(self.meta, format=FORMAT, combine=self.combine, second_category=self.second_category)
        (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (out / "README.md").write_text(model_card(self, meta), encoding="utf-8")
        return out

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> "ArgumentModel":
        from ..errors import DiscoursError

        base = Path(folder)
        meta_path = base / "meta.json"
        if not meta_path.exists():
            raise DiscoursError(f"{str(base)!r} is not a discours argument model (no meta.json in it). "
                                "Train one with `discours train-arguments GOLD... -o DIR`.")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise DiscoursError(f"{str(base)!r} holds a model of format {meta.get('format')!r}; this discours reads "
                                f"{FORMAT!r}. Retrain it with `discours train-arguments`.")

        edges = None
        if (base / "vectors.npz").exists():
            with np.load(base / "vectors.npz", allow_pickle=False) as arrays:
                edges = arrays["edges"].astype(np.float32)
        return cls(LinearModel.load(base, "labels"), LinearModel.load(base, "categories"), optional_part(base, "stance"),
                   dict(meta.get("combine", {})), meta, float(meta.get("second_category", 0.35)),
                   optional_part(base, "context"), optional_part(base, "agreement"), optional_part(base, "categories_context"),
                   edges, optional_part(base, "stance_prior"))

    # -- prediction on feature lists ---------------------------------------------------------
    def sentence_probs(self, feats: Sequence[Sequence[str]], indices: list[list[int]] | None = None,
                       first_stage: list[np.ndarray] | None = None, vectors: np.ndarray | None = None,
                       prior: Sequence[str] = ()) -> np.ndarray:
        """Label probabilities of a document's sentences (in order), from the last stage
        (``indices``, when given, receives each sentence's feature indices in the first stage's
        vocabulary, which the later stages share; ``first_stage`` the first stage's probabilities).
        ``prior`` is what :meth:`prior` says of the whole document; the second stage reads it.

        ``vectors`` are the sentences' contextual vectors
        (:func:`~discours.pipeline.features.sentence_vectors`). A model trained with them reads
        them as features; without them (a blank pipeline, another spaCy model) each vector
        feature counts at its average over the training sentences.
        """
        if not feats:
            return np.zeros((0, len(self.labels.outputs)))
        # one lookup per feature: the context and category models share the first stage's vocabulary
        idx = [self.labels.indices(f) for f in feats]
        if indices is not None:
            indices.extend(idx)
        buckets = vector_buckets(vectors, self.vector_edges) if self._fits_vectors(vectors, len(feats)) else None
        first = self.labels.squash(self.labels.logits_from_indices(idx) + self._vector_logits("labels", buckets))
        if first_stage is not None:
            first_stage.append(first)
        if self.context is None:
            return first
        if self._shared("context"):
            # context features as weights straight from the bucketed scores (no strings built)
            logits = self.context.logits_from_indices(idx) + self._context_logits(first)
            if prior:  # the same document features for every sentence: summed once
                logits = logits + self.context.shift(prior)
        else:
            mean = first.mean(axis=0)
            logits = self.context.logits([list(f) + context_features(first, i, self.labels.outputs, mean) + list(prior)
                                          for i, f in enumerate(feats)])
        return self.context.squash(logits + self._vector_logits("context", buckets))

    def _fits_vectors(self, vectors: np.ndarray | None, n: int) -> bool:
        """Whether the label models read sentence vectors and ``vectors`` fit them (``n`` rows)."""
        edges = self.vector_edges
        return (edges is not None and vectors is not None and getattr(vectors, "ndim", 0) == 2
                and vectors.shape == (n, edges.shape[1]))

    def _vector_weights(self, part: str) -> np.ndarray:
        """``part``'s weights of every vector feature: an array dimensions × buckets × outputs
        (zero where the model has no such feature)."""
        cached = self.__dict__.setdefault("_vec_weights", {})
        if part not in cached:
            edges = self.vector_edges
            cached[part] = _weight_table(getattr(self, part), [[_vector_name(j, b) for b in range(len(edges) + 1)]
                                                               for j in range(edges.shape[1])])
        return cached[part]

    def _vector_logits(self, part: str, buckets: np.ndarray | None) -> np.ndarray | float:
        """What the vector features add to ``part``'s logits: the weights of each sentence's
        buckets, summed as arrays (no feature strings), or, without vectors, their average (each
        bucket holds an equal share of the training sentences); 0 for a model without vectors."""
        if self.vector_edges is None:
            return 0.0
        weights = self._vector_weights(part)
        if buckets is None:
            return weights.mean(axis=1).sum(axis=0)
        return weights[np.arange(weights.shape[0])[None, :], buckets].sum(axis=1)

    def _shared(self, part: str) -> bool:
        cached = self.__dict__.setdefault("_shares", {})
        if part not in cached:
            cached[part] = getattr(self, part).extends(self.labels)
        return cached[part]

    def _context_logits(self, first: np.ndarray) -> np.ndarray:
        """What :func:`context_features` add to the context model's logits, from tables of its
        weights per (label, bucket) of each neighbour and of the document's mean."""
        tables = self.__dict__.get("_ctx_weights")
        if tables is None:
            outputs = self.labels.outputs
            tables = {tag: _weight_table(self.context, [[f"{tag}:{lab}={b}" for b in range(n)] for lab in outputs])
                      for tag, n in [(t, 5) for t, _ in _CONTEXT_TAGS] + [("d1", 10)]}
            self.__dict__["_ctx_weights"] = tables
        n, k = first.shape
        labs = np.arange(k)
        b5 = np.minimum(4, (first * 5).astype(int))
        out = np.zeros((n, len(self.context.outputs)), dtype=np.float32)
        for tag, off in _CONTEXT_TAGS:
            lo, hi = max(0, -off), min(n, n - off)
            if lo < hi:
                out[lo:hi] += tables[tag][labs, b5[lo + off:hi + off]].sum(axis=1)
        mean = np.minimum(9, (first.mean(axis=0) * 10).astype(int))
        return out + tables["d1"][labs, mean].sum(axis=0)

    def prior(self, doc_feats: Sequence[str]) -> list[str]:
        """The document's stance from its words alone (:func:`prior_inputs` of its features), as
        features of every sentence for the second label stage: an objection reads differently in
        a post against organisations' accounts than in one for them. Empty without that model.

        Example:
            >>> model.prior(["d:l=quitter", "d:l=quitter", "part=post"])   # doctest: +SKIP
            ['ds:favor=0', 'ds:against=3', 'ds:neutral=1']
        """
        if self.stance_prior is None:
            return []
        return prior_features(self.stance_prior.proba([prior_inputs(doc_feats)])[0], self.stance_prior.outputs)

    def decide(self, probs: np.ndarray, feats: Sequence[Sequence[str]], rules: Sequence[set[str]]) -> list[set[str]]:
        """Final labels from probabilities, features and the labels the rules gave."""
        model = self.deciding
        return [combine_labels(probs[k], model.thresholds, model.outputs, self.combine, feats[k], rules[k])
                for k in range(len(probs))]

    def sentence_labels(self, feats: Sequence[Sequence[str]], rules: Sequence[set[str]]) -> list[set[str]]:
        """Final labels of a document's sentences from their features and the rules' labels."""
        return self.decide(self.sentence_probs(feats), feats, rules)

    def sentence_categories(self, feats: Sequence[Sequence[str]], rule_categories: Sequence[str | None] | None = None) -> list[list[str]]:
        """Objection categories, most likely first (a second one when it is likely too); the
        rules' category comes first when the model finds it nearly as likely as its own pick."""
        if not feats:
            return []
        return self._ranked(self._category_probs(feats), rule_categories)

    def document_categories(self, feats: Sequence[Sequence[str]], objections: Sequence[int],
                            rule_categories: Sequence[str | None] | None = None, *,
                            first: np.ndarray | None = None, indices: Sequence[Sequence[int]] | None = None,
                            lemmas: Sequence[str] | None = None) -> list[list[str]]:
        """:meth:`sentence_categories` of the sentences ``objections`` among a document's
        sentences ``feats``, read with the categories of the document's other likely objections
        and the document's lemmas (:func:`document_lemmas`) when the model has that second stage
        (a post about leaving X for its owner's politics has many objections of category ``other``).

        ``first`` and ``indices`` are the first stage's probabilities and feature indices when
        :meth:`sentence_probs` already computed them; ``lemmas`` the document's lemmas when known
        (:func:`document_lemmas` of ``feats`` otherwise).
        """
        if not objections:
            return []
        if self.categories_context is None:
            return self.sentence_categories([feats[i] for i in objections], rule_categories)
        idx = indices if indices is not None else [self.labels.indices(f) for f in feats]
        if first is None:
            first = self.labels.proba_from_indices(idx)
        cat_first = self._category_probs(feats, idx)
        ctx = category_context(first, cat_first, list(self.labels.outputs).index("objection"), self.categories.outputs)
        second = self.categories_context
        # the same lemmas for every objection: summed once (a model trained without them knows
        # none and ignores them)
        logits = second.logits([list(feats[i]) + ctx[i] for i in objections])
        logits += second.shift(document_lemmas(feats) if lemmas is None else lemmas)
        return self._ranked(second.squash(logits), rule_categories)

    def _category_probs(self, feats: Sequence[Sequence[str]], indices: Sequence[Sequence[int]] | None = None) -> np.ndarray:
        """First-stage category probabilities (from the first stage's feature indices when the
        category model shares its vocabulary)."""
        if self._shared("categories"):
            return self.categories.proba_from_indices(indices if indices is not None else [self.labels.indices(f) for f in feats])
        return self.categories.proba(feats)

    def _ranked(self, probs: np.ndarray, rule_categories: Sequence[str | None] | None) -> list[list[str]]:
        rules = rule_categories or [None] * len(probs)
        return [ranked_categories(row, self.categories.outputs, self.second_category, rule)
                for row, rule in zip(probs, rules)]


def category_context(first: np.ndarray, cat_probs: np.ndarray, objection: int, outputs: Sequence[str]) -> list[list[str]]:
    """Per sentence, the mean category scores of the document's *other* sentences, each weighted
    by its first-stage objection probability, bucketed into strings (``dc:time=3``; ``dc:none``
    when no other sentence looks like an objection).

    Example:
        >>> category_context(np.array([[0.9], [0.8]]), np.array([[0.75, 0.15], [0.25, 0.65]]), 0, ["time", "other"])
        [['dc:time=2', 'dc:other=6'], ['dc:time=7', 'dc:other=1']]
    """
    w = np.asarray(first, dtype=np.float64)[:, objection]
    cats = np.asarray(cat_probs, dtype=np.float64)
    total, weighted = w.sum(), (cats * w[:, None]).sum(axis=0)
    out = []
    for i in range(len(w)):
        rest = total - w[i]
        if rest < 1e-6:
            out.append(["dc:none"])
            continue
        mean = (weighted - w[i] * cats[i]) / rest
        out.append([f"dc:{c}={min(9, int(v * 10))}" for c, v in zip(outputs, mean)])
    return out


def prior_inputs(doc_feats: Sequence[str]) -> list[str]:
    """A document's features as the stance prior reads them: without the rule-based stance's,
    which the pipeline computes after the labels (``st:…``).

    Example:
        >>> prior_inputs(["d:l=quitter", "part=post", "st:rule=against"])
        ['d:l=quitter', 'part=post']
    """
    return [f for f in doc_feats if not f.startswith("st:")]


def prior_features(probs: Any, outputs: Sequence[str]) -> list[str]:
    """The stance prior's probabilities bucketed in fifths (``ds:against=3``).

    Example:
        >>> prior_features(np.array([0.1, 0.7, 0.2]), ["favor", "against", "neutral"])
        ['ds:favor=0', 'ds:against=3', 'ds:neutral=1']
    """
    return [f"ds:{out}={min(4, int(float(p) * 5))}" for out, p in zip(outputs, probs)]


def document_lemmas(feats: Sequence[Sequence[str]]) -> list[str]:
    """The lemmas of a whole document (``d:l=…``), from its sentences' features: what the
    document is about tells an objection's category (leaving X over its owner's politics is
    ``other``; a post on small shops' budgets makes ``cost_resources`` likelier).

    Example:
        >>> document_lemmas([["l=budget", "w=budgets"], ["l=coût", "l=budget"]])
        ['d:l=budget', 'd:l=coût']
    """
    return sorted({"d:" + f for row in feats for f in row if f.startswith("l=")})


def vector_edges(vectors: Any, n_buckets: int = VECTOR_BUCKETS) -> np.ndarray:
    """Per dimension, the quantiles that cut the training sentences' vectors into ``n_buckets``
    groups of equal size: an array ``(n_buckets - 1) × width``.

    Example:
        >>> vector_edges(np.array([[0.0], [1.0], [2.0], [3.0]]), 2).tolist()
        [[1.5]]
    """
    v = np.asarray(vectors, dtype=np.float64)
    return np.quantile(v, np.linspace(0.0, 1.0, n_buckets + 1)[1:-1], axis=0).astype(np.float32)


def vector_buckets(vectors: Any, edges: np.ndarray) -> np.ndarray:
    """Bucket of each dimension of each vector (0 … number of edges): an int array like ``vectors``."""
    v = np.asarray(vectors, dtype=np.float32)
    return (v[:, None, :] > edges[None, :, :]).sum(axis=1)


def _vector_name(dim: int, bucket: int) -> str:
    return f"{VECTOR_TAG}{dim}={bucket}"


def _weight_table(model: LinearModel, names: Sequence[Sequence[str]]) -> np.ndarray:
    """``model``'s weight rows for a table of feature names: an array rows × columns × outputs,
    zero where the model has no such feature (its contribution summed without building strings)."""
    rows = np.array([[model._index.get(f, -1) for f in row] for row in names], dtype=np.int64)
    return np.where((rows >= 0)[..., None], model.weights[np.maximum(rows, 0)], 0.0).astype(np.float32)


def vector_features(vectors: Any, edges: np.ndarray) -> list[list[str]]:
    """Per sentence vector, its buckets as feature strings (what the label models were trained on).

    Example:
        >>> vector_features(np.array([[0.2, 3.0]]), np.array([[1.0, 1.0]], dtype=np.float32))
        [['tv0=0', 'tv1=1']]
    """
    return [[_vector_name(j, b) for j, b in enumerate(row)] for row in vector_buckets(vectors, edges).tolist()]


def combine_labels(probs: Any, thresholds: Any, outputs: Sequence[str], combine: dict[str, str],
                   feats: Sequence[str], rules: set[str]) -> set[str]:
    """One sentence's labels: per label, the model's call (its probability over the threshold,
    unless :func:`vetoed`), the rules' call, or either, as ``combine`` says.

    Example:
        >>> sorted(combine_labels([0.9, 0.1], [0.5, 0.5], ["objection", "example"], {"example": "union"}, [], {"example"}))
        ['example', 'objection']
    """
    out = set()
    for j, lab in enumerate(outputs):
        mode = combine.get(lab, "model")
        rule = lab in rules
        hit = bool(probs[j] >= thresholds[j]) and (rule or not vetoed(lab, feats))
        if (mode == "model" and hit) or (mode == "union" and (hit or rule)) or (mode == "rules" and rule):
            out.add(lab)
    return out


def vetoed(label: str, feats: Sequence[str]) -> bool:
    """Where the rules read a sentence closely and ruled a label out, the model alone cannot
    give it: every barrier or objection topic denied ("ne craint pas les critiques", "n'invoquent pas
    la réglementation") is no objection; a question asking for facts or a choice is no rhetorical
    question; a request
    ("me demandent de prêter") reports nobody's words.

    Example:
        >>> vetoed("objection", ["l=craindre", NEGATED]), vetoed("attributed", ["l=dire"])
        (True, False)
    """
    if label == "objection":
        if NEGATED in feats:
            return True
        # every objection topic of the sentence is under negation, and it names no other
        return NEGATED_TOPIC in feats and not any(f.startswith("T=") for f in feats)
    if label == "rhetorical_question":
        # the rules read the question as asking for facts or a choice ("Quel outil choisir ?")
        return INFO_QUESTION in feats or ASKS_WHICH in feats
    return label == "attributed" and REQUEST in feats


#: (tag, offset) of the sentences whose first-stage scores a sentence's context features carry
_CONTEXT_TAGS = (("s1", 0), ("p1", -1), ("n1", 1), ("pp1", -2), ("nn1", 2))


def context_features(probs: np.ndarray, i: int, outputs: Sequence[str], mean: np.ndarray | None = None) -> list[str]:
    """What the first stage said of sentence ``i``, its neighbours (two each side) and the whole
    document, bucketed into strings.

    Example:
        >>> context_features(np.array([[0.9], [0.1]]), 1, ["example"])
        ['s1:example=0', 'p1:example=4', 'd1:example=5']
    """
    n = len(probs)
    out = []
    for tag, off in _CONTEXT_TAGS:
        j = i + off
        if 0 <= j < n:
            out += [f"{tag}:{lab}={min(4, int(probs[j, k] * 5))}" for k, lab in enumerate(outputs)]
    if mean is None:
        mean = probs.mean(axis=0)
    out += [f"d1:{lab}={min(9, int(mean[k] * 10))}" for k, lab in enumerate(outputs)]
    return out


#: "other" is for a generic or unspecified barrier (guidelines §5): a named barrier wins unless
#: "other" is this many times likelier
OTHER_HANDICAP = 2.0


#: the rules' category is kept when the model gives it at least this share of its best probability
RULE_CATEGORY_SHARE = 0.5


def ranked_categories(probs: Any, outputs: Sequence[str], second: float, rule: str | None = None) -> list[str]:
    """The likeliest category (a specific one before ``other``; the rules' one when the model
    finds it nearly as likely), then a second one if likely too.

    Example:
        >>> ranked_categories(np.array([0.5, 0.7]), ["time", "other"], 0.35)
        ['time', 'other']
        >>> ranked_categories(np.array([0.4, 0.6]), ["cost_resources", "time"], 0.35, rule="cost_resources")
        ['cost_resources', 'time']
    """
    p = np.asarray(probs, dtype=np.float64).copy()
    if "other" in outputs:
        p[list(outputs).index("other")] /= OTHER_HANDICAP
    order = list(np.argsort(-p, kind="stable"))
    if rule in outputs and rule != "other":
        r = list(outputs).index(rule)
        if p[r] >= RULE_CATEGORY_SHARE * p[order[0]]:
            order.remove(r)
            order.insert(0, r)
    cats = [outputs[order[0]]]
    if len(order) > 1 and probs[order[1]] >= second:
        cats.append(outputs[order[1]])
    return cats


def model_card(model: ArgumentModel, meta: dict[str, Any]) -> str:
    """A Markdown model card: what the model is, what it was trained on, how it scores."""
    cv = meta.get("cross_validation") or {}
    lines = [
        f"# {meta.get('name', MODEL_NAME)}", "",
        "The learned argument layer of discours: argument labels (two stages; the second reads the first stage's scores around each",
        "sentence and, with `stance_prior`, the document's stance from its words alone), objection categories (two stages:",
        "the second reads the categories of the document's other likely objections and the document's lemmas) and",
        "document stance (on TF-IDF weighted lemmas, by the number of sentences that carry them, and the labels found) toward the",
        "default target (organisations being present and active on social media).",
        "Linear models over string features, stored as arrays (`*.npz`) and JSON; no pickle.",
        *([f"The label models also read each sentence's mean token vector from {meta.get('vectors_from') or 'the pipeline'}'s `tok2vec` "
           "(computed anyway for tagging and parsing), each dimension bucketed in fifths of the training sentences (`vectors.npz`)."]
          if model.vector_edges is not None else []), "",
        f"- trained: {meta.get('date')}; features: {meta.get('features')}; format: {meta.get('format')}",
        f"- data: {meta.get('n_records')} annotated files ({', '.join(meta.get('gold') or [])}), "
        f"{meta.get('n_documents')} documents, {meta.get('n_sentences')} sentences, {meta.get('n_groups')} groups "
        "(a web page's site, or a gold file)",
        f"- settings: {json.dumps(meta.get('settings'), ensure_ascii=False)}",
        f"- rules and model per label: {json.dumps(model.combine)}",
        f"- thresholds: {json.dumps(cv.get('thresholds'))}", "",
        f"## Cross-validation by site ({cv.get('n_folds')} folds; scored on the web pages as score_gold.py scores)", "",
        "| label | rules P | rules R | rules F1 | model P | model R | model F1 | n |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rules, learned = cv.get("rules") or {}, cv.get("model") or {}
    for lab in LABELS:
        r, m = rules.get("labels", {}).get(lab, {}), learned.get("labels", {}).get(lab, {})
        lines.append(f"| {lab} | {r.get('precision', 0):.2f} | {r.get('recall', 0):.2f} | {r.get('f1', 0):.2f} | "
                     f"{m.get('precision', 0):.2f} | {m.get('recall', 0):.2f} | {m.get('f1', 0):.2f} | {m.get('support', 0)} |")
    r, m = rules.get("micro", {}), learned.get("micro", {})
    lines.append(f"| **micro** | {r.get('precision', 0):.2f} | {r.get('recall', 0):.2f} | {r.get('f1', 0):.2f} | "
                 f"{m.get('precision', 0):.2f} | {m.get('recall', 0):.2f} | {m.get('f1', 0):.2f} | |")

    def fmt(x: Any) -> str:
        return f"{x:.2f}" if isinstance(x, (int, float)) else "-"

    lines += ["", f"- objection category accuracy: rules {fmt(rules.get('category_accuracy'))}, model {fmt(learned.get('category_accuracy'))}",
              f"- post stance macro-F1: rules {fmt(rules.get('stance_macro_f1'))}, model {fmt(learned.get('stance_macro_f1'))}", ""]
    agreement = meta.get("agreement") or {}
    if agreement.get("model"):
        a, r, wa, wr = (agreement.get(k) or {} for k in ("model", "rules", "web_model", "web_rules"))
        lines += [f"## Comment agreement ({agreement.get('n_threads')} threads, {a.get('n')} replies, {agreement.get('n_folds')} folds by thread; "
                  f"in use: {agreement.get('kept')})", "",
                  "| | macro-F1 | accuracy | disputing replies read as disagree | … as agree | replies |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name, f in (("rules, all threads", r), ("model + rules, all threads", a), ("rules, real web threads", wr),
                        ("model + rules, real web threads", wa)):
            lines.append(f"| {name} | {fmt(f.get('macro_f1'))} | {fmt(f.get('accuracy'))} | {fmt(f.get('disputing_disagree'))} | "
                         f"{fmt(f.get('disputing_agree'))} | {f.get('n')} |")
        lines.append("")
    lines += ["Retrain: `discours train-arguments gold/web/pages.jsonl gold/*.gold.jsonl ../shared/calibration/seed.gold.json "
              "-o src/discours/models/arguments.v1` (the web pages' texts must be in `gold/web/texts/`; "
              "`python gold/web/tools/check_texts.py` says which are missing).", ""]
    return "\n".join(lines)
