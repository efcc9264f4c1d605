"""Cue lookup shared by the argument and stance components: lexicon classes → token spans.

One :class:`CueIndex` is built per pipeline from the versioned lexicons: a single spaCy
``PhraseMatcher`` on lower-cased forms for every multi-word phrase, and Python sets for single
lemmas. ``CueIndex.find(doc)`` returns, for every cue class, the ``(start, end)`` token spans that
matched, computed once per Doc.
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Spans = list[tuple[int, int]]


def token_key(text: str) -> str:
    """Lower-case and normalise apostrophes so ``L’étude`` and ``l'étude`` meet."""
    return text.lower().replace("\u2019", "'")


# The rule components walk each sentence many times; ``doc[i]`` builds a new Token object at every
# step (a third of their time went there). A Doc's tokens are kept as a list, and its keys and
# text are derived from them on first use: id(doc) → [doc, tokens, keys or None, text or None].
# ``nlp.pipe`` runs each component over a whole batch before the next one, so the lists of the
# batch's last Docs are kept (up to _KEEP_TOKENS tokens): the sentence splitter, before the parser,
# and the rule components after it share them (a Token reads its Doc's arrays when asked, so a
# list built before parsing sees the parse).
_KEEP_TOKENS = 250_000
_SEEN: "OrderedDict[int, list[Any]]" = OrderedDict()
_KEPT = [0]  # tokens held in _SEEN
_KEY_OF: dict[int, str] = {}


def _entry(doc: "Doc") -> list[Any]:
    entry = _SEEN.get(id(doc))
    if entry is not None and entry[0] is doc and len(entry[1]) == len(doc):
        return entry
    if entry is not None:  # a retokenized Doc, or a new one at a freed address
        _KEPT[0] -= len(entry[1])
    entry = [doc, list(doc), None, None]
    _SEEN[id(doc)] = entry
    _KEPT[0] += len(doc)
    while _KEPT[0] > _KEEP_TOKENS and len(_SEEN) > 1:
        _, old = _SEEN.popitem(last=False)
        _KEPT[0] -= len(old[1])
    return entry


def doc_tokens(doc: "Doc") -> list[Any]:
    """The Doc's tokens as a list (built once per Doc): slice it instead of ``doc[a:b]`` to loop.

    Example:
        >>> toks = doc_tokens(nlp("Pas de budget."))       # doctest: +SKIP
        >>> [t.text for t in toks[0:2]]                     # doctest: +SKIP
        ['Pas', 'de']
    """
    return _entry(doc)[1]  # type: ignore[no-any-return]


def doc_text(doc: "Doc") -> str:
    """The Doc's text, joined once from its cached tokens (``Doc.text`` re-joins at each call)."""
    entry = _entry(doc)
    if entry[3] is None:
        entry[3] = "".join(t.text_with_ws for t in entry[1])
    return entry[3]  # type: ignore[no-any-return]


def doc_keys(doc: "Doc") -> list[str]:
    """:func:`token_key` of every token of the Doc (built once per Doc, one lookup per form)."""
    entry = _entry(doc)
    if entry[2] is None:
        from spacy.attrs import ORTH

        strings = doc.vocab.strings
        keys = []
        for orth in doc.to_array([ORTH]).tolist() if len(doc) else []:
            key = _KEY_OF.get(orth)
            if key is None:
                key = token_key(strings[orth])
                if len(_KEY_OF) < 200_000:
                    _KEY_OF[orth] = key
            keys.append(key)
        entry[2] = keys
    return entry[2]  # type: ignore[no-any-return]


class CueIndex:
    """Find lexicon cues of many classes in a Doc at once.

    Args:
        nlp: the pipeline (its tokenizer splits phrases exactly as it splits texts).
        classes: class name → {"lemmas": [...], "phrases": [...]}.

    Example:
        >>> index = CueIndex(nlp, {"contrast": {"phrases": ["mais", "en revanche"]}})   # doctest: +SKIP
        >>> index.find(nlp("Certes, mais en revanche non."))["contrast"]                   # doctest: +SKIP
        [(2, 3), (3, 5)]
    """

    def __init__(self, nlp: "Language", classes: Mapping[str, Mapping[str, Iterable[str]]]):
        from spacy.matcher import PhraseMatcher

        self.vocab = nlp.vocab
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas: dict[str, set[str]] = {}
        self.key_of: dict[int, str] = {}
        phrase_lists: dict[str, list[str]] = defaultdict(list)
        for name, entry in classes.items():
            lemmas = {token_key(l) for l in entry.get("lemmas", []) if " " not in l}
            # multi-word "lemmas" are really phrases
            phrases = [p for p in entry.get("phrases", [])] + [l for l in entry.get("lemmas", []) if " " in l]
            self.lemmas[name] = lemmas
            phrase_lists[name].extend(phrases)
        for name, phrases in phrase_lists.items():
            if not phrases:
                continue
            unique = sorted({token_key(p) for p in phrases})
            # A phrase ending in an elision ("même s'") must be split as in running text
            # ("même s'il"): tokenise it with a dummy word after, then drop that word.
            docs = [d if not p.endswith("'") else d[: len(d) - 1].as_doc() for p, d in zip(unique, nlp.tokenizer.pipe(p + "x" if p.endswith("'") else p for p in unique))]
            self.matcher.add(name, docs)
            self.key_of[nlp.vocab.strings[name]] = name
        self.classes = list(classes)

    def find(self, doc: "Doc") -> dict[str, Spans]:
        """Spans per class: phrase matches and single-token lemma/form matches."""
        from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, ORTH

        found: dict[str, Spans] = defaultdict(list)
        for match_id, start, end in self.matcher(doc):
            found[self.key_of[match_id]].append((start, end))
        if not self._by_key or not len(doc):
            return found
        # One array read and one dictionary lookup per token (not a Token object and a scan of
        # every class): classes come out in lexicon order, as a per-class scan would give them.
        keys = self._keys
        strings = doc.vocab.strings
        for i, (space, punct, lemma, orth) in enumerate(doc.to_array([IS_SPACE, IS_PUNCT, LEMMA, ORTH]).tolist()):
            if space or punct:
                continue
            lower = keys.get(orth)
            if lower is None:
                lower = keys[orth] = token_key(strings[orth])
            if lemma:
                lem = keys.get(lemma)
                if lem is None:
                    lem = keys[lemma] = token_key(strings[lemma])
            else:
                lem = ""
            hits = self._by_key.get(lem, ())
            if lower != lem:
                more = self._by_key.get(lower, ())
                if more:
                    hits = sorted(set(hits) | set(more)) if hits else more
            for _, name in hits:
                found[name].append((i, i + 1))
        return found

    @property
    def _by_key(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """Form or lemma → the (lexicon position, class) pairs that list it."""
        index = self.__dict__.get("_by_key_cache")
        if index is None:
            lists: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for k, (name, words) in enumerate(self.lemmas.items()):
                for word in words:
                    lists[word].append((k, name))
            index = self.__dict__["_by_key_cache"] = {w: tuple(sorted(v)) for w, v in lists.items()}
            self.__dict__["_keys"] = {}
        return index

    @property
    def _keys(self) -> dict[int, str]:
        """String hash → :func:`token_key` of the string (memoised: the same words recur)."""
        return self.__dict__.setdefault("_keys", {})


def merge_lexicons(base: Mapping[str, dict], extra: Mapping[str, dict] | None) -> dict[str, dict]:
    """Merge cue classes: lists of ``extra`` are appended to those of ``base``.

    Example:
        >>> merge_lexicons({"a": {"lemmas": ["x"]}}, {"a": {"lemmas": ["y"]}, "b": {"phrases": ["z w"]}})
        {'a': {'lemmas': ['x', 'y']}, 'b': {'phrases': ['z w']}}
    """
    out = {k: {kk: list(vv) for kk, vv in v.items() if isinstance(vv, list)} for k, v in base.items()}
    for name, entry in (extra or {}).items():
        target = out.setdefault(name, {})
        for key, values in entry.items():
            if isinstance(values, list):
                target.setdefault(key, []).extend(values)
    return out
