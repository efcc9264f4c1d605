"""Learning stance from a user's labelled examples, and predicting it for loose texts.

``train_stance`` runs the discours pipeline on each example toward its target (so the model sees
the rule-based reading of the target: answers, evaluations, actions), then fits a small spaCy
``textcat`` on those features plus the words of the text, and saves it into a folder that
``discours.analyze(..., stance_model=FOLDER)`` uses.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .data import load_examples, to_example
from .model import StanceModel, fit, load_model, predict_one, save_model

if TYPE_CHECKING:
    from spacy.language import Language

Examples = Iterable[Mapping[str, Any]] | str | os.PathLike[str]


def _examples(examples: Examples, target: str | None = None) -> list[dict[str, Any]]:
    if isinstance(examples, (str, os.PathLike)):
        return load_examples(examples, target=target)
    return [to_example(e, target=target) if ("label" in e or "stance" in e) else dict(e) for e in examples]


def annotate(texts: Sequence[str], targets: Sequence[str | None], *, nlp: "Language | None" = None,
             batch_size: int = 64) -> list[dict[str, Any]]:
    """Rule-based stance of each text toward its own target, with the model input built from it.

    Returns one dict per text: ``stance``, ``stance_score``, ``stance_evidence``, ``input``.
    The shared pipeline's target and model are restored afterwards.
    """
    from ..pipeline import get_nlp
    from ..pipeline.stance import model_input

    nlp = nlp or get_nlp()
    comp = nlp.get_pipe("discours_stance")
    saved = (comp.target, comp.model_path, comp._model)
    groups: dict[str | None, list[int]] = defaultdict(list)
    for i, t in enumerate(targets):
        groups[t].append(i)
    out: list[dict[str, Any]] = [dict() for _ in texts]
    try:
        comp.set_model(None)
        for target, idxs in groups.items():
            comp.set_target(target)
            for i, doc in zip(idxs, nlp.pipe((texts[i] for i in idxs), batch_size=batch_size)):
                info = dict(doc._.discours or {})
                info["input"] = model_input(doc, info)
                out[i] = info
    finally:
        comp.set_target(saved[0])
        comp.model_path, comp._model = saved[1], saved[2]
    return out


def train_stance(examples: Examples, output_dir: str | os.PathLike[str] | None = None, *, target: str | None = None,
                 n_iter: int = 12, seed: int = 0, nlp: "Language | None" = None) -> StanceModel:
    """Learn stance from labelled examples; save the model when ``output_dir`` is given.

    Args:
        examples: a JSONL/CSV/JSON path or dicts with ``text``, ``label`` (favor/against/neutral,
            FAVOUR/NONE…) and optionally ``target`` (a phrase or question).
        output_dir: folder to save the model into (use it with ``analyze(..., stance_model=...)``).
        target: the target of every example (overrides their ``target`` field).
        n_iter: training epochs.
        seed: random seed (training is deterministic for a seed).

    Returns:
        The trained :class:`~discours.stance.model.StanceModel`.

    Example:
        >>> exemples = [{"text": "Oui, sans hésiter.", "label": "favor", "target": "Faut-il un congé paternité ?"},
        ...             {"text": "Non, trop coûteux.", "label": "against", "target": "Faut-il un congé paternité ?"}]
        >>> modele = train_stance(exemples, "modele_position")                       # doctest: +SKIP
        >>> discours.analyze("corpus/", stance_model="modele_position")             # doctest: +SKIP
    """
    data = _examples(examples, target)
    annotated = annotate([e["text"] for e in data], [e.get("target") for e in data], nlp=nlp)
    model = fit([a["input"] for a in annotated], [e["label"] for e in data], n_iter=n_iter, seed=seed)
    model.meta["n_targets"] = len({e.get("target") for e in data})
    if output_dir is not None:
        save_model(model, output_dir)
    return model


def predict_stance(texts: Sequence[str], target: str | None = None, *, targets: Sequence[str | None] | None = None,
                   model: StanceModel | str | os.PathLike[str] | None = None,
                   nlp: "Language | None" = None) -> list[dict[str, Any]]:
    """Stance of loose texts (tweets, answers) toward ``target`` (or one target per text).

    Returns one dict per text: ``stance``, ``stance_score``, ``stance_rules`` (the rule-based
    stance) and ``stance_evidence``.

    Example:
        >>> predict_stance(["Macron, l'imposteur."], "Emmanuel Macron")[0]["stance"]   # doctest: +SKIP
        'against'
    """
    if isinstance(model, (str, os.PathLike, Path)):
        model = load_model(model)
    tg = list(targets) if targets is not None else [target] * len(texts)
    annotated = annotate(list(texts), tg, nlp=nlp)
    out = []
    for a in annotated:
        row = {"stance": a.get("stance", "neutral"), "stance_score": a.get("stance_score", 0.0),
               "stance_rules": a.get("stance", "neutral"), "stance_evidence": a.get("stance_evidence", [])}
        if model is not None:
            row["stance"], row["stance_score"], row["probabilities"] = predict_one(model, a["input"])
        out.append(row)
    return out
