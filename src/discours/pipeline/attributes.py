"""The model's attribute ruler on arrays: same tags, a fraction of the time.

``fr_core_news_sm``'s ``attribute_ruler`` copies each token's POS into its fine-grained tag and
normalises whitespace tokens. spaCy runs it as a ``Matcher`` over 23 one-token patterns, then
builds a ``Span`` per match and sets attributes one by one: about 5 % of the whole analysis, more
than the lemmatizer. The same result is one array operation per Doc, plus a handful of
whitespace tokens set individually.

The fast path is taken only when the ruler holds exactly those patterns; a model with other
patterns keeps the stock component.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.attrs import IS_SPACE, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# the whitespace patterns of fr_core_news_sm, in the order they apply (later ones win)
_SPACE_PATTERNS = [
    ([[{"POS": "SPACE", "IS_SPACE": False}]], {"TAG": "X", "POS": "X", "MORPH": "_"}),
    ([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"DEP": "dep"}),
    ([[{"IS_SPACE": True}]], {"TAG": "SPACE", "POS": "SPACE", "MORPH": "_"}),
]


def pos_to_tag(patterns: list[dict[str, Any]]) -> list[str] | None:
    """The POS values copied into TAG when ``patterns`` are only "TAG = POS" rules followed by
    the whitespace rules (as in the French models), else None.

    Example:
        >>> pos_to_tag([{"patterns": [[{"POS": "NOUN"}]], "attrs": {"TAG": "NOUN"}, "index": 0}]
        ...            + [{"patterns": p, "attrs": a, "index": 0} for p, a in _SPACE_PATTERNS])
        ['NOUN']
    """
    copied = []
    n = len(patterns) - len(_SPACE_PATTERNS)
    for p in patterns[:n]:
        pat = p.get("patterns")
        if (p.get("index", 0) != 0 or not isinstance(pat, list) or len(pat) != 1 or len(pat[0]) != 1
                or set(pat[0][0]) != {"POS"} or p.get("attrs") != {"TAG": pat[0][0]["POS"]}):
            return None
        copied.append(pat[0][0]["POS"])
    tail = [(p.get("patterns"), p.get("attrs")) for p in patterns[n:]]
    return copied if n >= 0 and tail == _SPACE_PATTERNS and all(p.get("index", 0) == 0 for p in patterns[n:]) else None


class ArrayAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose French "TAG = POS" rules run on arrays."""

    def __call__(self, doc: "Doc") -> "Doc":
        if not len(doc):
            return doc
        arr = doc.to_array([POS, IS_SPACE, TAG])
        pos, space = arr[:, 0], arr[:, 1]
        # a POS name and the tag of the same name share one symbol id: copying is a select
        copied = self.__dict__["_discours_copied"]
        tags = np.where(np.isin(pos, copied), pos, arr[:, 2])
        doc.from_array([TAG], tags.reshape(-1, 1))
        for i in np.flatnonzero((space != 0) | (pos == POS_IDS["SPACE"])).tolist():
            token = doc[i]
            if token.is_space:
                if token.dep_:
                    token.dep_ = "dep"
                token.tag_, token.pos_ = "SPACE", "SPACE"
            else:
                token.tag_, token.pos_ = "X", "X"
            token.set_morph("_")
        return doc


def vectorize_attribute_ruler(nlp: "Language") -> bool:
    """Swap the model's ``attribute_ruler`` for :class:`ArrayAttributeRuler` when its patterns
    are the French "TAG = POS" ones (in place; returns whether it did)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    proc = nlp.get_pipe("attribute_ruler")
    if type(proc) is not AttributeRuler:
        return False
    copied = pos_to_tag(proc.patterns)
    if copied is None:
        return False
    if any(p not in POS_IDS for p in copied):
        return False  # not a universal POS: its tag is no copy of a POS value
    proc.__class__ = ArrayAttributeRuler
    proc.__dict__["_discours_copied"] = np.asarray([POS_IDS[p] for p in copied], dtype=np.uint64)
    return True
