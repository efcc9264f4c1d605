"""Labelled stance examples: reading them from JSONL/CSV and normalising their labels.

An example is a plain dict ``{"text": str, "label": "favor"|"against"|"neutral", "target": str|None}``
(``group`` optional: what a cross-validation keeps together, e.g. a question id). Common field
names of public stance sets are accepted (``comment``/``tweet``/``text``, ``question``/``target``,
``FAVOR``/``FAVOUR``/``AGAINST``/``NONE``).
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import DiscoursError

#: label spellings accepted on input → discours stance
LABELS: dict[str, str] = {
    "favor": "favor", "favour": "favor", "pour": "favor", "pro": "favor", "positive": "favor", "support": "favor",
    "supports": "favor", "yes": "favor", "oui": "favor", "agree": "favor", "favorable": "favor",
    "against": "against", "contre": "against", "con": "against", "negative": "against", "oppose": "against",
    "no": "against", "non": "against", "disagree": "against", "défavorable": "against",
    "neutral": "neutral", "none": "neutral", "neutre": "neutral", "neither": "neutral", "aucun": "neutral",
}
TEXT_FIELDS = ("text", "comment", "tweet", "content", "texte", "sentence")
TARGET_FIELDS = ("target", "question", "cible", "topic_text")
LABEL_FIELDS = ("label", "stance", "position", "classe")
GROUP_FIELDS = ("question_id", "target_id", "group")


def normalise_label(value: Any) -> str:
    """Map a label spelling (``FAVOUR``, ``NONE``, ``pour``…) to favor / against / neutral.

    Example:
        >>> normalise_label("FAVOUR"), normalise_label("NONE")
        ('favor', 'neutral')
    """
    key = str(value).strip().lower()
    if key not in LABELS:
        raise DiscoursError(
            f"Unknown stance label {value!r}. Use favor/against/neutral (also accepted: "
            f"{', '.join(sorted(k for k in LABELS if k not in {'favor', 'against', 'neutral'}))})."
        )
    return LABELS[key]


def _first(record: Mapping[str, Any], fields: Iterable[str]) -> Any:
    for f in fields:
        if f in record and record[f] not in (None, ""):
            return record[f]
    return None


def to_example(record: Mapping[str, Any], *, target: str | None = None) -> dict[str, Any]:
    """One input record → ``{"text", "label", "target", "group"}`` (``target`` overrides the record's)."""
    text = _first(record, TEXT_FIELDS)
    label = _first(record, LABEL_FIELDS)
    if text is None or label is None:
        raise DiscoursError(
            f"A stance example needs a text ({'/'.join(TEXT_FIELDS)}) and a label ({'/'.join(LABEL_FIELDS)}); "
            f"got fields {sorted(record)}."
        )
    tgt = target if target is not None else _first(record, TARGET_FIELDS)
    group = _first(record, GROUP_FIELDS)
    return {"text": str(text), "label": normalise_label(label), "target": None if tgt is None else str(tgt),
            "group": str(group) if group is not None else (str(tgt) if tgt is not None else None)}


def load_examples(path: str | os.PathLike[str], *, target: str | None = None) -> list[dict[str, Any]]:
    """Read labelled examples from a JSONL, JSON (list) or CSV file.

    Args:
        path: the file.
        target: the target of every example (else each record's ``target``/``question`` field;
            None for the default target).

    Example:
        >>> examples = load_examples("mes_exemples.jsonl", target="Emmanuel Macron")   # doctest: +SKIP
    """
    p = Path(path)
    if not p.exists():
        raise DiscoursError(f"Stance examples file {str(p)!r} does not exist. Give the path of a JSONL or CSV file.")
    suffix = p.suffix.lower()
    with p.open("r", encoding="utf-8-sig") as fh:
        if suffix == ".csv":
            records: list[Mapping[str, Any]] = list(csv.DictReader(fh))
        elif suffix == ".json":
            data = json.load(fh)
            records = data if isinstance(data, list) else data.get("examples", [])
        else:
            records = [json.loads(line) for line in fh if line.strip()]
    return [to_example(r, target=target) for r in records]
