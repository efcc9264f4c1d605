"""Document structure: the seed through the public API, the .txt reader's comment styles, dates, headings."""
from __future__ import annotations

from pathlib import Path

import pytest

from discours.corpus import read_corpus
from discours.corpus.dates import is_date_line, parse_date
from discours.corpus.structure import (
    Boilerplate,
    is_heading_line,
    is_signature_line,
    text_to_blocks,
)
from discours.corpus.text import read_text

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_corpus():
    if not SEED.exists():
        pytest.skip("../shared/seed is not available here")
    return read_corpus(str(SEED))


def test_seed_post_structure(seed_corpus) -> None:
    assert not seed_corpus.errors
    (post,) = seed_corpus.posts
    assert post.title == "Le clou final aux paranos des enjeux de relations publiques sur les médias sociaux"
    assert post.blocks[0].kind == "title"
    assert len(post.blocks_of("list_item")) == 6
    assert [b.text for b in post.blocks_of("heading")] == ["Ma réponse béton"]
    assert post.blocks_of("list_item")[0].text == "nous sommes dans une industrie très réglementée,"
    assert "Pin It" not in post.text and "Imprimez ce billet" not in post.text
    assert post.boilerplate[0] == "Pin It"
    assert post.author is None and post.date is None  # not in the file: never invented


def test_seed_comment(seed_corpus) -> None:
    (post,) = seed_corpus.posts
    (comment,) = seed_corpus.comments
    assert comment.author == "Marc Desjardins"
    assert comment.parent_id == post.doc_id and comment.post_id == post.doc_id
    assert comment.date is None
    assert comment.blocks[-1].kind == "signature" and comment.blocks[-1].text == "Marc"
    assert comment.blocks[0].text.startswith("Michelle, pour être franc")
    assert len(comment.blocks_of("paragraph")) == 4


# --------------------------------------------------------------------------- .txt comment styles


def test_txt_said_style_and_reply_marker() -> None:
    text = """Faut-il une politique d'utilisation ?
Publié le 2 février 2010 par Roger Viau

Oui, d'une page, pas de vingt.

Vos réactions

Martine Caron a dit :
3 février 2010 à 9 h 30
Une page, c'est ambitieux pour nos avocats.

Roger Viau a écrit : (en réponse à Martine Caron)
Ils s'y feront.
-- Roger

Kim a dit :
@Martine Caron je confirme, chez nous aussi.
"""
    docs = read_text(text, doc_id="pol", source="pol.txt")
    post = docs[0]
    assert (post.title, post.author, post.date) == ("Faut-il une politique d'utilisation ?", "Roger Viau", "2010-02-02")
    assert [(d.doc_id, d.author, d.date, d.parent_id) for d in docs[1:]] == [
        ("pol.c1", "Martine Caron", "2010-02-03T09:30", "pol"),
        ("pol.c2", "Roger Viau", None, "pol.c1"),
        ("pol.c3", "Kim", None, "pol.c1"),
    ]
    assert docs[2].blocks[-1].kind == "signature" and docs[2].blocks[-1].text == "Roger"


def test_txt_separator_style_and_numbered_with_glued_signature() -> None:
    text = """Bloguer en région

Les PME de Rimouski peuvent-elles bloguer ? Oui.

Commentaires

---
Nicole Dubé
12/09/2011
Chez nous, personne n'a le temps.
Nicole
---
Un lecteur anonyme qui ne signe pas.
"""
    docs = read_text(text, doc_id="reg", source="reg.txt")
    assert [(d.author, d.date, d.parent_id) for d in docs[1:]] == [("Nicole Dubé", "2011-09-12", "reg"), (None, None, "reg")]
    assert [b.kind for b in docs[1].blocks] == ["paragraph", "signature"]
    assert docs[2].text == "Un lecteur anonyme qui ne signe pas."

    numbered = """Les trolls

Il faut modérer, pas fermer.

2 commentaires

  #1 Paul Roy
     4 mai 2012
     Bien dit, merci pour les exemples concrets.
     -- Paul, modérateur bénévole
  #2 Léa (en réponse à Paul Roy)
     D'accord avec Paul.
"""
    docs = read_text(numbered, doc_id="t", source="t.txt")
    assert [(d.author, d.date, d.parent_id) for d in docs[1:]] == [("Paul Roy", "2012-05-04", "t"), ("Léa", None, "t.c1")]
    assert docs[1].blocks[-1] == docs[1].blocks_of("signature")[0]
    assert docs[1].blocks[-1].text == "Paul, modérateur bénévole"
    assert not docs[1].blocks_of("list_item")  # "--" is a signature, never a bullet


def test_txt_reply_to_a_handle() -> None:
    text = "Titre court\n\nTexte du billet.\n\nCommentaires\n\n1. @ClemCom\nBof.\n2. Zoé\n@ClemCom pas d'accord.\n"
    docs = read_text(text, doc_id="h", source="h.txt")
    assert [(d.author, d.parent_id) for d in docs[1:]] == [("@ClemCom", "h"), ("Zoé", "h.c1")]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("14 mars 2024 à 9 h 12", "2024-03-14T09:12"),
        ("Publié le 1er février 2011", "2011-02-01"),
        ("mardi 3 mai 2011, 22:05", "2011-05-03T22:05"),
        ("2013-02-26T07:45:00-05:00", "2013-02-26T07:45"),
        ("12/09/2011", "2011-09-12"),
        ("March 3, 2015 9:14 PM", "2015-03-03T21:14"),
        ("sept. 2019", "2019-09"),
        ("hier soir", None),
        ("", None),
        ("31 février 2011", None),   # impossible day: no date rather than a wrong one
        ("29 février 2012", "2012-02-29"),
        ("29/02/2013", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_is_date_line() -> None:
    assert is_date_line("18 novembre 2009 à 8 h 05")
    assert is_date_line("Le 4 mai 2012")
    assert not is_date_line("En 2012, nous avons ouvert la page le 4 mai 2012 avec trois employés.")


# --------------------------------------------------------------------------- headings, blocks, signatures


@pytest.mark.parametrize(
    ("line", "nxt", "expected"),
    [
        ("Ma réponse béton", "Imaginez une organisation…", True),
        ("Et les concurrents, eux ?", "Oui, ils vont vous lire.", True),
        ("« Nos clients ne sont pas là »", "Les avez-vous cherchés ?", True),
        ("Voici les trois raisons :", "- le coût", False),  # introduces a list
        ("La réponse est de toute évidence non.", "Alors…", False),  # a sentence
        ("minuscule au début", "Suite.", False),
        ("Un intertitre en fin de texte", None, False),  # nothing follows
        ("Est-ce que vous trouvez vraiment que cette question rhétorique est courte ?", "Non.", False),
    ],
)
def test_is_heading_line(line: str, nxt: str | None, expected: bool) -> None:
    assert is_heading_line(line, nxt, True, True) is expected


def test_text_to_blocks_edge_cases() -> None:
    text = (
        "Pourquoi pas ?\n\n"
        "Parce que :\n- le coût\n• le temps\n\n"
        "2. Il faut un numéro seul ? Non, ceci est un paragraphe.\n\n"
        "1. premier\n2. second\n\n"
        "> Une citation\n> sur deux lignes\n\n"
        "## Intertitre Markdown\n\n"
        "Un paragraphe\ncoupé en deux lignes."
    )
    blocks = text_to_blocks(text)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Pourquoi pas ?"),
        ("paragraph", "Parce que :"),
        ("list_item", "le coût"),
        ("list_item", "le temps"),
        ("paragraph", "2. Il faut un numéro seul ? Non, ceci est un paragraphe."),
        ("list_item", "premier"),
        ("list_item", "second"),
        ("quote", "Une citation sur deux lignes"),
        ("heading", "Intertitre Markdown"),
        ("paragraph", "Un paragraphe coupé en deux lignes."),
    ]


def test_text_to_blocks_boilerplate_and_signatures() -> None:
    removed: list[str] = []
    blocks = text_to_blocks("Pin It\n\nTexte utile.\n\nPartager sur Facebook\nTweet", removed=removed)
    assert [b.text for b in blocks] == ["Texte utile."]
    assert removed == ["Pin It", "Partager sur Facebook", "Tweet"]
    extra = Boilerplate.with_extra([r"publicité\s*:.*"])
    assert [b.text for b in text_to_blocks("Publicité : achetez !\n\nVrai texte.", boilerplate=extra)] == ["Vrai texte."]
    glued = text_to_blocks("Merci pour le billet.\nJulie", detect_signature=True, signature_author="Julie Paquin")
    assert [(b.kind, b.text) for b in glued] == [("paragraph", "Merci pour le billet."), ("signature", "Julie")]
    wrapped = text_to_blocks("Je parlais de la firme de\nMontréal", detect_signature=True)
    assert [b.kind for b in wrapped] == ["paragraph"]  # a hard-wrapped sentence, not a signature


@pytest.mark.parametrize(
    ("line", "author", "expected"),
    [
        ("Marc", "Marc Desjardins", True),
        ("-- Hélène, conseillère RP", None, True),
        ("Karine, stratège en contenu", "Karine Ouellet", True),
        ("Merci !", None, False),
        ("Bravo", None, False),
        ("Marc, tu as raison.", "Marc Desjardins", False),
    ],
)
def test_is_signature_line(line: str, author: str | None, expected: bool) -> None:
    assert is_signature_line(line, author) is expected
