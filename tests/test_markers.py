"""Discourse markers: lexicon shape, matching, ambiguity checks, user entries, serialisation.

Sentences are written for these tests (blog/comment style French, France and Quebec).
"""
from __future__ import annotations

import json
import re

import pytest
import spacy

from discours.lexicons import load
from discours.pipeline.extensions import MARKERS
from discours.pipeline.markers import CHECKS, SENSES, DiscourseMarkers, expand_form

ID_RE = re.compile(r"^marker\.([a-z]+)\.[a-z0-9_]+\.v\d+$")


def found(doc) -> list[tuple[str, str]]:
    return [(s.text, s.label_) for s in doc.spans[MARKERS]]


def triples(doc) -> list[tuple[str, str, str]]:
    return [(s.text, s.label_, s.id_) for s in doc.spans[MARKERS]]


# ----------------------------------------------------------------------------- the lexicon file


@pytest.fixture(scope="module")
def lexicon() -> dict:
    return load("markers")


def test_lexicon_has_enough_distinct_forms(lexicon):
    forms = {f for e in lexicon["entries"] for f in e["forms"]}
    assert len(forms) >= 300


def test_lexicon_ids_are_stable_and_match_their_sense(lexicon):
    ids = [e["id"] for e in lexicon["entries"]] + [e["id"] for e in lexicon["exclusions"]]
    assert len(ids) == len(set(ids))
    for e in lexicon["entries"]:
        m = ID_RE.match(e["id"])
        assert m, e["id"]
        assert m.group(1) == e["sense"], e["id"]


def test_lexicon_senses_and_checks_are_known(lexicon):
    assert set(lexicon["senses"]) == set(SENSES)
    assert {e["sense"] for e in lexicon["entries"]} == set(SENSES)
    assert set(lexicon["checks"]) == set(CHECKS)  # every check is documented, every documented check exists
    for e in lexicon["entries"]:
        assert e["check"] is None or e["check"] in CHECKS
        if e["check"]:
            assert e["ambiguous"] is True, e["id"]


def test_lexicon_forms_are_lower_case_with_ascii_apostrophes(lexicon):
    for e in lexicon["entries"] + lexicon["exclusions"]:
        for f in e["forms"]:
            assert f == f.lower().strip(), f
            assert "’" not in f, f


def test_expand_form_adds_elisions_and_typographic_apostrophe():
    assert "parce qu'" in expand_form("parce que")
    assert "afin d'" in expand_form("afin de")
    assert "grâce au" in expand_form("grâce à")
    assert "même s'il" in expand_form("même si")
    assert "d’ailleurs" in expand_form("d'ailleurs")


# ----------------------------------------------------------------------------- blank pipeline (no model)


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("fr")
    nlp.add_pipe("discours_markers")
    return nlp


@pytest.mark.parametrize(
    "text, marker, sense",
    [
        ("Le budget est serré. En revanche, le retour est rapide.", "En revanche", "contrast"),
        ("La page coûte peu. Il n'empêche que personne ne l'anime.", "Il n'empêche que", "concession"),
        ("Les commentaires ont afflué, à tel point que le serveur a planté.", "à tel point que", "consequence"),
        ("De toute manière, les critiques viendront.", "De toute manière", "concession"),
        ("Cela dit, la direction reste prudente.", "Cela dit", "concession"),
        ("Par conséquent, nous ouvrons un compte.", "Par conséquent", "consequence"),
        ("C'est pourquoi la charte compte.", "C'est pourquoi", "consequence"),
        ("Étant donné que le budget baisse, on priorise.", "Étant donné que", "cause"),
        ("Autrement dit, il faut écouter avant de parler.", "Autrement dit", "reformulation"),
        ("On publiera à condition que le service juridique relise.", "à condition que", "condition"),
        ("D'une part le coût, d'autre part le temps.", "D'une part", "enumeration"),
        ("En outre, les employés deviennent des ambassadeurs.", "En outre", "addition"),
        ("Néanmoins, le risque existe.", "Néanmoins", "concession"),
        ("Il a répondu puisque tout le monde attendait.", "puisque", "cause"),
        ("Vu que personne ne modère, les trolls s'installent.", "Vu que", "cause"),
        ("Dès lors, la page devient un service client.", "Dès lors", "consequence"),
        ("Certains réseaux, par exemple LinkedIn, visent les pros.", "par exemple", "illustration"),
        ("Les PME, notamment en région, hésitent.", "notamment", "illustration"),
        ("Deux freins, à savoir le temps et la peur.", "à savoir", "reformulation"),
        ("En somme, la présence en ligne se prépare.", "En somme", "conclusion"),
        ("On forme les équipes afin de limiter les dérapages.", "afin de", "goal"),
        ("Toutefois, la règle reste floue.", "Toutefois", "concession"),
        ("Certes, le risque existe.", "Certes", "concession"),
        ("Du coup, on a tout repensé.", "Du coup", "consequence"),
        ("Faque on a fermé la page pour de bon.", "Faque", "consequence"),
        ("C'est sans aucun doute la meilleure option.", "sans aucun doute", "booster"),
        ("La réponse est de toute évidence non.", "de toute évidence", "booster"),
        ("Il me semble que le ton compte.", "Il me semble", "hedge"),
        ("Le patron a peut-être raison.", "peut-être", "hedge"),
        ("Il faut d'abord écouter, ensuite répondre.", "d'abord", "enumeration"),
        ("Il faut d'abord écouter, ensuite répondre.", "ensuite", "enumeration"),
        ("On a bien relu; bref, c'est prêt.", "bref", "conclusion"),
        ("Quoique prudente, la direction accepte.", "Quoique", "concession"),
        ("Malgré les craintes, le compte a ouvert.", "Malgré", "concession"),
        ("La politique est claire car tout le monde l'a signée.", "car", "cause"),
        ("Je voulais publier mais le patron a refusé.", "mais", "contrast"),
    ],
)
def test_unambiguous_markers_and_multiword_expressions(blank, text, marker, sense):
    assert (marker, sense) in found(blank(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # the longest form wins: one span, the MWE's sense
        ("Il a publié bien qu'il soit tard.", [("bien qu'", "concession")]),
        ("C'est sans aucun doute utile.", [("sans aucun doute", "booster")]),
        ("Quand bien même la loi changerait, on resterait.", [("Quand bien même", "concession")]),
        ("Il a tant insisté, si bien que tout le monde a cédé.", [("si bien que", "consequence")]),
        ("Comme par exemple notre page, certaines marques écoutent.", [("Comme par exemple", "illustration")]),
        ("C'est la raison pour laquelle on a fermé.", [("C'est la raison pour laquelle", "consequence")]),
        # exclusions hide the shorter marker inside them
        ("Les PME sont de plus en plus présentes.", []),
        ("Une fois de plus, rien ne bouge.", []),
        ("Tant pis pour eux.", []),
        ("Il a parlé en tant que porte-parole.", []),
    ],
)
def test_longest_match_and_exclusions(blank, text, expected):
    assert found(blank(text)) == expected


@pytest.mark.parametrize(
    "text, marker, sense",
    [
        ("Neanmoins, la direction refuse.", "Neanmoins", "concession"),
        ("Evidemment, le patron dit non.", "Evidemment", "booster"),
        ("A priori, le risque est faible.", "A priori", "hedge"),
        ("A condition que tout le monde relise, on publie.", "A condition que", "condition"),
        ("Etant donne que rien ne bouge, on attend.", "Etant donne que", "cause"),
        ("Bref, c'est-a-dire qu'on attend.", "c'est-a-dire", "reformulation"),
        ("Le patron a peut-etre raison.", "peut-etre", "hedge"),
        ("Ca fait que on a tout arrêté.", "Ca fait que", "consequence"),
    ],
)
def test_accent_less_variants(blank, text, marker, sense):
    assert (marker, sense) in found(blank(text))


@pytest.mark.parametrize(
    "text, marker",
    [
        ("D'ailleurs, le sujet revient souvent.", "D'ailleurs"),
        ("D’ailleurs, le sujet revient souvent.", "D’ailleurs"),  # typographic apostrophe, unnormalised
        ("On reste parce qu'il faut être là.", "parce qu'"),
        ("On reste parce qu’il faut être là.", "parce qu’"),
        ("On forme les gens afin d'éviter les crises.", "afin d'"),
        ("Lorsqu'on publie, on répond.", "Lorsqu'"),
        ("On attend jusqu'à ce qu'elle réponde.", "jusqu'à ce qu'"),
        ("Peut-être que le patron changera d'avis.", "Peut-être que"),  # capitalised: tokenised differently
        ("Il viendra, même s'il pleut.", "même s'il"),
        ("On a réussi grâce aux employés.", "grâce aux"),
    ],
)
def test_apostrophes_and_elisions(blank, text, marker):
    assert marker in [t for t, _ in found(blank(text))]


def test_every_span_has_a_rule_id_and_a_valid_sense(blank):
    doc = blank("Certes, c'est cher. Mais en revanche, le retour est rapide; par conséquent, on signe. Bref, on y va.")
    spans = list(doc.spans[MARKERS])
    assert len(spans) >= 4
    component = blank.get_pipe("discours_markers")
    for span in spans:
        assert span.label_ in SENSES
        assert span.id_ in component.ids
        assert span.id_.startswith(f"marker.{span.label_}.")


def test_checks_that_need_pos_stay_silent_on_a_blank_pipeline(blank):
    # without a tagger "comme" cannot be told apart from the comparison: no cause is invented
    assert found(blank("Comme les PME manquent de temps, elles délèguent.")) == []


def test_user_entries_from_a_list_and_a_file(tmp_path):
    entry = {"id": "marker.concession.nonobstant.v1", "sense": "concession", "forms": ["nonobstant"]}
    nlp = spacy.blank("fr")
    nlp.add_pipe("discours_markers", config={"extra": [entry]})
    assert ("Nonobstant", "concession") in found(nlp("Nonobstant les règles, on publie."))

    path = tmp_path / "mes_marqueurs.json"
    path.write_text(json.dumps({
        "entries": [entry, {"id": "marker.booster.en_titi.v1", "sense": "booster", "forms": ["en titi"], "variety": "qc"}],
        "exclusions": [{"id": "exclusion.par_consequent.v1", "forms": ["par conséquent"]}],
    }), encoding="utf-8")
    nlp = spacy.blank("fr")
    component = nlp.add_pipe("discours_markers", config={"extra": str(path)})
    doc = nlp("C'est utile en titi. Par conséquent, on reste.")
    assert found(doc) == [("en titi", "booster")]
    assert component.ids[0] == "marker.concession.nonobstant.v1"  # user entries are tried first


def test_a_user_entry_replaces_the_shipped_entry_with_the_same_id():
    nlp = spacy.blank("fr")
    nlp.add_pipe("discours_markers", config={"extra": [
        {"id": "marker.conclusion.en_somme.v1", "sense": "reformulation", "forms": ["en somme"]}]})
    assert found(nlp("En somme, on y va.")) == [("En somme", "reformulation")]


def test_add_entries_after_construction(blank):
    nlp = spacy.blank("fr")
    component = nlp.add_pipe("discours_markers")
    n = len(component)
    component.add_entries([{"id": "marker.addition.itou.v1", "sense": "addition", "forms": ["itou"]}])
    assert len(component) == n + 1
    assert ("itou", "addition") in found(nlp("Moi itou, je reste."))


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"id": "marker.x.y.v1", "sense": "surprise", "forms": ["tiens"]}, "unknown sense 'surprise'"),
        ({"id": "marker.cause.y.v1", "sense": "cause", "forms": []}, "no usable 'forms'"),
        ({"id": "marker.cause.y.v1", "sense": "cause", "forms": ["vu"], "check": "devine"}, "unknown check 'devine'"),
        ({"sense": "cause", "forms": ["vu"]}, "without a string 'id'"),
    ],
)
def test_bad_user_entries_fail_with_a_clear_message(entry, message):
    nlp = spacy.blank("fr")
    with pytest.raises(ValueError, match=re.escape(message)):
        nlp.add_pipe("discours_markers", config={"extra": [entry]})


def test_missing_extra_file_is_reported(tmp_path):
    nlp = spacy.blank("fr")
    with pytest.raises(ValueError, match="extra lexicon file not found"):
        nlp.add_pipe("discours_markers", config={"extra": str(tmp_path / "absent.json")})


def test_component_round_trips_to_disk_and_bytes(tmp_path):
    extra = [{"id": "marker.concession.nonobstant.v1", "sense": "concession", "forms": ["nonobstant"]}]
    nlp = spacy.blank("fr")
    component = nlp.add_pipe("discours_markers", config={"extra": extra})
    text = "Nonobstant le coût, on publie. Par conséquent, tout le monde s'y met."
    expected = triples(nlp(text))

    component.to_disk(tmp_path / "markers")
    other = spacy.blank("fr")
    restored = other.add_pipe("discours_markers", config={"use_default": False})
    assert len(restored) == 0
    restored.from_disk(tmp_path / "markers")
    assert restored.entries == component.entries and restored.exclusions == component.exclusions
    assert triples(other(text)) == expected

    third = spacy.blank("fr").add_pipe("discours_markers", config={"use_default": False})
    assert isinstance(third, DiscourseMarkers)
    third.from_bytes(component.to_bytes())
    assert third.entries == component.entries

    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert triples(loaded(text)) == expected


def test_overwrite_false_appends_to_an_existing_group():
    nlp = spacy.blank("fr")
    nlp.add_pipe("discours_markers", config={"overwrite": False})
    doc = nlp.make_doc("Certes, c'est cher.")
    doc.spans[MARKERS] = [doc[4:5]]
    doc = nlp.get_pipe("discours_markers")(doc)
    assert [s.text for s in doc.spans[MARKERS]] == ["cher", "Certes"]


def test_errors_go_to_the_pipeline_error_handler(monkeypatch):
    nlp = spacy.blank("fr")
    component = nlp.add_pipe("discours_markers")
    seen = []

    def boom(doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(component, "match", boom)
    component.set_error_handler(lambda name, proc, docs, exc: seen.append((name, str(exc))))
    nlp("Certes.")
    assert seen == [("discours_markers", "boom")]


# ----------------------------------------------------------------------------- with fr_core_news_sm


@pytest.fixture(scope="module")
def parse():
    """Run the real pipeline up to and including the markers (later components are not needed)."""
    from discours.pipeline import get_nlp

    nlp = get_nlp()
    names = nlp.pipe_names
    after = names[names.index("discours_markers") + 1:]

    def run(text: str):
        return nlp(text, disable=after)

    return run


AMBIGUOUS = [
    # or: the conjunction vs the metal
    ("Or, les PME hésitent encore à se lancer.", "Or", "contrast"),
    ("Or la plupart des directions ignorent ce canal.", "Or", "contrast"),
    ("Le prix de l'or a explosé et les bijoux en or se vendent mal.", "or", None),
    ("Il a gagné une médaille d'or aux Jeux.", "or", None),
    # comme: cause only with a clause-initial subject + finite verb
    ("Comme les PME manquent de temps, elles délèguent la page à un stagiaire.", "Comme", "cause"),
    ("Comme l'a observé Trudel, le cadre juridique reste flou.", "Comme", None),
    ("On se sert du règlement comme un bouclier.", "comme", None),
    ("Comme je le disais plus haut, la transparence paie.", "Comme", None),
    # si: conjunction vs intensifier, answer, indirect question
    ("Si vous publiez, répondez aux commentaires.", "Si", "condition"),
    ("C'est si important pour une marque.", "si", None),
    ("Tu ne viens pas ? Si, je viens.", "Si", None),
    ("Je me demande si ça marche vraiment.", "si", None),
    ("S'il pleut, on reste.", "S'il", "condition"),
    # alors
    ("Alors, on commence par quoi ?", "Alors", "consequence"),
    ("Il était alors directeur des communications.", "alors", "temporal"),
    ("Alors que les PME hésitent, les grandes marques foncent.", "Alors que", "contrast"),
    # pour
    ("Pour convaincre le patron, il faut des chiffres.", "Pour", "goal"),
    ("Qu'ils s'arrangent pour leur donner la parole.", "pour", "goal"),
    ("Une offre pour les PME de la région.", "pour", None),
    ("Je suis pour augmenter les contrôles.", "pour", None),
    # et
    ("Et pourtant, la page fonctionne bien.", "Et", "addition"),
    ("Les coûts et les délais explosent.", "et", None),
    # puis
    ("Puis il a fermé le compte.", "Puis", "enumeration"),
    ("On a écouté, puis on a répondu.", "puis", "temporal"),
    ("Je ne puis accepter cette politique.", "puis", None),
    # aussi
    ("Aussi faut-il former les employés.", "Aussi", "consequence"),
    ("Moi aussi je pense que c'est utile.", "aussi", "addition"),
    ("Il est aussi efficace que la radio.", "aussi", None),
    # quand / quand même
    ("Quand on me parle de risque, je souris.", "Quand", "temporal"),
    ("Quand est-ce que tu publies ?", "Quand", None),
    ("C'est quand même cher pour une PME.", "quand même", "booster"),
    ("Il a publié quand même.", "quand même", "concession"),
    # bien que vs adverb bien
    ("Bien qu'il soit tard, on continue la discussion.", "Bien qu'", "concession"),
    ("Il sait bien que la page est morte.", "bien que", None),
    # ainsi / ainsi que
    ("Ainsi, la marque gagne en visibilité.", "Ainsi", "consequence"),
    ("Il faut ainsi revoir toute la stratégie.", "ainsi", None),
    ("Les employés ainsi que les clients participent.", "ainsi que", "addition"),
    ("Ainsi que le souligne l'auteur, le risque est faible.", "Ainsi", None),
    # bref, soit, vu, en fait, d'où, de plus
    ("Bref, il faut y aller.", "Bref", "conclusion"),
    ("Voici un bref rappel des faits.", "bref", None),
    ("Les clients, soit 30 % du chiffre, viennent du web.", "soit", "reformulation"),
    ("Il faut qu'il soit présent.", "soit", None),
    ("Vu le contexte, on attend.", "Vu", "cause"),
    ("J'ai vu le directeur hier.", "vu", None),
    ("En fait, personne ne lit la politique.", "En fait", "reformulation"),
    ("Il en fait partie depuis 2010.", "en fait", None),
    ("D'où la nécessité d'une charte.", "D'où", "consequence"),
    ("D'où vient ce blocage ?", "D'où", None),
    ("De plus, les coûts sont faibles.", "De plus", "addition"),
    # enfin, finalement, en même temps
    ("Enfin, il faut mesurer le retour.", "Enfin", "enumeration"),
    ("C'est cher, enfin, pas tant que ça.", "enfin", "reformulation"),
    ("Il a enfin compris l'intérêt.", "enfin", "temporal"),
    ("Finalement, la page a été fermée.", "Finalement", "conclusion"),
    ("Il a finalement accepté de publier.", "finalement", "temporal"),
    ("En même temps, c'est normal d'avoir peur.", "En même temps", "concession"),
    ("Ils publient et répondent en même temps.", "en même temps", "temporal"),
    # car, plutôt, tel que, je pense
    ("Le car est parti en retard car il neigeait.", "car", "cause"),
    ("Plutôt oui, si le budget suit.", "Plutôt", "hedge"),
    ("Il faudrait plutôt former les cadres.", "plutôt", "contrast"),
    ("Des réseaux tels que LinkedIn ou Twitter.", "tels que", "illustration"),
    ("Tel que prévu, la page ouvre lundi.", "Tel que", None),
    ("Je pense que c'est une erreur.", "Je pense", "hedge"),
    ("Je pense à toi.", "Je pense", None),
    ("Je crois plutôt que cela va échouer.", "plutôt que", None),
    ("On garde le français plutôt que l'anglais.", "plutôt que", "contrast"),
    ("Je crois bien plus à la proximité.", "Je crois", None),
    ("Il n'a jamais été aussi riche.", "aussi", None),
    # pour que, si on veut, autrement, ou alors, question de
    ("On forme les cadres pour que la page vive.", "pour que", "goal"),
    ("Je suis pour que la page reste ouverte.", "pour que", None),
    ("Si on veut protéger la marque, il faut répondre.", "Si", "condition"),
    ("Il faut aider, mais autrement que par des subventions.", "autrement", None),
    ("Autrement, la page restera vide.", "Autrement", "condition"),
    ("Il faut répondre ou alors fermer la page.", "alors", None),
    ("Il est hors de question d'imposer une charte.", "question d'", None),
    # Quebec
    ("Pis là, le patron a dit non.", "Pis", "addition"),
    ("Tant pis pour eux.", "pis", None),
    ("Fait que, on a tout arrêté.", "Fait que", "consequence"),
    ("Le fait que la page existe ne suffit pas.", "fait que", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("text, marker, sense", AMBIGUOUS)
def test_ambiguous_forms_in_context(parse, text, marker, sense):
    spans = dict(found(parse(text)))
    if sense is None:
        assert marker not in spans, spans
    else:
        assert spans.get(marker) == sense, spans


@pytest.mark.slow
def test_markers_on_the_seed_post(parse, seed_dir):
    from discours.api import _to_spacy
    from discours.corpus import read_corpus
    from discours.pipeline import get_nlp

    nlp = get_nlp()
    names = nlp.pipe_names
    after = names[names.index("discours_markers") + 1:]
    got: set[tuple[str, str]] = set()
    for document in read_corpus(seed_dir).documents:
        doc = nlp(_to_spacy(nlp, document), disable=after)
        got |= {(s.text, s.label_) for s in doc.spans[MARKERS]}
    for expected in [("D'ailleurs", "addition"), ("Mais", "contrast"), ("même s'il", "concession"),
                     ("de toute manière", "concession"), ("Tout d'abord", "enumeration"), ("puisque", "cause"),
                     ("à tel point qu'", "consequence"), ("Alors", "consequence"), ("C'est alors que", "temporal")]:
        assert expected in got
    assert ("Comme", "cause") not in got  # "Comme l'a observé la US Air Force, ..."
