"""``discours_markers``: French discourse markers as labelled spans.

One :class:`~spacy.matcher.PhraseMatcher` on ``LOWER`` holds every form of the lexicon
(``lexicons/markers.v1.json``); ambiguous forms are kept or dropped by small context checks on
position, POS and lemmas; overlapping matches keep the longest (``filter_spans``). Each marker is a
span in ``doc.spans["discours_markers"]`` with ``label_`` = sense and ``id_`` = rule id.

Example:
    >>> nlp = discours.pipeline.get_nlp()                                       # doctest: +SKIP
    >>> doc = nlp("Certes, c'est cher. En revanche, le retour est rapide.")     # doctest: +SKIP
    >>> [(s.text, s.label_, s.id_) for s in doc.spans["discours_markers"]]       # doctest: +SKIP
    [('Certes', 'concession', 'marker.concession.certes.v1'),
     ('En revanche', 'contrast', 'marker.contrast.en_revanche.v1')]
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy import util
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList, filter_spans

from .extensions import MARKERS

#: the senses a marker may carry (the ``label_`` of its span)
SENSES: tuple[str, ...] = (
    "contrast", "concession", "cause", "consequence", "addition", "enumeration", "illustration",
    "reformulation", "conclusion", "condition", "goal", "temporal", "hedge", "booster",
)

#: an entry or an exclusion as stored in the lexicon (plain JSON)
Entry = dict[str, Any]
#: what ``extra`` accepts: a path to a JSON file, a list of entries, or {"entries": [...], "exclusions": [...]}
Extra = str | list[Entry] | dict[str, Any] | None

FILENAME = "markers.json"


# ----------------------------------------------------------------------------- context checks
# A check decides whether a matched ambiguous form is a marker here. It receives the match and
# looks at neighbouring tokens; POS/lemma tests are skipped on a blank pipeline (no tagger), where
# the checks that cannot decide without them return False: missing a marker is better than
# inventing one.


class _Ctx:
    """The Doc being matched, with what is known about its annotation (computed once per Doc)."""

    __slots__ = ("doc", "lemma", "n", "pos")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = len(doc)
        self.pos = doc.has_annotation("POS")
        self.lemma = doc.has_annotation("LEMMA")


Check = Callable[[_Ctx, int, int], bool]


def _low(tok: Any) -> str:
    # typographic apostrophes survive when users call nlp() on raw text
    return tok.lower_.replace("’", "'")


def _prev(c: _Ctx, i: int) -> int:
    """Index of the previous non-space token, or -1."""
    j = i - 1
    while j >= 0 and c.doc[j].is_space:
        j -= 1
    return j


def _next(c: _Ctx, i: int) -> int:
    """Index of the next non-space token after ``i``, or ``c.n``."""
    j = i + 1
    while j < c.n and c.doc[j].is_space:
        j += 1
    return j


def _plow(c: _Ctx, s: int) -> str:
    j = _prev(c, s)
    return _low(c.doc[j]) if j >= 0 else ""


def _nlow(c: _Ctx, e: int) -> str:
    j = _next(c, e - 1)
    return _low(c.doc[j]) if j < c.n else ""


_TERMINAL = frozenset(".!?…")
_OPENERS = frozenset({"«", "“", '"', "(", "[", "—", "–", "-", "*", "•", "‹"})
_CLAUSE_PUNCT = frozenset({",", ";", ":", "(", "[", "«", "“", '"', "—", "–", "-", "…", "...", "/"})
_AFTER_PUNCT = frozenset({",", ":", "—", "–", "-", "!"})
_COORD = frozenset({"et", "mais", "ou", "or", "donc", "puis", "pis"})
_DETS = frozenset({
    "le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "ce", "cet", "cette", "ces",
    "mon", "ton", "son", "ma", "ta", "sa", "mes", "tes", "ses", "notre", "votre", "leur", "nos",
    "vos", "leurs", "au", "aux", "quel", "quelle", "quels", "quelles", "chaque", "plusieurs",
    "certains", "certaines", "tout", "toute", "tous", "toutes", "aucun", "aucune",
})
_SUBJECTS = frozenset({
    "je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "c'", "ce", "ça", "ca",
    "cela", "ceci", "personne", "rien", "chacun", "y'", "t'",
})
_NOMINAL_POS = frozenset({"DET", "NOUN", "PROPN", "NUM"})
_VERBAL_POS = frozenset({"VERB", "AUX"})
_INVERTED = frozenset({"-il", "-elle", "-on", "-ils", "-elles", "-je", "-tu", "-nous", "-vous", "-t", "-ce"})


def _starts_sentence(c: _Ctx, i: int) -> bool:
    tok = c.doc[i]
    if i == 0 or tok.is_sent_start:
        return True
    j = i - 1
    while j >= 0 and c.doc[j].is_space:
        if "\n" in c.doc[j].text:
            return True  # a line break starts a block (list item, heading, paragraph)
        j -= 1
    if j < 0:
        return True
    prev = c.doc[j]
    # the parser sometimes glues "Or"/"Alors" to the previous sentence: terminal punctuation wins
    return prev.is_punct and prev.text[-1] in _TERMINAL


def _sentence_initial(c: _Ctx, s: int, conj: bool = True) -> bool:
    """``s`` opens a sentence, after opening quotes/brackets/dashes and (``conj``) a leading Et/Mais."""
    i = s
    j = _prev(c, i)
    while j >= 0 and c.doc[j].text in _OPENERS:
        i, j = j, _prev(c, j)
    if _starts_sentence(c, i):
        return True
    if conj and j >= 0 and _low(c.doc[j]) in {"et", "mais"}:
        return _sentence_initial(c, j, conj=False)
    return False


def _clause_initial(c: _Ctx, s: int) -> bool:
    if _sentence_initial(c, s):
        return True
    j = _prev(c, s)
    return j >= 0 and (c.doc[j].text in _CLAUSE_PUNCT or _low(c.doc[j]) in _COORD)


def _is_infinitive(c: _Ctx, tok: Any) -> bool:
    low = _low(tok)
    looks = low.endswith(("er", "ir", "re", "oir", "ïr")) and len(low) > 2
    if not c.pos:
        return looks
    # fr_core_news_sm often marks infinitives VerbForm=Fin ("pour convaincre"): trust POS + ending
    return tok.pos_ in _VERBAL_POS and ("Inf" in tok.morph.get("VerbForm") or looks)


def _lemma(c: _Ctx, tok: Any) -> str:
    return tok.lemma_.lower() if c.lemma and tok.lemma_ else _low(tok)


# -- generic position checks

def check_clause_initial(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s)


def check_sentence_initial(c: _Ctx, s: int, e: int) -> bool:
    return _sentence_initial(c, s)


def check_not_sentence_initial(c: _Ctx, s: int, e: int) -> bool:
    return not _sentence_initial(c, s, conj=False)


def check_initial_or_punct(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) or _nlow(c, e) in _AFTER_PUNCT


def check_initial_then_punct(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and _nlow(c, e) in _AFTER_PUNCT


def check_initial_not_before_de(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and _nlow(c, e) not in {"de", "du", "des", "d'"}


def check_not_after_det(c: _Ctx, s: int, e: int) -> bool:
    j = _prev(c, s)
    if j < 0:
        return True
    tok = c.doc[j]
    return _low(tok) not in _DETS | {"en"} and not (c.pos and tok.pos_ in {"DET", "ADP"})


def check_not_after_negation(c: _Ctx, s: int, e: int) -> bool:
    return _plow(c, s) not in {"ne", "n'"}


def check_not_before_det(c: _Ctx, s: int, e: int) -> bool:
    j = _next(c, e - 1)
    if j >= c.n:
        return True
    tok = c.doc[j]
    return _low(tok) not in _DETS and not (c.pos and tok.pos_ == "DET")


def check_not_before_number(c: _Ctx, s: int, e: int) -> bool:
    j = _next(c, e - 1)
    return j >= c.n or not (c.doc[j].like_num or (c.pos and c.doc[j].pos_ == "NUM"))


def _nominal(c: _Ctx, j: int) -> bool:
    if j >= c.n:
        return False
    tok = c.doc[j]
    return _low(tok) in _DETS or tok.like_num or (c.pos and tok.pos_ in _NOMINAL_POS)


def check_before_nominal(c: _Ctx, s: int, e: int) -> bool:
    return _nominal(c, _next(c, e - 1))


_INF_SKIP = frozenset({
    "ne", "n'", "pas", "plus", "jamais", "rien", "le", "la", "les", "l'", "se", "s'", "me", "m'",
    "te", "t'", "nous", "vous", "lui", "leur", "y", "en", "mieux", "bien", "tout", "vraiment",
    "ainsi", "davantage", "encore", "toujours", "enfin", "seulement", "simplement", "vite",
})


_ETRE_FINITE = frozenset({"suis", "es", "est", "sommes", "êtes", "sont", "serais", "serait", "serions", "seriez",
                          "seraient", "étais", "était", "étions", "étiez", "étaient", "être", "reste", "restons"})
_ETRE_SKIP = frozenset({"au", "contraire", "plutôt", "plutot", "donc", "aussi", "bien", "tout", "vraiment", "clairement",
                        "totalement", "absolument", "résolument", "fermement", "plus", "très", "ne", "n'", "pas",
                        "également", "toujours", "personnellement", "évidemment"})


def _after_etre(c: _Ctx, s: int) -> bool:
    """'je suis (au contraire) pour ...': être + pour is being in favour, unless it is 'c'est pour'."""
    j, steps = _prev(c, s), 0
    while j >= 0 and steps < 3 and _low(c.doc[j]) in _ETRE_SKIP:
        j, steps = _prev(c, j), steps + 1
    if j < 0 or _low(c.doc[j]) not in _ETRE_FINITE:
        return False
    return _plow(c, j) not in {"c'", "ce", "ça", "ca", "cela"}


def check_before_infinitive(c: _Ctx, s: int, e: int) -> bool:
    if _low(c.doc[s]) == "pour" and _after_etre(c, s):
        return False
    j = _next(c, e - 1)
    skipped = 0
    while j < c.n and skipped < 4 and _low(c.doc[j]) in _INF_SKIP:
        j, skipped = _next(c, j), skipped + 1
    return j < c.n and _is_infinitive(c, c.doc[j])


def check_initial_before_infinitive(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and check_before_infinitive(c, s, e)


def check_before_punct(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    return k >= c.n or c.doc[k].is_punct


def check_pour_que(c: _Ctx, s: int, e: int) -> bool:
    # "je suis pour que ..." is being in favour; "c'est pour que ..." states a purpose
    return not _after_etre(c, s)


_PLUTOT_DEGREE = frozenset({"oui", "non", "pour", "contre", "favorable", "défavorable", "defavorable", "d'accord",
                            "en", "bien", "mal", "bon", "bonne", "positif", "positive", "négatif", "négative"})


def check_plutot_hedge(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    if k >= c.n:
        return False
    nxt = c.doc[k]
    if _low(nxt) in _PLUTOT_DEGREE:
        return True
    if not c.pos:
        return False
    return nxt.pos_ in {"ADJ", "ADV"} or (nxt.pos_ == "VERB" and "Part" in nxt.morph.get("VerbForm"))


def check_plutot_rather(c: _Ctx, s: int, e: int) -> bool:
    return not check_plutot_hedge(c, s, e)


_OPINION_LEMMAS = frozenset({"croire", "penser", "dire", "trouver", "estimer", "sembler", "imaginer", "juger"})
_OPINION_FORMS = frozenset({"crois", "croit", "pense", "pensons", "pensent", "dirais", "dirait", "trouve",
                            "estime", "estimons", "semble", "imagine", "juge"})


def check_plutot_que(c: _Ctx, s: int, e: int) -> bool:
    # "Je crois plutôt que cela va ..." is plutôt + complementiser, not "plutôt que" (rather than)
    j = _prev(c, s)
    if j < 0:
        return True
    prev = c.doc[j]
    return _low(prev) not in _OPINION_FORMS and not (c.lemma and prev.lemma_.lower() in _OPINION_LEMMAS)


# -- form-specific checks

_OR_NOT_AFTER = frozenset({"l'", "l", "d'", "d", "de", "en", "du", "le", "un", "son", "cet", "mon", "ton",
                           "notre", "votre", "leur", "d'or", "'"})
_OR_NOT_BEFORE = frozenset({"noir", "blanc", "jaune", "massif", "bleu", "vert", "rose", "gris", "rouge", "fin",
                            "pur", "et", "de", "d'", "du", "des", "en", ")", "-", ":", ".", "!", "?"})


def check_or_connective(c: _Ctx, s: int, e: int) -> bool:
    j = _prev(c, s)
    if j >= 0:
        prev = c.doc[j]
        if _low(prev) in _OR_NOT_AFTER or (c.pos and prev.pos_ in {"DET", "ADP"}):
            return False
        if not (_sentence_initial(c, s, conj=False) or prev.text in {",", ";", ":", "(", "—", "–"}):
            return False
    k = _next(c, e - 1)
    if k >= c.n:
        return False
    nxt = c.doc[k]
    if nxt.text in {",", "…"}:
        return True
    if _low(nxt) in _OR_NOT_BEFORE:
        return False
    if c.pos:
        return nxt.pos_ in {"PRON", "DET", "PROPN", "NOUN", "ADV", "SCONJ", "AUX", "VERB", "NUM", "CCONJ", "ADP"}
    return _low(nxt) in _SUBJECTS or _low(nxt) in _DETS


#: verbs of saying, showing, knowing: "comme l'a observé X", "comme on le sait" are comparisons
_REPORT_LEMMAS = frozenset({
    "dire", "observer", "souligner", "rappeler", "écrire", "montrer", "expliquer", "noter", "mentionner",
    "savoir", "indiquer", "prévoir", "voir", "parler", "affirmer", "constater", "remarquer", "suggérer",
    "préciser", "annoncer", "signaler", "évoquer", "illustrer", "démontrer", "prouver", "vouloir", "souhaiter",
    "lire", "entendre", "penser", "croire", "craindre", "espérer", "prétendre", "répéter", "convenir",
    "décrire", "raconter", "soutenir", "avancer", "insister", "recommander", "conseiller", "proposer",
    "demander", "exiger", "imaginer", "deviner", "attendre", "aimer", "plaire", "chanter", "faire", "aller",
    "devoir", "pouvoir",
})
_COMME_NOT_BEFORE = frozenset({
    "si", "par", "pour", "quoi", "ça", "ca", "cela", "ceci", "prévu", "toujours", "souvent", "jamais",
    "dans", "avec", "en", "à", "au", "aux", "de", "d'", "du", "des", "tel", "telle", "ailleurs", "suit",
    "convenu", "d'habitude", "d'hab", "beaucoup", "partout", "chez", "sur", "sous", "lors", "avant", "après",
})
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "…", "...", "«", "»"})


def check_comme_cause(c: _Ctx, s: int, e: int) -> bool:
    if not c.pos or not _clause_initial(c, s) or _plow(c, s) in {"(", "tout"}:
        return False
    j = _next(c, e - 1)
    if j >= c.n or _low(c.doc[j]) in _COMME_NOT_BEFORE or c.doc[j].pos_ in _VERBAL_POS | {"ADP", "ADV", "ADJ"}:
        return False  # "comme dit X" (inversion), "comme dans", "comme toujours", "comme prévu"
    finite = False
    k, steps = j, 0
    while k < c.n and steps < 14 and c.doc[k].text not in _CLAUSE_END:
        tok = c.doc[k]
        if tok.pos_ in _VERBAL_POS:
            if _lemma(c, tok) in _REPORT_LEMMAS:
                return False
            forms = tok.morph.get("VerbForm")
            if tok.pos_ == "AUX" or not forms or "Fin" in forms:
                finite = True
            prev = c.doc[k - 1]
            if _low(prev) in {"le", "l'", "la"} and k - 1 >= j:
                return False  # propositional clitic: "comme je le disais", "comme le client l'exige"
        k, steps = k + 1, steps + 1
    return finite


_INTENSIFIED = frozenset({
    "bien", "peu", "souvent", "mal", "longtemps", "loin", "tard", "tôt", "vite", "fort", "beau", "belle",
    "grand", "grande", "important", "importante", "nombreux", "nombreuses", "simple", "facile", "difficile",
    "cher", "chère", "petit", "petite", "gros", "grosse", "bon", "bonne", "rare", "rares", "fréquent", "vrai",
    "certain", "certaine", "sûr", "sûre", "évident", "clair", "efficace", "utile", "compliqué", "rapide",
    "rapidement", "facilement", "peur", "mauvais", "mauvaise", "fier", "fière", "content", "contente",
})
_QUESTION_STEMS = ("demand", "sai", "sav", "sach", "vérifi", "verifi", "ignor", "détermin", "determin",
                   "évalu", "evalu", "interrog", "dout", "cherch", "examin")
_QUESTION_FORMS = frozenset({"voir", "vois", "voit", "voyons", "voyez", "voient", "verra", "verrons", "verrez",
                             "regarde", "regarder", "regardons", "regardez", "teste", "tester", "testons",
                             "juger", "décider", "decider", "question", "savoir"})
_QUESTION_LEMMAS = frozenset({"demander", "savoir", "voir", "vérifier", "ignorer", "déterminer", "juger",
                              "décider", "évaluer", "tester", "regarder", "interroger", "questionner", "douter",
                              "chercher", "examiner", "se demander", "mesurer", "question"})
_QUESTION_SKIP = frozenset({"me", "m'", "se", "s'", "te", "t'", "nous", "vous", "ne", "n'", "pas", "plus",
                            "bien", "donc", "encore", "toujours", "-je", "-on", "-il", "reste", "à", "jamais",
                            "vraiment", "la", "en"})


def _after_question_verb(c: _Ctx, s: int) -> bool:
    """'je me demande si', 'reste à savoir si', 'on ne sait pas si': an indirect question."""
    j = _prev(c, s)
    steps = 0
    while j >= 0 and steps < 4:
        tok = c.doc[j]
        low = _low(tok)
        # the lemmatizer leaves some forms alone ("demande" -> "demande"): test the text too
        if low in _QUESTION_FORMS or low.startswith(_QUESTION_STEMS):
            return True
        if c.lemma and tok.lemma_ and tok.lemma_.lower() in _QUESTION_LEMMAS:
            return True
        if low not in _QUESTION_SKIP:
            return False
        j, steps = _prev(c, j), steps + 1
    return False


def check_si_condition(c: _Ctx, s: int, e: int) -> bool:
    if _after_question_verb(c, s):
        return False
    if e - s > 1:  # "s'il", "s'ils": only the indirect question is excluded
        return True
    k = _next(c, e - 1)
    if k >= c.n:
        return False
    nxt = c.doc[k]
    if nxt.is_punct:
        return False  # "Si, je viens." / "Mais si !"
    if _low(nxt) in _INTENSIFIED:
        return False
    if c.pos:
        if nxt.pos_ == "ADJ":
            return False  # "si important"
        if nxt.pos_ == "ADV" and _low(nxt) not in {"jamais", "vraiment", "toutefois", "cependant", "pourtant",
                                                   "seulement", "oui", "non", "besoin", "nécessaire"}:
            k2 = _next(c, k)
            # "si vraiment vous voulez" is a condition, "si souvent que" an intensifier
            return k2 < c.n and (c.doc[k2].pos_ in {"PRON", "DET", "PROPN", "NOUN"} or _low(c.doc[k2]) in _SUBJECTS)
    return True


def check_ainsi_consequence(c: _Ctx, s: int, e: int) -> bool:
    # "Ainsi que le souligne X" is a comparison even when the "ainsi que" entry rejects it
    return _sentence_initial(c, s) and _nlow(c, e) not in {"que", "qu'", "soit", "de"}


def check_autrement(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and _nlow(c, e) not in {"que", "qu'", "dit"}


def check_alors_consequence(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and _nlow(c, e) not in {"?", "!", "là"} and _plow(c, s) not in {"ça", "ca"}


def check_alors_temporal(c: _Ctx, s: int, e: int) -> bool:
    return not _clause_initial(c, s) and _nlow(c, e) not in {"?", "!"} and _plow(c, s) not in {"ça", "ca"}


def check_et_clause(c: _Ctx, s: int, e: int) -> bool:
    if _nlow(c, e) in {"/", "al", "cetera", "caetera"}:
        return False
    if _sentence_initial(c, s, conj=False):
        return True
    return _plow(c, s) in {";", ":", "(", "—", "–"}


def _puis_verb(c: _Ctx, s: int, e: int) -> bool:
    return _plow(c, s) in {"je", "j'", "ne", "n'", "en"} or _nlow(c, e) == "-je"


def check_puis_enumeration(c: _Ctx, s: int, e: int) -> bool:
    return not _puis_verb(c, s, e) and _sentence_initial(c, s)


def check_puis_temporal(c: _Ctx, s: int, e: int) -> bool:
    return not _puis_verb(c, s, e)


def _clause_tokens(c: _Ctx, e: int, limit: int) -> Iterable[Any]:
    k, steps = _next(c, e - 1), 0
    while k < c.n and steps < limit and c.doc[k].text not in _CLAUSE_END:
        yield c.doc[k]
        k, steps = _next(c, k), steps + 1


def check_aussi_consequence(c: _Ctx, s: int, e: int) -> bool:
    if not _sentence_initial(c, s, conj=False):
        return False
    if _nlow(c, e) == ",":
        return True
    return any(_low(t) in _INVERTED for t in _clause_tokens(c, e, 8))


def check_aussi_addition(c: _Ctx, s: int, e: int) -> bool:
    toks = list(_clause_tokens(c, e, 4))
    if not toks:
        return True
    first = toks[0]
    if _low(first) in _SUBJECTS or (c.pos and first.pos_ in _VERBAL_POS | {"PRON", "DET"}):
        return True  # "moi aussi je pense que ..."
    if c.pos and first.pos_ in {"ADJ", "ADV"} and _low(first) not in {"pour", "parfois", "souvent", "toujours"}:
        return False  # "jamais été aussi riches", "aussi efficace que"
    # comparative "aussi efficace que", "aussi souvent qu'on peut"
    return not any(_low(t) in {"que", "qu'"} for t in toks[1:])


def check_quand_temporal(c: _Ctx, s: int, e: int) -> bool:
    if _plow(c, s) in {"depuis", "jusqu'", "jusque", "à", "pour", "de", "d'", "importe"}:
        return False
    toks = list(_clause_tokens(c, e, 4))
    if toks and _low(toks[0]) == "est" and len(toks) > 1 and _low(toks[1]) == "-ce":
        return False  # "Quand est-ce que ..."
    return not any(_low(t) in _INVERTED for t in toks)


def _quand_meme_boosts(c: _Ctx, s: int, e: int) -> bool:
    j = _prev(c, s)
    if j >= 0:
        prev = c.doc[j]
        if _low(prev) in {"est", "était", "c'est", "sont", "serait", "seraient", "fut", "reste", "étaient"}:
            return True
        if c.lemma and prev.lemma_ == "être":
            return True
    k = _next(c, e - 1)
    if k < c.n:
        nxt = c.doc[k]
        if _low(nxt) in {"très", "assez", "plus", "moins", "bien", "mieux", "trop", "drôlement", "sacrément"}:
            return True
        if c.pos and nxt.pos_ == "ADJ":
            return True
    return False


def check_quand_meme_booster(c: _Ctx, s: int, e: int) -> bool:
    return _quand_meme_boosts(c, s, e)


def check_quand_meme_concession(c: _Ctx, s: int, e: int) -> bool:
    return not _quand_meme_boosts(c, s, e)


_BIEN_QUE_NOT_AFTER = frozenset({
    "savoir", "voir", "croire", "penser", "sentir", "comprendre", "entendre", "dire", "douter", "remarquer",
    "constater", "reconnaître", "admettre", "imaginer", "espérer", "vouloir", "falloir", "aimer", "être",
    "rendre", "sembler", "paraître", "montrer", "noter", "souligner", "ressentir", "deviner",
})
_BIEN_QUE_NOT_AFTER_FORMS = frozenset({
    "c'", "ce", "est", "sais", "sait", "savons", "savez", "savent", "vois", "voit", "voyons", "voyez",
    "voient", "crois", "croit", "pense", "pensent", "sens", "sent", "comprends", "comprend", "entend",
    "entends", "dit", "dis", "faut", "fallait", "voudrais", "voudrait", "aimerais", "aimerait", "serait",
    "était", "doute", "doutent", "imagine", "espère", "sûr", "sûre", "eh", "hé", "ou",
})


def check_bien_que(c: _Ctx, s: int, e: int) -> bool:
    j = _prev(c, s)
    if j < 0:
        return True
    prev = c.doc[j]
    if _low(prev) in _BIEN_QUE_NOT_AFTER_FORMS:
        return False
    return not (c.lemma and prev.pos_ in _VERBAL_POS and prev.lemma_.lower() in _BIEN_QUE_NOT_AFTER)


def check_tel_que_example(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    if k >= c.n or _low(c.doc[e - 1]) == "qu'":
        return False  # "tels qu'ils sont"
    nxt = c.doc[k]
    if nxt.is_alpha and nxt.text[:1].isupper() and _low(nxt) not in _SUBJECTS | _DETS:
        return True  # a name ("tels que LinkedIn"), whatever POS the tagger gives it
    if c.pos and nxt.pos_ in _VERBAL_POS | {"ADJ", "PRON"}:
        return False  # "tel que prévu", "tel que je le vois"
    if not (_nominal(c, k) or (nxt.is_title and nxt.is_alpha)):
        return False
    k2 = _next(c, k)
    # "tel que le prévoit la loi": determiner-looking clitic + verb
    return not (k2 < c.n and c.pos and _low(nxt) in {"le", "la", "l'", "les"} and c.doc[k2].pos_ in _VERBAL_POS)


def check_ainsi_que_addition(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    if k >= c.n or _low(c.doc[k]) in _SUBJECTS or (c.pos and c.doc[k].pos_ == "PRON"):
        return False
    if not (_nominal(c, k) or c.doc[k].is_title):
        return False
    k2 = _next(c, k)
    return not (k2 < c.n and c.pos and c.doc[k2].pos_ in _VERBAL_POS)  # "ainsi que le souligne X"


def check_epistemic_parenthetical(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    if k >= c.n or c.doc[k].is_punct:
        return True  # "C'est, je crois, la meilleure approche." / "..., j'imagine."
    # "je crois que", not "je crois (bien plus) à une agriculture de proximité"
    return _low(c.doc[k]) in {"que", "qu'"}


def check_d_ou(c: _Ctx, s: int, e: int) -> bool:
    k = _next(c, e - 1)
    if k >= c.n or c.doc[k].is_punct:
        return False
    nxt = c.doc[k]
    low = _low(nxt)
    if low in _SUBJECTS or low.startswith(("vien", "ven", "provien", "sort", "part")):
        return False  # "d'où vient le problème", "le pays d'où il vient"
    return not (c.pos and nxt.pos_ in _VERBAL_POS | {"PRON"})


def check_pis_qc(c: _Ctx, s: int, e: int) -> bool:
    return (_plow(c, s) not in {"tant", "en", "au", "qui", "de", "le", "du", "des", "un", "ni", "mal", "d'"}
            and _nlow(c, e) not in {"-aller", "aller", "est"})


def check_fait_que(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) and _plow(c, s) not in _DETS


def check_soit_reformulation(c: _Ctx, s: int, e: int) -> bool:
    if _plow(c, s) not in {",", ":", "(", "—", "–"}:
        return False
    k = _next(c, e - 1)
    if k >= c.n:
        return False
    nxt = c.doc[k]
    return (nxt.like_num or _low(nxt) in _DETS | {"près", "environ", "plus", "moins", "presque", "quelque"}
            or (c.pos and nxt.pos_ in {"NUM", "DET"}))


def check_bref(c: _Ctx, s: int, e: int) -> bool:
    if not _clause_initial(c, s):
        return False
    k = _next(c, e - 1)
    if k >= c.n or c.doc[k].is_punct:
        return True
    nxt = c.doc[k]
    if c.pos:
        return nxt.pos_ not in {"NOUN", "ADJ"}  # "Bref rappel :" is the adjective
    return _low(nxt) in _SUBJECTS or _low(nxt) in _DETS


def check_vu_preposition(c: _Ctx, s: int, e: int) -> bool:
    if not _clause_initial(c, s):
        return False
    k = _next(c, e - 1)
    if k >= c.n:
        return False
    nxt = c.doc[k]
    return _nominal(c, k) or (c.pos and nxt.pos_ in {"PRON", "ADJ"})


_EN_FAIT_NOT_AFTER = frozenset({
    "il", "elle", "on", "ils", "elles", "qui", "ne", "n'", "je", "j'", "tu", "nous", "vous", "ça", "ca",
    "cela", "ce", "qu'", "que", "lui", "s'", "se", "y", "l'", "leur", "t'", "m'",
})


def check_en_fait(c: _Ctx, s: int, e: int) -> bool:
    if _plow(c, s) in _EN_FAIT_NOT_AFTER:
        return False  # "on en fait", "ce qu'il en fait"
    return _nlow(c, e) not in {"partie", "trop", "autant", "état", "usage", "mention", "preuve", "foi", "abstraction",
                               "appel", "profit", "fi"}


_ENUM_WORDS = frozenset({"ensuite", "puis", "abord", "premièrement", "deuxièmement", "troisièmement",
                         "primo", "secundo", "premier", "second", "deuxième"})


def _enumeration_before(c: _Ctx, s: int) -> bool:
    try:
        start = c.doc[s].sent.start
    except ValueError:  # no sentence boundaries (blank pipeline): look back over the whole text
        start = 0
    return any(_low(t) in _ENUM_WORDS for t in c.doc[start:s])


def check_enfin_enumeration(c: _Ctx, s: int, e: int) -> bool:
    return _sentence_initial(c, s) or (_plow(c, s) in {",", ";"} and _enumeration_before(c, s))


def check_enfin_reformulation(c: _Ctx, s: int, e: int) -> bool:
    return _plow(c, s) in {",", "…", "..."}


def check_enfin_temporal(c: _Ctx, s: int, e: int) -> bool:
    return not _clause_initial(c, s)


def check_finalement_conclusion(c: _Ctx, s: int, e: int) -> bool:
    return _clause_initial(c, s) or _nlow(c, e) == ","


def check_finalement_temporal(c: _Ctx, s: int, e: int) -> bool:
    return not check_finalement_conclusion(c, s, e)


def check_en_meme_temps_concession(c: _Ctx, s: int, e: int) -> bool:
    return _sentence_initial(c, s)


def check_en_meme_temps_temporal(c: _Ctx, s: int, e: int) -> bool:
    return not _sentence_initial(c, s)


#: check name (as used in the lexicon's "check" field) -> function(ctx, start, end) -> bool
CHECKS: dict[str, Check] = {
    "clause_initial": check_clause_initial,
    "sentence_initial": check_sentence_initial,
    "initial_or_punct": check_initial_or_punct,
    "initial_then_punct": check_initial_then_punct,
    "initial_not_before_de": check_initial_not_before_de,
    "not_sentence_initial": check_not_sentence_initial,
    "not_after_det": check_not_after_det,
    "not_after_negation": check_not_after_negation,
    "not_before_det": check_not_before_det,
    "not_before_number": check_not_before_number,
    "before_nominal": check_before_nominal,
    "before_infinitive": check_before_infinitive,
    "initial_before_infinitive": check_initial_before_infinitive,
    "before_punct": check_before_punct,
    "pour_que": check_pour_que,
    "plutot_hedge": check_plutot_hedge,
    "plutot_rather": check_plutot_rather,
    "plutot_que": check_plutot_que,
    "or_connective": check_or_connective,
    "comme_cause": check_comme_cause,
    "si_condition": check_si_condition,
    "ainsi_consequence": check_ainsi_consequence,
    "autrement": check_autrement,
    "alors_consequence": check_alors_consequence,
    "alors_temporal": check_alors_temporal,
    "et_clause": check_et_clause,
    "puis_enumeration": check_puis_enumeration,
    "puis_temporal": check_puis_temporal,
    "aussi_consequence": check_aussi_consequence,
    "aussi_addition": check_aussi_addition,
    "quand_temporal": check_quand_temporal,
    "quand_meme_concession": check_quand_meme_concession,
    "quand_meme_booster": check_quand_meme_booster,
    "bien_que": check_bien_que,
    "tel_que_example": check_tel_que_example,
    "ainsi_que_addition": check_ainsi_que_addition,
    "epistemic_parenthetical": check_epistemic_parenthetical,
    "d_ou": check_d_ou,
    "pis_qc": check_pis_qc,
    "fait_que": check_fait_que,
    "soit_reformulation": check_soit_reformulation,
    "bref": check_bref,
    "vu_preposition": check_vu_preposition,
    "en_fait": check_en_fait,
    "enfin_enumeration": check_enfin_enumeration,
    "enfin_reformulation": check_enfin_reformulation,
    "enfin_temporal": check_enfin_temporal,
    "finalement_conclusion": check_finalement_conclusion,
    "finalement_temporal": check_finalement_temporal,
    "en_meme_temps_concession": check_en_meme_temps_concession,
    "en_meme_temps_temporal": check_en_meme_temps_temporal,
}


# ----------------------------------------------------------------------------- lexicon handling


def default_lexicon() -> dict[str, Any]:
    """The shipped lexicon (``markers.v1.json``), read once per process."""
    from ..lexicons import load

    return load("markers")


def read_extra(extra: Extra) -> tuple[list[Entry], list[Entry]]:
    """Normalise the ``extra`` option into (entries, exclusions).

    Args:
        extra: a path to a JSON file holding a list of entries or ``{"entries": [...], "exclusions": [...]}``,
            or such a list/dict directly.

    Example:
        >>> read_extra([{"id": "marker.contrast.cela_etant.v1", "sense": "contrast", "forms": ["cela étant"]}])[0][0]["sense"]
        'contrast'
    """
    if extra is None:
        return [], []
    data: Any = extra
    if isinstance(extra, (str, Path)):
        path = Path(extra)
        if not path.is_file():
            raise ValueError(
                f"discours_markers: extra lexicon file not found: {str(path)!r}. Give the path of a JSON file "
                "holding a list of entries or {\"entries\": [...], \"exclusions\": [...]}."
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"discours_markers: extra lexicon {str(path)!r} is not valid JSON ({exc}). "
                             "Check it with: python -m json.tool FILE") from exc
    if isinstance(data, list):
        return [dict(x) for x in data], []
    if isinstance(data, dict):
        return [dict(x) for x in data.get("entries", [])], [dict(x) for x in data.get("exclusions", [])]
    raise ValueError(f"discours_markers: extra must be a path, a list of entries or a dict, got {type(extra).__name__}.")


def validate_entry(entry: Entry, *, exclusion: bool = False) -> Entry:
    """Check an entry's fields; return it with defaults filled in (``ambiguous``, ``check``).

    Raises:
        ValueError: naming the entry, the bad field and what is expected.

    Example:
        >>> validate_entry({"id": "marker.cause.vu_que.v1", "sense": "cause", "forms": ["vu que"]})["check"] is None
        True
    """
    eid = entry.get("id")
    kind = "exclusion" if exclusion else "marker entry"
    if not isinstance(eid, str) or not eid:
        raise ValueError(f"discours_markers: {kind} without a string 'id': {entry!r}. "
                         "Give each entry a stable id such as 'marker.contrast.en_revanche.v1'.")
    forms = entry.get("forms")
    if isinstance(forms, str):
        forms = [forms]
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise ValueError(f"discours_markers: {kind} {eid!r} has no usable 'forms' ({forms!r}). "
                         "Give a non-empty list of strings, e.g. [\"en revanche\"].")
    if not exclusion and entry.get("sense") not in SENSES:
        raise ValueError(f"discours_markers: marker entry {eid!r} has unknown sense {entry.get('sense')!r}. "
                         f"Use one of: {', '.join(SENSES)}.")
    check = entry.get("check")
    if check is not None and check not in CHECKS:
        raise ValueError(f"discours_markers: {kind} {eid!r} names unknown check {check!r}. "
                         f"Use null or one of: {', '.join(sorted(CHECKS))}.")
    out = dict(entry)
    out["forms"] = [f.strip() for f in forms]
    out["check"] = check
    if not exclusion:
        out.setdefault("ambiguous", check is not None)
    return out


def expand_form(form: str) -> list[str]:
    """Spellings matched for one form: elisions (que→qu', de→d'/du/des, à→au/aux, si→s'il/s'ils)
    and the typographic apostrophe.

    Example:
        >>> expand_form("parce que")
        ['parce que', "parce qu'", 'parce qu’']
    """
    base = form.strip().lower().replace("’", "'")
    words = base.split(" ")
    last, head = words[-1], " ".join(words[:-1])

    def join(word: str) -> str:
        return f"{head} {word}" if head else word

    variants = [base]
    if last.endswith("que") and len(words) > 1 or last in {"lorsque", "puisque", "quoique"}:
        variants.append(join(last[:-3] + "qu'"))
    if last == "de" and len(words) > 1:
        variants += [join("d'"), join("du"), join("des")]
    if last == "à" and len(words) > 1:
        variants += [join("au"), join("aux")]
    if last == "si":
        variants += [join("s'il"), join("s'ils")]
    out: list[str] = []
    for v in variants:
        for w in (v, v.replace("'", "’")):
            if w not in out:
                out.append(w)
    return out


# ----------------------------------------------------------------------------- the component


class DiscourseMarkers(Pipe):
    """Find French discourse markers and label them with their sense.

    Args:
        nlp: the pipeline (its tokenizer splits the lexicon forms exactly as it splits texts).
        name: the component name.
        spans_key: the ``doc.spans`` group written (default ``"discours_markers"``).
        extra: user entries: a JSON file path, a list of entries or ``{"entries", "exclusions"}``.
            An extra entry with the id of a shipped one replaces it; new ones are tried first.
        use_default: include the shipped lexicon.
        overwrite: replace the span group (True) or append to it.

    Example:
        >>> nlp = spacy.blank("fr"); nlp.add_pipe("discours_markers")          # doctest: +SKIP
        >>> [s.label_ for s in nlp("Par conséquent, on reste.").spans["discours_markers"]]  # doctest: +SKIP
        ['consequence']
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "discours_markers",
        *,
        spans_key: str = MARKERS,
        extra: Extra = None,
        use_default: bool = True,
        overwrite: bool = True,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.overwrite = overwrite
        self._entries: list[Entry] = []
        self._exclusions: list[Entry] = []
        self._matcher: PhraseMatcher | None = None
        self._rules: list[tuple[str, str | None, Check | None]] = []  # (id, sense or None, check)
        self._key_to_rule: dict[int, int] = {}
        user_entries, user_exclusions = read_extra(extra)
        if use_default:
            lex = default_lexicon()
            entries, exclusions = list(lex["entries"]), list(lex["exclusions"])
        else:
            entries, exclusions = [], []
        self._replace(user_entries + entries, user_exclusions + exclusions)

    # -- entries

    @property
    def entries(self) -> list[Entry]:
        """The marker entries in match order (copies)."""
        return [dict(e) for e in self._entries]

    @property
    def exclusions(self) -> list[Entry]:
        """Phrases that are never markers and hide the shorter markers inside them (copies)."""
        return [dict(e) for e in self._exclusions]

    @property
    def labels(self) -> tuple[str, ...]:
        """The senses in use."""
        return tuple(sorted({e["sense"] for e in self._entries}))

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids of all entries."""
        return tuple(e["id"] for e in self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add_entries(self, entries: Iterable[Entry], exclusions: Iterable[Entry] = ()) -> None:
        """Add entries and exclusions; an entry whose id exists replaces it in place, new ones go last.

        Example:
            >>> ruler.add_entries([{"id": "marker.addition.itou.v1", "sense": "addition", "forms": ["itou"]}])  # doctest: +SKIP
        """
        current = {e["id"]: i for i, e in enumerate(self._entries)}
        merged = list(self._entries)
        for entry in entries:
            entry = validate_entry(entry)
            if entry["id"] in current:
                merged[current[entry["id"]]] = entry
            else:
                current[entry["id"]] = len(merged)
                merged.append(entry)
        ex = {e["id"]: e for e in self._exclusions}
        for entry in exclusions:
            entry = validate_entry(entry, exclusion=True)
            ex[entry["id"]] = entry
        self._replace(merged, list(ex.values()))

    def clear(self) -> None:
        """Remove every entry and exclusion."""
        self._replace([], [])

    def _replace(self, entries: list[Entry], exclusions: list[Entry]) -> None:
        seen: dict[str, Entry] = {}
        for entry in entries:
            entry = validate_entry(entry)
            seen.setdefault(entry["id"], entry)  # the first occurrence (user entries) wins
        seen_ex: dict[str, Entry] = {}
        for entry in exclusions:
            entry = validate_entry(entry, exclusion=True)
            seen_ex.setdefault(entry["id"], entry)
        self._entries = list(seen.values())
        self._exclusions = list(seen_ex.values())
        self._matcher = None  # rebuilt on next use

    # -- matching

    def _words(self, text: str) -> tuple[str, ...]:
        if text.endswith(("'", "’")):
            # a final elision ("afin d'") only splits like in running text when a word follows
            words = [t.lower_ for t in self.nlp.make_doc(text + "a") if not t.is_space]
            if words and words[-1] == "a":
                return tuple(words[:-1])
        return tuple(t.lower_ for t in self.nlp.make_doc(text) if not t.is_space)

    def _build(self) -> PhraseMatcher:
        """Build the single PhraseMatcher over every form (once; entries changes reset it)."""
        vocab = self.nlp.vocab
        matcher = PhraseMatcher(vocab, attr="LOWER")
        rules: list[tuple[str, str | None, Check | None]] = []
        key_to_rule: dict[int, int] = {}
        # exclusions first: on equal length, filter_spans keeps the earlier span
        items = [(e, None) for e in self._exclusions] + [(e, e["sense"]) for e in self._entries]
        for entry, sense in items:
            seqs: set[tuple[str, ...]] = set()
            for form in entry["forms"]:
                for variant in expand_form(form):
                    # the tokenizer treats "Peut-être" and "peut-être" differently: add both
                    for text in {variant, variant[:1].upper() + variant[1:]}:
                        words = self._words(text)
                        if words:
                            seqs.add(words)
            if not seqs:
                continue
            key = f"{len(rules)}:{entry['id']}"
            matcher.add(key, [Doc(vocab, words=list(w)) for w in sorted(seqs)])
            key_to_rule[vocab.strings[key]] = len(rules)
            check = CHECKS[entry["check"]] if entry.get("check") else None
            rules.append((entry["id"], sense, check))
        self._rules, self._key_to_rule, self._matcher = rules, key_to_rule, matcher
        return matcher

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None) -> None:
        """Build the matcher now rather than on the first Doc."""
        self._build()

    def match(self, doc: Doc) -> list[Span]:
        """The marker spans of ``doc`` (checked, longest first on overlaps, in text order)."""
        matcher = self._matcher or self._build()
        matches = matcher(doc)
        if not matches:
            return []
        ctx = _Ctx(doc)
        # several rules may share a form: for each (start, end) the first rule that passes wins
        tried: dict[tuple[int, int], list[int]] = {}
        for key, start, end in matches:
            tried.setdefault((start, end), []).append(self._key_to_rule[key])
        candidates: list[Span] = []
        for (start, end), rule_ids in tried.items():
            for r in sorted(rule_ids):
                rid, sense, check = self._rules[r]
                if check is None or check(ctx, start, end):
                    # an exclusion (sense None) competes for length, then is dropped below
                    candidates.append(Span(doc, start, end, label=sense or "", span_id=rid))
                    break
        kept = filter_spans(candidates)
        return [sp for sp in kept if sp.label_]

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        if self.overwrite or self.spans_key not in doc.spans:
            doc.spans[self.spans_key] = spans
        else:
            doc.spans[self.spans_key] = list(doc.spans[self.spans_key]) + spans

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.match(doc))
            return doc
        except Exception as exc:  # noqa: BLE001 - routed to nlp.set_error_handler like spaCy's rulers
            error_handler(self.name, self, [doc], exc)
            return doc  # a handler that does not raise keeps the batch going, this Doc without markers

    # -- serialisation (like spaCy's span_ruler: the patterns travel with the pipeline)

    def _data(self) -> dict[str, Any]:
        return {"entries": self.entries, "exclusions": self.exclusions}

    def _load(self, data: dict[str, Any]) -> None:
        self._replace(list(data.get("entries", [])), list(data.get("exclusions", [])))

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return util.to_bytes({"markers": lambda: srsly.json_dumps(self._data())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> DiscourseMarkers:
        util.from_bytes(bytes_data, {"markers": lambda b: self._load(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = util.ensure_path(path)
        util.to_disk(path, {FILENAME: lambda p: srsly.write_json(p, self._data())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> DiscourseMarkers:
        path = util.ensure_path(path)
        util.from_disk(path, {FILENAME: lambda p: self._load(srsly.read_json(p))}, exclude)
        return self


@Language.factory(
    "discours_markers",
    default_config={"spans_key": MARKERS, "extra": None, "use_default": True, "overwrite": True},
    assigns=["doc.spans"],
    requires=["token.pos", "token.lemma", "token.is_sent_start"],
)
def make_discourse_markers(
    nlp: Language,
    name: str,
    spans_key: str,
    extra: str | list[dict[str, Any]] | dict[str, Any] | None,
    use_default: bool,
    overwrite: bool,
) -> DiscourseMarkers:
    return DiscourseMarkers(nlp, name, spans_key=spans_key, extra=extra, use_default=use_default, overwrite=overwrite)
