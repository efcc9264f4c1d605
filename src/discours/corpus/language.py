"""Language identification from function words: French, English, another language, or unknown.

discours analyses French; a scraped folder also holds English posts, spam in other languages and
emoji-only comments. They are still analysed, but ``documents.language`` says what they are so a
user can filter them out instead of reading French rules applied to English text.

The method is deliberately small (no model, no dependency): count the frequent function words of
a few languages (each word counts for every language whose list has it) and pick the language
with the most hits, provided enough of the words are function words. Text mostly in a
non-Latin script is ``"other"``; text with too few words, or too few function words, to judge
is ``"unknown"``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

__all__ = ["LANGUAGE_ID_VERSION", "LANGUAGES", "detect_language"]

#: bump when the word lists or thresholds change (it changes the ``language`` column)
LANGUAGE_ID_VERSION = "language.v1"
#: the values ``detect_language`` returns
LANGUAGES = ("fr", "en", "other", "unknown")

# Frequent function words. Elided French forms keep their apostrophe ("l'", "qu'") because the
# tokeniser below keeps it: they are among the surest signs of French.
_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        """le la les un une des du de au aux et est sont été être avoir ont pas ne ni que qui quoi
        en on dans pour par sur avec sans sous chez entre vers mais ou donc car puis ce cet cette ces
        il ils elle elles nous vous je tu leur leurs lui eux se sa ses mon ma mes ton ta tes notre
        nos votre vos y très aussi bien plus moins tout tous toute toutes peu trop même déjà
        encore comme quand où si ça cela ceci c'est était sera fait faire peut doit ont avait
        l' d' j' qu' n' s' c' m' t' jusqu' lorsqu' puisqu' aujourd'hui oui non""".split()
    ),
    "en": frozenset(
        """the a an and is are was were be been being have has had do does did not no nor that
        which who whom what this these those it its they them their there here of to in for on
        with without by from at into about over under after before but or so because if when
        where while than then very also just only all any some more most such can could will
        would should must may might shall i you he she we my your his her our us me him
        it' don' doesn' didn' isn' aren' can' won' i' you' we' they' yes""".split()
    ),
    "es": frozenset(
        """el los las una unos unas y es son del al por con para como pero muy está están ser
        sus su lo le les se que en de la un más también porque cuando donde esto esta este
        eso hay tiene""".split()
    ),
    "it": frozenset(
        """il lo la gli le un una uno e è sono del della dei degli delle al alla per con che non
        di da in su come ma anche molto questo questa quello sono essere ha hanno più perché
        quando dove""".split()
    ),
    "de": frozenset(
        """der die das den dem des ein eine einen einem und ist sind war nicht mit für auf von
        zu im in es ich sie wir ihr er auch aber oder wenn weil dass wie was noch nur sehr
        kann werden wird hat haben""".split()
    ),
    "pt": frozenset(
        """o os a as um uma uns umas e é são do da dos das no na nos nas ao para com por que
        não mais como mas muito também está estão ser seu sua isso este esta quando onde""".split()
    ),
    "nl": frozenset(
        """de het een en is zijn was niet met voor op van te in dat die dit er ik je we ze hij
        ook maar of als omdat wat nog maar heel kan worden wordt heeft hebben""".split()
    ),
}

# Letters plus an optional trailing apostrophe (French elision "l'", English "don'").
_WORD = re.compile(r"[^\W\d_]+'?")
#: fewer alphabetic words than this: "unknown" (emoji-only comments, "+1", a name)
MIN_WORDS = 3
#: the winning language's function words must make up at least this share of the words
MIN_SHARE = 0.12
#: text whose letters are mostly outside the Latin script is "other" without further ado
MIN_LATIN_SHARE = 0.5
#: characters examined: enough to decide, bounded so a huge document costs little
SAMPLE_CHARS = 20_000


def _latin_share(text: str) -> float:
    # counted per distinct character: one Counter pass in C instead of a Python test per character
    counts = Counter(text)
    letters = latin = 0
    for c, n in counts.items():
        if c.isalpha():
            letters += n
            if c.isascii() or "LATIN" in unicodedata.name(c, ""):
                latin += n
    return latin / letters if letters else 0.0


def detect_language(text: str) -> str:
    """Name the language of ``text``: ``"fr"``, ``"en"``, ``"other"`` or ``"unknown"``.

    Args:
        text: a document's cleaned text (only the first 20,000 characters are examined).

    Returns:
        ``"fr"`` or ``"en"``; ``"other"`` for another language (Spanish, German, Arabic…);
        ``"unknown"`` when there is too little evidence (emoji, a single word, a list of keywords).

    Example:
        >>> detect_language("Les médias sociaux ne sont pas une perte de temps pour les PME.")
        'fr'
        >>> detect_language("Social media is not a waste of time for small businesses.")
        'en'
        >>> detect_language("👍👍")
        'unknown'
    """
    sample = text[:SAMPLE_CHARS]
    # Apostrophes were normalised to ' by the reader; accept the typographic one too.
    words = _WORD.findall(sample.replace("\u2019", "'").lower())
    if len(words) < MIN_WORDS:
        return "unknown"
    if _latin_share(sample) < MIN_LATIN_SHARE:
        return "other"
    counts = Counter(words)
    # elided forms ("l'", "qu'") count as their bare word; set intersections, not a loop per word
    elided = {w: w.rstrip("'") for w in counts if w.endswith("'")}
    hits = {lang: sum(counts[w] for w in (counts.keys() & vocab) | {w for w, bare in elided.items() if bare in vocab})
            for lang, vocab in _WORDS.items()}
    # Ties (short, ambiguous text) go to French: it is the language discours expects.
    best = max(hits, key=lambda lang: (hits[lang], lang == "fr", lang == "en"))
    if hits[best] < 2 or hits[best] / len(words) < MIN_SHARE:
        # Few function words (keywords, names, a URL, one repeated word): no evidence either way,
        # except French accents next to a French function word.
        if hits["fr"] and re.search(r"[éèêàùçœâîôû]", sample.lower()):
            return "fr"
        return "unknown"
    return best if best in ("fr", "en") else "other"
