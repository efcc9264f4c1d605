"""Type aliases shared across discours (no runtime dependencies)."""
from __future__ import annotations

from os import PathLike
from typing import Iterable, Literal, Union

Part = Literal["post", "comment"]
BlockKind = Literal["title", "heading", "paragraph", "list_item", "quote", "signature"]
Label = Literal[
    "objection",
    "rebuttal",
    "concession",
    "rhetorical_question",
    "authority",
    "example",
    "attributed",
]
Category = Literal[
    "regulation_legal",
    "confidentiality",
    "employee_trust",
    "competition",
    "loss_of_control",
    "reputation_criticism",
    "cost_resources",
    "time",
    "roi_measurement",
    "security_privacy",
    "audience_relevance",
    "other",
]
Stance = Literal["favor", "against", "neutral"]
Agreement = Literal["agree", "disagree", "mixed", "none"]

LABELS: tuple[str, ...] = (
    "objection",
    "rebuttal",
    "concession",
    "rhetorical_question",
    "authority",
    "example",
    "attributed",
)
CATEGORIES: tuple[str, ...] = (
    "regulation_legal",
    "confidentiality",
    "employee_trust",
    "competition",
    "loss_of_control",
    "reputation_criticism",
    "cost_resources",
    "time",
    "roi_measurement",
    "security_privacy",
    "audience_relevance",
    "other",
)
BLOCK_KINDS: tuple[str, ...] = ("title", "heading", "paragraph", "list_item", "quote", "signature")

PathLikeStr = Union[str, "PathLike[str]"]
Source = Union[PathLikeStr, Iterable[PathLikeStr], "Corpus"]  # noqa: F821 (Corpus: discours.corpus)
