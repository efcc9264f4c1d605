"""discours_arguments on French written for these tests (not taken from the corpus or the seed).

Every span carries its rule id (``id_``) and, for objections, a category (``kb_id_``).
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _labels(nlp, text: str) -> dict[str, set[str]]:
    """label -> rule ids, over the whole text."""
    out: dict[str, set[str]] = {}
    doc = nlp(text)  # keep the Doc alive while its span group is read
    for span in doc.spans["discours_arguments"]:
        out.setdefault(span.label_, set()).add(span.id_)
    return out


def _sentence_labels(nlp, text: str) -> list[set[str]]:
    doc = nlp(text)
    sents = list(doc.sents)
    out: list[set[str]] = [set() for _ in sents]
    for span in doc.spans["discours_arguments"]:
        k = next(i for i, s in enumerate(sents) if s.start <= span.start < s.end)
        out[k].add(span.label_)
    return out


@pytest.mark.parametrize(
    "text, label",
    [
        ("Les dirigeants craignent que leurs employés disent n'importe quoi sur Facebook.", "objection"),
        ("Les gestionnaires répètent que les médias sociaux coûtent beaucoup trop cher.", "objection"),
        ("Certes, une page d'entreprise demande un suivi quotidien.", "concession"),
        ("Qui lit encore les communiqués de presse imprimés ?", "rhetorical_question"),
        ("Selon une étude de l'Université Laval, 70 % des PME sont présentes sur Facebook.", "authority"),
        ("Par exemple, une fromagerie de Charlevoix a doublé ses ventes en ligne grâce à Instagram.", "example"),
        ("Mon associé affirme que Twitter est une perte de temps.", "attributed"),
        ("Ma directrice pense que LinkedIn ne sert à rien pour nous.", "attributed"),
    ],
)
def test_label_found(nlp, text, label):
    labels = _labels(nlp, text)
    assert label in labels, labels
    assert all(rule.startswith(f"{label}.") for rule in labels[label]), "rule ids name their label"


def test_objection_category(nlp):
    doc = nlp("Les patrons disent que les réseaux sociaux coûtent trop cher et prennent trop de temps.")
    objections = [s for s in doc.spans["discours_arguments"] if s.label_ == "objection"]
    assert objections
    assert objections[0].kb_id_ in {"cost_resources", "time_resources", "resources"} or "cost" in objections[0].kb_id_ \
        or "resource" in objections[0].kb_id_


@pytest.mark.parametrize(
    "text",
    [
        # negation: not invoking an objection is not an objection
        "Les directeurs n'invoquent pas la confidentialité pour refuser Facebook.",
        # a factual sentence about social media, no argument
        "Notre page Facebook compte 1 200 abonnés depuis le mois de mars.",
        # a genuine question asking for information is not rhetorical
        "Quelle heure est la plus efficace pour publier sur LinkedIn ?",
    ],
)
def test_hard_negatives(nlp, text):
    labels = _labels(nlp, text)
    assert "objection" not in labels and "rhetorical_question" not in labels, labels


def test_rebuttal_after_objection(nlp):
    text = ("On entend souvent que les clients ne sont pas sur les réseaux sociaux. "
            "Pourtant, les chiffres montrent le contraire : la plupart y passent une heure par jour.")
    per_sentence = _sentence_labels(nlp, text)
    assert "objection" in per_sentence[0] or "attributed" in per_sentence[0]
    assert "rebuttal" in per_sentence[1]


def test_spans_stay_inside_sentences_and_carry_cues(nlp):
    doc = nlp("Certes, c'est du travail. Mais selon Statistique Canada, les ventes en ligne progressent. "
              "Qui peut encore s'en passer ?")
    sents = list(doc.sents)
    spans = list(doc.spans["discours_arguments"])
    assert spans
    for span in spans:
        assert span.id_, "every span names its rule"
        assert any(s.start <= span.start and span.end <= s.end for s in sents)
    assert "discours_cues" in doc.spans and len(doc.spans["discours_cues"]) > 0


@pytest.mark.parametrize(
    "text, label",
    [
        # "demander de + infinitif" is a request, not reported words
        ("Mes collègues me demandent de leur prêter ma présentation sur les réseaux sociaux.", "attributed"),
        # "répondre de" is being accountable, not answering an objection
        ("Le comité désigne qui répond des publications et des risques sur la page de l'entreprise.", "rebuttal"),
    ],
)
def test_verb_senses(nlp, text, label):
    assert label not in _labels(nlp, text)


def test_denied_fear_after_named_fears_is_no_objection(nlp):
    text = ("Leur grande crainte, c'est la perte de contrôle sur Facebook. "
            "Notre direction ne craint pas vraiment les critiques, elle sait y répondre en public.")
    per_sentence = _sentence_labels(nlp, text)
    assert "objection" not in per_sentence[1]
