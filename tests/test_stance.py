"""Stance toward a target and agreement of comments, on French written for these tests.

Model-based cases are marked slow; the agreement cue logic is tested without a model.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from discours.stance.agreement import classify, find_cues


# -- agreement cues (no model) -------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentences, kind",
    [
        (["Tout à fait d'accord avec vous, c'est exactement ce qu'on vit au bureau."], "agree"),
        (["Bravo pour ce billet, enfin quelqu'un qui le dit."], "agree"),
        (["Je ne suis pas d'accord : nos clients ne lisent pas LinkedIn."], "disagree"),
        (["Au contraire, la page nous a coûté plus qu'elle n'a rapporté."], "disagree"),
        (["Permettez-moi de nuancer votre propos sur les PME."], "disagree"),
        (["Un petit bémol toutefois sur la partie budget."], "nuance"),
    ],
)
def test_find_cues_kind(sentences, kind):
    kinds = {c["kind"] for c in find_cues(sentences)}
    assert kind in kinds


def test_negated_agreement_is_disagreement():
    cues = find_cues(["Je ne suis pas vraiment d'accord avec cette analyse."])
    assert cues and all(c["kind"] == "disagree" for c in cues)


def test_classify_combines_cues_and_stances():
    disagree = [{"sent_id": 0, "cue": "pour être franc", "kind": "disagree", "weight": 1.2, "rule": "agreement.disagree.franc.v1"}]
    explicit = [{"sent_id": 0, "cue": "je ne suis pas d'accord", "kind": "disagree", "weight": 2.25,
                 "rule": "agreement.disagree.explicit.v1"}]
    # a frank objection from someone on the post's side disputes a point, not the whole: mixed
    assert classify(disagree, relation=1)[0] == "mixed"
    assert classify(disagree, relation=-1)[0] == "disagree"
    assert classify(explicit, relation=1)[0] == "disagree"
    assert classify([], relation=1)[0] == "agree"
    assert classify([], relation=-1)[0] == "disagree"
    assert classify([], relation=0)[0] == "none"


# -- stance of short texts (model) ---------------------------------------------------------------
def _stance(nlp, text: str, target: str | None = None) -> tuple[str, float]:
    comp = nlp.get_pipe("discours_stance")
    comp.set_model(None)  # analyze(stance_model=...) in another test configures the shared pipeline
    comp.set_target(target)
    try:
        doc = nlp(text)
    finally:
        comp.set_target(None)
    return doc._.discours["stance"], doc._.discours["stance_score"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Depuis que la clinique anime sa page Facebook, les patients nous trouvent plus facilement. "
         "Je conseille à chaque cabinet d'y être présent.", "favor"),
        ("Honnêtement, les réseaux sociaux ne rapportent rien à un petit atelier comme le nôtre. "
         "J'ai fermé notre compte Instagram et je ne le regrette pas.", "against"),
        # concession then "mais": what follows outweighs
        ("Certes, tenir un blogue demande des heures chaque semaine. Mais c'est devenu indispensable "
         "pour attirer des candidats.", "favor"),
        # a reported objection the author refutes counts for the other side
        ("On entend souvent que LinkedIn ne sert à rien pour une PME. C'est faux : la moitié de nos "
         "contrats viennent de là.", "favor"),
        # negation in the matrix clause reaches the complement
        ("Je ne crois pas que les médias sociaux soient utiles pour une étude de notaires.", "against"),
        ("Le comité se réunira jeudi à dix heures dans la salle du conseil.", "neutral"),
    ],
)
def test_default_target(nlp, text, expected):
    assert _stance(nlp, text)[0] == expected


@pytest.mark.slow
def test_negation_flips_the_sign(nlp):
    plain = _stance(nlp, "Pour une boulangerie de quartier, une page Facebook est vraiment utile.")[1]
    negated = _stance(nlp, "Pour une boulangerie de quartier, une page Facebook n'est vraiment pas utile.")[1]
    assert plain > 0.15 and negated < -0.15


@pytest.mark.slow
def test_reported_view_weighs_less_than_own(nlp):
    own = _stance(nlp, "Les réseaux sociaux sont une perte de temps pour les cabinets comptables.")[1]
    reported = _stance(nlp, "Mon associé affirme que les réseaux sociaux sont une perte de temps pour les cabinets comptables.")[1]
    assert own < 0
    assert abs(reported) < abs(own)


@pytest.mark.slow
@pytest.mark.parametrize(
    "target, text, expected",
    [
        ("Emmanuel Macron", "Macron a été excellent hier soir, un vrai programme de réformes.", "favor"),
        ("Emmanuel Macron", "Encore une promesse creuse de Macron, quelle déception.", "against"),
        ("Faut-il interdire les téléphones au collège ?", "Oui, les élèves sont bien plus attentifs sans.", "favor"),
        ("Faut-il interdire les téléphones au collège ?", "Non, ce serait une mesure injuste et inapplicable.", "against"),
    ],
)
def test_target_given_as_text(nlp, target, text, expected):
    assert _stance(nlp, text, target)[0] == expected


@pytest.mark.slow
def test_evidence_refers_to_sentences(nlp):
    doc = nlp("Je suis sceptique. Pourtant, notre page LinkedIn nous a apporté trois excellents clients.")
    info = doc._.discours
    assert info["stance"] == "favor"
    sentences = list(doc.sents)
    assert info["stance_evidence"], "the deciding sentences are given"
    for sent_id, score, weight, reason in info["stance_evidence"]:
        assert 0 <= sent_id < len(sentences)
        assert -1.0 <= score <= 1.0 and weight > 0 and reason
    best = max(info["stance_evidence"], key=lambda e: abs(e[1]) * e[2])
    assert "LinkedIn" in sentences[best[0]].text


# -- the seed and the analysis tables ------------------------------------------------------------
@pytest.mark.slow
def test_seed_post_favor_comment_mixed(seed_analysis):
    docs = seed_analysis.documents.set_index("part")
    post = seed_analysis.documents[seed_analysis.documents["part"] == "post"].iloc[0]
    comment = seed_analysis.documents[seed_analysis.documents["part"] == "comment"].iloc[0]
    assert post["stance"] == "favor" and post["stance_score"] > 0
    assert comment["stance"] == "favor"
    assert comment["agreement"] == "mixed"
    assert docs.loc["post", "agreement"] is None or str(docs.loc["post", "agreement"]) == "<NA>"
    evidence = seed_analysis.stance_evidence(post["doc_id"])
    assert len(evidence) > 0 and set(evidence["doc_id"]) == {post["doc_id"]}
    sentence_ids = set(seed_analysis.sentences.loc[seed_analysis.sentences["doc_id"] == post["doc_id"], "sent_id"])
    assert set(evidence["sent_id"]) <= sentence_ids
    # every sentence carries its signed score; the evidence repeats the deciding ones
    sentences = seed_analysis.sentences.set_index(["doc_id", "sent_id"])["stance_score"]
    assert sentences.between(-1, 1).all() and (sentences != 0).sum() >= len(evidence)
    for row in evidence.itertuples():
        assert sentences[(row.doc_id, row.sent_id)] == pytest.approx(row.score, abs=1e-4)


# -- training ------------------------------------------------------------------------------------
_POS = ["Une page Facebook bien tenue attire des clients.", "LinkedIn nous apporte des contrats chaque mois.",
        "Notre blogue est une vitrine formidable.", "Les médias sociaux ont sauvé notre saison.",
        "Instagram est parfait pour montrer nos créations.", "Être présent en ligne est indispensable aujourd'hui."]
_NEG = ["Les réseaux sociaux sont une perte de temps.", "Facebook ne nous a jamais rien rapporté.",
        "Notre compte Twitter était un gouffre à temps.", "Les médias sociaux nuisent à notre image.",
        "Instagram est inutile pour un cabinet d'avocats.", "La présence en ligne coûte trop cher pour rien."]


@pytest.mark.slow
def test_train_save_reload_and_analyze(tmp_path: Path):
    import discours
    from discours.stance import load_model, predict_stance, train_stance

    examples = tmp_path / "exemples.jsonl"
    examples.write_text("\n".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False)
                                  for ts, lab in ((_POS, "favor"), (_NEG, "against")) for t in ts), encoding="utf-8")
    model_dir = tmp_path / "modele"
    model = train_stance(examples, model_dir, n_iter=15)
    assert set(model.labels) == {"favor", "against"}
    reloaded = load_model(model_dir)
    assert reloaded.labels == model.labels
    predictions = predict_stance(_POS[:2] + _NEG[:2], model=model_dir)
    assert [p["stance"] for p in predictions] == ["favor", "favor", "against", "against"]

    folder = tmp_path / "billets"
    folder.mkdir()
    (folder / "a.txt").write_text("Titre : Notre page\n\n" + " ".join(_NEG[:3]), encoding="utf-8")
    analysis = discours.analyze(folder, stance_model=model_dir)
    assert analysis.documents["stance"].tolist() == ["against"]


@pytest.mark.slow
def test_cli_train_stance(tmp_path: Path):
    from discours.cli import main

    examples = tmp_path / "exemples.csv"
    examples.write_text("text,label\n" + "\n".join(f'"{t}",favor' for t in _POS) + "\n"
                        + "\n".join(f'"{t}",against' for t in _NEG) + "\n", encoding="utf-8")
    assert main(["train-stance", str(examples), "-o", str(tmp_path / "m"), "--n-iter", "3"]) == 0
    assert (tmp_path / "m" / "discours_stance.json").is_file()
    assert main(["train-stance", str(tmp_path / "absent.csv"), "-o", str(tmp_path / "m2")]) == 1


@pytest.mark.slow
def test_modality_softens_and_peu_denies(nlp):
    plain = _stance(nlp, "Pour un cabinet de dentistes, une page Facebook est utile.")
    hedged = _stance(nlp, "Pour un cabinet de dentistes, une page Facebook est sans doute un peu utile.")
    denied = _stance(nlp, "Pour un cabinet de dentistes, une page Facebook est peu utile.")
    assert plain[0] == hedged[0] == "favor"
    assert hedged[1] < plain[1]
    assert denied[0] == "against"


# a challenge set of negation, counterfactuals, idioms and take-ups (default target)
CHALLENGE = [
    ("Les réseaux sociaux ne sont pas une perte de temps.", "favor"),
    ("Il ne faut pas abandonner Facebook.", "favor"),
    ("Il faut quitter Facebook.", "against"),
    ("Personne ne devrait ignorer LinkedIn.", "favor"),
    ("Sans Instagram, notre boutique n'aurait jamais survécu.", "favor"),
    ("Je n'ai jamais vu un client venir grâce à Twitter.", "against"),
    ("Facebook, c'est fini pour nous.", "against"),
    ("Fermer notre page serait une erreur.", "favor"),
    ("Loin d'être inutile, le blogue nous amène des clients.", "favor"),
    ("Les médias sociaux ? Une mode passagère.", "against"),
    ("Qui a encore besoin d'un blogue en 2025 ?", "against"),
    ("Pourquoi se priver d'un outil gratuit comme LinkedIn ?", "favor"),
    ("On m'avait dit que Twitter était inutile. J'avais tort.", "favor"),
    ("Nous avons fermé notre compte Twitter et nos ventes n'ont pas bougé.", "against"),
    ("Notre page Facebook nous a coûté une fortune pour trois clients.", "against"),
    ("Les entreprises qui boudent les réseaux sociaux se tirent dans le pied.", "favor"),
    ("Être sur tous les réseaux, c'est s'épuiser pour rien.", "against"),
    ("Le blogue de l'entreprise est devenu notre meilleur vendeur.", "favor"),
    ("Je déconseille TikTok à mes clients du secteur bancaire.", "against"),
    pytest.param("Honnêtement, je regrette de ne pas avoir ouvert notre page plus tôt.", "favor",
                 marks=pytest.mark.xfail(strict=True, reason="regret of a negated action on an unnamed page")),
]


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", CHALLENGE)
def test_challenge_set(nlp, text, expected):
    assert _stance(nlp, text)[0] == expected


_Q_PUB = "Faut-il interdire la publicité pour la malbouffe à la télévision ?"
_Q_AIRPORT = "Êtes-vous opposé à la construction d'un troisième aéroport ?"
_Q_REMOTE = "Le télétravail devrait-il devenir un droit pour tous les salariés ?"
_Q_RETIRE = "Êtes-vous favorable à une hausse de l'âge de la retraite ?"
_Q_SUNDAY = "Êtes-vous pour une libéralisation totale des horaires d'ouverture des commerces ?"
TARGET_CHALLENGE = [
    (_Q_PUB, "Absolument, les enfants sont bombardés de pubs sucrées.", "favor"),
    (_Q_PUB, "Non, c'est aux parents d'éduquer leurs enfants, pas à l'État d'interdire.", "against"),
    (_Q_PUB, "Une interdiction serait liberticide et inefficace.", "against"),
    (_Q_PUB, "Il est temps de protéger la santé des enfants contre ces publicités.", "favor"),
    (_Q_AIRPORT, "Oui, ce projet est un gaspillage d'argent public.", "favor"),
    (_Q_AIRPORT, "Non, la région a besoin de cet aéroport pour son économie.", "against"),
    (_Q_AIRPORT, "Ce nouvel aéroport serait une catastrophe pour le climat.", "favor"),
    (_Q_REMOTE, "Oui, bien sûr, c'est une avancée sociale majeure.", "favor"),
    (_Q_REMOTE, "Le télétravail isole les salariés et nuit au collectif.", "against"),
    (_Q_REMOTE, "Pas pour tous : certains métiers ne s'y prêtent pas du tout.", "against"),
    # a direction word inside the question's object is not its action: "retraite" here is the
    # object of "âge", not a withdrawal, so a raise is what is asked
    (_Q_RETIRE, "Je ne suis pas favorable à la hausse de l'âge de la retraite.", "against"),
    (_Q_RETIRE, "Une hausse de l'âge de la retraite est indispensable pour financer les rentes.", "favor"),
    # a yes or no closing a clause that names the target answers for it
    (_Q_SUNDAY, "Une ouverture le dimanche en décembre oui, une libéralisation totale non.", "against"),
    (_Q_SUNDAY, "Plus de souplesse pour les petits commerces, et la libéralisation totale, oui !", "favor"),
    ("Emmanuel Macron", "Bravo à Emmanuel Macron pour ce discours rassembleur.", "favor"),
    ("Emmanuel Macron", "Macron ne comprend rien aux ouvriers.", "against"),
    ("Emmanuel Macron", "Je voterai Macron sans hésiter au second tour.", "favor"),
    ("Emmanuel Macron", "Ce soir, Emmanuel Macron est l'invité du journal de 20 h.", "neutral"),
    pytest.param("Emmanuel Macron", "Macron, c'est le président des riches.", "against",
                 marks=pytest.mark.xfail(strict=True, reason="a political epithet with no evaluative word")),
]


@pytest.mark.slow
@pytest.mark.parametrize("target, text, expected", TARGET_CHALLENGE)
def test_target_challenge_set(nlp, target, text, expected):
    assert _stance(nlp, text, target)[0] == expected


@pytest.mark.slow
def test_thread_agreement():
    import discours

    analysis = discours.analyze(Path(__file__).parent / "data" / "fil_linkedin.txt")
    docs = analysis.documents.set_index("author")
    post = analysis.documents[analysis.documents["part"] == "post"].iloc[0]
    assert post["stance"] == "favor"
    assert docs.loc["Nathalie Bouchard", "agreement"] == "agree"
    assert docs.loc["Gilles Fortin", ["stance", "agreement"]].tolist() == ["against", "disagree"]
    # frank reservations from someone who also finds LinkedIn useful: both at once
    assert docs.loc["Karine Lévesque", ["stance", "agreement"]].tolist() == ["favor", "mixed"]
    assert docs.loc["Sylvain Roy", "stance_score"] < docs.loc["Nathalie Bouchard", "stance_score"]


@pytest.mark.slow
def test_replies_that_dispute_the_post_disagree():
    """Replies that dispute a post without saying "je ne suis pas d'accord": an objection to the
    premise, a cost the post forgot, a barrier of the commenter's own (target given as text)."""
    import discours

    analysis = discours.analyze(Path(__file__).parent / "data" / "fil_teletravail.txt", target="le télétravail dans les PME")
    comments = analysis.documents[analysis.documents["part"] == "comment"]
    assert len(comments) == 4
    # the hidden-thread target is at least 40 % disagree and at most 10 % agree: here 3 of 4, none agree
    assert (comments["agreement"] == "disagree").sum() >= 3, comments[["author", "agreement"]].to_string()
    assert not (comments["agreement"] == "agree").any()
