"""``discours_arguments``: argument moves and objection categories, each explained by a cue and a rule.

Two passes over the sentences of a Doc:

1. **Local evidence** per sentence (:class:`SentenceEvidence`): cue spans from the lexicons
   (``arguments.v1.json``, ``categories.v1.json``), negation scope over the dependency parse
   (``ne … pas``, informal ``pas`` alone, ``jamais``, ``aucun``…), modality (``on ne peut pas``),
   reported-speech frames (verbs of saying/thinking/fearing with a third-party subject,
   ``selon``/``d'après``, ``on me dit que``, « quotes »), objection topics per category.
2. **Discourse context**: list items inherit the frame that introduces them; a question answered
   at once is rhetorical and its answer a rebuttal; ``mais``/``pourtant`` after a concession
   rebuts; sentences continuing an example (``Cette organisation…``) are examples; positive
   claims made after an objection in the same document rebut it.

Labels are written to ``doc.spans["discours_arguments"]`` (``label_`` = label, ``id_`` = rule id,
``kb_id_`` = objection category) with the matching cue spans, in the same order, in
``doc.spans["discours_cues"]``. Rule ids and what they mean are listed in ``RULES`` and in
``lexicons/ARGUMENTS.md``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from .cues import CueIndex, doc_keys, doc_text, doc_tokens, merge_lexicons, token_key
from .extensions import ARGUMENTS, BLOCKS, CUES, record_error, sentence_bounds

if TYPE_CHECKING:
    from spacy.tokens import Token

#: rule id → what it means (documentation, and the set of ids users may disable)
RULES: dict[str, str] = {
    "objection.barrier.v1": "a barrier (risk, fear, cost, impossibility, lack) about an objection topic or about being on social media, not negated",
    "objection.reported.v1": "a reported-speech frame whose content is a barrier or an objection topic",
    "objection.argument_noun.v1": "an objection noun (excuse, crainte, frein, préoccupation…) with barrier or topic content",
    "objection.list_frame.v1": "a list item introduced by an objection frame (… parce que … par :)",
    "objection.rhetorical_question.v1": "a sceptical writer's rhetorical question about a barrier (Qui va s'en occuper ?)",
    "objection.voiced.v1": "an objection topic voiced right after a sentence that introduces others' arguments",
    "attributed.hearsay.v1": "hearsay frame: on me dit, on entend, il paraît que, selon certains…",
    "attributed.reporting_verb.v1": "a verb of saying/thinking/fearing whose subject is a third party, with content",
    "attributed.argument_noun.v1": "others' arguments, fears or excuses named as such (leur préoccupation, l'argument dont se servent…)",
    "attributed.quote.v1": "a quoted clause « … » reported as someone's words",
    "attributed.list_frame.v1": "a list item inheriting an attributed frame",
    "attributed.voiced.v1": "an objection voiced right after a sentence that introduces others' arguments",
    "concession.marker.v1": "a concessive marker: certes, il est vrai que, même si, bien que, j'en conviens…",
    "concession.oui_mais.v1": "a granting opener (Oui, Bien sûr, Évidemment…) followed by a contrast within three sentences",
    "concession.mais_clause.v1": "a first clause granting a point before ', mais …'",
    "rebuttal.after_concession.v1": "a contrastive opener (Mais, Pourtant, Reste que…) after a concession or objection",
    "rebuttal.clause_after_concession.v1": "the main clause after a concessive clause (même si X, Y; X, mais Y)",
    "rebuttal.marker.v1": "a refutation marker: de toute manière, en réalité, c'est un mythe, le vrai risque…",
    "rebuttal.counter_verb.v1": "a verb of countering (contrer, désamorcer, gérer, répondre à…) applied to an objection topic",
    "rebuttal.negated_barrier.v1": "a barrier denied: ça ne coûte pas cher, il n'y a aucun risque…",
    "rebuttal.answer.v1": "the answer that follows a rhetorical question (La réponse est non.)",
    "rebuttal.rhetorical_question.v1": "a rhetorical question aimed at an objection",
    "rebuttal.addressee.v1": "a denial of what the addressee said (les prétextes que tu cites…)",
    "rebuttal.counter_example.v1": "an example that takes up the topic of an earlier objection",
    "rebuttal.positive_after_objection.v1": "a positive claim about being on social media after an objection in the same text",
    "rhetorical_question.opener.v1": "a question built to presuppose its answer (Croyez-vous vraiment…, À quoi bon…)",
    "rhetorical_question.answered.v1": "a question answered at once by the writer",
    "rhetorical_question.default.v1": "a question in running prose that asks for no information (no request for facts, advice or opinions)",
    "authority.study.v1": "a study, report, document, survey or expert with a name, institution or figure",
    "authority.according.v1": "selon / d'après / comme l'a observé + a named source",
    "authority.figure.v1": "a statistic (percentage, figure) offered as support",
    "example.marker.v1": "an example marker: par exemple, imaginez, prenons le cas, tenez…",
    "example.continuation.v1": "a sentence continuing an example (Cette organisation…)",
    "example.named_case.v1": "a named case introduced as such (Chez X, …)",
    "example.narrative.v1": "an anecdote: a past-tense event told with concrete detail (a date, a figure, a name)",
}

LABELS = ("objection", "rebuttal", "concession", "rhetorical_question", "authority", "example", "attributed")
_NEG_NEEDS_NE = {"plus", "personne", "point", "guère", "rien"}
_THIRD_PRONOUNS = {"il", "ils", "elle", "elles", "on", "certains", "certaines", "plusieurs", "beaucoup", "tous", "eux", "ceux", "celles", "cela", "ça", "ce", "c'"}
_FIRST_SECOND = {"je", "j'", "nous", "tu", "vous", "moi"}
_CLITICS = {"me", "m'", "te", "t'", "se", "s'", "nous", "vous", "lui", "leur", "le", "la", "les", "l'", "ne", "n'", "en", "y"}
_DEMONSTRATIVES = {"ce", "cet", "cette", "ces"}
_CLAUSE_DEPS = {"advcl", "ccomp", "acl:relcl", "acl", "parataxis", "csubj"}
_OWN = {"mon", "ma", "mes", "notre", "nos"}
_POSSESSIVE_THIRD = {"leur", "leurs", "son", "sa", "ses"}
_INCOMPLETE_END = {":", "par", "que", "qu'", "comme", "de", "à", "sont", "est", "soit", "suivantes", "suivants", "suivante", "suivant"}
_POSITIVE_LIST_INTRO = {"réponse", "conseil", "avantage", "solution", "bénéfice", "astuce", "recommandation", "étape", "bonne pratique", "force", "atout", "raison d'y aller", "piste", "outil", "règle"}
#: refutation markers that need an objection earlier in the text to count
_WEAK_REBUTTAL = {"en fait", "justement", "au final", "absence", "l'absence", "le silence", "statu quo", "pas forcément", "pas nécessairement", "pas besoin", "il suffit", "suffit de", "inutile de", "pas si", "ne pas y être", "ne pas y aller", "ne rien faire", "pas du tout", "loin de là", "erreur", "bouclier", "alibi"}


_TIME_EXAMPLES = {"l'an dernier", "l'année dernière", "l'an passé", "l'année passée", "la semaine dernière", "le mois dernier",
                  "récemment", "dernièrement", "il y a quelques années", "il y a deux ans", "il y a trois ans", "il y a quelques mois", "un jour"}


def _is_request(doc: Doc, i: int, end: int) -> bool:
    """"ils me demandent de l'emprunter": demander + de + infinitive asks for an action; it
    reports no words or opinion (unlike "ils demandent si …", "ils demandent pourquoi …")."""
    if token_key(doc[i].lemma_) != "demander":
        return False
    j = i + 1
    while j < end and doc[j].pos_ == "PRON":
        j += 1  # "demande-lui de", clitics
    if not (j < end and token_key(doc[j].text) in {"de", "d'"}):
        return False
    j += 1
    while j < end and token_key(doc[j].text) in _CLITICS:
        j += 1  # "de l'emprunter", "de leur en parler"
    # the small model tags "l'emprunter" DET + NOUN: the infinitive ending is the surer sign
    return j < end and ("Inf" in doc[j].morph.get("VerbForm") or doc[j].lower_.endswith(("er", "ir", "re", "oir")))


_CLITICS = frozenset({"le", "la", "l'", "les", "leur", "lui", "y", "en", "me", "m'", "te", "t'", "se", "s'", "nous", "vous"})


def _asks_for_action(doc: Doc, ev: "SentenceEvidence") -> bool:
    """"Mes collègues me demandent de leur prêter ma présentation": the sentence's verb of saying
    asks for an action; nobody's words or views are reported."""
    toks = doc_tokens(doc)
    return any(_is_request(doc, i, ev.end) for i in range(ev.start, ev.end) if toks[i].lemma_ == "demander")


_WHICH = frozenset({"quel", "quelle", "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles"})


def _asks_which(doc: Doc, ev: "SentenceEvidence") -> bool:
    """"Quelle plateforme choisir pour une PME ?": an interrogative determiner in the indicative
    or infinitive asks to choose among answers; "Quel patron refuserait … ?" (conditional,
    negated) is asked for effect."""
    first = next((t for t in doc_tokens(doc)[ev.start:ev.end] if not t.is_punct and not t.is_space), None)
    if first is None or token_key(first.text) not in _WHICH:
        return False
    span = doc[ev.start:ev.end]
    if any("Cnd" in t.morph.get("Mood") for t in span):
        return False
    return not any(i in ev.negated for i in range(ev.start, ev.end))


@dataclass
class SentenceEvidence:
    """What one sentence shows, before discourse context is applied."""

    index: int
    start: int
    end: int
    block: str
    text_lower: str
    is_question: bool
    cues: dict[str, list[tuple[int, int]]]
    negated: set[int]
    topics: dict[str, float] = field(default_factory=dict)
    topic_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    labels: dict[str, tuple[str, tuple[int, int], str | None]] = field(default_factory=dict)
    first_words: str = ""
    block_index: int = 0

    def has(self, cls: str) -> bool:
        return bool(self.cues.get(cls))

    def first(self, cls: str) -> tuple[int, int] | None:
        spans = self.cues.get(cls)
        return spans[0] if spans else None

    def add(self, label: str, rule: str, cue: tuple[int, int], category: str | None = None) -> None:
        if label not in self.labels:
            self.labels[label] = (rule, cue, category)

    def drop(self, label: str) -> None:
        self.labels.pop(label, None)


class ArgumentTagger:
    """Label argumentative moves in each sentence; explain each label by a cue and a rule id.

    Example:
        >>> nlp.add_pipe("discours_arguments")                                    # doctest: +SKIP
        >>> doc = nlp("Nos clients ne sont pas sur Facebook, ça coûte trop cher.")  # doctest: +SKIP
        >>> [(s.label_, s.kb_id_, s.id_) for s in doc.spans["discours_arguments"]]   # doctest: +SKIP
        [('objection', 'cost_resources', 'objection.barrier.v1')]
    """

    def __init__(self, nlp: Language, name: str = "discours_arguments", *, extra_lexicon: str | None = None, disabled_rules: Iterable[str] = ()):
        self.nlp = nlp
        self.name = name
        self.extra_lexicon = extra_lexicon
        self.disabled = set(disabled_rules)
        self._index: CueIndex | None = None
        self._categories: dict[str, dict[str, Any]] = {}
        self._weak: dict[str, set[str]] = {}
        self._orientation = 0

    # -- lexicons, built lazily once --------------------------------------------------------
    @property
    def index(self) -> CueIndex:
        if self._index is None:
            from ..lexicons import load

            cues = load("arguments")["cues"]
            extra = json.loads(Path(self.extra_lexicon).read_text(encoding="utf-8")).get("cues") if self.extra_lexicon else None
            classes = merge_lexicons(cues, extra)
            cats = load("categories")["categories"]
            for cat, entry in cats.items():
                classes[f"cat:{cat}"] = {"lemmas": entry.get("lemmas", []), "phrases": entry.get("phrases", [])}
                classes[f"catweak:{cat}"] = {"lemmas": entry.get("weak_lemmas", [])}
            self._categories = cats
            self._index = CueIndex(self.nlp, classes)
        return self._index

    # -- component -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        try:
            evidence = self.evidence(doc)
            self.apply_context(doc, evidence)
            self.set_annotations(doc, evidence)
            # what each sentence showed (cue classes, objection topics): the learned layer's features
            info = doc._.discours if isinstance(doc._.discours, dict) else {}
            info["argument_cues"] = [sorted(ev.cues) + [f"{'T' if w >= 1.0 else 't'}={c}" for c, w in sorted(ev.topics.items())]
                                     + (["negated_barrier"] if self._all_barriers_negated(doc, ev) else [])
                                     + (["request"] if "attributed" not in ev.labels and _asks_for_action(doc, ev) else [])
                                     for ev in evidence]
            doc._.discours = info
        except Exception as exc:  # one odd document must not stop a batch (spaCy error-handler style)
            doc.spans[ARGUMENTS] = []
            doc.spans[CUES] = []
            record_error(doc, self.name, exc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def evidence(self, doc: Doc) -> list[SentenceEvidence]:
        found = self.index.find(doc)
        sents = sentence_bounds(doc)
        if not sents:
            return []
        block_of = _block_kinds(doc)
        # assign every cue span to its sentence
        starts = [s for s, _ in sents]
        per_sent: list[dict[str, list[tuple[int, int]]]] = [dict() for _ in sents]
        import bisect

        for cls, spans in found.items():
            for start, end in spans:
                k = bisect.bisect_right(starts, start) - 1
                if k < 0 or end > sents[k][1]:
                    continue
                per_sent[k].setdefault(cls, []).append((start, end))
        out = []
        toks, text = doc_tokens(doc), doc_text(doc)
        for k, (start, end) in enumerate(sents):
            last = toks[end - 1].text
            block, block_index = block_of(start)
            ev = SentenceEvidence(
                index=k, start=start, end=end, block=block, block_index=block_index,
                text_lower=text[toks[start].idx : toks[end - 1].idx + len(last)].lower(),
                is_question="?" in last or (end - start > 1 and "?" in toks[end - 2].text and toks[end - 1].is_punct),
                cues={c: sorted(v) for c, v in per_sent[k].items()}, negated=_negated_tokens(doc, start, end),
            )
            ev.first_words = " ".join(doc_keys(doc)[start : min(end, start + 4)])
            self._score_topics(doc, ev)
            self._local_rules(doc, ev)
            out.append(ev)
        return out

    # -- local rules -----------------------------------------------------------------------
    def _score_topics(self, doc: Doc, ev: SentenceEvidence) -> None:
        frame_tokens = {i for s, e in ev.cues.get("argument_nouns", []) for i in range(s, e)}
        used: dict[int, tuple[str, float]] = {}
        capacity = self._capacity
        for cls, spans in list(ev.cues.items()):
            if not cls.startswith("cat"):
                continue
            cat = cls.split(":", 1)[1]
            for s, e in spans:
                weight = 0.5 if cls.startswith("catweak") else (2.0 if e - s > 1 else 1.0)
                if e - s == 1 and s in frame_tokens:
                    continue  # "la critique …" used as the argument noun, not as a topic
                under_negation = e - s == 1 and (s in ev.negated or _governing_negated(doc, s, ev)) and not _in_lack(ev, s)
                if under_negation:
                    lemma = token_key(doc[s].lemma_)
                    if lemma in capacity or token_key(doc[s].text) in capacity:
                        # "on ne contrôle rien", "aucun retour": the missing capacity is the barrier
                        ev.cues.setdefault("lack_phrases", []).append((s, e))
                        weight = max(weight, 1.0)
                    else:
                        # "ils n'invoquent pas la réglementation": topic under negation (kept for
                        # the learned layer, which must not call it an objection either)
                        ev.cues.setdefault("negated_topics", []).append((s, e))
                        continue
                ev.topics[cat] = ev.topics.get(cat, 0.0) + weight
                if cat not in ev.topic_spans or weight > 1:
                    ev.topic_spans[cat] = (s, e)
                used[s] = (cat, weight)

    @property
    def _capacity(self) -> set[str]:
        from ..lexicons import load

        cached = self._weak.get("__capacity__")
        if cached is None:
            cached = {token_key(l) for l in load("categories").get("capacity_lemmas", {}).get("lemmas", [])}
            self._weak["__capacity__"] = cached
        return cached

    def _category(self, ev: SentenceEvidence) -> tuple[str, list[str]]:
        scored = sorted(((w, c) for c, w in ev.topics.items() if c != "other"), reverse=True)
        strong = [(w, c) for w, c in scored if w >= 1.0]
        if not strong and ev.topics.get("other", 0.0) < 1.0:
            strong = scored[:1]  # a weak topic beats an unexplained "other"
        if not strong:
            return "other", []
        best = strong[0][0]
        return strong[0][1], [c for w, c in strong[1:] if w >= best - 0.5]

    def _barrier(self, doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
        """A barrier cue that holds: lack phrases always; other barrier cues when not negated."""
        lack = ev.first("lack_phrases")
        if lack:
            return lack
        frame_tokens = {i for s, e in ev.cues.get("argument_nouns", []) for i in range(s, e)}
        for s, e in ev.cues.get("barrier", []):
            if e - s == 1 and (s in ev.negated or _governing_negated(doc, s, ev) or s in frame_tokens):
                continue
            if e - s == 1 and token_key(doc[s].text) == "trop" and not _followed_by_content(doc, s, ev.end):
                continue
            if e - s == 1 and doc[s].pos_ == "NOUN" and _mitigated(doc, s, ev):
                continue  # "identifier les risques", "gérer les critiques": handling, not fearing
            return (s, e)
        return None

    def _all_barriers_negated(self, doc: Doc, ev: SentenceEvidence) -> bool:
        """"Notre direction ne craint pas les critiques": every barrier of the sentence is denied."""
        return "objection" not in ev.labels and self._negated_barrier(doc, ev) is not None and self._barrier(doc, ev) is None

    def _negated_barrier(self, doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
        if ev.has("lack_phrases"):
            return None
        for s, e in ev.cues.get("barrier", []):
            if e - s == 1 and (s in ev.negated or _governing_negated(doc, s, ev)) and token_key(doc[s].text) not in {"trop"}:
                return (s, e)
        return None

    def _third_party_frame(self, doc: Doc, ev: SentenceEvidence) -> tuple[str, tuple[int, int]] | None:
        """Reported speech/thought/fear of others: (rule, cue) or None."""
        for s, e in ev.cues.get("hearsay", []):
            if set(range(s, e)) & ev.negated:
                continue
            if _is_request(doc, e - 1, ev.end):
                continue
            return "attributed.hearsay.v1", (s, e)
        for cls in ("fear_verbs", "reporting_verbs"):
            for s, e in ev.cues.get(cls, []):
                head = doc[s]
                if cls == "reporting_verbs" and (head.pos_ not in {"VERB", "AUX"} or _is_request(doc, s, ev.end)):
                    continue
                if set(range(s, e)) & ev.negated or _governing_negated(doc, s, ev):
                    continue
                subj = _subject_of(doc, head, ev.start)
                if subj is None:
                    continue
                lower = token_key(subj.text)
                # a determiner marks a nominal subject even when the tagger calls it a verb ("Mon associé")
                nominal = subj.pos_ in {"NOUN", "PROPN"} or (subj.pos_ == "VERB" and any(c.dep_ == "det" and c.i < subj.i for c in subj.children))
                third = lower in _THIRD_PRONOUNS or nominal or token_key(subj.lemma_) in self.index.lemmas.get("third_party", set())
                if not third or lower in _FIRST_SECOND:
                    continue
                if lower in {"cela", "ça", "ce", "c'"} and cls == "reporting_verbs":
                    continue
                if cls == "reporting_verbs" and not _has_content(doc, head, ev):
                    continue
                if subj.pos_ == "PROPN" and self._is_authority_source(doc, ev):
                    continue
                return ("attributed.reporting_verb.v1", (min(subj.i, s), max(e, subj.i + 1)))
        return None

    def _is_authority_source(self, doc: Doc, ev: SentenceEvidence) -> bool:
        return any(token_key(doc[s].text) in {"comme", "selon", "d'après"} for s, _ in ev.cues.get("according", []))

    def _argument_noun(self, doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
        for s, e in ev.cues.get("argument_nouns", []):
            tok = doc[s]
            if e - s == 1 and tok.pos_ not in {"NOUN", "PROPN", "X"} and not (s > ev.start and doc[s - 1].pos_ == "DET"):
                continue  # the small model often tags "la critique" as ADJ: a determiner suffices
            if s in ev.negated or _governing_negated(doc, s, ev):
                continue
            if any(doc[j].pos_ in {"VERB", "AUX"} and token_key(doc[j].lemma_) in {"faire", "avoir", "prendre", "donner"} for j in range(max(ev.start, s - 2), s)):
                continue  # "fait peur", "a peur": a predicate, not someone's argument named as such
            det = _determiner(doc, tok)
            if det is not None and token_key(det.text) in _OWN:
                continue
            if token_key(tok.lemma_) == "raison" and not any(k in {"invoquées", "invoquée", "habituelles", "classiques"} for k in doc_keys(doc)[s : min(ev.end, s + 4)]):
                continue
            if token_key(tok.lemma_) in {"critique", "doute", "réserve", "obstacle"} and det is not None and token_key(det.text) in {"des", "les", "ces"} and token_key(tok.lemma_) == "critique":
                continue  # "des critiques" = complaints about the organisation (a topic), not an argument noun
            return (s, e)
        return None

    def _others_argument(self, doc: Doc, ev: SentenceEvidence, argn: tuple[int, int]) -> bool:
        """Is the argument noun someone else's? (leur crainte, l'argument dont se servent les
        tenants…, la critique qui refait surface, les excuses des patrons)"""
        tok = doc[argn[0]]
        det = _determiner(doc, tok)
        if det is not None and token_key(det.text) in _POSSESSIVE_THIRD:
            return True
        third = self.index.lemmas.get("third_party", set())
        after = doc_tokens(doc)[argn[1] : min(ev.end, argn[1] + 12)]
        keys = doc_keys(doc)
        for k, t in enumerate(after):
            low = keys[t.i]
            if low in {"dont", "que", "qu'"}:
                clause = after[k + 1 :]
                if any(token_key(u.text) in _FIRST_SECOND - {"nous", "vous"} for u in clause[:2]):
                    break  # "l'argument que j'utilise": the author's own
                if any(token_key(u.text) in _THIRD_PRONOUNS | {"leur", "leurs"} or token_key(u.lemma_) in third or u.pos_ in {"NOUN", "PROPN"} for u in clause):
                    return True
            if low in {"de", "des", "du", "d'"} and k + 1 < len(after) and (token_key(after[k + 1].lemma_) in third or after[k + 1].pos_ == "PROPN"):
                return True
        # a recurring argument ("la critique … refit surface", "l'excuse revient"): lemmas of
        # these verbs are unreliable in the small model, so stems of the forms are checked too
        recurring = ("refai", "refi", "refer", "revien", "revin", "revient", "ressurg", "resurg", "ressor", "circul", "réappar", "persist")
        keys = doc_keys(doc)
        if any(keys[t.i].startswith(recurring) and t.pos_ != "ADP" for t in doc_tokens(doc)[ev.start : ev.end]):
            return True
        return bool(ev.cues.get("hearsay"))

    def _local_rules(self, doc: Doc, ev: SentenceEvidence) -> None:
        if ev.block in {"title", "heading", "signature"}:
            return
        start = ev.start
        first_tok = token_key(doc[start].text)
        # concession -------------------------------------------------------------------------
        for s, e in ev.cues.get("concession", []):
            phrase = " ".join(doc_keys(doc)[s:e])
            if phrase in self._initial_only("concession_initial_only") or phrase in self._initial_only("concession_needs_contrast"):
                continue  # decided in context (needs a following contrast)
            if phrase in {"bien que", "bien qu'"} and s > ev.start and not (doc[s - 1].is_punct or token_key(doc[s - 1].text) in {"et", "mais", "or"}):
                continue  # "ils se doutent bien que…": adverb + complementiser, not concessive
            if s in ev.negated and phrase not in {"je ne nie pas", "on ne peut nier", "on ne peut pas nier", "je ne dis pas", "je ne dis pas que", "je ne prétends pas"}:
                continue
            ev.add("concession", "concession.marker.v1", (s, e))
            break
        mais = _mid_contrast(doc, ev)
        if mais is not None and "concession" not in ev.labels:
            first_clause = range(ev.start, mais)
            grants = any(i in ev.negated for i in first_clause) or any(
                s < mais for cls in ("barrier",) for s, _ in ev.cues.get(cls, [])
            ) or any(token_key(doc[i].text) in {"toujours", "souvent", "parfois", "certains", "certaines", "certes", "oui", "vrai", "évidemment", "bien"} for i in first_clause)
            if grants and mais - ev.start >= 4:
                ev.add("concession", "concession.mais_clause.v1", (mais, mais + 1))
        # rhetorical question ---------------------------------------------------------------
        if ev.is_question:
            opener = ev.first("rq_openers")
            info = ev.first("info_question")
            quoted = doc[start].text in {"«", "\u201c", "\""}
            which = _asks_which(doc, ev)
            if which:  # kept for the learned layer: a question asking to choose is no rhetorical one
                ev.cues.setdefault("asks_which", []).append((ev.start, ev.start + 1))
            if opener and not (info and info[0] <= opener[0]):
                ev.add("rhetorical_question", "rhetorical_question.opener.v1", opener)
            elif not info and not quoted and ev.block in {"paragraph", "quote"} and not which:
                # In argumentative prose a writer's question rarely asks for information:
                # unless it asks for facts or advice (info cues), it is asked for effect.
                ev.add("rhetorical_question", "rhetorical_question.default.v1", (ev.end - 1, ev.end))
        # authority ---------------------------------------------------------------------------
        auth = self._authority(doc, ev)
        if auth:
            ev.add("authority", auth[0], auth[1])
        # example -----------------------------------------------------------------------------
        for s, e in ev.cues.get("example", []):
            phrase = " ".join(doc_keys(doc)[s:e])
            if phrase in self._initial_only("example_initial_only") and s > start + 1:
                continue
            if phrase in {"exemple"} and any(k in {"l'", "par"} for k in doc_keys(doc)[max(start, s - 1) : s]) and token_key(doc[max(start, s - 1)].text) == "l'":
                continue  # "par l'exemple" (leading by example) is not an illustration
            if phrase == "ainsi" and (e < ev.end and doc[e].text != ","):
                continue
            if phrase in {"imagine", "imaginez", "imaginons"} and ev.is_question:
                continue
            ev.add("example", "example.marker.v1", (s, e))
            break
        if "example" not in ev.labels and first_tok == "chez" and start + 1 < ev.end and doc[start + 1].pos_ == "PROPN":
            ev.add("example", "example.named_case.v1", (start, start + 2))
        if "example" not in ev.labels and ev.block in {"paragraph", "quote", "list_item"} and not ev.is_question:
            past = _past_event(doc, ev)
            if past is not None and _concrete(doc, ev) and "authority" not in ev.labels and token_key(doc[past[0]].lemma_) not in self.index.lemmas.get("reporting_verbs", set()):
                ev.add("example", "example.narrative.v1", past)
        # attributed --------------------------------------------------------------------------
        frame = self._third_party_frame(doc, ev)
        argn = self._argument_noun(doc, ev)
        if frame:
            ev.add("attributed", frame[0], frame[1])
        elif argn and not _first_person_owner(doc, ev) and self._others_argument(doc, ev, argn):
            ev.add("attributed", "attributed.argument_noun.v1", argn)
        quote = _reported_quote(doc, ev)
        if quote and "attributed" not in ev.labels:
            ev.add("attributed", "attributed.quote.v1", quote)
        # objection ---------------------------------------------------------------------------
        barrier = self._barrier(doc, ev)
        category, _ = self._category(ev)
        has_topic = any(w >= 1.0 for c, w in ev.topics.items() if c != "other")
        mentions_sm = ev.has("social_media") or ev.has("cat:other")
        refuting = self._refutation_cue(doc, ev, strong_only=True)
        if "concession" in ev.labels or (ev.is_question and not frame):
            pass
        elif refuting is not None:
            pass
        elif (frame or quote) and (barrier or has_topic):
            frame = frame or ("attributed.quote.v1", quote)
            cue = barrier or ev.topic_spans.get(category) or frame[1]
            ev.add("objection", "objection.reported.v1", cue, category)
        elif argn and (barrier or has_topic or ev.has("cat:other")):
            ev.add("objection", "objection.argument_noun.v1", argn, category)
        elif barrier and (has_topic or mentions_sm) and "authority" not in ev.labels:
            ev.add("objection", "objection.barrier.v1", barrier, category)

    def _refutation_cue(self, doc: Doc, ev: SentenceEvidence, *, strong_only: bool) -> tuple[int, int] | None:
        for s, e in ev.cues.get("rebuttal_markers", []):
            phrase = " ".join(doc_keys(doc)[s:e])
            if strong_only and phrase in _WEAK_REBUTTAL:
                continue
            return (s, e)
        return None

    def _authority(self, doc: Doc, ev: SentenceEvidence) -> tuple[str, tuple[int, int]] | None:
        toks = doc_tokens(doc)[ev.start : ev.end]
        named = [t for t in toks if t.pos_ == "PROPN" or (t.is_upper and len(t.text) >= 3 and t.is_alpha)]
        platforms = self.index.lemmas.get("social_media", set())
        keys = doc_keys(doc)
        named = [t for t in named if keys[t.i] not in platforms and t.i != ev.start]
        figure = [t for t in toks if t.like_num and t.i + 1 < ev.end and doc[t.i + 1].text in {"%", "pour", "sur", "millions", "milliards", "fois"}] + [t for t in toks if t.text.endswith("%") and t.text[:-1].replace(",", "").replace(".", "").isdigit()]
        for s, e in ev.cues.get("according", []):
            window = doc[e : min(ev.end, e + 8)]
            if any(t.pos_ == "PROPN" or (t.is_upper and len(t.text) >= 3) for t in window) or any(token_key(t.lemma_) in self.index.lemmas.get("authority_nouns", set()) for t in window):
                return "authority.according.v1", (s, e)
        nouns = [(s, e) for s, e in ev.cues.get("authority_nouns", []) if not (e - s == 1 and doc[s].pos_ not in {"NOUN", "PROPN"})]
        named_idx = {t.i for t in named}
        for s, e in nouns:
            # the source must be named next to the noun ("une étude du CEFRIO", "le prof Pierre Trudel")
            near = range(e, min(ev.end, e + 5))
            if any(i in named_idx for i in near) or (figure and ev.has("authority_verbs")):
                return "authority.study.v1", (s, e)
        if figure and nouns and (ev.has("authority_verbs") or ev.has("according")):
            t = figure[0]
            return "authority.figure.v1", (t.i, min(ev.end, t.i + 2))
        for t in figure:
            # "81 % des acheteurs industriels…": a statistic over a population
            j = t.i + 1
            while j < ev.end and doc[j].text in {"%", "pour", "cent"}:
                j += 1
            if j > t.i + 1 and doc[t.i + 1].text in {"%", "pour"} and j + 1 < ev.end and token_key(doc[j].text) in {"des", "de", "d'"} and doc[j + 1].pos_ in {"NOUN", "ADJ"}:
                own = j + 1 < ev.end and token_key(doc[j + 1].text) in _OWN
                if not own:
                    return "authority.figure.v1", (t.i, j + 2)
        return None

    def _initial_only(self, cls: str) -> set[str]:
        from ..lexicons import load

        cached = self._weak.get(cls)
        if cached is None:
            cached = {token_key(p) for p in load("arguments")["cues"].get(cls, {}).get("phrases", [])}
            self._weak[cls] = cached
        return cached

    # -- discourse context -----------------------------------------------------------------
    def apply_context(self, doc: Doc, evs: list[SentenceEvidence]) -> None:
        n = len(evs)
        # the writer's orientation from local evidence: own objections vs refutations
        own_objections = sum(1 for ev in evs if "objection" in ev.labels and "attributed" not in ev.labels)
        refutations = sum(1 for ev in evs if "rebuttal" in ev.labels or self._refutation_cue(doc, ev, strong_only=True))
        others_objections = sum(1 for ev in evs if "attributed" in ev.labels and ("objection" in ev.labels or ev.has("argument_nouns")))
        self._orientation = own_objections - refutations - others_objections
        any_objection_before = [False] * n
        # a comment answers a post: the objections it rebuts may be in the post
        seen = (doc._.discours or {}).get("part") == "comment"
        for k, ev in enumerate(evs):
            any_objection_before[k] = seen
            seen = seen or "objection" in ev.labels or "attributed" in ev.labels
        objection_topics: set[str] = set()
        for k, ev in enumerate(evs):
            if ev.block in {"title", "heading", "signature"}:
                continue
            prev = evs[k - 1] if k > 0 else None
            nxt = evs[k + 1] if k + 1 < n else None
            # concession opened by Oui / Bien sûr / Évidemment and followed by a contrast
            if "concession" not in ev.labels:
                for s, e in ev.cues.get("concession", []):
                    phrase = " ".join(doc_keys(doc)[s:e])
                    granting = phrase in self._initial_only("concession_needs_contrast")
                    initial = s <= ev.start + 1
                    if (granting or phrase in self._initial_only("concession_initial_only")) and (granting or initial):
                        # "Tout à fait, …" / "Vous avez raison." open a reply by granting; elsewhere such
                        # words grant only when a contrast follows ("…est légitime, mais…")
                        if (granting and initial) or _mid_contrast(doc, ev) is not None or any(_starts_with_contrast(doc, o) for o in evs[k + 1 : k + 5]):
                            ev.add("concession", "concession.oui_mais.v1", (s, e))
                            ev.drop("objection")
                            break
            # list items inherit the frame that introduces them
            if ev.block == "list_item":
                intro = _list_intro(evs, k)
                if intro is not None and "attributed" in evs[intro].labels and token_key(doc[evs[intro].end - 1].text) in _INCOMPLETE_END:
                    ev.add("attributed", "attributed.list_frame.v1", (ev.start, ev.end))
                if intro is not None and self._objection_frame(doc, evs, intro):
                    cat, _ = self._category(ev)
                    if "objection" not in ev.labels and "rebuttal" not in ev.labels and not ev.is_question:
                        ev.add("objection", "objection.list_frame.v1", (ev.start, ev.end), cat)
                    if any("attributed" in evs[j].labels for j in range(max(0, intro - 1), intro + 1)):
                        ev.add("attributed", "attributed.list_frame.v1", (ev.start, ev.end))
            # an objection voiced right after others' arguments are introduced
            if prev is not None and "objection" not in ev.labels and not ev.is_question and "concession" not in ev.labels:
                denied_fear = any(set(range(s, e)) & ev.negated for s, e in ev.cues.get("fear_verbs", []))
                if prev.labels.get("attributed", ("",))[0] == "attributed.argument_noun.v1" and not denied_fear:
                    # "X ne craint pas ça" right after the fears are named answers them; it voices none
                    barrier = self._barrier(doc, ev)
                    if barrier and (ev.topics or ev.has("social_media")):
                        cat, _ = self._category(ev)
                        ev.add("objection", "objection.voiced.v1", barrier, cat)
            if "objection" in ev.labels and prev is not None and "attributed" not in ev.labels:
                if prev.labels.get("attributed", ("",))[0] in {"attributed.argument_noun.v1", "attributed.hearsay.v1", "attributed.reporting_verb.v1"} and prev.block_index >= ev.block_index - 1:
                    if _generic_voice(doc, ev):
                        ev.add("attributed", "attributed.voiced.v1", (ev.start, ev.end))
            # a question answered at once is rhetorical; its answer rebuts
            if ev.is_question and nxt is not None and not nxt.is_question:
                ans = nxt.first("answer_openers")
                if ans and ans[0] <= nxt.start + 3 and ev.block not in {"title", "heading"}:
                    if "rhetorical_question" not in ev.labels and not ev.has("info_question"):
                        ev.add("rhetorical_question", "rhetorical_question.answered.v1", (ev.end - 1, ev.end))
                    if "rhetorical_question" in ev.labels:
                        nxt.add("rebuttal", "rebuttal.answer.v1", ans)
            if "objection" in ev.labels:
                objection_topics.update(c for c, w in ev.topics.items() if w >= 1)
            # rebuttals ---------------------------------------------------------------------------
            if "rebuttal" not in ev.labels and "objection" not in ev.labels:
                self._rebuttal(doc, evs, k, any_objection_before[k], objection_topics)
            # example continuation
            if "example" not in ev.labels and k > 0:
                cont = _example_continuation(doc, evs, k)
                if cont is not None:
                    ev.add("example", "example.continuation.v1", cont)
                    if "rebuttal" not in ev.labels and any_objection_before[k] and self._positive(doc, ev) and ev.has("social_media"):
                        ev.add("rebuttal", "rebuttal.positive_after_objection.v1", self._positive(doc, ev))  # type: ignore[arg-type]
            if "example" in ev.labels and "rebuttal" not in ev.labels and any_objection_before[k]:
                shared = set(c for c, w in ev.topics.items() if w >= 1) & objection_topics
                if shared and "objection" not in ev.labels:
                    ev.add("rebuttal", "rebuttal.counter_example.v1", ev.topic_spans[sorted(shared)[0]])
        for ev in evs:
            att = ev.labels.get("attributed")
            if att and "authority" in ev.labels and att[0] in {"attributed.reporting_verb.v1", "attributed.quote.v1", "attributed.hearsay.v1"}:
                ev.drop("attributed")  # a named source quoted in support is authority, not someone else's view
            ex = ev.labels.get("example")
            if ex and ex[0] == "example.marker.v1" and "attributed" in ev.labels:
                phrase = " ".join(doc_keys(doc)[ex[1][0] : ex[1][1]])
                if phrase in _TIME_EXAMPLES:
                    ev.drop("example")  # "La semaine dernière, on m'a encore dit…" sets a scene, not an example
            for label in list(ev.labels):
                if ev.labels[label][0] in self.disabled:
                    ev.drop(label)

    def _objection_frame(self, doc: Doc, evs: list[SentenceEvidence], intro: int) -> bool:
        ev = evs[intro]
        low = ev.text_lower
        if any(w in low for w in _POSITIVE_LIST_INTRO):
            return False
        if "objection" in ev.labels or ev.has("argument_nouns") or ev.has("fear_verbs"):
            return True
        if intro > 0 and "objection" in evs[intro - 1].labels and token_key(doc[ev.end - 1].text) in _INCOMPLETE_END:
            return True
        return False

    def _positive(self, doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
        for s, e in ev.cues.get("positive", []):
            if s in ev.negated or _governing_negated(doc, s, ev):
                continue
            return (s, e)
        return None

    def _rebuttal(self, doc: Doc, evs: list[SentenceEvidence], k: int, objection_before: bool, objection_topics: set[str]) -> None:
        ev = evs[k]
        if "attributed" in ev.labels and ev.labels["attributed"][0] != "attributed.quote.v1":
            return
        # contrast opener after a concession / objection
        if _starts_with_contrast(doc, ev) and not ev.is_question:
            context = objection_before or any("concession" in o.labels or "objection" in o.labels for o in evs[max(0, k - 3) : k])
            if context and "concession" not in ev.labels:
                ev.add("rebuttal", "rebuttal.after_concession.v1", (ev.start, ev.start + 1))
                return
        # the clause after a concessive clause or ", mais"
        if "concession" in ev.labels:
            rule = ev.labels["concession"][0]
            mais = _mid_contrast(doc, ev)
            cue = ev.labels["concession"][1]
            phrase = " ".join(doc_keys(doc)[cue[0] : cue[1]])
            if mais is not None or phrase.startswith(("même si", "même s'", "bien que", "bien qu'", "quoique", "malgré", "en dépit")):
                after = (mais, mais + 1) if mais is not None else cue
                ev.add("rebuttal", "rebuttal.clause_after_concession.v1", after)
                return
            if rule != "concession.mais_clause.v1":
                return
        marker = self._refutation_cue(doc, ev, strong_only=not objection_before)
        if marker:
            ev.add("rebuttal", "rebuttal.marker.v1", marker)
            return
        in_post = (doc._.discours or {}).get("part") != "comment"
        aimed = any(w >= 1 for w in ev.topics.values()) or ev.has("argument_nouns") or ev.has("barrier")
        if ev.is_question and "rhetorical_question" in ev.labels and (aimed or (objection_before and in_post)):
            if self._orientation > 0 and (any(w >= 1 for w in ev.topics.values()) or self._barrier(doc, ev)):
                # a sceptical writer's rhetorical question about a barrier voices the objection
                cat, _ = self._category(ev)
                ev.add("objection", "objection.rhetorical_question.v1", ev.labels["rhetorical_question"][1], cat)
                return
            ev.add("rebuttal", "rebuttal.rhetorical_question.v1", ev.labels["rhetorical_question"][1])
            return
        if ev.is_question:
            return
        for s, e in ev.cues.get("counter_verbs", []):
            if s in ev.negated or doc[s].pos_ not in {"VERB"}:
                continue
            if token_key(doc[s].lemma_) == "répondre" and e < ev.end and token_key(doc[e].text) in {"de", "du", "des", "d'"}:
                continue  # "qui répond de ce qui se passe": accountable for, not answering back
            if ev.topics or ev.has("argument_nouns") or (objection_before and ev.has("barrier")):
                ev.add("rebuttal", "rebuttal.counter_verb.v1", (s, e))
                return
        neg = self._negated_barrier(doc, ev)
        if neg and (ev.topics or ev.has("social_media") or objection_before) and "objection" not in ev.labels:
            ev.add("rebuttal", "rebuttal.negated_barrier.v1", neg)
            return
        if ev.negated and any(k in {"tu", "vous"} for k in doc_keys(doc)[ev.start : ev.end]) and (ev.has("argument_nouns") or "contrairement" in ev.text_lower):
            argn = ev.first("argument_nouns") or (ev.start, ev.start + 1)
            ev.add("rebuttal", "rebuttal.addressee.v1", argn)
            return
        if objection_before and "concession" not in ev.labels:
            pos = self._positive(doc, ev)
            comparative = any(k in {"plus", "mieux", "meilleur", "davantage", "moins"} for k in doc_keys(doc)[ev.start : ev.end])
            if pos and (ev.has("social_media") or comparative or set(ev.topics) & objection_topics):
                ev.add("rebuttal", "rebuttal.positive_after_objection.v1", pos)

    # -- output ----------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, evs: list[SentenceEvidence]) -> None:
        spans: list[Span] = []
        cues: list[Span] = []
        for ev in evs:
            for label in LABELS:
                if label not in ev.labels:
                    continue
                rule, (cs, ce), category = ev.labels[label]
                span = Span(doc, ev.start, ev.end, label=label, span_id=rule, kb_id=(category or "other") if label == "objection" else "")
                spans.append(span)
                cues.append(Span(doc, cs, ce, label=label, span_id=rule))
        doc.spans[ARGUMENTS] = spans
        doc.spans[CUES] = cues


# -- helpers over the parse --------------------------------------------------------------------
def _block_kinds(doc: Doc):  # noqa: ANN202 - returns a lookup closure
    blocks = list(doc.spans[BLOCKS]) if BLOCKS in doc.spans else []
    bounds = [(b.start, b.end, b.label_) for b in blocks]

    def lookup(i: int) -> tuple[str, int]:
        for k, (s, e, kind) in enumerate(bounds):
            if s <= i < e:
                return kind, k
        return "paragraph", 0

    return lookup


_NEGATORS = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "nullement", "guère", "point", "plus", "personne", "ni"})


def _negated_tokens(doc: Doc, start: int, end: int) -> set[int]:
    """Tokens under negation: the negated predicate, its xcomp chain and their objects."""
    keys = doc_keys(doc)
    words = keys[start:end]
    negated: set[int] = set()
    if _NEGATORS.isdisjoint(words):
        return negated  # most sentences: no negator, no Token object needed
    has_ne = "ne" in words or "n'" in words
    toks = doc_tokens(doc)
    for i in range(start, end):
        low = keys[i]
        if low not in _NEGATORS:
            continue
        tok = toks[i]
        if low in _NEG_NEEDS_NE and not has_ne:
            continue
        if low == "plus" and tok.i + 1 < end and (doc[tok.i + 1].pos_ in {"ADJ", "ADV"} or token_key(doc[tok.i + 1].text) in {"de", "d'", "que", "qu'"}):
            if not has_ne:
                continue
        if low == "pas" and tok.i + 1 < end and token_key(doc[tok.i + 1].text) in {"mal"}:
            continue  # "pas mal" = quite a lot
        pred = tok.head if tok.dep_ != "ROOT" else tok
        if low in {"aucun", "aucune"} and pred.pos_ in {"NOUN", "PROPN"}:
            negated.add(pred.i)
            pred = pred.head
        # climb to the predicate
        steps = 0
        while pred.pos_ not in {"VERB", "AUX", "ADJ"} and pred.head.i != pred.i and steps < 3:
            pred = pred.head
            steps += 1
        negated.add(pred.i)
        for child in pred.children:
            if child.dep_ in {"xcomp", "obj", "obl:arg", "obl", "iobj", "ccomp", "nsubj:pass", "attr", "cop"} or child.dep_.startswith("obl"):
                negated.update(t.i for t in child.subtree if start <= t.i < end and not _crosses_clause(t, child))
            if child.dep_ == "xcomp":
                negated.add(child.i)
        if pred.dep_ == "xcomp" and start <= pred.head.i < end:
            pass
    return negated


def _crosses_clause(tok: "Token", top: "Token") -> bool:
    t = tok
    while t.i != top.i and t.head.i != t.i:
        if t.dep_ in _CLAUSE_DEPS and any(c.dep_ in {"nsubj", "mark"} for c in t.children):
            return True
        t = t.head
    return False


def _governing_negated(doc: Doc, i: int, ev: SentenceEvidence) -> bool:
    """Is the first verb above token ``i`` negated? ("ne craint pas tellement ça")"""
    tok = doc[i]
    steps = 0
    while steps < 4 and tok.head.i != tok.i:
        tok = tok.head
        steps += 1
        if tok.pos_ in {"VERB", "AUX"}:
            return tok.i in ev.negated and tok.i != i
        if tok.dep_ in _CLAUSE_DEPS:
            break
    return False


_MITIGATION = {"identifier", "évaluer", "gérer", "analyser", "mesurer", "limiter", "réduire", "encadrer", "prévenir",
               "minimiser", "anticiper", "maîtriser", "contrôler", "connaître", "cerner", "comprendre", "prendre",
               "situer", "documenter", "recenser", "cartographier", "diminuer", "atténuer", "surmonter", "éviter"}


def _mitigated(doc: Doc, i: int, ev: SentenceEvidence) -> bool:
    """Is the barrier noun the object of a verb of handling it (identifier/gérer/évaluer les risques)?"""
    tok = doc[i]
    head = tok.head
    if head.i != tok.i and head.pos_ in {"VERB", "NOUN"} and token_key(head.lemma_) in _MITIGATION:
        return True
    # parse fallback: "Évaluer les risques" with the verb two tokens before
    for j in range(max(ev.start, i - 3), i):
        if token_key(doc[j].lemma_) in _MITIGATION or token_key(doc[j].text) in _MITIGATION:
            return True
    return False


def _in_lack(ev: SentenceEvidence, i: int) -> bool:
    return any(s <= i < e + 3 for s, e in ev.cues.get("lack_phrases", []))


def _followed_by_content(doc: Doc, i: int, end: int) -> bool:
    return i + 1 < end and doc[i + 1].pos_ in {"ADJ", "ADV", "ADP", "DET", "NOUN", "VERB"}


def _subject_of(doc: Doc, verb: "Token", floor: int) -> "Token | None":
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubj:pass", "expl:subj"}:
            return child
    if verb.dep_ in {"xcomp", "conj"} and verb.head.i != verb.i:
        for child in verb.head.children:
            if child.dep_ in {"nsubj", "nsubj:pass"}:
                return child
    # parse fallback: the word before the verb, skipping clitics ("on me dit", "ils nous répètent")
    j = verb.i - 1
    while j >= floor and (token_key(doc[j].text) in _CLITICS or doc[j].pos_ == "AUX"):
        j -= 1
    if j >= floor and doc[j].pos_ in {"PRON", "NOUN", "PROPN"}:
        return doc[j]
    return None


def _has_content(doc: Doc, verb: "Token", ev: SentenceEvidence) -> bool:
    """Reporting verbs count when they carry content: que-clause, quote, colon, argument noun."""
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp", "parataxis"}:
            return True
        if child.dep_ in {"obj", "obl:arg"} and (child.pos_ in {"NOUN"} and (child.i, child.i + 1) in ev.cues.get("argument_nouns", [])):
            return True
    if any(k in {"que", "qu'", ":", "«", "\""} for k in doc_keys(doc)[verb.i + 1 : min(ev.end, verb.i + 4)]):
        return True
    # inverted incise: « … », me dit-il / dit-il
    return any(t.text in {"»", "\u201d"} for t in doc_tokens(doc)[max(ev.start, verb.i - 3) : verb.i])


def _determiner(doc: Doc, tok: "Token") -> "Token | None":
    for child in tok.children:
        if child.dep_ in {"det", "nmod:poss"}:
            return child
    if tok.i > 0 and doc[tok.i - 1].pos_ == "DET":
        return doc[tok.i - 1]
    return None


def _first_person_owner(doc: Doc, ev: SentenceEvidence) -> bool:
    """"J'ai deux argumentaires", "mon premier argument": the author's own arguments."""
    root = [t for t in doc_tokens(doc)[ev.start : ev.end] if t.dep_ == "ROOT"]
    if root:
        subj = _subject_of(doc, root[0], ev.start)
        if subj is not None and token_key(subj.text) in {"je", "j'"} and token_key(root[0].lemma_) in {"avoir", "présenter", "proposer", "donner", "utiliser", "servir"}:
            return True
    return False


def _reported_quote(doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
    """« … » holding a clause (with a verb) of three words or more, reported as speech."""
    toks = doc_tokens(doc)[ev.start : ev.end]
    opens = [t.i for t in toks if t.text in {"«", "\u201c"}]
    for o in opens:
        close = next((t.i for t in doc_tokens(doc)[o + 1 : ev.end] if t.text in {"»", "\u201d"}), None)
        if close is None:
            continue
        inner = doc[o + 1 : close]
        words = [t for t in inner if not t.is_punct]
        if len(words) >= 3 and any(t.pos_ in {"VERB", "AUX"} for t in inner):
            before = doc[max(ev.start, o - 2) : o]
            if o == ev.start or any(t.text == ":" for t in before) or any(t.pos_ == "VERB" for t in before) or close + 1 >= ev.end - 1:
                return (o, close + 1)
    return None


def _past_event(doc: Doc, ev: SentenceEvidence) -> tuple[int, int] | None:
    """A finite past-tense event (passé composé, passé simple, imparfait): the stuff of anecdotes."""
    for t in doc_tokens(doc)[ev.start : ev.end]:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        tense = t.morph.get("Tense")
        if t.pos_ == "AUX" and "Pres" in tense and t.head.i != t.i and "Part" in t.head.morph.get("VerbForm") and "Past" in t.head.morph.get("Tense"):
            return (t.i, t.head.i + 1) if t.head.i > t.i else (t.i, t.i + 1)  # a publié, est arrivé
        if "Fin" in t.morph.get("VerbForm") and ("Past" in tense or "Imp" in tense) and "Cnd" not in t.morph.get("Mood"):
            return (t.i, t.i + 1)
    return None


def _concrete(doc: Doc, ev: SentenceEvidence) -> bool:
    """Concrete detail: a number, a named entity (not sentence-initial), a time expression."""
    times = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "matin", "soir", "semaine",
             "mois", "année", "an", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre", "printemps", "été", "automne", "hiver", "jour", "veille", "lendemain"}
    keys = doc_keys(doc)
    for t in doc_tokens(doc)[ev.start : ev.end]:
        if t.like_num or (t.pos_ == "PROPN" and t.i > ev.start) or keys[t.i] in times:
            return True
    return False


def _mid_contrast(doc: Doc, ev: SentenceEvidence) -> int | None:
    """Index of a clause-level "mais" inside the sentence (", mais …"), else None."""
    keys, toks = doc_keys(doc), doc_tokens(doc)
    for i in range(ev.start + 2, ev.end - 1):
        if keys[i] == "mais" and toks[i - 1].text in {",", ";", "…", "...", "-", "—"}:
            return i
    return None


def _starts_with_contrast(doc: Doc, ev: SentenceEvidence) -> bool:
    first = ev.first("contrast")
    return first is not None and first[0] <= ev.start + 1 and token_key(doc[first[0]].text) not in {"seulement", "sinon", "là"}


def _list_intro(evs: list[SentenceEvidence], k: int) -> int | None:
    """Index of the sentence introducing the list that item ``k`` belongs to."""
    j = k - 1
    while j >= 0 and evs[j].block == "list_item":
        j -= 1
    if j < 0 or evs[j].block in {"title", "signature"}:
        return None
    return j


def _generic_voice(doc: Doc, ev: SentenceEvidence) -> bool:
    """Objection voiced by a generic speaker: on / nous / quotes / exclamation."""
    low = set(doc_keys(doc)[ev.start : ev.end])
    return bool(low & {"on", "nous", "«", "!"}) or ev.block == "list_item"


def _example_continuation(doc: Doc, evs: list[SentenceEvidence], k: int) -> tuple[int, int] | None:
    """"Cette organisation …" taking up the head noun of an example in the previous 4 sentences,
    or the next past-tense sentence of an anecdote in the same block."""
    ev = evs[k]
    prev = evs[k - 1]
    if "example" in prev.labels and prev.block_index == ev.block_index and not ev.is_question:
        past = _past_event(doc, ev)
        if past is not None and prev.labels["example"][0] in {"example.narrative.v1", "example.continuation.v1", "example.marker.v1"}:
            return past
    for j in range(k - 1, max(-1, k - 5), -1):
        src = evs[j]
        if "example" not in src.labels:
            continue
        nouns = {token_key(t.lemma_) for t in doc_tokens(doc)[src.start : src.end] if t.pos_ == "NOUN"}
        keys = doc_keys(doc)
        for t in doc_tokens(doc)[ev.start : ev.end - 1]:
            if keys[t.i] in _DEMONSTRATIVES and doc[t.i + 1].pos_ == "NOUN" and token_key(doc[t.i + 1].lemma_) in nouns:
                return (t.i, t.i + 2)
        return None
    return None


@Language.factory(
    "discours_arguments",
    default_config={"extra_lexicon": None, "disabled_rules": []},
)
def make_argument_tagger(nlp: Language, name: str, extra_lexicon: str | None, disabled_rules: list[str]) -> ArgumentTagger:
    return ArgumentTagger(nlp, name, extra_lexicon=extra_lexicon, disabled_rules=disabled_rules)
