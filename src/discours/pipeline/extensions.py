"""Custom attributes, declared once (spaCy requires a single ``set_extension`` per name).

Values are plain (str, float, list, dict) so Docs survive ``n_process > 1`` and DocBin.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: span groups written by discours components
BLOCKS = "discours_blocks"
MARKERS = "discours_markers"
ARGUMENTS = "discours_arguments"
#: the rules' own argument spans, kept when the learned layer rewrites ``discours_arguments``
#: (the rule-based stance reads them: it was built on the rules' reading of a text)
RULE_ARGUMENTS = "discours_arguments_rules"
#: ``doc.user_data`` key of the sentences' mean token vectors (``features.sentence_vectors``):
#: a cached parse keeps no tensor, so the vectors the learned layer reads travel with the Doc
SENTENCE_VECTORS = "discours_sentence_vectors"
CUES = "discours_cues"
STANCE = "discours_stance"

_DONE = False


def register_extensions() -> None:
    """Declare ``Doc._.discours`` (document metadata and results) once per process."""
    global _DONE
    if _DONE:
        return
    from spacy.tokens import Doc

    if not Doc.has_extension("discours"):
        # {"doc_id":…, "part":…, "stance":…, "stance_score":…, "stance_evidence": [[sent_id, score, reason], …]}
        Doc.set_extension("discours", default=None)
    _DONE = True


def sentence_bounds(doc: "Doc", is_space: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Token bounds of the sentences as in the ``sentences`` table: surrounding whitespace tokens
    trimmed, empty sentences dropped. Every component that numbers sentences uses this.

    Example:
        >>> sentence_bounds(nlp("Oui.  Non."))     # doctest: +SKIP
        [(0, 2), (3, 5)]
    """
    n = len(doc)
    if not n:
        return []
    from spacy.attrs import IS_SPACE, SENT_START

    if is_space is None:
        # array reads instead of a Token object per token (this runs in every component)
        is_space = doc.to_array(IS_SPACE).tolist()
    if doc.has_annotation("SENT_START"):
        # the starts Doc.sents walks, read as an array: no Span object per sentence
        flags = doc.to_array(SENT_START).tolist()
        starts = [0] + [i for i in range(1, n) if flags[i] == 1]
        spans = zip(starts, starts[1:] + [n])
    else:
        spans = ((sent.start, sent.end) for sent in doc.sents)  # raises spaCy's own error, as before
    out = []
    for start, end in spans:
        while start < end and is_space[start]:
            start += 1
        while end > start and is_space[end - 1]:
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def record_error(doc: "Doc", component: str, exc: BaseException) -> None:
    """Note on the Doc that ``component`` failed on it (the batch goes on; ``errors`` says why).

    Example:
        >>> record_error(doc, "discours_arguments", ValueError("phrase vide"))   # doctest: +SKIP
        >>> doc._.discours["errors"]                                            # doctest: +SKIP
        ['discours_arguments: ValueError: phrase vide']
    """
    info = dict(doc._.discours or {})
    info.setdefault("errors", []).append(f"{component}: {type(exc).__name__}: {exc}")
    doc._.discours = info


def sentence_finder(bounds: Sequence[tuple[int, int]]) -> "Callable[[int], int | None]":
    """A lookup token index → index of the sentence (of ``bounds``) holding it, or None for a
    token between sentences (trimmed whitespace). Every component that maps spans to sentences
    uses it.

    Example:
        >>> find = sentence_finder([(0, 2), (3, 5)])
        >>> find(1), find(2), find(4)
        (0, None, 1)
    """
    import bisect

    starts = [s for s, _ in bounds]

    def find(token: int) -> int | None:
        k = bisect.bisect_right(starts, token) - 1
        return k if k >= 0 and token < bounds[k][1] else None

    return find
