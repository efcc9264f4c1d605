"""Tokenizer adjustments for blog and social-media French.

Hashtags, @mentions, URLs, e-mail addresses, emoticons and runs of ``!!!``/``?!``/``...`` stay
single tokens; the stock French tokenizer splits ``#`` from ``#mediassociaux`` and ``!!!`` into
three tokens (and the parser then starts a sentence between them).
"""
from __future__ import annotations

import re

from spacy.language import Language

SOCIAL_TOKEN = re.compile(
    r"""^(?:
        [#][^\W\d_][\w\-·]*                       # hashtag
      | @[\w][\w.\-]*[\w]                          # @mention
      | @[\w]                                      # @x
      | [!?]{2,}[!?.]*                             # !!! ?! ?!?
      | \.{2,}                                     # ...
      | [:;=8xX][\-o'^]?[()\[\]DPpOo3|/\\*]+        # :) ;-) :D :P
      | [()\[\]][\-o'^]?[:;=]                       # (: (-:
      | <3
      | \^\^ | \^_\^ | [oO]_[oO] | [xX]D
    )$""",
    re.VERBOSE,
)


def customize_tokenizer(nlp: Language) -> Language:
    """Make social-media tokens stay whole (idempotent).

    Example:
        >>> nlp = spacy.blank("fr"); customize_tokenizer(nlp)              # doctest: +SKIP
        >>> [t.text for t in nlp("Génial !!! #mediassociaux @marc :-)")]   # doctest: +SKIP
        ['Génial', '!!!', '#mediassociaux', '@marc', ':-)']
    """
    tok = nlp.tokenizer
    if getattr(tok, "_discours_customized", False):  # pragma: no cover - attribute unsupported on Cython class
        return nlp
    previous = tok.token_match

    def token_match(text: str):  # noqa: ANN202 - spaCy expects a match object or None
        m = SOCIAL_TOKEN.match(text)
        if m:
            return m
        return previous(text) if previous else None

    tok.token_match = token_match
    return nlp
