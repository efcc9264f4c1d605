"""Learn the agreement of a comment with its post from annotated threads.

Each gold reply becomes one example: the features :func:`discours.stance.agreement.comment_features`
reads from the analysed thread (its agreement cues, its stance against the post's, the argument
labels found in it, its shape) and the annotators' ``agreement``. A multinomial logistic
regression (classes weighted to their frequency, so the rare ``disagree`` is not drowned by
``agree``) is fitted on them, cross-validated by thread against the rules.

Threads come from the scorer's gold files (a corpus file with its post and comments, the
annotations' ``structure.comments`` in file order) and from web facts whose replies carry
offsets (``comments[].start``): those pages are cut into a post and its replies.

Example:
    >>> examples = agreement_examples(records)                 # doctest: +SKIP
    >>> model, figures = fit_agreement(examples)               # doctest: +SKIP
    >>> figures["model"]["macro_f1"] > figures["rules"]["macro_f1"]   # doctest: +SKIP
    True
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..evaluation import macro_f1
from ..stance.agreement import combine_agreement
from .linear import LinearModel

AGREEMENTS = ("agree", "disagree", "mixed", "none")
MODEL_NAME = "model.agreement.v1"


@dataclass
class AgreementExample:
    group: str
    """the thread (a gold record): cross-validation keeps a thread's replies together"""
    feats: list[str]
    gold: str
    rules: str
    """what the rules say for this reply, for comparison"""
    web: bool = False
    """a real thread from the web gold (the others are the team's own gold)"""


def thread_file(record: Any, folder: Path) -> Path | None:
    """A web page whose replies have offsets, written into ``folder`` as a JSON thread (the text
    before the first reply is the post, each reply runs to the next one); None for other pages."""
    comments = record.comments
    if not comments or not all("start" in c for c in comments):
        return None
    text = Path(record.path).read_text(encoding="utf-8")
    starts = [int(c["start"]) for c in comments] + [len(text)]
    replies = []
    for k, c in enumerate(comments):
        reply: dict[str, Any] = {"id": f"r{k}", "author": f"lecteur {k}", "text": text[starts[k]:starts[k + 1]].strip()}
        if isinstance(c.get("reply_to"), int):
            reply["reply_to"] = f"r{c['reply_to']}"
        replies.append(reply)
    out = folder / f"{record.id}.json"
    out.write_text(json.dumps({"title": "", "author": "auteur", "text": text[: starts[0]].strip(), "comments": replies},
                              ensure_ascii=False), encoding="utf-8")
    return out


def agreement_examples(records: Sequence[Any], *, arguments_model: str | None = "default", model: str = "fr_core_news_sm",
                       progress: bool = False) -> list[AgreementExample]:
    """One example per annotated reply whose thread the readers split as the annotators did.

    Records without comment annotations are ignored; a thread whose comments the reader counts
    differently from the gold is skipped (its replies cannot be paired).
    """
    import discours

    from ..stance.agreement import thread_agreement

    with tempfile.TemporaryDirectory(prefix="discours-agreement-") as tmp:
        paths: dict[str, Any] = {}
        for rec in records:
            if not rec.comments or not any(c.get("agreement") for c in rec.comments):
                continue
            if all("start" in c for c in rec.comments):
                path = thread_file(rec, Path(tmp))
            elif any("start" in c for c in rec.comments):
                continue
            else:
                path = Path(rec.path)
            if path is not None:
                paths[str(Path(path).resolve())] = rec
        if not paths:
            return []
        analysis = discours.analyze(list(paths), model=model, arguments_model=arguments_model, progress=progress)
    table = thread_agreement(analysis).set_index("doc_id")
    docs = analysis.documents
    out: list[AgreementExample] = []
    for source, group in docs[docs["part"] == "comment"].groupby("source", sort=False):
        rec = paths.get(str(Path(str(source)).resolve()))
        if rec is None or len(group) != len(rec.comments):
            continue
        for doc_id, gold in zip(group["doc_id"].astype(str), rec.comments):
            label = gold.get("agreement")
            if label not in AGREEMENTS or doc_id not in table.index:
                continue
            row = table.loc[doc_id]
            out.append(AgreementExample(rec.id, list(row["features"]), label, str(row["agreement"]),
                                        web=any("start" in c for c in rec.comments)))
    return out


def fit_model(examples: Sequence[AgreementExample], C: float) -> LinearModel:
    """A softmax over the agreements, classes weighted to their frequency (no selection, no check)."""
    from .train import _fit_softmax, matrix, vocabulary

    feats = [e.feats for e in examples]
    vocab = vocabulary(feats, min_count=2)
    W, b = _fit_softmax(matrix(feats, vocab), [e.gold for e in examples], AGREEMENTS, C)
    return LinearModel(MODEL_NAME, list(AGREEMENTS), vocab, W, b, kind="softmax")


def _figures(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    disputing = [p for g, p in zip(gold, pred) if g == "disagree"]
    return {"macro_f1": round(macro_f1(gold, pred, AGREEMENTS) or 0.0, 3),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 3) if gold else None,
            "disputing_disagree": round(disputing.count("disagree") / len(disputing), 3) if disputing else None,
            "disputing_agree": round(disputing.count("agree") / len(disputing), 3) if disputing else None,
            "n": len(gold), "n_disputing": len(disputing)}


def cross_validate_agreement(examples: Sequence[AgreementExample], *, C: float = 0.3, n_folds: int = 5) -> dict[str, Any]:
    """Out-of-fold predictions by thread (combined with the rules as at run time, see
    :func:`~discours.stance.agreement.combine_agreement`): the figures beside the rules' alone."""
    groups = sorted({e.group for e in examples})
    rng = np.random.default_rng(0)
    order = list(rng.permutation(len(groups)))
    fold_of = {groups[i]: k % n_folds for k, i in enumerate(order)}
    pred = [""] * len(examples)
    for fold in range(n_folds):
        train = [e for e in examples if fold_of[e.group] != fold]
        test = [i for i, e in enumerate(examples) if fold_of[e.group] == fold]
        if not test or len({e.gold for e in train}) < 2:
            continue
        m = fit_model(train, C)
        probs = m.proba([examples[i].feats for i in test])
        for i, row in zip(test, probs):
            pred[i] = combine_agreement(m.outputs[int(row.argmax())], examples[i].rules)
    gold = [e.gold for e in examples]
    web = [i for i, e in enumerate(examples) if e.web]
    return {"C": C, "n_folds": n_folds, "n_threads": len(groups), "model": _figures(gold, pred),
            "rules": _figures(gold, [e.rules for e in examples]),
            "web_model": _figures([gold[i] for i in web], [pred[i] for i in web]),
            "web_rules": _figures([gold[i] for i in web], [examples[i].rules for i in web])}


#: the learned agreement replaces the rules only when it beats them out of fold by this much…
MIN_GAIN = 0.02
#: …without losing more than this share of the disputing replies the rules read as disagreement
#: (none: a thread where every reply disputes its post must read as disagreement, and 143
#: replies cannot show that a loss there is worth a small gain elsewhere)
MAX_DISPUTE_LOSS = 0.0


def fit_agreement(examples: Sequence[AgreementExample], *, Cs: Sequence[float] = (0.03, 0.1, 0.3),
                  n_folds: int = 5) -> tuple[LinearModel | None, dict[str, Any]]:
    """The agreement model (C chosen by cross-validation by thread) and its figures; None when
    it does not clearly beat the rules out of fold (macro-F1 ``MIN_GAIN`` higher, disputing
    replies read as disagreement kept): the rules then keep deciding."""
    if len({e.gold for e in examples}) < 2 or len({e.group for e in examples}) < n_folds:
        return None, {"n": len(examples), "skipped": "too few annotated threads"}
    runs = [cross_validate_agreement(examples, C=C, n_folds=n_folds) for C in Cs]
    best = max(runs, key=lambda r: (r["model"]["macro_f1"], r["model"]["disputing_disagree"] or 0.0))
    m, r = best["model"], best["rules"]
    if m["macro_f1"] < r["macro_f1"] + MIN_GAIN or (m["disputing_disagree"] or 0.0) < (r["disputing_disagree"] or 0.0) - MAX_DISPUTE_LOSS:
        return None, dict(best, kept="rules")
    model = fit_model(examples, best["C"])
    model.meta = {"cross_validation": best}
    return model, dict(best, kept="model")
