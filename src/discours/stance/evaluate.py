"""Stance metrics: macro-F1 over the gold classes, F_avg (mean F1 of favor and against), confusion.

A prediction of ``neutral`` on a data set without neutral gold labels counts as a miss for the
gold class (and is shown in the confusion), so a system cannot gain by abstaining.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .train import Examples, _examples, annotate
from .model import fit, predict_one

if TYPE_CHECKING:
    from spacy.language import Language

ORDER = ("favor", "against", "neutral")


def stance_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1, macro-F1 (gold classes), F_avg and confusion.

    Example:
        >>> r = stance_scores(["favor", "against"], ["favor", "neutral"])
        >>> round(r["macro_f1"], 3), r["confusion"]["against"]["neutral"]
        (0.5, 1)
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    classes = [c for c in ORDER if c in set(gold)]
    per: dict[str, dict[str, float]] = {}
    for c in ORDER:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[c] = {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                  "support": tp + fn}
    confusion = {g: {p: 0 for p in ORDER} for g in ORDER if g in set(gold)}
    for g, p in zip(gold, pred):
        confusion[g][p if p in ORDER else "neutral"] += 1
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0,
        "macro_f1": sum(per[c]["f1"] for c in classes) / len(classes) if classes else 0.0,
        "f_avg": (per["favor"]["f1"] + per["against"]["f1"]) / 2,
        "per_class": per,
        "confusion": confusion,
        "predicted": dict(Counter(pred)),
    }


def evaluate_stance(examples: Examples, *, target: str | None = None, model: Any = None,
                    nlp: "Language | None" = None) -> dict[str, Any]:
    """Score discours's stance (rules, or ``model``) on labelled examples.

    Example:
        >>> evaluate_stance("elections.jsonl", target="Emmanuel Macron")["macro_f1"]   # doctest: +SKIP
    """
    from .train import predict_stance

    data = _examples(examples, target)
    preds = predict_stance([e["text"] for e in data], targets=[e.get("target") for e in data], model=model, nlp=nlp)
    return stance_scores([e["label"] for e in data], [p["stance"] for p in preds])


def group_folds(groups: Sequence[Any], folds: int, seed: int = 0) -> list[int]:
    """Fold index of each example; examples of one group (a question, a target) share a fold."""
    uniq = sorted({str(g) for g in groups})
    rng = random.Random(seed)
    rng.shuffle(uniq)
    fold_of = {g: i % folds for i, g in enumerate(uniq)}
    return [fold_of[str(g)] for g in groups]


def cross_validate(examples: Examples, *, folds: int = 5, target: str | None = None, by_group: bool = True,
                   seed: int = 0, n_iter: int = 12, nlp: "Language | None" = None) -> dict[str, Any]:
    """Train on k-1 folds, test on the held-out fold; pool the held-out predictions.

    With ``by_group`` (default) the folds are split by ``group`` (e.g. the question), so every
    test question is unseen in training.
    """
    data = _examples(examples, target)
    annotated = annotate([e["text"] for e in data], [e.get("target") for e in data], nlp=nlp)
    keys = [e.get("group") if by_group else i for i, e in enumerate(data)]
    fold = group_folds(keys, folds, seed) if by_group else [i % folds for i in random.Random(seed).sample(range(len(data)), len(data))]
    pred: list[str] = ["neutral"] * len(data)
    per_fold = []
    for f in range(folds):
        train = [i for i in range(len(data)) if fold[i] != f]
        test = [i for i in range(len(data)) if fold[i] == f]
        if not test or len({data[i]["label"] for i in train}) < 2:
            continue
        model = fit([annotated[i]["input"] for i in train], [data[i]["label"] for i in train], n_iter=n_iter, seed=seed)
        for i in test:
            pred[i] = predict_one(model, annotated[i]["input"])[0]
        per_fold.append(stance_scores([data[i]["label"] for i in test], [pred[i] for i in test])["macro_f1"])
    result = stance_scores([e["label"] for e in data], pred)
    result["fold_macro_f1"] = per_fold
    result["rules"] = stance_scores([e["label"] for e in data], [a.get("stance", "neutral") for a in annotated])
    return result
