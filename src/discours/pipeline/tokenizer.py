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
    # The prefix rules would strip "#" or "@" before token_match sees "#RP2024" again (after a
    # suffix such as "," has been split off): keep them attached to a following word character.
    prefix_search = tok.prefix_search

    def social_prefix_search(text: str):  # noqa: ANN202
        if len(text) > 1 and text[0] in "#@" and (text[1].isalnum() or text[1] == "_"):
            return None
        return prefix_search(text) if prefix_search else None

    tok.prefix_search = social_prefix_search
    return nlp
