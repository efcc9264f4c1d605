"""A full WordPress page (theme, widgets, Jetpack, threaded comments) read into clean documents."""
from __future__ import annotations

from pathlib import Path

import discours

PAGE = Path(__file__).parent / "data" / "wordpress_billet.html"


def _docs():
    return list(discours.read_corpus(PAGE))


def test_post_metadata_and_structure():
    post = _docs()[0]
    assert (post.part, post.title, post.author, post.date) == (
        "post", "Pourquoi votre PME devrait bloguer", "Julie Tremblay", "2011-03-14T09:12")
    kinds = [b.kind for b in post.blocks]
    assert kinds.count("list_item") == 3 and "heading" in kinds and "quote" in kinds
    assert post.blocks[-1].text == "Bref, bloguez."


def test_widgets_are_removed_not_lost():
    post = _docs()[0]
    text = post.text
    for junk in ("J'aime chargement", "Partager", "Articles récents", "Laisser un commentaire", "Billet précédent",
                 "témoins", "Propulsé par WordPress", "Accueil"):
        assert junk not in text, junk
    # removed lines stay inspectable
    assert "J'aime chargement…" in post.boilerplate


def test_threaded_comments():
    comments = _docs()[1:]
    assert [(c.author, c.date, c.parent_id) for c in comments] == [
        ("Marc Gagnon", "2011-03-14T11:02", "wordpress_billet"),
        ("Julie Tremblay", "2011-03-14T12:30", "wordpress_billet.c1"),
        ("Sophie L.", "2011-03-15T08:45", "wordpress_billet"),
    ]
    assert comments[2].text == "Excellent billet! Je partage avec mon patron. 🙂"
    assert all("Répondre" not in c.text and "dit :" not in c.text for c in comments)
