"""A memoised French rule lemmatizer: same lemmas as the model's, a fraction of the time.

spaCy's French rule lemmatizer already caches its rule lookups, but it still walks the Doc
token by token in Python (a ``Token`` object and several property reads per token), which made
it the third most expensive component after tok2vec and the parser. Its result depends only on
the token's form and POS, so one dictionary lookup per token on arrays gives the same lemmas.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.lang.fr.lemmatizer import FrenchLemmatizer
from spacy.tokens import Doc

if TYPE_CHECKING:
    from spacy.language import Language


class MemoFrenchLemmatizer(FrenchLemmatizer):
    """``FrenchLemmatizer`` in rule mode, memoised per (form, POS) and applied on arrays."""

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, ORTH, POS

        if self.mode != "rule" or not len(doc):
            return super().__call__(doc)
        memo: dict[tuple[int, int], int] = self.__dict__.setdefault("_discours_memo", {})
        strings = doc.vocab.strings
        try:
            array = doc.to_array([ORTH, POS, LEMMA])
            lemmas = array[:, 2:3].copy()
            for i, (orth, pos, lemma) in enumerate(array.tolist()):
                if lemma and not self.overwrite:
                    continue  # set upstream (attribute_ruler): kept, as the stock component does
                key = (orth, pos)
                value = memo.get(key)
                if value is None:
                    value = memo[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i, 0] = value
            doc.from_array([LEMMA], lemmas)
        except Exception as exc:
            self.get_error_handler()(self.name, self, [doc], exc)
        return doc


def memoize_lemmatizer(nlp: "Language") -> None:
    """Swap the model's French rule lemmatizer for :class:`MemoFrenchLemmatizer` (in place).

    The component keeps its name, tables and configuration; only the per-token loop changes.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    proc = nlp.get_pipe("lemmatizer")
    if type(proc) is FrenchLemmatizer and proc.mode == "rule":
        proc.__class__ = MemoFrenchLemmatizer
