"""A small trainable stance classifier: spaCy ``textcat`` (bag of n-grams, CPU) over the text
and the rule-based features (:func:`discours.pipeline.stance.model_input`).

Saved as a spaCy pipeline folder plus ``discours_stance.json`` (labels, lexicon version, size of
the training set); :func:`load_model` reloads it.
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import DiscoursError

if TYPE_CHECKING:
    from spacy.language import Language

META_FILE = "discours_stance.json"
FORMAT = "discours-stance-model-1"


@dataclass
class StanceModel:
    """A loaded stance classifier."""

    nlp: "Language"
    labels: tuple[str, ...]
    meta: dict[str, Any]


def build(labels: Sequence[str], *, ngram_size: int = 2) -> "Language":
    """A blank French pipeline with one exclusive ``textcat`` over ``labels``."""
    import spacy

    nlp = spacy.blank("fr")
    config = {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                        "ngram_size": ngram_size, "no_output_layer": False, "length": 262144}}
    textcat = nlp.add_pipe("textcat", config=config)
    for label in labels:
        textcat.add_label(label)
    return nlp


def fit(inputs: Sequence[str], labels: Sequence[str], *, n_iter: int = 12, seed: int = 0, dropout: float = 0.2,
        batch_size: int = 16, ngram_size: int = 2) -> StanceModel:
    """Train a classifier on model inputs (feature words + text) and their labels."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    if len(inputs) != len(labels):
        raise DiscoursError(f"fit(): {len(inputs)} inputs but {len(labels)} labels; give one label per input.")
    label_set = tuple(l for l in ("favor", "against", "neutral") if l in set(labels))
    if len(label_set) < 2:
        raise DiscoursError(f"Training needs examples of at least two stances; got only {list(label_set)}.")
    fix_random_seed(seed)
    nlp = build(label_set, ngram_size=ngram_size)
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {l: float(l == y) for l in label_set}})
                for t, y in zip(inputs, labels)]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(n_iter):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout)
    meta = {"format": FORMAT, "labels": list(label_set), "n_examples": len(inputs), "n_iter": n_iter, "seed": seed}
    return StanceModel(nlp, label_set, meta)


def save_model(model: StanceModel, path: str | os.PathLike[str], **meta: Any) -> Path:
    """Write the model into folder ``path`` (created); return the folder."""
    from ..lexicons import load

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    model.nlp.to_disk(out)
    info = dict(model.meta, lexicon=load("stance")["version"], **meta)
    (out / META_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    model.meta = info
    return out


def load_model(path: str | os.PathLike[str]) -> StanceModel:
    """Reload a model written by :func:`save_model` / :func:`discours.stance.train_stance`."""
    import spacy

    p = Path(path)
    meta_path = p / META_FILE
    if not meta_path.exists():
        raise DiscoursError(
            f"{str(p)!r} is not a discours stance model (no {META_FILE} in it). "
            "Train one with discours.stance.train_stance(examples, output_dir)."
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    nlp = spacy.load(p)
    return StanceModel(nlp, tuple(meta["labels"]), meta)


def predict_one(model: StanceModel, text: str) -> tuple[str, float, dict[str, float]]:
    """(stance, score in [-1, 1], probabilities) for one model input."""
    cats = model.nlp(text).cats
    label = max(cats, key=cats.get)
    score = float(cats.get("favor", 0.0) - cats.get("against", 0.0))
    return label, round(max(-1.0, min(1.0, score)), 4), dict(cats)
