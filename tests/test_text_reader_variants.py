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
