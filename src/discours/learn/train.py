"""Train, cross-validate and save the learned argument layer (labels, categories, stance).

Three linear models over the features of :mod:`discours.pipeline.features`:

- ``labels``: one logistic regression per argument label (independent sigmoids, a threshold
  each), over the sentence's words, its rule and marker hits and its neighbours';
- ``categories``: one logistic regression per objection category, trained on objections;
- ``stance``: a softmax over favor / against / neutral for a whole document toward the default
  target, over its lemmas, the rule-based stance figures and the share of each label.

How rules and model combine is chosen per label by cross-validation (``model``: the model
decides, the rules being among its features; ``union``: either fires; ``rules``: rules only).
Folds are split by *group* (a web page's site, a gold file otherwise): sentences of one site
share phrasing, and a split by sentence would measure memory, not generalisation.

Example:
    >>> from discours.learn import train_arguments                       # doctest: +SKIP
    >>> train_arguments(["gold/web/pages.jsonl", "gold/quebec.gold.jsonl"], "modele_arguments")  # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from ..evaluation import macro_f1, overlaps
from .dataset import ParsedDoc
from .linear import LinearModel

if TYPE_CHECKING:
    import scipy.sparse as sp

from .model import CATEGORIES, FORMAT, LABELS, MIN_SENTENCES, MODEL_NAME, NEGATED, STANCES, ArgumentModel, category_context, combine_labels, context_features, document_lemmas, prior_features, prior_inputs, ranked_categories, vector_edges, vector_features  # noqa: F401


# -- vectors and fits ------------------------------------------------------------------------
def vocabulary(feature_lists: Iterable[Sequence[str]], *, min_count: int = 2) -> list[str]:
    counts: Counter[str] = Counter()
    for feats in feature_lists:
        counts.update(set(feats))
    return sorted(f for f, c in counts.items() if c >= min_count)


def matrix(feature_lists: Sequence[Sequence[str]], vocab: Sequence[str], *, counts: bool = False) -> "sp.csr_matrix":
    """One row per feature list: 1 for each known feature present, or how often it is repeated
    with ``counts``."""
    import scipy.sparse as sp

    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices, data = [0], [], []
    for feats in feature_lists:
        found = Counter(index[f] for f in feats if f in index)
        cols = sorted(found)
        indices.extend(cols)
        data.extend(found[c] if counts else 1 for c in cols)
        indptr.append(len(indices))
    return sp.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64),
                          np.asarray(indptr, dtype=np.int64)), shape=(len(feature_lists), len(vocab)))


def _fit_binary(X: "sp.csr_matrix", Y: np.ndarray, C: float | Sequence[float], weights: np.ndarray | None = None,
                nb_alpha: float | None = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of ``Y`` (``C``: one for all, or one per column).

    With ``nb_alpha``, features are first scaled by their naive Bayes log-count ratio for the
    label (NB-SVM, Wang & Manning 2012): rare but telling words get room to weigh. The scaling
    is folded into the returned weights, so prediction stays a plain sum of weights.
    """
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float64)
    b = np.zeros(Y.shape[1], dtype=np.float64)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():  # a label never (or always) seen: a constant
            b[j] = -8.0 if y.max() == 0 else 8.0
            continue
        ratio = np.ones(X.shape[1])
        if nb_alpha is not None:
            pos = nb_alpha + np.asarray(X[y == 1].sum(axis=0)).ravel()
            neg = nb_alpha + np.asarray(X[y == 0].sum(axis=0)).ravel()
            ratio = np.log((pos / pos.sum()) / (neg / neg.sum()))
        clf = LogisticRegression(C=float(C if np.isscalar(C) else C[j]), solver="liblinear", max_iter=300)
        clf.fit(X.multiply(ratio).tocsr() if nb_alpha is not None else X, y, sample_weight=weights)
        W[:, j] = clf.coef_[0] * ratio
        b[j] = clf.intercept_[0]
    return W, b


def _fit_softmax(X: "sp.csr_matrix", y: Sequence[str], classes: Sequence[str], C: float,
                 weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    present = [c for c in classes if c in set(y)]
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    clf.fit(X, np.asarray(y), sample_weight=weights)
    W = np.full((X.shape[1], len(classes)), 0.0)
    b = np.full(len(classes), -10.0)
    coef = clf.coef_ if len(present) > 2 else np.vstack([-clf.coef_[0], clf.coef_[0]])
    icpt = clf.intercept_ if len(present) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]])
    for k, c in enumerate(clf.classes_):
        j = list(classes).index(c)
        W[:, j] = coef[k]
        b[j] = icpt[k]
    return W, b


# -- training on parsed documents --------------------------------------------------------------
@dataclass
class Settings:
    C_labels: float = 0.1
    #: labels whose models take another C than ``C_labels``: objections, half of all labels,
    #: have the data for a weaker prior (CV by site on 1,442 pages: objection F1 0.59 → 0.61)
    C_per_label: dict[str, float] = field(default_factory=lambda: {"objection": 1.0})
    #: categories read the document's lemmas too: a stronger prior (0.3 → 0.1) keeps them in check
    C_categories: float = 0.1
    #: the stance model reads sublinear term frequencies: a weaker prior (0.3 → 2) lets them count
    C_stance: float = 2.0
    min_count: int = 2
    #: naive Bayes feature scaling before each logistic regression (None: plain logistic regression)
    nb_alpha: float | None = 1.0
    #: weight of sentences from groups whose name starts with a prefix: the project's own gold and
    #: the seed (whole threads annotated by the team) count twice (CV by site on 1,442 pages:
    #: micro-F1 0.528 → 0.526, noise; the seed's sanity figure 0.77 → 0.85)
    group_weights: dict[str, float] = field(default_factory=lambda: {"file:": 2.0})
    #: label models read the sentences' contextual vectors (bucketed) when every sentence has one
    vectors: bool = True


def _weights(docs: Sequence[ParsedDoc], settings: Settings, per_sentence: bool = True) -> np.ndarray:
    out = []
    for d in docs:
        w = 1.0
        for prefix, value in settings.group_weights.items():
            if d.group.startswith(prefix):
                w = value
        out.extend([w] * (len(d.sentences) if per_sentence else 1))
    return np.asarray(out, dtype=np.float64)


def fit_labels(docs: Sequence[ParsedDoc], settings: Settings, vocab: Sequence[str] | None = None,
               prune: bool = True) -> LinearModel:
    rows = [s for d in docs for s in d.sentences]
    if vocab is None:
        vocab = vocabulary((s.feats for s in rows), min_count=settings.min_count)
    X = matrix([s.feats for s in rows], vocab)
    Y = np.array([[lab in s.gold for lab in LABELS] for s in rows], dtype=np.float64)
    C = [settings.C_per_label.get(lab, settings.C_labels) for lab in LABELS]
    W, b = _fit_binary(X, Y, C, _weights(docs, settings), settings.nb_alpha)
    model = LinearModel(MODEL_NAME, list(LABELS), list(vocab), W, b)
    return _pruned(model) if prune else model


def fit_categories(docs: Sequence[ParsedDoc], settings: Settings, vocab: Sequence[str] | None = None,
                   prune: bool = True) -> LinearModel:
    rows = [s for d in docs for s in d.sentences if "objection" in s.gold and s.gold_cats]
    if vocab is None:
        vocab = vocabulary((s.feats for s in rows), min_count=settings.min_count)
    X = matrix([s.feats for s in rows], vocab)
    Y = np.array([[c in s.gold_cats for c in CATEGORIES] for s in rows], dtype=np.float64)
    W, b = _fit_binary(X, Y, settings.C_categories, nb_alpha=settings.nb_alpha)
    model = LinearModel(MODEL_NAME + ".categories", list(CATEGORIES), list(vocab), W, b)
    return _pruned(model) if prune else model


def stance_inputs(doc: ParsedDoc, labels: Sequence[set[str]]) -> list[str]:
    from ..pipeline.features import label_features

    return list(doc.doc_feats) + label_features(list(labels))


def fit_stance(docs: Sequence[ParsedDoc], labels: dict[int, list[set[str]]] | None, settings: Settings) -> LinearModel | None:
    """A softmax over favor / against / neutral for whole documents (None when the documents do
    not show two stances). Without ``labels`` it is the stance prior: the document's features
    alone, without the rule-based stance's (:func:`~discours.learn.model.prior_inputs`).

    Its input is TF-IDF weighted and L2-normalised (scikit-learn's ``TfidfTransformer``): a post's
    lemmas are many and mostly shared by every stance, and unweighted binary features let long
    posts' common words drown the telling ones (CV by site on 605 pages: macro-F1 0.55 → 0.60).
    A lemma counts by the number of sentences that have it, sublinearly (``1 + ln n``): what a
    post keeps coming back to weighs more than a word said once (1,442 pages: 0.58 → 0.60).
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    usable = [(k, d) for k, d in enumerate(docs) if d.stance in STANCES]
    if len({d.stance for _, d in usable}) < 2:
        return None
    inputs = [stance_inputs(d, labels[k]) if labels is not None else prior_inputs(d.doc_feats) for k, d in usable]
    vocab = vocabulary(inputs, min_count=settings.min_count)
    tfidf = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
    X = tfidf.fit_transform(matrix(inputs, vocab, counts=True))
    W, b = _fit_softmax(X, [d.stance for _, d in usable], STANCES, settings.C_stance,
                        _weights([d for _, d in usable], settings, per_sentence=False))
    return LinearModel(MODEL_NAME + (".stance" if labels is not None else ".stance_prior"), list(STANCES), vocab, W, b,
                       kind="softmax", scale=tfidf.idf_, norm="l2", tf="sublinear")


def prior_out_of_fold(docs: Sequence[ParsedDoc], settings: Settings, n_folds: int = 5) -> dict[int, list[str]]:
    """Per document, :func:`~discours.learn.model.prior_features` from a stance prior that never
    saw its group (empty where a fold's training part shows fewer than two stances)."""
    out: dict[int, list[str]] = {}
    for fold in folds_by_group(docs, n_folds):
        model = fit_stance([d for d in docs if d.group not in fold], None, settings)
        for k, d in enumerate(docs):
            if d.group in fold:
                out[k] = [] if model is None else prior_features(model.proba([prior_inputs(d.doc_feats)])[0], model.outputs)
    return out


def _pruned(model: LinearModel, eps: float = 1e-3) -> LinearModel:
    """Drop features whose weights are all but zero (smaller files, same predictions).

    A length-normalised model keeps them all: they still count in a document's length.
    """
    if model.norm is not None:
        return model
    keep = np.abs(model.weights).max(axis=1) >= eps
    return LinearModel(model.name, model.outputs, [f for f, k in zip(model.features, keep) if k], model.weights[keep],
                       model.bias, model.thresholds, model.kind, model.meta,
                       model.scale[keep] if model.scale is not None else None)


# -- scoring as score_gold does ----------------------------------------------------------------
def score(records: Sequence[Any], docs: Sequence[ParsedDoc], labels: dict[int, list[set[str]]],
          cats: dict[int, list[set[str]]], stances: dict[int, str] | None = None,
          only: set[int] | None = None) -> dict[str, Any]:
    """Per-label P/R/F1, micro, category accuracy and post stance macro-F1 over the records
    ``only`` (default all), with the scorer's matching rules."""
    from ..evaluation import normalize

    preds: dict[int, list[tuple[str, set[str], set[str]]]] = defaultdict(list)
    for k, d in enumerate(docs):
        for s, labs, cs in zip(d.sentences, labels[k], cats[k]):
            preds[d.record].append((s.text, labs, cs))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    cat_hit = cat_total = 0
    for r, rec in enumerate(records):
        if only is not None and r not in only:
            continue
        pr = preds.get(r, [])
        golds = [(normalize(g["text"]), set(g.get("labels", [])), g) for g in rec.sentences]
        for gtext, glabels, g in golds:
            matched = [p for p in pr if overlaps(gtext, p[0])]
            plabels = set().union(*(p[1] for p in matched)) if matched else set()
            pcats = set().union(*(p[2] for p in matched)) if matched else set()
            for lab in LABELS:
                if lab in glabels and lab in plabels:
                    tp[lab] += 1
                elif lab in glabels:
                    fn[lab] += 1
            if "objection" in glabels and "objection" in plabels:
                gc = g.get("objection_category")
                gcs = set(gc) if isinstance(gc, list) else {gc}
                cat_total += 1
                cat_hit += bool(gcs & pcats)
        for ptext, plabels, _ in pr:
            for lab in plabels:
                if not any(lab in gl and overlaps(gt, ptext) for gt, gl, _ in golds):
                    fp[lab] += 1
    per = {}
    for lab in LABELS:
        per[lab] = _prf(tp[lab], fp[lab], fn[lab])
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    result: dict[str, Any] = {"labels": per, "micro": micro, "category_accuracy": cat_hit / cat_total if cat_total else None,
                              "n_records": sum(1 for r in range(len(records)) if only is None or r in only)}
    if stances is not None:
        gold, pred = [], []
        for k, d in enumerate(docs):
            if d.part == "post" and (only is None or d.record in only) and records[d.record].stance in STANCES:
                gold.append(records[d.record].stance)
                pred.append(stances.get(k, "neutral"))
        result["stance_macro_f1"] = macro_f1(gold, pred, STANCES)
        result["stance_accuracy"] = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else None
        result["stance_confusion"] = dict(Counter(f"{g}->{p}" for g, p in zip(gold, pred)))
    return result


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "support": tp + fn}


# -- cross-validation ----------------------------------------------------------------------------
def folds_by_group(docs: Sequence[ParsedDoc], n_folds: int) -> list[set[str]]:
    """Groups split into ``n_folds`` folds of similar sentence counts (deterministic)."""
    sizes: Counter[str] = Counter()
    for d in docs:
        sizes[d.group] += len(d.sentences)
    folds: list[set[str]] = [set() for _ in range(n_folds)]
    load = [0] * n_folds
    for g, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        j = min(range(n_folds), key=lambda i: (load[i], i))
        folds[j].add(g)
        load[j] += n
    return folds


def _out_of_fold(docs: Sequence[ParsedDoc], n_folds: int, fit_model: Any, width: int) -> dict[int, np.ndarray]:
    """Per document, the scores of its sentences from a model (``fit_model(train_docs)``) that
    never saw its group."""
    out: dict[int, np.ndarray] = {}
    for fold in folds_by_group(docs, n_folds):
        model = fit_model([d for d in docs if d.group not in fold])
        for k, d in enumerate(docs):
            if d.group in fold:
                feats = [s.feats for s in d.sentences]
                out[k] = model.proba(feats) if feats else np.zeros((0, width))
    return out


def out_of_fold(docs: Sequence[ParsedDoc], settings: Settings, n_folds: int = 5) -> dict[str, Any]:
    """Label probabilities (``probs``) of every sentence from models that never saw its group."""
    return {"probs": _out_of_fold(docs, n_folds, lambda t: fit_labels(t, settings), len(LABELS))}


def categories_out_of_fold(docs: Sequence[ParsedDoc], settings: Settings, n_folds: int = 5) -> dict[int, np.ndarray]:
    """Category probabilities of every sentence from category models that never saw its group."""
    return _out_of_fold(docs, n_folds, lambda t: fit_categories(t, settings), len(CATEGORIES))


def with_category_context(docs: Sequence[ParsedDoc], stage1: dict[str, Any]) -> list[ParsedDoc]:
    """Copies of ``docs`` whose sentence features include :func:`category_context` from the first
    stage's out-of-fold label and category scores, and the document's lemmas (CV by site on
    1,442 pages: category accuracy 0.68 → 0.69)."""
    objection = LABELS.index("objection")

    def extra(k: int, d: ParsedDoc) -> list[list[str]]:
        lemmas = document_lemmas([s.feats for s in d.sentences])
        return [row + lemmas for row in category_context(stage1["probs"][k], stage1["cat_probs"][k], objection, CATEGORIES)]

    return _extended(docs, extra)


def _extended(docs: Sequence[ParsedDoc], extra: Any) -> list[ParsedDoc]:
    """Copies of ``docs`` whose sentences' features are followed by ``extra(k, doc)[i]``."""
    from .dataset import SentenceRow

    out = []
    for k, d in enumerate(docs):
        more = extra(k, d) if d.sentences else []
        rows = [SentenceRow(s.text, list(s.feats) + more[i], s.rules, s.rule_cats, s.gold, s.gold_cats, s.vec)
                for i, s in enumerate(d.sentences)]
        out.append(ParsedDoc(d.record, d.group, d.doc_id, d.part, rows, d.doc_feats, d.stance, d.rule_stance))
    return out


def edges_of(docs: Sequence[ParsedDoc], settings: Settings) -> np.ndarray | None:
    """Bucket edges of the sentences' contextual vectors (unsupervised: quantiles over every
    sentence), or None when vectors are off or some sentence has none."""
    if not settings.vectors:
        return None
    vecs = [s.vec for d in docs for s in d.sentences]
    if not vecs or any(v is None for v in vecs):
        return None
    return vector_edges(np.vstack(vecs))


def with_vectors(docs: Sequence[ParsedDoc], edges: np.ndarray | None) -> list[ParsedDoc]:
    """Copies of ``docs`` whose sentence features include their vector buckets (``docs`` as they
    are when ``edges`` is None)."""
    if edges is None:
        return list(docs)
    return _extended(docs, lambda k, d: vector_features(np.vstack([s.vec for s in d.sentences]), edges))


def choose_thresholds(docs: Sequence[ParsedDoc], probs: dict[int, np.ndarray], eval_groups: set[str] | None) -> np.ndarray:
    """Per label, the threshold maximising the sentence-level F1 of out-of-fold predictions."""
    ys, ps = [], []
    for k, d in enumerate(docs):
        if eval_groups is not None and d.group not in eval_groups:
            continue
        for s, p in zip(d.sentences, probs[k]):
            ys.append([lab in s.gold for lab in LABELS])
            ps.append(p)
    Y, P = np.asarray(ys, dtype=bool), np.asarray(ps)
    out = np.full(len(LABELS), 0.5)
    for j in range(len(LABELS)):
        best_f, best_t = -1.0, 0.5
        for t in np.arange(0.15, 0.75, 0.025):
            pred = P[:, j] >= t
            tp = float((pred & Y[:, j]).sum())
            denom = float(pred.sum() + Y[:, j].sum())
            f = 2 * tp / denom if denom else 0.0
            if f > best_f + 1e-9:
                best_f, best_t = f, float(t)
        out[j] = best_t
    return out


def predictions(docs: Sequence[ParsedDoc], probs: dict[int, np.ndarray], cat_probs: dict[int, np.ndarray],
                thresholds: np.ndarray, combine: dict[str, str], second: float = 0.35) -> tuple[dict, dict]:
    labels: dict[int, list[set[str]]] = {}
    cats: dict[int, list[set[str]]] = {}
    for k, d in enumerate(docs):
        labs_k, cats_k = [], []
        for s, p, cp in zip(d.sentences, probs[k], cat_probs[k]):
            labs = combine_labels(p, thresholds, LABELS, combine, s.feats, s.rules)
            # the tables carry one category per objection row: score the first only
            rule_cat = sorted(s.rule_cats)[0] if s.rule_cats else None
            cs = {ranked_categories(cp, CATEGORIES, second, rule_cat)[0]}
            labs_k.append(labs)
            cats_k.append(cs if "objection" in labs else set())
        labels[k], cats[k] = labs_k, cats_k
    return labels, cats


def rules_predictions(docs: Sequence[ParsedDoc]) -> tuple[dict, dict]:
    return ({k: [set(s.rules) for s in d.sentences] for k, d in enumerate(docs)},
            {k: [set(s.rule_cats) for s in d.sentences] for k, d in enumerate(docs)})


def choose_combination(records: Sequence[Any], docs: Sequence[ParsedDoc], oof: dict[str, Any], thresholds: np.ndarray,
                       only: set[int] | None) -> dict[str, str]:
    """Per label, the way of combining rules and model that scores best out of fold."""
    combine = {lab: "model" for lab in LABELS}
    for lab in LABELS:
        best = None
        for mode in ("model", "union", "rules"):
            trial = dict(combine, **{lab: mode})
            labels, cats = predictions(docs, oof["probs"], oof["cat_probs"], thresholds, trial)
            f = score(records, docs, labels, cats, only=only)["labels"][lab]["f1"]
            if best is None or f > best[0] + 1e-9:
                best = (f, mode)
        combine[lab] = best[1]
    return combine


def stance_out_of_fold(docs: Sequence[ParsedDoc], labels: dict[int, list[set[str]]], settings: Settings,
                       n_folds: int = 5) -> dict[int, str]:
    out: dict[int, str] = {}
    for fold in folds_by_group(docs, n_folds):
        train = [k for k, d in enumerate(docs) if d.group not in fold]
        model = fit_stance([docs[k] for k in train], {i: labels[k] for i, k in enumerate(train)}, settings)
        for k, d in enumerate(docs):
            if d.group in fold:
                if model is None or len(d.sentences) < MIN_SENTENCES:
                    out[k] = d.rule_stance
                else:
                    out[k] = STANCES[int(np.argmax(model.proba([stance_inputs(d, labels[k])])[0]))]
    return out


def with_context(docs: Sequence[ParsedDoc], probs: dict[int, np.ndarray],
                 prior: dict[int, list[str]] | None = None) -> list[ParsedDoc]:
    """Copies of ``docs`` whose sentence features include the first stage's scores around them,
    and the document's stance ``prior`` (:func:`prior_out_of_fold`) when given."""
    def around(k: int, d: ParsedDoc) -> list[list[str]]:
        mean = probs[k].mean(axis=0)  # the document's mean, once
        extra = prior.get(k, []) if prior is not None else []
        return [context_features(probs[k], i, LABELS, mean) + extra for i in range(len(d.sentences))]

    return _extended(docs, around)


def cross_validate(records: Sequence[Any], docs: Sequence[ParsedDoc], *, settings: Settings | None = None,
                   n_folds: int = 5, eval_groups: set[str] | None = None, context: bool = True) -> dict[str, Any]:
    """Rules alone vs the learned layer, cross-validated by group; scored on ``eval_groups``
    (default: every group) exactly as ``score_gold.py`` scores.

    With ``context``, the second stage is trained on the first stage's out-of-fold scores, and
    cross-validated on the same folds. Returns ``rules`` and ``model`` scores, the chosen
    ``thresholds`` and ``combine``, the out-of-fold first-stage scores (``stage1``) and labels
    (``oof_labels``, used to train the stance model).
    """
    settings = settings or Settings()
    only = {d.record for d in docs if eval_groups is None or d.group in eval_groups}
    # the label models read the sentences' contextual vectors (CV by site on 1,442 pages:
    # rhetorical questions 0.39 → 0.42); categories and stance read words only (no gain there)
    edges = edges_of(docs, settings)
    label_docs = with_vectors(docs, edges)
    stage1 = out_of_fold(label_docs, settings, n_folds)
    stage1["cat_probs"] = categories_out_of_fold(docs, settings, n_folds)
    deciding_docs, oof, prior = label_docs, stage1, None
    if context:
        # the second stage also reads the document's stance from its words alone (CV by site on
        # 1,442 pages: micro-F1 0.526 → 0.531, rhetorical questions 0.42 → 0.43)
        prior = prior_out_of_fold(docs, settings, n_folds)
        deciding_docs = with_context(label_docs, stage1["probs"], prior)
        oof = out_of_fold(deciding_docs, settings, n_folds)
        # categories read with the document's other likely objections (CV by site on 1,079
        # pages: accuracy over gold objections 0.61 → 0.66)
        oof["cat_probs"] = categories_out_of_fold(with_category_context(docs, stage1), settings, n_folds)
    thresholds = choose_thresholds(deciding_docs, oof["probs"], eval_groups)
    combine = choose_combination(records, deciding_docs, oof, thresholds, only)
    labels, cats = predictions(deciding_docs, oof["probs"], oof["cat_probs"], thresholds, combine)
    stances = stance_out_of_fold(docs, labels, settings, n_folds)
    r_labels, r_cats = rules_predictions(docs)
    rule_stances = {k: d.rule_stance for k, d in enumerate(docs)}
    return {"rules": score(records, docs, r_labels, r_cats, rule_stances, only),
            "model": score(records, docs, labels, cats, stances, only),
            "thresholds": {lab: round(float(t), 3) for lab, t in zip(LABELS, thresholds)},
            "combine": combine, "oof_labels": labels, "stage1": stage1, "n_folds": n_folds, "context": context,
            "vector_edges": edges, "prior": prior}


def fit(records: Sequence[Any], docs: Sequence[ParsedDoc], *, settings: Settings | None = None, n_folds: int = 5,
        eval_groups: set[str] | None = None, meta: dict[str, Any] | None = None,
        context: bool = True) -> tuple[ArgumentModel, dict[str, Any]]:
    """Cross-validate (to pick thresholds and combinations and to report), then train on all."""
    settings = settings or Settings()
    cv = cross_validate(records, docs, settings=settings, n_folds=n_folds, eval_groups=eval_groups, context=context)
    thresholds = np.asarray([cv["thresholds"][lab] for lab in LABELS], dtype=np.float32)
    # the three sentence models share the first stage's vocabulary (the context model adds its
    # context features after it), so a sentence's features are looked up once at run time
    edges = cv["vector_edges"]
    label_docs = with_vectors(docs, edges)
    labels_model = fit_labels(label_docs, settings, prune=False)
    shared = labels_model.features
    context_model = None
    if context:
        # the second stage learns from first-stage scores of models that never saw the sentence,
        # as it will meet them at run time
        ctx_docs = with_context(label_docs, cv["stage1"]["probs"], cv["prior"])
        known = set(shared)
        extra = [f for f in vocabulary((s.feats for d in ctx_docs for s in d.sentences), min_count=settings.min_count)
                 if f not in known]
        context_model = fit_labels(ctx_docs, settings, vocab=shared + extra, prune=False)
        context_model.name = MODEL_NAME + ".context"
        context_model.thresholds = thresholds
    else:
        labels_model.thresholds = thresholds
    categories = fit_categories(docs, settings, vocab=shared, prune=False)
    categories_context = None
    if context:
        categories_context = fit_categories(with_category_context(docs, cv["stage1"]), settings)
    stance = fit_stance(docs, cv["oof_labels"], settings)
    stance_prior = fit_stance(docs, None, settings) if context else None
    from ..pipeline.features import FEATURES_VERSION

    info = {
        "name": MODEL_NAME, "date": date.today().isoformat(), "features": FEATURES_VERSION,
        "n_records": len(records), "n_documents": len(docs), "n_sentences": sum(len(d.sentences) for d in docs),
        "n_groups": len({d.group for d in docs}),
        "settings": {"C_labels": settings.C_labels, "C_per_label": settings.C_per_label, "C_categories": settings.C_categories, "C_stance": settings.C_stance,
                     "min_count": settings.min_count, "group_weights": settings.group_weights, "context": context,
                     "nb_alpha": settings.nb_alpha, "vectors": edges is not None},
        "cross_validation": {k: cv[k] for k in ("rules", "model", "thresholds", "combine", "n_folds")},
        **(meta or {}),
    }
    model = ArgumentModel(labels_model, categories, stance, cv["combine"], info, context=context_model,
                          categories_context=categories_context, vector_edges=edges, stance_prior=stance_prior)
    return model, cv


def train_arguments(gold: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], output_dir: str | os.PathLike[str], *,
                    texts: str | os.PathLike[str] | None = None, n_folds: int = 5, settings: Settings | None = None,
                    model: str = "fr_core_news_sm", progress: bool = False) -> dict[str, Any]:
    """Train the learned argument layer on gold files and save it into ``output_dir``.

    Gold files are either the scorer's format (sentence texts) or web facts (offsets into texts
    kept in ``texts``, see :mod:`discours.learn.webgold`). Web pages are grouped by site for
    cross-validation, other records by file.

    Returns:
        The cross-validation figures (rules alone and learned layer) and where the model went.

    Example:
        >>> train_arguments(["gold/web/pages.jsonl"], "modele/", texts="gold/web/texts")  # doctest: +SKIP
    """
    from ..evaluation import read_gold
    from .dataset import parse_records
    from .webgold import is_web_facts, read_web_gold

    paths = [gold] if isinstance(gold, (str, os.PathLike)) else list(gold)
    records: list[Any] = []
    groups: dict[str, str] = {}
    missing = 0
    for p in paths:
        if is_web_facts(p):
            recs, sites, unusable = read_web_gold(p, texts=texts)
            records += recs
            groups.update({rid: "site:" + s for rid, s in sites.items()})
            missing += len(unusable)
        else:
            recs = read_gold(p)
            records += recs
            groups.update({r.id: "file:" + r.id for r in recs})
    from ..errors import DiscoursError

    if not records:
        raise DiscoursError("No gold record has its text available: nothing to train on. "
                            "Check the texts folder (`python gold/web/tools/check_texts.py`).")
    docs = parse_records(records, groups=groups, model=model, progress=progress)
    web = {g for g in groups.values() if g.startswith("site:")}
    from ..pipeline import get_nlp
    from ..pipeline.features import vectors_source

    argument_model, cv = fit(records, docs, settings=settings, n_folds=n_folds, eval_groups=web or None,
                             meta={"gold": [Path(p).name for p in paths], "missing_texts": missing,
                                   "vectors_from": vectors_source(get_nlp(model).meta)})
    argument_model.save(output_dir)
    agreement = add_agreement(output_dir, records, model=model, progress=progress)
    return {"output_dir": str(output_dir), "rules": cv["rules"], "model": cv["model"], "combine": cv["combine"],
            "thresholds": cv["thresholds"], "n_records": len(records), "missing_texts": missing, "agreement": agreement}


def add_agreement(model_dir: str | os.PathLike[str], records: Sequence[Any], *, model: str = "fr_core_news_sm",
                  progress: bool = False) -> dict[str, Any]:
    """Learn comment agreement from the annotated threads among ``records`` and add it to the
    argument model in ``model_dir`` (whose labels give the comments' argument features).

    Returns:
        The cross-validated figures (model and rules, all threads and real web threads), with
        ``kept`` = ``model`` or ``rules`` (the model is saved only when it does as well).
    """
    from .agreement import agreement_examples, fit_agreement
    from .model import ArgumentModel, _agreement_of

    bundle = ArgumentModel.load(model_dir)
    if bundle.agreement is not None:
        # the examples are read by the rules alone: a previous agreement model would change the
        # comments' stances (and so the features) that this one learns from
        bundle.agreement = None
        bundle.save(model_dir)
        _agreement_of.cache_clear()
    examples = agreement_examples(records, arguments_model=str(model_dir), model=model, progress=progress)
    agreement, figures = fit_agreement(examples)
    bundle.agreement = agreement
    bundle.meta = dict(bundle.meta, agreement=figures)
    bundle.save(model_dir)
    return figures
