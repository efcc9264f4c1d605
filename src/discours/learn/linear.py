"""A linear model over string features, stored as plain arrays (no pickle, no scikit-learn).

Weights are ``<stem>.npz`` (``weights``: features × outputs, ``bias``) beside ``<stem>.json``
(outputs, feature names, thresholds, kind, meta). Prediction is a sum of weights looked up by
feature name, so it needs only numpy and explains itself: the features that weighed most.

Example:
    >>> m = LinearModel("demo", ["objection"], ["l=coût", "l=client"], np.array([[2.0], [-1.0]]), np.zeros(1))
    >>> round(float(m.proba([["l=coût"]])[0, 0]), 3)
    0.881
    >>> m.evidence(["l=coût", "l=client"], 0)
    [('l=coût', 2.0)]
"""
from __future__ import annotations

import json
import math
import os
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import DiscoursError


@dataclass
class LinearModel:
    """Weights of one or several outputs over named features.

    ``kind`` is ``"binary"`` (independent sigmoids, one threshold per output) or ``"softmax"``
    (one exclusive choice among the outputs). With ``scale`` (e.g. inverse document
    frequencies) each present feature counts ``scale[f]`` instead of 1; with ``norm="l2"`` a
    list's feature vector is divided by its length first (TF-IDF input, as scikit-learn's
    ``TfidfTransformer`` gives it, for documents of very different lengths). With
    ``tf="sublinear"`` a feature repeated ``n`` times in a list counts ``1 + ln n`` (otherwise
    once, however often it is repeated).
    """

    name: str
    outputs: list[str]
    features: list[str]
    weights: np.ndarray
    bias: np.ndarray
    thresholds: np.ndarray | None = None
    kind: str = "binary"
    meta: dict[str, Any] = field(default_factory=dict)
    scale: np.ndarray | None = None
    norm: str | None = None
    tf: str | None = None

    def __post_init__(self) -> None:
        self.weights = np.asarray(self.weights, dtype=np.float32).reshape(len(self.features), len(self.outputs))
        self.bias = np.asarray(self.bias, dtype=np.float32).reshape(len(self.outputs))
        if self.thresholds is None:
            self.thresholds = np.full(len(self.outputs), 0.5, dtype=np.float32)
        self.thresholds = np.asarray(self.thresholds, dtype=np.float32).reshape(len(self.outputs))
        if self.scale is not None:
            self.scale = np.asarray(self.scale, dtype=np.float32).reshape(len(self.features))
        if self.norm not in (None, "l2"):
            raise ValueError(f"norm must be None or 'l2', not {self.norm!r}")
        if self.tf not in (None, "sublinear"):
            raise ValueError(f"tf must be None or 'sublinear', not {self.tf!r}")
        self._index = {f: i for i, f in enumerate(self.features)}

    def rows(self, feats: Sequence[str]) -> list[int]:
        """Indices of the known features among ``feats`` (each counted once)."""
        index = self._index
        return sorted({index[f] for f in feats if f in index})

    def indices(self, feats: Sequence[str]) -> list[int]:
        """Indices of the known features of one list, each once (in no particular order)."""
        found = set(map(self._index.get, feats))  # one lookup per feature, in C; unknown give None
        found.discard(None)
        return list(found)  # type: ignore[arg-type]

    def _sublinear(self, feats: Sequence[str]) -> tuple[list[int], list[float]]:
        """Indices of the known features of one list, each with ``1 + ln n`` for ``n`` repeats."""
        counts = Counter(map(self._index.get, feats))
        counts.pop(None, None)
        return list(counts), [1.0 + math.log(n) for n in counts.values()]  # type: ignore[arg-type]

    def logits(self, batch: Sequence[Sequence[str]]) -> np.ndarray:
        """Raw scores, one row per feature list (each known feature counted once per list, or by
        its sublinear frequency with ``tf``)."""
        if self.tf is None:
            return self.logits_from_indices([self.indices(feats) for feats in batch])
        counted = [self._sublinear(feats) for feats in batch]
        return self.logits_from_indices([c[0] for c in counted], [c[1] for c in counted])

    def shift(self, feats: Sequence[str]) -> np.ndarray:
        """What ``feats`` add to the logits of any list they join (features shared by all the
        sentences of a document, summed once). Only for a model without ``norm``, where features
        add up independently."""
        if self.norm is not None:
            raise ValueError("a length-normalised model's features do not add up independently")
        return self.logits([feats])[0] - self.bias

    def logits_from_indices(self, batch: Sequence[Sequence[int]], values: Sequence[Sequence[float]] | None = None) -> np.ndarray:
        """Raw scores from feature indices already looked up (models sharing a vocabulary
        look a sentence's features up once); ``values``, parallel to ``batch``, says what each
        feature counts (1 when None)."""
        lens = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
        out = np.tile(self.bias, (len(batch), 1))
        total = int(lens.sum())
        if total:
            cols = np.fromiter(chain.from_iterable(batch), dtype=np.int64, count=total)
            # each row's features are contiguous: one segmented sum (faster than np.add.at)
            filled = lens > 0
            starts = (np.cumsum(lens) - lens)[filled]
            rows = self.weights[cols]
            x = None  # each feature's value, when it is not 1
            if values is not None:
                x = np.fromiter(chain.from_iterable(values), dtype=np.float32, count=total)
            if self.scale is not None:
                x = self.scale[cols] if x is None else x * self.scale[cols]
            if x is not None:
                rows = rows * x[:, None]
            sums = np.add.reduceat(rows, starts, axis=0)
            if self.norm == "l2":
                squares = x ** 2 if x is not None else np.ones(total, dtype=np.float32)
                sums /= np.sqrt(np.add.reduceat(squares, starts))[:, None]
            out[filled] += sums
        return out

    def proba(self, batch: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities: sigmoids for ``binary``, a softmax over outputs for ``softmax``."""
        return self.squash(self.logits(batch))

    def proba_from_indices(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        return self.squash(self.logits_from_indices(batch))

    def extends(self, other: "LinearModel") -> bool:
        """Whether this model's vocabulary starts with ``other``'s (indices can be shared)."""
        n = len(other.features)
        return len(self.features) >= n and self.features[:n] == other.features

    def squash(self, logits: np.ndarray) -> np.ndarray:
        z = logits.astype(np.float64)
        if self.kind == "softmax":
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))

    def evidence(self, feats: Sequence[str], output: int, k: int = 3, *, prefixes: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """The ``k`` present features that pushed ``output`` up most (positive weights only)."""
        return self.evidence_many(feats, [output], k, prefixes=prefixes)[0]

    def evidence_many(self, feats: Sequence[str], outputs: Sequence[int], k: int = 3, *,
                      prefixes: tuple[str, ...] = ()) -> list[list[tuple[str, float]]]:
        """:meth:`evidence` for several outputs at once (the features are looked up once)."""
        if prefixes:
            feats = [f for f in feats if f.startswith(prefixes)]
        return self.evidence_from_indices(self.rows(feats), outputs, k)

    def evidence_from_indices(self, idx: Sequence[int], outputs: Sequence[int], k: int = 3) -> list[list[tuple[str, float]]]:
        """:meth:`evidence_many` from feature indices already looked up (each once)."""
        if not len(idx):
            return [[] for _ in outputs]
        block = self.weights[np.asarray(idx)].astype(np.float64)
        if self.scale is not None:
            block *= self.scale[np.asarray(idx)][:, None]
        if self.kind == "softmax":
            block = block - block.mean(axis=1, keepdims=True)
        names = [self.features[i] for i in idx]
        out = []
        for output in outputs:
            col = block[:, output]
            pairs = [(names[i], round(float(col[i]), 4)) for i in np.flatnonzero(col > 0)]
            pairs.sort(key=lambda p: (-p[1], p[0]))
            out.append(pairs[:k])
        return out

    # -- storage -----------------------------------------------------------------------------
    def save(self, folder: str | os.PathLike[str], stem: str) -> None:
        """Write ``<stem>.json`` and ``<stem>.npz`` into ``folder`` (created)."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        head = {"name": self.name, "kind": self.kind, "outputs": self.outputs,
                "thresholds": [round(float(t), 4) for t in self.thresholds], "meta": self.meta, "norm": self.norm,
                "tf": self.tf, "features": self.features}
        (out / f"{stem}.json").write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
        # float16 halves the file; the weights of an L2 logistic regression need no more
        arrays = {"weights": self.weights.astype(np.float16), "bias": self.bias}
        if self.scale is not None:
            arrays["scale"] = self.scale
        np.savez_compressed(out / f"{stem}.npz", **arrays)

    @classmethod
    def load(cls, folder: str | os.PathLike[str], stem: str) -> "LinearModel":
        """Read a model written by :meth:`save`; arrays only, never pickles."""
        base = Path(folder)
        head_path, arr_path = base / f"{stem}.json", base / f"{stem}.npz"
        if not head_path.exists() or not arr_path.exists():
            raise DiscoursError(
                f"{str(base)!r} has no {stem}.json/{stem}.npz: it is not a discours argument model. "
                "Train one with `discours train-arguments GOLD... -o DIR`."
            )
        head = json.loads(head_path.read_text(encoding="utf-8"))
        with np.load(arr_path, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"].astype(np.float32), arrays["bias"]
            scale = arrays["scale"] if "scale" in arrays.files else None
        return cls(head["name"], head["outputs"], head["features"], weights, bias,
                   np.asarray(head.get("thresholds") or [0.5] * len(head["outputs"])), head.get("kind", "binary"), head.get("meta", {}),
                   scale, head.get("norm"), head.get("tf"))
