"""``discours_stance``: stance toward a target, per sentence and per document, with its evidence.

The target is any French phrase or question (``set_target("Emmanuel Macron")``,
``set_target("Faut-il augmenter l'âge de la retraite ?")``); ``None`` is the default target,
organisations being present and active on social media, with its own vocabulary
(``lexicons/stance.v1.json``, ``default_target``).

How a sentence is scored:

1. **Cues.** One :class:`~discours.pipeline.cues.CueIndex` over the stance lexicon finds
   evaluative words (``utile``, ``perte de temps``), position-taking words (``je suis contre``,
   ``favorable``), necessity (``il faut``), yes/no answers, actions that increase or decrease
   something (``augmenter``, ``interdire``, ``quitter``), status-quo words, shifters
   (``manque de``), hedges and boosters; a second, small index finds the target's terms.
2. **Local value.** Each cue is ``polarity × strength``, flipped under negation (``ne … pas``,
   ``jamais``, ``sans``) or a shifter, multiplied by 0.5 before a mid-sentence ``mais`` /
   ``pourtant`` and by 1.3 after it, by 0.4 inside a conceded clause (``même si``, ``certes``).
3. **Anchoring.** A cue next to an action on the target (``fermer notre page Facebook serait une
   erreur``) takes the sign of that action; a cue in a sentence naming the target evaluates it;
   other cues count less, more in short texts (a tweet, an answer) than in long posts. For a
   question target, the question's own framing (``Êtes-vous opposé à …``) and action
   (``Faut-il réduire …``) set what *favor* means; a text opening with ``Oui``/``Non`` answers it.
4. **Argument moves** from ``discours_arguments``: attributed sentences are not the author's view
   (down-weighted); for the default target an objection the author makes counts against, a reported
   objection refuted later counts for, a rebuttal counts for; a rhetorical question counts for its
   implied answer (its content reversed); a sentence opening with ``Mais``/``Pourtant`` outweighs
   the one before.

The document score is ``Σ s·w / (Σ |s|·w + k)`` over sentence scores ``s`` (in [-1, 1]) and
weights ``w`` (block, position, argument moves), damped by balance cues (``tout dépend``); it is
``favor`` above :data:`THRESHOLD`, ``against`` below ``-THRESHOLD``. Results go to
``doc._.discours["stance"]``, ``["stance_score"]`` and ``["stance_evidence"]``
(``[sent_id, score, weight, reason]`` per deciding sentence; ``sent_id`` as in the ``sentences``
table). With a trained model (:meth:`StanceScorer.set_model`) the label and score come from the
model, which sees the rule-based features; the evidence stays rule-based.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .cues import CueIndex, doc_keys, doc_tokens, token_key
from .extensions import ARGUMENTS, BLOCKS, RULE_ARGUMENTS, register_extensions, sentence_bounds

if TYPE_CHECKING:
    from spacy.tokens import Token

STANCES = ("favor", "against", "neutral")
#: document score beyond which a document is favor / against
THRESHOLD = 0.15
LEXICON_VERSION = "stance.v1"
#: what a question that is not rhetorical keeps of its content's value
QUESTION_FACTOR = 0.1
#: share of the document score given to an explicit yes/no answer to a question target
ANSWER_WEIGHT = 0.5

#: kinds whose cues carry a value (the others modify it)
_SCORED = ("answer", "stance", "eval", "necessity", "status_quo", "shifter", "alternative")
_PRIORITY = {kind: i for i, kind in enumerate(_SCORED)}
_CLAUSE_BREAK = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "«", "»", "—", "–", "…", "...", "\"", "“", "”", "car", "mais"})
_NE = frozenset({"ne", "n'"})
_DEMONSTRATIVES = frozenset({"ce", "c'", "cela", "ça", "ca", "ceci"})
_OPENERS = frozenset({"«", "“", "\"", "(", "-", "—", "–", "*", "•", "et", "alors", "donc", "eh", "ben", "bah", "bref"})
#: objection rules that report others' objections (a list introduced by "leurs excuses :", …)
_REPORTED_OBJECTION_RULES = frozenset({
    "objection.reported.v1", "objection.argument_noun.v1", "objection.list_frame.v1", "objection.voiced.v1",
})
_BLOCK_WEIGHT = {"title": 1.5, "heading": 1.0, "paragraph": 1.0, "list_item": 0.7, "quote": 0.5, "signature": 0.0}
_QUESTION_START = re.compile(
    r"^\s*(faut-il|faudrait-il|doit-on|devrait-on|peut-on|êtes-vous|etes-vous|seriez-vous|es-tu|"
    r"soutenez-vous|approuvez-vous|pensez-vous|croyez-vous|estimez-vous|trouvez-vous|souhaitez-vous|"
    r"voulez-vous|acceptez-vous|est-ce que|est-ce qu'|pour ou contre|oui ou non)\b",
    re.IGNORECASE,
)


# ----------------------------------------------------------------------------- lexicon
def _inflections(lemma: str) -> set[str]:
    """Common feminine/plural forms, so a cue matches even when the lemmatiser misses."""
    w = token_key(lemma)
    out = {w}
    if " " in w or w.startswith(("#", "@")) or len(w) < 3:
        return out
    if w.endswith("eux"):
        out |= {w[:-1] + "se", w[:-1] + "ses"}
    elif w.endswith("if"):
        out |= {w + "s", w[:-1] + "ve", w[:-1] + "ves"}
    elif w.endswith(("el", "ul", "eil")):
        out |= {w + "s", w + "le", w + "les"}
    elif w.endswith(("en", "on")):
        out |= {w + "s", w + "ne", w + "nes"}
    elif w.endswith("al"):
        out |= {w[:-2] + "aux", w + "e", w + "es"}
    elif w.endswith("er") and len(w) >= 6:
        # adjectives (cher → chère) and verbs (rassurer → rassurant, rassuré)
        stem = w[:-2]
        out |= {w + "s", stem + "ère", stem + "ères", stem + "ant", stem + "ante", stem + "ants", stem + "antes",
                stem + "é", stem + "ée", stem + "és", stem + "ées"}
    elif w.endswith("e"):
        out.add(w + "s")
    elif w.endswith(("s", "x")):
        out |= {w + "e", w + "es"}
    else:
        out |= {w + "s", w + "e", w + "es"}
    return out


@dataclass(frozen=True)
class _Meta:
    kind: str
    polarity: float
    strength: float
    eid: str
    anchored_only: bool = False


class _Lexicon:
    """The compiled stance lexicon for one pipeline: one CueIndex and per-class metadata."""

    def __init__(self, nlp: Language):
        from ..lexicons import load

        data = load("stance")
        self.version = data["version"]
        classes: dict[str, dict[str, list[str]]] = {}
        self.meta: dict[str, _Meta] = {}
        hashtag: dict[str, float] = {}
        for entry in data["entries"]:
            eid = entry["id"]
            if entry["kind"] == "hashtag_cue":
                hashtag.update({token_key(w): 1.0 for w in entry.get("positive", [])})
                hashtag.update({token_key(w): -1.0 for w in entry.get("negative", [])})
                continue
            lemmas: set[str] = set()
            for lemma in entry.get("lemmas", []):
                lemmas |= _inflections(lemma)
            classes[eid] = {"lemmas": sorted(lemmas), "phrases": list(entry.get("phrases", []))}
            self.meta[eid] = _Meta(entry["kind"], float(entry["polarity"]), float(entry["strength"]), eid,
                                   bool(entry.get("anchored_only", False)))
        dt = data["default_target"]
        self.default_text = dt["text"]
        self.default_id = dt["id"]
        classes["dt:terms"] = {"lemmas": sorted({v for l in dt["terms"]["lemmas"] for v in _inflections(l)}), "phrases": dt["terms"]["phrases"]}
        for name, pol in (("presence", 1.0), ("withdrawal", -1.0)):
            classes[f"dt:{name}"] = {"lemmas": dt[name]["lemmas"], "phrases": dt[name]["phrases"]}
            self.meta[f"dt:{name}"] = _Meta("presence", pol, 1.0, f"{self.default_id}.{name}")
        classes["exclusion"] = {"phrases": data.get("exclusions", [])}
        neg = data["negators"]
        self.particles = frozenset(token_key(w) for w in neg["particles"])
        self.need_ne = frozenset(token_key(w) for w in neg["need_ne"])
        self.preposition = frozenset(token_key(w) for w in neg["preposition"])
        classes["not_negation"] = {"phrases": neg["not_negation"]}
        q = data["question"]
        self.frame_positive = frozenset(token_key(w) for w in q["frame_positive"])
        self.frame_negative = frozenset(token_key(w) for w in q["frame_negative"])
        self.framing = frozenset(token_key(w) for w in q["framing_words"])
        self.hashtag = hashtag
        self.default_terms = set(classes["dt:terms"]["lemmas"])
        self.index = CueIndex(nlp, classes)
        # lemmas of the general direction entries, for reading a question target
        self.direction_lemmas: dict[str, float] = {}
        for eid, m in self.meta.items():
            if m.kind == "direction":
                for lemma in classes[eid]["lemmas"]:
                    self.direction_lemmas.setdefault(lemma, m.polarity)
        self.all_cue_lemmas = {l for c in classes.values() for l in c.get("lemmas", [])}


# ----------------------------------------------------------------------------- target
@dataclass
class TargetSpec:
    """What stance is measured toward, compiled once per target text.

    Attributes:
        text: the target as given (None for the default target).
        social: use the social-media presence vocabulary and the argument priors.
        is_question: a yes/no question; *favor* means answering yes.
        frame: -1 when the question asks about opposing ("Êtes-vous opposé à …"), else +1.
        action: -1 when the question proposes to reduce/remove/forbid something, else +1.
        family: lemmas of the question's main action and its derivations (hausse ≈ hausser).
        terms: lemmas and phrases naming the target (matched by ``index``).
        has_propn: the target names a person or organisation (other names nearby compete).
    """

    text: str | None
    social: bool
    is_question: bool = False
    frame: float = 1.0
    action: float = 1.0
    has_action: bool = False
    family: frozenset[str] = frozenset()
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    has_propn: bool = False
    index: CueIndex | None = None

    @property
    def label(self) -> str:
        return self.text or "default"


def _stem(word: str, n: int = 5) -> str:
    return word[:n] if len(word) > n else word


def compile_target(nlp: Language, lex: _Lexicon, target: str | None) -> TargetSpec:
    """Read a target phrase or question: its terms, its framing, its action.

    Example:
        >>> spec = compile_target(nlp, lex, "Faut-il augmenter l'âge de la retraite ?")   # doctest: +SKIP
        >>> spec.is_question, spec.action, sorted(spec.terms)                              # doctest: +SKIP
        (True, 1.0, ['retraite', 'âge'])
    """
    if target is None or not target.strip():
        return TargetSpec(text=None, social=True)
    text = " ".join(target.split())
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name.startswith("discours_"):
            continue
        try:
            doc = proc(doc)
        except Exception:  # a partial parse still gives forms
            break
    found = lex.index.find(doc)
    is_question = text.rstrip().endswith("?") or bool(_QUESTION_START.match(text))
    lows = list(doc_keys(doc))
    lemmas = [token_key(t.lemma_) if t.lemma_ else low for t, low in zip(doc, lows)]
    frame = 1.0
    if any(l in lex.frame_negative or w in lex.frame_negative for l, w in zip(lemmas, lows)):
        frame = -1.0
    # actions proposed by the question: direction cues, in order
    directions: list[tuple[int, float, str]] = []
    for cls, spans in found.items():
        meta = lex.meta.get(cls)
        if meta is None or meta.kind != "direction":
            continue
        for s, e in spans:
            if e - s == 1 and doc[s].pos_ in {"ADJ"}:
                continue
            directions.append((s, meta.polarity, lemmas[s] if e - s == 1 else " ".join(lows[s:e])))
    directions.sort()
    # only the actions chained to the first one count ("limiter la hausse": the limit of a rise);
    # a direction word naming part of the object does not ("une hausse de l'âge de la retraite")
    chained = directions[:1]
    for d in directions[1:]:
        head = doc[d[0]].head.i
        if any(head == c[0] for c in chained):
            chained.append(d)
    directions = chained
    action, has_action, family = 1.0, False, frozenset()
    if directions:
        has_action = True
        main = directions[0]
        for _, pol, _ in directions:
            action *= pol
        stem = _stem(main[2])
        family = frozenset(l for l in lex.direction_lemmas if _stem(l) == stem) | {main[2]}
    direction_tokens = {s for s, _, _ in directions[:1]}
    terms: set[str] = set()
    phrases: list[str] = []
    has_propn = False
    for tok in doc:
        low, lemma = lows[tok.i], lemmas[tok.i]
        if tok.i in direction_tokens or tok.is_punct or tok.is_space or tok.like_num or len(low) < 3:
            continue
        if low in lex.framing or lemma in lex.framing or tok.is_stop:
            continue
        if lemma in family:
            continue
        pos = tok.pos_ or ("PROPN" if tok.text[:1].isupper() and tok.i > 0 else "NOUN")
        if pos in {"PROPN"} or (tok.text[:1].isupper() and tok.i > 0 and pos in {"NOUN", "X", "ADJ"}):
            has_propn = True
            terms |= {low, lemma, "#" + low, "@" + low}
        elif pos in {"NOUN", "X"}:
            terms |= {lemma, low}
        elif pos == "VERB" and lemma not in lex.direction_lemmas:
            terms |= {lemma}
    # multi-word names ("Emmanuel Macron") also as hashtags/handles written in one word
    propns = [lows[t.i] for t in doc if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0)]
    if len(propns) > 1:
        joined = "".join(propns)
        terms |= {joined, "#" + joined, "@" + joined}
    social = bool(terms & lex.default_terms) or any(found.get("dt:terms", []))
    if not terms and not social:
        # a target made only of framing words: fall back to its content words
        terms = {l for l, t in zip(lemmas, doc) if t.is_alpha and len(l) > 3 and not t.is_stop}
    classes = {"t:terms": {"lemmas": sorted(terms), "phrases": phrases}}
    index = CueIndex(nlp, classes) if (terms or phrases) else None
    return TargetSpec(
        text=text, social=social, is_question=is_question, frame=frame, action=action, has_action=has_action,
        family=family, terms=tuple(sorted(terms)), phrases=tuple(phrases), has_propn=has_propn, index=index,
    )


# ----------------------------------------------------------------------------- scoring
@dataclass
class _Hit:
    start: int
    end: int
    kind: str
    polarity: float
    strength: float
    eid: str
    sent: int = -1
    negated: bool = False
    neg_id: int = -1
    anchored: bool = False  # directions: about the target
    rel: float = 0.0  # directions: sign toward the target
    used: bool = False


def _block_of(doc: Doc, starts: list[int]) -> list[str]:
    blocks = sorted((b.start, b.end, b.label_) for b in doc.spans[BLOCKS]) if BLOCKS in doc.spans else []
    out = []
    j = 0
    for s in starts:
        while j < len(blocks) and blocks[j][1] <= s:
            j += 1
        out.append(blocks[j][2] if j < len(blocks) and blocks[j][0] <= s else "paragraph")
    return out


def _is_question(doc: Doc, start: int, end: int) -> bool:
    trailing = ""
    for tok in reversed(doc_tokens(doc)[start:end]):
        if tok.is_space:
            continue
        if not tok.is_punct and tok.text not in {"»", ")", "”"} and "?" not in tok.text:
            break
        trailing = tok.text + trailing
    # "????" closing a tweet is emphasis (or emoji lost to a bad encoding), not a question asked
    return "?" in trailing and "????" not in trailing


def _first_content(doc: Doc, start: int, end: int) -> int:
    """Index of the first token of a sentence after opening punctuation and discourse openers."""
    i = start
    toks, keys = doc_tokens(doc), doc_keys(doc)
    while i < end and (toks[i].is_punct or toks[i].is_space or keys[i] in _OPENERS):
        i += 1
    return i if i < end else start  # "?", "Et alors ?": no content word, stay inside the sentence


def _governed_by(doc: Doc, i: int, head: int, hops: int = 3) -> bool:
    """Is token ``i`` after ``head`` and below it in the parse (within ``hops``)?"""
    if i <= head:
        return False
    tok = doc[i]
    for _ in range(hops):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.i == head:
            return True
    return False


def _sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


class StanceScorer:
    """Score stance toward a target, sentence by sentence, and decide each document's stance.

    Args:
        nlp: the pipeline (its tokenizer and model read the lexicon and the target).
        name: the component name.
        target: initial target (None: organisations being present and active on social media).
        threshold: document score beyond which a document is favor / against.
        model: folder of a stance model trained with :func:`discours.stance.train_stance`.

    Example:
        >>> nlp = discours.pipeline.get_nlp()                                        # doctest: +SKIP
        >>> nlp.get_pipe("discours_stance").set_target("Emmanuel Macron")             # doctest: +SKIP
        >>> nlp("Macron est un imposteur.")._.discours["stance"]                      # doctest: +SKIP
        'against'
    """

    def __init__(self, nlp: Language, name: str = "discours_stance", *, target: str | None = None,
                 threshold: float = THRESHOLD, model: str | None = None):
        self.nlp = nlp
        self.name = name
        self.threshold = float(threshold)
        self._lex: _Lexicon | None = None
        self._targets: OrderedDict[str | None, TargetSpec] = OrderedDict()
        self.target: str | None = None
        self.model_path: str | None = None
        self._model: Any = None
        register_extensions()
        self.set_target(target)
        if model:
            self.set_model(model)

    # -- configuration ------------------------------------------------------------------------
    @property
    def lexicon(self) -> _Lexicon:
        if self._lex is None:
            self._lex = _Lexicon(self.nlp)
        return self._lex

    def set_target(self, target: str | None) -> None:
        """Measure stance toward ``target`` (a French phrase or question; None = default target)."""
        if target is not None and not isinstance(target, str):
            raise TypeError(f"discours_stance: the target must be a string or None, got {type(target).__name__}. "
                            "Pass a French phrase or question, e.g. target=\"Emmanuel Macron\".")
        target = " ".join(target.split()) if target and target.strip() else None
        self.target = target

    @property
    def spec(self) -> TargetSpec:
        spec = self._targets.get(self.target)
        if spec is None:
            spec = compile_target(self.nlp, self.lexicon, self.target)
            self._targets[self.target] = spec
            while len(self._targets) > 64:
                self._targets.popitem(last=False)
        return spec

    def set_model(self, path: str | Path | None) -> None:
        """Use a trained stance model (a folder written by ``train_stance``); None = rules only."""
        if path is None:
            self.model_path, self._model = None, None
            return
        from ..stance.model import load_model

        self._model = load_model(path)
        self.model_path = str(path)

    def __getstate__(self) -> dict[str, Any]:
        # compiled indexes and models are rebuilt lazily in worker processes
        state = dict(self.__dict__)
        state["_lex"] = None
        state["_targets"] = OrderedDict()
        state["_model"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.model_path:
            self.set_model(self.model_path)

    # -- component -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler() if hasattr(self, "get_error_handler") else None
        try:
            self.set_annotations(doc, self.score(doc))
        except Exception as exc:  # noqa: BLE001 - routed like spaCy's rulers
            if error_handler is None:
                raise
            error_handler(self.name, self, [doc], exc)
        return doc

    def get_error_handler(self):  # noqa: ANN201 - spaCy's handler signature
        from spacy.util import raise_error

        return getattr(self, "_error_handler", raise_error)

    def set_error_handler(self, error_handler) -> None:  # noqa: ANN001
        self._error_handler = error_handler

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def set_annotations(self, doc: Doc, result: dict[str, Any]) -> None:
        info = doc._.discours if isinstance(doc._.discours, dict) else {}
        info.update(result)
        doc._.discours = info

    # -- scoring -------------------------------------------------------------------------------
    def score(self, doc: Doc) -> dict[str, Any]:
        """Stance of one Doc: {"stance", "stance_score", "stance_evidence", "stance_features", …}."""
        spec = self.spec
        result = _DocScorer(self, doc, spec).run()
        result["stance_target"] = spec.label
        if self._model is not None:
            from ..stance.model import predict_one

            label, score, probs = predict_one(self._model, model_input(doc, result))
            result["stance_rules"] = result["stance"]
            result["stance_rules_score"] = result["stance_score"]
            result["stance"], result["stance_score"] = label, score
            result["stance_method"] = f"model:{Path(self.model_path or 'model').name}"
        return result


class _DocScorer:
    """Scores one Doc for one target (holds the per-doc arrays)."""

    def __init__(self, scorer: StanceScorer, doc: Doc, spec: TargetSpec):
        self.scorer = scorer
        self.lex = scorer.lexicon
        self.doc = doc
        self.spec = spec

    # -- cues ----------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        doc, lex, spec = self.doc, self.lex, self.spec
        sents = sentence_bounds(doc)
        if not sents:
            return _empty()
        self.sents = sents
        starts = [s for s, _ in sents]
        self.starts = starts
        n = len(doc)
        self.sent_of = [-1] * n
        for k, (s, e) in enumerate(sents):
            for i in range(s, e):
                self.sent_of[i] = k
        found = lex.index.find(doc)
        tfound = spec.index.find(doc) if spec.index is not None else {}
        self.lows = doc_keys(doc)
        # target mentions ---------------------------------------------------------------------
        mention_spans = list(tfound.get("t:terms", []))
        if spec.social:
            mention_spans += found.get("dt:terms", [])
        mention_spans += self._hashtag_mentions()[0]
        self.mentions: list[list[int]] = [[] for _ in sents]
        self.mention_tokens: set[int] = set()
        for s, e in mention_spans:
            k = self.sent_of[s] if s < n else -1
            if k >= 0:
                self.mentions[k].append(s)
                self.mention_tokens.update(range(s, e))
        for m in self.mentions:
            m.sort()
        self.doc_mentions = any(self.mentions)
        # negation ----------------------------------------------------------------------------
        not_neg = {i for s, e in found.get("not_negation", []) if not self._complementiser_after(s, e)
                   for i in range(s, e)}
        self.neg_id = self._negation(not_neg)
        # hits --------------------------------------------------------------------------------
        exclusions = found.get("exclusion", [])
        excluded: list[tuple[int, int]] = sorted(exclusions)
        hits: list[_Hit] = []
        mods: list[_Hit] = []
        directions: list[_Hit] = []
        for cls, spans in found.items():
            meta = lex.meta.get(cls)
            if meta is None:
                continue
            if meta.kind == "direction" and spec.social and not spec.text:
                continue  # the default target reads presence/withdrawal actions instead
            if meta.kind == "presence" and not spec.social:
                continue
            for s, e in spans:
                k = self.sent_of[s]
                if k < 0:
                    continue
                if any(xs <= s and e <= xe and (xe - xs) > (e - s) for xs, xe in excluded):
                    continue
                hit = _Hit(s, e, meta.kind, meta.polarity, meta.strength, meta.eid, sent=k)
                if meta.kind in _PRIORITY:
                    hits.append(hit)
                elif meta.kind in {"direction", "presence"}:
                    directions.append(hit)
                else:
                    mods.append(hit)
        # a capitalised proper name is not an evaluation ("US Air Force", "Le Bon Coin")
        hits = [h for h in hits if not (h.end - h.start == 1 and doc[h.start].pos_ == "PROPN" and doc[h.start].text[:1].isupper()
                                        and h.start != self.sents[h.sent][0])]
        # "peu utile" denies, "un peu utile" grants a little: drop the denial, keep "utile"
        hits = [h for h in hits if not (self.lows[h.start] == "peu" and h.end - h.start > 1 and h.start > 0
                                        and self.lows[h.start - 1] == "un")]
        hits = self._resolve(hits)
        # a word naming the target is not an action on it ("l'âge de la retraite": no withdrawal)
        directions = [d for d in directions if not all(i in self.mention_tokens for i in range(d.start, d.end))]
        directions = self._resolve(directions, by_kind=False)
        for h in hits + directions:
            neg = self.neg_id[h.start]
            head = doc[h.start].head
            if neg == -1 and doc[h.start].dep_.startswith("nsubj") and head.i > h.start and self.neg_id[head.i] != -1:
                # "le problème n'est pas Twitter": the subject of a negated predication is denied too
                neg = self.neg_id[head.i]
            # a phrase holding its own negation ("ne sert à rien") is only reversed by an outer one
            if neg != -1 and not (h.start <= neg < h.end):
                h.negated, h.neg_id = True, neg
        self._anchor_directions(directions)
        self.hits, self.mods, self.directions = hits, mods, directions
        return self._score_sentences()

    def _hashtag_mentions(self) -> tuple[list[tuple[int, int]], dict[int, float]]:
        """Hashtags/handles holding a target term (#ToutSaufMacron): mention + stance of the rest."""
        spans: list[tuple[int, int]] = []
        signs: dict[int, float] = {}
        terms = [t.lstrip("#@") for t in self.spec.terms if len(t.lstrip("#@")) >= 4]
        if not terms:
            return spans, signs
        for tok in self.doc:
            if not tok.text.startswith(("#", "@")) or len(tok.text) < 4:
                continue
            low = token_key(tok.text[1:])
            hit = next((t for t in terms if t in low), None)
            if hit is None:
                continue
            spans.append((tok.i, tok.i + 1))
            if tok.text.startswith("#"):
                words = [token_key(w) for w in re.findall(r"[A-ZÀ-Ý][a-zà-ÿ]+|[a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-z])", tok.text[1:])]
                rest = [w for w in words if w not in hit and hit not in w]
                rest_joined = low.replace(hit, " ").split()
                score = sum(self.lex.hashtag.get(w, 0.0) for w in set(rest) | set(rest_joined))
                if score:
                    signs[tok.i] = _sign(score)
        self.hashtag_signs = signs
        return spans, signs

    def _complementiser_after(self, s: int, e: int) -> bool:
        """"ne pense pas que …" negates (its "que" opens a clause); "il n'y a pas que …" restricts."""
        last = self.doc[e - 1]
        return last.lower_ in {"que", "qu'"} and last.pos_ == "SCONJ" and last.dep_ == "mark"

    def _negation(self, not_neg: set[int]) -> list[int]:
        """For each token, the index of the negation whose scope covers it (or -1)."""
        lex, lows = self.lex, self.lows
        ids = [-1] * len(self.doc)
        for s, e in self.sents:
            for i in range(s, e):
                low = lows[i]
                if i in not_neg:
                    continue
                ne_after = low in lex.need_ne and any(lows[j] in _NE for j in range(i + 1, min(e, i + 3)))
                # "loin d'être inutile": denies what follows like "pas"
                far = low == "loin" and i + 2 < e and lows[i + 1] in {"d'", "de"} and lows[i + 2] in {"être", "etre"}
                if low in lex.particles or ne_after or far or (low in lex.need_ne and any(lows[j] in _NE for j in range(max(s, i - 6), i))):
                    start = i
                    for j in range(i - 1, max(s - 1, i - 7), -1):
                        if lows[j] in _NE:
                            start = j
                            break
                        if lows[j] in _CLAUSE_BREAK:
                            break
                    end, steps = i + 1, 0
                    while end < e and steps < 10 and lows[end] not in _CLAUSE_BREAK:
                        end, steps = end + 1, steps + 1
                    for j in range(start, end):
                        if ids[j] == -1 and j != i:
                            ids[j] = i
                elif low in lex.preposition:
                    end, steps = i + 1, 0
                    while end < e and steps < 4 and lows[end] not in _CLAUSE_BREAK:
                        ids[end] = i if ids[end] == -1 else ids[end]
                        end, steps = end + 1, steps + 1
        return ids

    def _resolve(self, hits: list[_Hit], *, by_kind: bool = True) -> list[_Hit]:
        """Longest match wins on overlaps; answers only at the start of a sentence or after '?'."""
        kept: list[_Hit] = []
        valid = []
        for h in hits:
            if h.kind == "answer":
                s, e = self.sents[h.sent]
                first = _first_content(self.doc, s, e)
                prev = h.start - 1
                while prev >= s and self.doc[prev].is_space:
                    prev -= 1
                after_q = prev >= s and "?" in self.doc[prev].text
                if h.start != first and not after_q and not self._after_target(h, s, e):
                    continue
            valid.append(h)
        valid.sort(key=lambda h: (-(h.end - h.start), _PRIORITY.get(h.kind, 9) if by_kind else 0, h.start))
        taken: set[int] = set()
        for h in valid:
            span = set(range(h.start, h.end))
            if span & taken:
                continue
            taken |= span
            kept.append(h)
        kept.sort(key=lambda h: h.start)
        return kept

    def _anchor_directions(self, directions: list[_Hit]) -> None:
        spec = self.spec
        for d in directions:
            k = d.sent
            near = any(abs(t - d.start) <= 5 for t in self.mentions[k])
            if d.kind == "presence":
                d.anchored = near or (d.end - d.start > 1)
                d.rel = d.polarity * (spec.action if spec.text else 1.0)
            else:
                lemma = token_key(self.doc[d.start].lemma_) if d.end - d.start == 1 else " ".join(self.lows[d.start:d.end])
                d.anchored = near or lemma in spec.family or self.lows[d.start] in spec.family
                d.rel = d.polarity * spec.action
            if d.negated:
                d.rel = -d.rel

    # -- sentences -----------------------------------------------------------------------------
    def _score_sentences(self) -> dict[str, Any]:
        doc, spec, lex = self.doc, self.spec, self.lex
        sents = self.sents
        nsent = len(sents)
        blocks = _block_of(doc, self.starts)
        labels = self._argument_labels()
        per_sent_hits: list[list[_Hit]] = [[] for _ in sents]
        for h in self.hits:
            per_sent_hits[h.sent].append(h)
        per_sent_dirs: list[list[_Hit]] = [[] for _ in sents]
        for d in self.directions:
            per_sent_dirs[d.sent].append(d)
        per_sent_mods: list[list[_Hit]] = [[] for _ in sents]
        for m in self.mods:
            per_sent_mods[m.sent].append(m)
        n_tokens = sum(1 for t in doc_tokens(doc) if not t.is_punct and not t.is_space)
        short = nsent <= 5 and n_tokens <= 150
        part = (doc._.discours or {}).get("part") if isinstance(doc._.discours, dict) else None
        body = [k for k in range(nsent) if blocks[k] not in {"title", "signature"}]
        first_body = body[:2]
        last_body = body[-2:] if len(body) >= 6 else []
        # token factors from counter/grant cues, sentence factors
        tf = [1.0] * len(doc)
        sw = [1.0] * nsent
        flags: list[list[str]] = [[] for _ in sents]
        balance = 0
        hedge = [1.0] * nsent
        for k, (s, e) in enumerate(sents):
            first = _first_content(doc, s, e)
            for m in per_sent_mods[k]:
                if m.kind == "counter":
                    if m.start <= first or (m.start <= s + 1):
                        sw[k] *= 1.3
                        flags[k].append(f"opens with '{doc[m.start:m.end].text}' (outweighs what precedes)")
                        if k > 0:
                            sw[k - 1] *= 0.6
                    elif self.lows[m.start] != "or":
                        for i in range(s, m.start):
                            tf[i] *= 0.5
                        for i in range(m.start, e):
                            tf[i] *= 1.3
                        flags[k].append(f"'{doc[m.start:m.end].text}' mid-sentence: what follows outweighs what precedes")
                elif m.kind == "grant":
                    end = self._clause_end(m.end, e, "mais")
                    if m.start <= first + 1 and end >= e:
                        sw[k] *= 0.6
                    else:
                        for i in range(m.start, end):
                            tf[i] *= 0.4
                    flags[k].append(f"concession '{doc[m.start:m.end].text}' discounted")
                elif m.kind == "condition":
                    # "Si vous n'avez pas de page, …": the hypothesis weighs less than the claim
                    end = self._clause_end(m.end, e, "alors")
                    if end < e:
                        for i in range(m.start, end):
                            tf[i] *= m.strength
                elif m.kind == "hedge":
                    hedge[k] = max(0.5, hedge[k] * m.strength)
                elif m.kind == "booster":
                    hedge[k] = min(1.5, hedge[k] * (m.strength if m.start not in self.neg_ids_set() else 1.0))
                elif m.kind == "balance" and blocks[k] not in {"quote"}:
                    balance += 1
        # words inside a short « quotation » are mentioned, not used
        for s, e in sents:
            open_at = None
            for i in range(s, e):
                if self.lows[i] in {"«", "“"}:
                    open_at = i
                elif self.lows[i] in {"»", "”"} and open_at is not None:
                    if 0 < i - open_at <= 9:
                        for j in range(open_at, i):
                            tf[j] *= 0.3
                    open_at = None
        raw_content = [0.0] * nsent
        reported_objections: list[int] = []
        own_objections: list[int] = []
        results: list[tuple[float, float, str]] = []
        for k, (s, e) in enumerate(sents):
            block = blocks[k]
            descs: list[str] = []
            c = 0.0
            answers: list[float] = []
            c += self._value_hits(k, per_sent_hits[k], per_sent_dirs[k], tf, raw_content, short, descs, answers)
            c += self._value_directions(k, per_sent_dirs[k], tf, descs)
            c += self._value_hashtags(k, descs)
            if not c and not answers:
                c += self._value_absence(k, descs)
            raw_content[k] = c
            # argument moves ----------------------------------------------------------------
            prior = 0.0
            lab = labels[k]
            is_q = _is_question(doc, s, e)
            if is_q and self.lows[_first_content(doc, s, e)] == "si" and s < _first_content(doc, s, e):
                is_q = False  # "Et si c'était … ?": a suggestion, not a question
            if is_q:
                if "rhetorical_question" in lab:
                    opening = {self.lows[i] for i in range(s, min(e, s + 4))}
                    if opening & _NE:
                        # "Ne pensez-vous pas que …?", "N'est-ce pas …?": asserts what it asks
                        c = 0.9 * c
                    else:
                        c = -0.9 * c
                    flags[k].append("rhetorical question: counts for its implied answer")
                else:
                    # a question asking for information ("Quelle fréquence recommandez-vous ?")
                    # takes no side; its words are the asker's topic, not a position
                    c *= QUESTION_FACTOR
                    flags[k].append(f"question ×{QUESTION_FACTOR}")
            if "attributed" in lab or "objection" in lab:
                rule = lab.get("objection", "")
                reported = "attributed" in lab or rule in _REPORTED_OBJECTION_RULES or "rhetorical_question" in lab
                if "objection" in lab and spec.social:
                    if reported:
                        c *= 0.25
                        reported_objections.append(k)
                        flags[k].append("reported objection ×0.25")
                    elif "concession" in lab:
                        prior -= 0.2
                        flags[k].append("conceded objection")
                    elif not is_q:
                        prior -= 0.4
                        own_objections.append(k)
                        flags[k].append("objection (author's own): counts against")
                elif "attributed" in lab:
                    c *= 0.35
                    flags[k].append("attributed ×0.35")
            if "rebuttal" in lab and "objection" not in lab:
                c *= 1.2  # the author's own answer to an opposing view
            c *= hedge[k] if c else 1.0
            c += sum(answers)  # an answer is not reversed by the question it follows
            score = math.tanh(c + prior)
            weight = _BLOCK_WEIGHT.get(block, 1.0) * sw[k]
            if k in first_body:
                weight *= 1.3 if part == "comment" and k == first_body[0] else 1.15
            if k in last_body:
                weight *= 1.3
            reason = "; ".join(descs[:5] + flags[k])
            results.append((score, weight, reason))
        # a reported objection that the author answers at once, on the favourable side, counts for
        for k in reported_objections:
            for j in range(k + 1, min(nsent, k + 6)):
                # the answer itself may score nothing ("Vraiment ?", "Voyons voir."): that the author
                # answers others' objection is what tells the side, unless the answer leans against
                if "rebuttal" in labels[j] and "objection" not in labels[j] and results[j][0] > -0.1:
                    s_k, w_k, r_k = results[k]
                    results[k] = (math.tanh(math.atanh(max(-0.99, min(0.99, s_k))) + 0.5), w_k,
                                  r_k + f"; refuted by sentence {j}: counts for")
                    break
        # an objection the author raises and answers at once ("Un concurrent peut copier une
        # étiquette. Il ne peut pas copier la baie.") is a concession, not the author's position
        for k in own_objections:
            nxt = range(k + 1, min(nsent, k + 3))
            if any("rebuttal" in labels[j] or results[j][0] > 0.3 for j in nxt):
                s_k, w_k, r_k = results[k]
                results[k] = (math.tanh(math.atanh(max(-0.99, min(0.99, s_k))) + 0.4), w_k * 0.6,
                              r_k + "; answered in the next sentences: conceded")
        # document ------------------------------------------------------------------------------
        num = sum(s * w for s, w, _ in results)
        den = sum(abs(s) * w for s, w, _ in results)
        k_doc = min(1.5, 0.4 + 0.02 * nsent)
        value = num / (den + k_doc) if den else 0.0
        if balance:
            value *= 0.75 ** min(balance, 3)
        if spec.is_question and spec.text and self._answer_sign:
            # "Non, pas par discrimination mais …": an explicit answer to the question asked
            # decides; the reasons that follow only shade it
            value = ANSWER_WEIGHT * self._answer_sign + (1 - ANSWER_WEIGHT) * value
        value = max(-1.0, min(1.0, value))
        stance = "favor" if value >= self.scorer.threshold else ("against" if value <= -self.scorer.threshold else "neutral")
        evidence = [[k, round(s, 4), round(w, 4), r] for k, (s, w, r) in enumerate(results) if abs(s) >= 0.05 and w > 0]
        n_pos = sum(1 for s, w, _ in results if s >= 0.05 and w > 0)
        n_neg = sum(1 for s, w, _ in results if s <= -0.05 and w > 0)
        features = {
            "score": round(value, 4), "n_pos": n_pos, "n_neg": n_neg, "balance": balance,
            "answer": self._answer_sign, "mentions": int(self.doc_mentions), "short": int(short),
            "question_target": int(spec.is_question), "polarity": int(spec.frame * spec.action),
            "max": round(max((s for s, _, _ in results), default=0.0), 4),
            "min": round(min((s for s, _, _ in results), default=0.0), 4),
        }
        return {"stance": stance, "stance_score": round(value, 4), "stance_evidence": evidence,
                "stance_sentences": [round(s, 4) for s, _, _ in results],
                "stance_features": features, "stance_method": "rules", "stance_lexicon": self.lex.version}

    _answer_sign = 0

    def neg_ids_set(self) -> set[int]:
        cached = getattr(self, "_negset", None)
        if cached is None:
            cached = {i for i, v in enumerate(self.neg_id) if v != -1}
            self._negset = cached
        return cached

    def _argument_labels(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = [dict() for _ in self.sents]
        key = RULE_ARGUMENTS if RULE_ARGUMENTS in self.doc.spans else ARGUMENTS
        if key not in self.doc.spans:
            return out
        for span in self.doc.spans[key]:
            k = bisect.bisect_right(self.starts, span.start) - 1
            if 0 <= k < len(out):
                out[k].setdefault(span.label_, span.id_ or "")
        return out

    def _unanchored(self, k: int, short: bool) -> float:
        """How much an evaluation with no target nearby says about the target."""
        social = self.spec.social
        if short:
            return 0.8 if not social else 0.6
        near = any(self.mentions[j] for j in range(max(0, k - 2), min(len(self.sents), k + 3)))
        if near:
            return 0.6 if social else 0.5
        if self.doc_mentions:
            return 0.35 if social else 0.25
        return 0.2 if social else 0.15

    def _value_hits(self, k: int, hits: list[_Hit], dirs: list[_Hit], tf: list[float], raw: list[float],
                    short: bool, descs: list[str], answers: list[float]) -> float:
        doc, spec = self.doc, self.spec
        s, e = self.sents[k]
        total = 0.0
        shifts: dict[int, _Hit] = {}
        for h in hits:
            if h.kind == "shifter":
                end, steps = h.end, 0
                while end < e and steps < 4 and self.lows[end] not in _CLAUSE_BREAK:
                    shifts.setdefault(end, h)
                    end, steps = end + 1, steps + 1
        for h in hits:
            text = doc[h.start:h.end].text
            if h.kind == "shifter":
                continue
            if h.kind == "answer":
                v = self._answer_value(k, h, raw)
                if v:
                    answers.append(v * tf[h.start])
                    descs.append(f"answer '{text}' ({v:+.1f})")
                continue
            v = h.polarity * h.strength
            tags = []
            if h.negated:
                v *= -0.8 if v > 0 else -0.7
                tags.append("negated")
            sh = shifts.get(h.start)
            if sh is not None:
                v = -v
                sh.used = True
                tags.append(f"after '{doc[sh.start:sh.end].text}'")
            if h.kind == "status_quo":
                if not (spec.is_question and spec.has_action):
                    continue
                v = -abs(h.strength) * (-1.0 if h.negated else 1.0) * spec.frame
                total += v * tf[h.start]
                descs.append(f"status quo '{text}' ({v:+.1f})")
                continue
            if h.kind == "alternative":
                follows = any(h.end <= t <= h.end + 6 for t in self.mentions[k]) or any(
                    d.anchored and h.end <= d.start <= h.end + 4 for d in dirs)
                if not follows:
                    continue
                v = -h.strength * spec.frame
                total += v * tf[h.start]
                descs.append(f"alternative '{text}' ({v:+.1f})")
                continue
            factor, relevance, where = self._anchor(h, k, dirs, short)
            if where == "context" and h.kind == "eval" and k > 0 and raw[k - 1] and self._evaluates_previous(k, h):
                # "On dit que Twitter ne sert à rien. C'est faux.": "ce" takes up the claim before,
                # so the evaluation carries that claim's orientation (rejected, regretted, endorsed)
                contribution = _sign(raw[k - 1]) * v * tf[h.start]
                total += contribution
                descs.append(f"'{text}' {contribution:+.2f} [previous claim]")
                continue
            if where == "context" and self.lex.meta[h.eid].anchored_only:
                continue  # "Bravo M. Bouchard": praise of a person, not of the target
            if h.kind == "necessity" and where != "action on target":
                # "il faut …" endorses what follows: only telling when that is the target's action
                relevance *= 0.4 if where == "context" else 0.5
            contribution = v * factor * relevance * tf[h.start]
            if contribution:
                total += contribution
                descs.append(f"'{text}' {contribution:+.2f}" + (f" ({', '.join(tags)})" if tags else "") + f" [{where}]")
        for sh in {id(x): x for x in shifts.values()}.values():
            if not sh.used:
                factor, relevance, where = self._anchor(sh, k, dirs, short)
                v = sh.polarity * sh.strength * (-0.8 if sh.negated else 1.0) * factor * relevance * tf[sh.start]
                if v:
                    total += v
                    descs.append(f"'{doc[sh.start:sh.end].text}' {v:+.2f} [{where}]")
        return total

    def _clause_end(self, i: int, end: int, connective: str) -> int:
        """First token from ``i`` that closes the clause (",", ";", ":" or ``connective``), else ``end``."""
        while i < end and self.lows[i] not in {",", ";", ":", connective}:
            i += 1
        return i

    def _evaluates_previous(self, k: int, h: _Hit) -> bool:
        """The sentence opens on a demonstrative subject ("C'est faux", "Cela reste une erreur") that
        the evaluation predicates on, with no target of its own."""
        s, e = self.sents[k]
        first = _first_content(self.doc, s, e)
        if self.mentions[k] or h.start - first > 4:
            return False
        if self.lows[first] in {"j'", "je"} and sum(1 for t in self.doc[s:e] if t.is_alpha) <= 5:
            return True  # "J'avais tort.", "Je me trompais.": the speaker's verdict on the claim before
        if self.lows[first] not in _DEMONSTRATIVES:
            return False
        # "Ce que vous gagnez, c'est …" is a cleft announcing what follows, not a take-up
        return first + 1 < e and self.lows[first + 1] not in {"que", "qu'", "qui", "dont"}

    def _anchor(self, h: _Hit, k: int, dirs: list[_Hit], short: bool) -> tuple[float, float, str]:
        spec = self.spec
        # "…fermer notre page Facebook, ce serait une erreur": ce/cela/ça takes up the action before
        s0 = self.sents[k][0]
        if any(self.lows[i] in _DEMONSTRATIVES for i in range(max(s0, h.start - 3), h.start)):
            earlier = [d for d in dirs if d.anchored and d.end <= h.start]
            if earlier:
                d = earlier[-1]
                d.used = True
                return d.polarity * (spec.action if (d.kind != "presence" or spec.text) else 1.0) * spec.frame, 1.0, "action on target"
        best: _Hit | None = None
        best_dist = 99
        for d in dirs:
            if d.start < h.end and h.start < d.end:
                continue  # the cue's own words ("je refuse" holds the action "refuser")
            dist = d.start - h.end if d.start >= h.end else h.start - d.end
            if dist <= 6 and dist < best_dist:
                best, best_dist = d, dist
        mult = 1.0
        if best is not None:
            best.used = True
            if best.anchored:
                rel = best.rel
                if best.negated and best.neg_id == h.neg_id and h.negated:
                    rel = -rel  # one negation covers both: count it once
                return rel * spec.frame, 1.0, "action on target"
            if _governed_by(self.doc, h.start, best.start):
                # "réduire le chômage": a cue inside the object of another action takes its sign
                mult = best.polarity * (-1.0 if best.negated and best.neg_id != h.neg_id else 1.0)
            else:
                best = None  # the cue evaluates that other action ("un cynique démantèlement")
        if self.mentions[k]:
            dist = min(abs(t - h.start) for t in self.mentions[k])
            prox = 1.0 if dist <= 8 else 0.7
            nearest = min(self.mentions[k], key=lambda t: abs(t - h.start))
            if h.kind == "eval" and any(self.lows[j] == "contre" and not h.start <= j < h.end
                                        for j in range(max(self.sents[k][0], nearest - 3), nearest)):
                mult = -mult  # "protéger la santé contre ces publicités": the good is defended against the target
            if spec.has_propn and spec.text:
                others = [t.i for t in self.doc[self.sents[k][0]:self.sents[k][1]]
                          if t.pos_ == "PROPN" and t.i not in self.mention_tokens]
                if others and min(abs(t - h.start) for t in others) + 1 < dist:
                    prox *= 0.3
            return mult * spec.action * spec.frame, prox * (0.6 if best is not None else 1.0), "target"
        return mult * spec.frame, self._unanchored(k, short) * (0.6 if best is not None else 1.0), "context"

    def _after_target(self, h: _Hit, s: int, e: int) -> bool:
        """A yes/no closing a clause about the target: "des quotas, non", "une libéralisation
        complète non" (the target named at most three words before, then a break or the end)."""
        if not self.spec.text or (h.end < e and self.lows[h.end] not in _CLAUSE_BREAK):
            return False
        j, seen = h.start - 1, 0
        while j >= s and seen < 3:
            low = self.lows[j]
            if low in _CLAUSE_BREAK and low != ",":
                return False
            if low != ",":
                if j in self.mention_tokens or low in self.spec.family or token_key(self.doc[j].lemma_) in self.spec.family:
                    return True
                seen += 1
            j -= 1
        return False

    def _answer_value(self, k: int, h: _Hit, raw: list[float]) -> float:
        """A yes/no answer: to the target question (start of the text), to a question just asked,
        or closing a clause that names the target ("plus de femmes oui, des quotas non")."""
        doc, spec = self.doc, self.spec
        s, e = self.sents[k]
        v = h.polarity * h.strength
        first = _first_content(doc, s, e)
        if h.start > first and self._after_target(h, s, e):
            self._answer_sign = self._answer_sign or int(_sign(v * spec.frame))
            return v * spec.frame
        if h.start > first:
            # "… ? Non merci": answers the clause before the question mark
            sign = self._question_sign(k, s, h.start)
            if sign:
                self._answer_sign = self._answer_sign or int(_sign(v * sign))
            return v * sign
        body = [j for j in range(len(self.sents)) if j <= k]
        if spec.is_question and spec.text and k <= 1 + (1 if body and self._is_title(0) else 0):
            self._answer_sign = self._answer_sign or int(_sign(v))
            return v
        if k > 0 and _is_question(doc, *self.sents[k - 1]):
            sign = _sign(raw[k - 1]) or self._question_sign(k - 1, *self.sents[k - 1])
            return v * sign * 0.8
        return 0.0

    def _is_title(self, k: int) -> bool:
        return _block_of(self.doc, [self.starts[k]])[0] == "title"

    def _question_sign(self, k: int, s: int, end: int) -> float:
        """Sign toward the target of what a question asks about (its actions, else +1 if it names the target)."""
        rel = sum(d.rel for d in self.directions if d.sent == k and s <= d.start < end and d.anchored)
        if rel:
            return _sign(rel)
        return 1.0 if any(s <= t < end for t in self.mentions[k]) else 0.0

    def _value_directions(self, k: int, dirs: list[_Hit], tf: list[float], descs: list[str]) -> float:
        """An action on the target stated without evaluation ("nous avons fermé notre page")."""
        total = 0.0
        for d in dirs:
            if d.used or not d.anchored:
                continue
            v = 0.5 * d.rel * self.spec.frame * tf[d.start]
            total += v
            descs.append(f"action '{self.doc[d.start:d.end].text}' {v:+.2f}")
        return total

    def _value_absence(self, k: int, descs: list[str]) -> float:
        """The target named under negation with nothing else said ("pas de Twitter", "sans Facebook")."""
        s, e = self.sents[k]
        first = _first_content(self.doc, s, e)
        for t in self.mentions[k]:
            if self.lows[first] == "sans" and first < t <= first + 3 and any(
                    self.neg_id[i] != -1 and self.lows[i] not in {"sans"} for i in range(t + 1, e)):
                # "Sans Instagram, notre boutique n'aurait jamais survécu": what could not be without it
                v = 0.8 * self.spec.action * self.spec.frame
                descs.append(f"counterfactual 'sans {self.doc[t].text}' … negated {v:+.1f}")
                return v
            if self.neg_id[t] != -1:
                v = -0.3 * self.spec.action * self.spec.frame
                descs.append(f"target negated '{self.doc[t].text}' {v:+.1f}")
                return v
        return 0.0

    def _value_hashtags(self, k: int, descs: list[str]) -> float:
        total = 0.0
        for i, sign in getattr(self, "hashtag_signs", {}).items():
            if self.sent_of[i] == k:
                v = 1.2 * sign * self.spec.frame
                total += v
                descs.append(f"hashtag '{self.doc[i].text}' {v:+.1f}")
        return total


def _empty() -> dict[str, Any]:
    return {"stance": "neutral", "stance_score": 0.0, "stance_evidence": [], "stance_features": {},
            "stance_method": "rules", "stance_lexicon": LEXICON_VERSION}


def model_input(doc: Doc, result: dict[str, Any] | None = None) -> str:
    """The text a trained stance model reads: rule-based feature words, then the document text.

    The feature words (``xxrulefavor``, ``xxscorep2``, ``xxanswerno``…) let a small
    bag-of-words classifier combine the rules' reading of the target with the words of the text.
    """
    info = result if result is not None else (doc._.discours or {})
    f = info.get("stance_features") or {}
    # plain alphanumeric words: the tokenizer would split underscores or brackets
    words = [f"xxrule{info.get('stance_rules', info.get('stance', 'neutral'))}"]
    score = f.get("score", 0.0)
    bucket = int(max(-3, min(3, round(score / 0.15))))
    words.append(f"xxscore{'p' if bucket >= 0 else 'm'}{abs(bucket)}")
    if f.get("answer"):
        words.append("xxansweryes" if f["answer"] > 0 else "xxanswerno")
    words.append(f"xxpos{min(int(f.get('n_pos', 0)), 3)}")
    words.append(f"xxneg{min(int(f.get('n_neg', 0)), 3)}")
    if f.get("polarity", 1) < 0:
        words.append("xxreversedquestion")
    if f.get("max", 0) > 0.5:
        words.append("xxstrongpos")
    if f.get("min", 0) < -0.5:
        words.append("xxstrongneg")
    return " ".join(words) + " " + doc.text


@Language.factory(
    "discours_stance",
    default_config={"target": None, "threshold": THRESHOLD, "model": None},
    assigns=["doc._.discours"],
)
def make_stance_scorer(nlp: Language, name: str, target: str | None, threshold: float, model: str | None) -> StanceScorer:
    return StanceScorer(nlp, name, target=target, threshold=threshold, model=model)
