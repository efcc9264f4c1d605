"""Plain-text dumps whose comments have no numbers: an author line then a date line."""
from __future__ import annotations

from discours.corpus.text import read_text

DUMP = """Le ROI des médias sociaux, encore

Le ROI, toujours le ROI. Mes clients me demandent des chiffres.

Commentaires

Luc Gagnon
12 mars 2009 à 10:15

Bon point. Mais les chiffres existent.

Répondre

Marie-Ève Roy
13 mars 2009 à 8:02

Je doute que ce soit si simple.

Répondre
"""


def test_author_then_date_comments():
    docs = read_text(DUMP, doc_id="roi", source="roi.txt")
    assert [(d.part, d.author, d.date) for d in docs] == [
        ("post", None, None),
        ("comment", "Luc Gagnon", "2009-03-12T10:15"),
        ("comment", "Marie-Ève Roy", "2009-03-13T08:02"),
    ]
    assert docs[1].text == "Bon point. Mais les chiffres existent."
    assert "Répondre" not in docs[2].text


def test_author_with_date_on_one_line():
    text = "Titre court\n\nCorps du billet.\n\nRéponses\n\nPaul Roy le 3 mai 2012 à 10:15\nTrès juste.\n"
    docs = read_text(text, doc_id="t", source="t.txt")
    assert (docs[1].author, docs[1].date, docs[1].text) == ("Paul Roy", "2012-05-03T10:15", "Très juste.")


WEB_EXCERPT = """Aller au contenu principal
Magazine Société
01 23 45 67 89
Par Julie Tremblay | 12 mars 2021 | 4 commentaires
Pourquoi les PME québécoises boudent encore LinkedIn

Beaucoup de dirigeants de PME nous disent qu'ils n'ont pas le temps de publier. Pourtant, une publication par semaine suffit.

Certes, le budget est limité. Mais les résultats suivent quand on s'y tient.
"""


def test_site_noise_above_a_web_page_is_neither_title_nor_content():
    post = read_text(WEB_EXCERPT, doc_id="pme", source="pme.txt")[0]
    assert post.title == "Pourquoi les PME québécoises boudent encore LinkedIn"
    assert (post.author, post.date) == ("Julie Tremblay", "2021-03-12")
    text = post.text
    for noise in ("Magazine Société", "01 23 45 67 89", "Aller au contenu", "4 commentaires"):
        assert noise not in text
    assert "Magazine Société" in post.boilerplate and post.blocks[1].text.startswith("Beaucoup de dirigeants")


def test_a_plain_title_and_byline_keep_the_usual_reading():
    dump = ("Faut-il quitter Facebook ?\n\nPar Marc Gagnon, 3 mars 2024\n\n"
            "Notre cabinet a fermé sa page l'an dernier, et personne ne nous l'a reproché depuis.\n")
    post = read_text(dump, doc_id="fb", source="fb.txt")[0]
    assert (post.title, post.author, post.date) == ("Faut-il quitter Facebook ?", "Marc Gagnon", "2024-03-03")
    assert post.boilerplate == [] and post.text.endswith("reproché depuis.")
