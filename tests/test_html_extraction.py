"""HTML main text through trafilatura: blocks from its XML, the fallback, comments it alone finds."""
from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from discours.corpus import read_corpus
from discours.corpus.extraction import xml_to_blocks
from discours.corpus.html import read_html
from discours.corpus.records import read_json
from discours.corpus.structure import Boilerplate

BP = Boilerplate.default()

NEWS = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Les communes hésitent encore sur Instagram - Le Journal du Val</title>
<meta name="author" content="Claire Dumont"><meta property="article:published_time" content="2023-06-14T06:00:00+02:00"></head>
<body><header class="site"><a href="/">Le Journal du Val</a><nav><a>Politique</a> <a>Sport</a> <a>Météo</a></nav></header>
<main><article><header><h1>Les communes hésitent encore sur Instagram</h1>
<p class="chapo">Une enquête auprès de 300 mairies montre que seules 12 % publient chaque semaine sur le réseau.</p></header>
<div class="corps-article">
<p>Le manque de temps arrive en tête des raisons invoquées par les services de communication, souvent réduits à une ou deux personnes.</p>
<h2>La crainte des commentaires</h2>
<p>Viennent ensuite les craintes pour l'image : « Une photo mal choisie et c'est la polémique », résume une chargée de communication.</p>
<ul><li>publier moins mais régulièrement;</li><li>modérer selon une charte publiée.</li></ul>
</div></article></main>
<section class="a-lire-aussi"><h2>À lire aussi</h2><p><a>Inflation : les boulangers face au prix de l'énergie</a></p></section>
<footer><p>© Le Journal du Val — Mentions légales — Politique de confidentialité</p></footer></body></html>"""


def test_news_page_blocks_metadata_and_extraction_column(tmp_path: Path) -> None:
    path = tmp_path / "communes.html"
    path.write_text(NEWS, encoding="utf-8")
    (post,) = read_corpus(path).documents
    assert (post.title, post.author, post.date) == ("Les communes hésitent encore sur Instagram", "Claire Dumont", "2023-06-14T06:00")
    assert post.meta["extraction"] == "trafilatura"
    kinds = [b.kind for b in post.blocks]
    assert kinds[0] == "title" and "heading" in kinds and kinds.count("list_item") == 2
    text = post.text
    assert "seules 12 % publient" in text  # the standfirst in the article's own <header> is kept
    for junk in ("Politique", "Météo", "À lire aussi", "boulangers", "Mentions légales"):
        assert junk not in text, junk


def test_fallback_when_trafilatura_finds_nothing() -> None:
    page = "<html><body><nav><a>Accueil</a> <a>Archives</a></nav></body></html>"
    (post,) = read_html(page, doc_id="n", source="n.html")
    assert post.meta["extraction"] == "fallback" and post.text == "Accueil Archives"


def test_comments_in_unknown_markup_come_from_trafilatura() -> None:
    page = """<html><head><title>Faut-il un compte TikTok ?</title></head><body><article><h1>Faut-il un compte TikTok ?</h1>
    <p>Pour une caisse populaire, la question se pose autrement que pour une marque de vêtements : le public n'est pas le même.</p>
    <p>Nous avons choisi d'attendre un an avant de décider, le temps d'observer ce que font les autres institutions.</p></article>
    <div class="comments"><h3>Vos réactions</h3><p>Sage décision, mieux vaut observer avant de se lancer.</p>
    <p>Je ne suis pas d'accord, un an c'est une éternité sur ces réseaux.</p></div></body></html>"""
    docs = read_html(page, doc_id="t", source="t.html")
    post, comments = docs[0], docs[1:]
    assert "Sage décision" not in post.text
    assert [c.text for c in comments if "Sage" in c.text or "éternité" in c.text]
    assert all(c.parent_id == "t" and c.author is None and c.meta["extraction"] == "trafilatura" for c in comments)


def test_xml_blocks_line_breaks_nested_lists_quotes_tables() -> None:
    body = etree.fromstring(
        "<body><p>Un<lb/>deux <hi rend='#b'>trois</hi>.</p><head rend='h2'>Intertitre</head>"
        "<list><item>a<list><item>b</item></list></item></list><quote><p>« Citée. »</p></quote>"
        "<p>Il a dit <quote>« non »</quote> hier.</p><table><row><cell>Avant</cell><cell>Après</cell></row></table>"
        "<p>Imprimez ce billet</p></body>"
    )
    removed: list[str] = []
    blocks = xml_to_blocks(body, boilerplate=BP, removed=removed)
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Un deux trois."), ("heading", "Intertitre"), ("list_item", "a"), ("list_item", "b"),
        ("quote", "« Citée. »"), ("paragraph", "Il a dit « non » hier."), ("paragraph", "Avant"), ("paragraph", "Après"),
    ]
    assert removed == ["Imprimez ce billet"]


def test_json_record_blocks_are_kept() -> None:
    record = {"title": "Bloguer ?", "text": "ignoré quand blocks est là",
              "blocks": [{"kind": "heading", "text": "Pourquoi"}, {"kind": "list_item", "text": "le temps"},
                         {"kind": "mystère", "text": "un paragraphe"}, {"kind": "title", "text": "Bloguer ?"}],
              "comments": [{"id": "c1", "author": "Marc", "blocks": [{"kind": "paragraph", "text": "Oui."}]},
                           {"id": "c2", "reply_to": "c1", "text": "Non."}]}
    docs = read_json(json.dumps(record), doc_id="b", source="b.json")
    assert [(b.kind, b.text) for b in docs[0].blocks] == [
        ("title", "Bloguer ?"), ("heading", "Pourquoi"), ("list_item", "le temps"), ("paragraph", "un paragraphe")]
    assert "blocks" not in docs[0].meta
    assert [(d.text, d.parent_id) for d in docs[1:]] == [("Oui.", "b"), ("Non.", "b.c1")]


def test_trafilatura_and_justext_import() -> None:
    # justext (trafilatura's fallback) needs lxml.html.clean, a separate package since lxml 5.2:
    # without lxml_html_clean declared, `import trafilatura` fails on a fresh install.
    import justext  # noqa: F401
    import lxml_html_clean  # noqa: F401
    import trafilatura  # noqa: F401


import pytest  # noqa: E402


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Article réservé aux abonnés", "boilerplate.paywall.v1"),
        ("Il vous reste 62 % de cet article à lire.", "boilerplate.paywall.v1"),
        ("Lire aussi : Les réseaux sociaux, nouvel eldorado des recruteurs", "boilerplate.read_also_link.v1"),
        ("Publicité", "boilerplate.ad_label.v1"),
        ("Voir aussi les chiffres de l'Insee, qui montrent une hausse.", None),
        ("La publicité en ligne coûte cher.", None),
    ],
)
def test_news_site_boilerplate_lines(line: str, rule: str | None) -> None:
    assert BP.match(line) == rule
