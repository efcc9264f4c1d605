"""``discours_sentences``: sentence boundaries that respect the document's structure.

Runs before the parser, which keeps preset boundaries: ``is_sent_start = True`` at every block
start, ``False`` inside list items, headings, titles and signatures (each is one unit), and
``False`` at the known failure points of the stock French segmenter on blog prose: inside short
« … » quotations, after runs of ``!!!``/``?!``, after an elided word (``J'`` + ``imagine``),
and before closing punctuation.
"""
from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .cues import doc_tokens
from .extensions import BLOCKS

#: values of the SENT_START attribute (spaCy's encoding)
START, INSIDE, UNSET = 1, -1, 0
ONE_UNIT_BLOCKS = frozenset({"title", "heading", "list_item", "signature"})
_OPEN_QUOTES = {"«", "“", "‹"}
_CLOSE_QUOTES = {"»", "”", "›"}
_CLOSING = {"»", "”", "›", ")", "]", ",", ";", ":", "%"}
#: a quotation longer than this (in tokens) is treated as running text that may hold sentences
MAX_QUOTE_TOKENS = 40


_TERMINAL_CHARS = set(".!?…")
_STRONG_END = {".", "!", "?", "…", "...", "!!", "!!!", "?!", "!?", "??", "?!?", "!!!!"}


def _is_terminal(text: str) -> bool:
    return bool(text) and (text[-1] in _TERMINAL_CHARS)


def _may_end_sentence(doc: "Doc | list[Any]", j: int, start: int) -> bool:
    """Can a sentence end after token ``j``? Terminal punctuation (also "etc.", "2.0."), a closing
    quote or bracket after terminal punctuation, or an emoticon/emoji."""
    while j >= start and doc[j].is_space:
        j -= 1
    if j < start:
        return True
    tok = doc[j]
    text = tok.text
    if _is_terminal(text):
        return True
    if text in _CLOSE_QUOTES or text in {")", "]"}:
        return j - 1 >= start and _is_terminal(doc[j - 1].text)
    if not any(c.isalnum() for c in text) and tok.pos_ not in {"PUNCT"} and text not in {",", ";", ":", "-", "«", "(", "[", "\"", "'"}:
        return True  # emoji, emoticon such as :) or 🙂
    return False


class StructureSentencizer:
    """Set sentence starts from block spans and French typography before the parser.

    Example:
        >>> nlp = spacy.blank("fr"); nlp.add_pipe("discours_sentences")   # doctest: +SKIP
    """

    def __init__(self, name: str = "discours_sentences", *, max_quote_tokens: int = MAX_QUOTE_TOKENS):
        self.name = name
        self.max_quote_tokens = max_quote_tokens

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # Flags are collected here and written once: spaCy's is_sent_start setter scans the whole
        # Doc (a DEP check), so setting token by token is quadratic (12 s on a 25,000-word line).
        flags: list[int] = [int(v) for v in doc.to_array([SENT_START]).astype("int64")]
        toks = doc_tokens(doc)
        blocks = doc.spans[BLOCKS] if BLOCKS in doc.spans else None
        if blocks is None or len(blocks) == 0:
            # No structure given: a blank line still separates blocks.
            starts = {0}
            for tok in toks:
                if tok.is_space and "\n" in tok.text and tok.i + 1 < n:
                    starts.add(tok.i + 1)
            spans = sorted(starts)
            bounds = [(s, e, "paragraph") for s, e in zip(spans, spans[1:] + [n])]
        else:
            bounds = [(b.start, b.end, b.label_) for b in blocks]
        covered = [False] * n
        for start, end, kind in bounds:
            if start >= end:
                continue
            # skip leading whitespace tokens so the block starts on a word
            first = start
            while first < end and toks[first].is_space:
                first += 1
            for i in range(start, end):
                covered[i] = True
            if first < end:
                flags[first] = START
            if kind in ONE_UNIT_BLOCKS:
                for i in range(first + 1, end):
                    flags[i] = INSIDE
            else:
                self._fix_inside(toks, flags, first, end)
        # whitespace between blocks belongs to the preceding sentence
        for i in range(1, n):
            if not covered[i] and toks[i].is_space:
                flags[i] = INSIDE
        if n > 1 and all(f == UNSET for f in flags[1:]):
            # spaCy ignores the first token's flag: with nothing set after it ("👍👍👍", "🙂 Merci")
            # and no parser, doc.sents raises E030. Keep the last token in the sentence.
            flags[n - 1] = INSIDE
        doc.from_array([SENT_START], numpy.array(flags, dtype="int64").astype("uint64"))
        return doc

    def _fix_inside(self, doc: "list[Any]", flags: list[int], start: int, end: int) -> None:
        """``doc``: the Doc's tokens as a list (indexing a list makes no new Token object)."""
        i = start
        while i < end:
            tok = doc[i]
            text = tok.text
            if i > start:
                prev = doc[i - 1]
                if not _may_end_sentence(doc, i - 1, start):
                    # the parser sometimes splits after a comma or before « : only terminal
                    # punctuation (or an emoticon/emoji closing a line) may end a sentence
                    flags[i] = INSIDE
                elif prev.text in _STRONG_END and text[:1].isupper() and tok.is_alpha:
                    # "C'est génial !!! Vraiment…": the parser keeps such runs together
                    flags[i] = START
                elif prev.text.endswith("'") and not prev.is_punct:
                    flags[i] = INSIDE  # J' + imagine: never split an elision
                elif text in _CLOSING or (tok.is_punct and text[:1] in "!?." and prev.text[:1] in "!?."):
                    flags[i] = INSIDE
                elif tok.is_space:
                    flags[i] = INSIDE
            if text in _OPEN_QUOTES:
                # Only a short quotation is glued together, so look no further (keeps « « « … linear).
                close = self._find_close(doc, i, min(end, i + self.max_quote_tokens + 1))
                if close is not None and close - i <= self.max_quote_tokens:
                    for k in range(i + 1, close + 1):
                        flags[k] = INSIDE
                    # « … » followed by a lower-case continuation: same sentence
                    if close + 1 < end and doc[close + 1].text[:1].islower():
                        flags[close + 1] = INSIDE
                    i = close + 1
                    continue
            i += 1

    @staticmethod
    def _find_close(doc: "list[Any]", i: int, end: int) -> int | None:
        opener = doc[i].text
        closer = {"«": "»", "“": "”", "‹": "›"}[opener]
        depth = 0
        for k in range(i, end):
            t = doc[k].text
            if t == opener:
                depth += 1
            elif t == closer:
                depth -= 1
                if depth == 0:
                    return k
        return None


@Language.factory("discours_sentences", default_config={"max_quote_tokens": MAX_QUOTE_TOKENS})
def make_structure_sentencizer(nlp: Language, name: str, max_quote_tokens: int) -> StructureSentencizer:
    return StructureSentencizer(name, max_quote_tokens=max_quote_tokens)
