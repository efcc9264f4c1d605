"""Format readers (.md, .html, .json, .jsonl, .csv) through read_file/read_corpus, on hand-written French posts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from discours.corpus import read_corpus, read_file
from discours.corpus.html import html_to_blocks, read_html
from discours.corpus.markdown import parse_comment_heading, read_markdown, strip_inline
from discours.corpus.records import read_csv, read_json, read_jsonl
from discours.errors import ReadError


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def kinds(doc) -> list[str]:
    return [b.kind for b in doc.blocks]


# --------------------------------------------------------------------------- Markdown

MD_POST = """---
title: "Infolettre ou page Facebook : faut-il choisir ?"
author: Sandrine Bolduc
date: 2016-04-05
tags: [infolettre, facebook]
blogue: Le carnet de la coop
---

# Infolettre ou page Facebook : faut-il choisir ?

Depuis janvier, notre **coopérative d'alimentation** publie deux fois par semaine sur Facebook.
Le conseil d'administration m'a demandé un [bilan chiffré](https://exemple.org/bilan) ![graphique](g.png).

## Ce que disent les chiffres

- la page rejoint 900 personnes par publication,
  surtout des membres déjà fidèles;
* l'infolettre est ouverte par 41 % des abonnés;
+ le `taux de clics` est comparable.

> « On ne choisit pas un canal, on choisit un public. »

Conclusion : les deux, mais pas au même rythme.

## Commentaires

### Luc Fortier — 2016-04-06

Bon bilan. Chez nous, _l'infolettre_ rapporte davantage.

Luc

### Sandrine Bolduc — 2016-04-06 — en réponse à Luc Fortier

Merci Luc, c'est aussi notre impression.

### Mireille Tardif (7 avril 2016)

Et le temps de rédaction, vous le comptez ?
"""


def test_markdown_front_matter_and_body(tmp_path: Path) -> None:
    docs = read_file(write(tmp_path, "bilan.md", MD_POST))
    post = docs[0]
    assert post.title == "Infolettre ou page Facebook : faut-il choisir ?"
    assert post.author == "Sandrine Bolduc"
    assert post.date == "2016-04-05"  # a YAML date object, normalised
    assert post.meta["tags"] == ["infolettre", "facebook"]
    assert post.meta["blogue"] == "Le carnet de la coop"
    # the H1 repeating the title is not kept twice
    assert kinds(post) == ["title", "paragraph", "heading", "list_item", "list_item", "list_item", "quote", "paragraph"]
    assert post.blocks[1].text == (
        "Depuis janvier, notre coopérative d'alimentation publie deux fois par semaine sur Facebook. "
        "Le conseil d'administration m'a demandé un bilan chiffré."
    )
    assert post.blocks[3].text == "la page rejoint 900 personnes par publication, surtout des membres déjà fidèles;"
    assert post.blocks[5].text == "le taux de clics est comparable."
    assert post.blocks[6].text == "« On ne choisit pas un canal, on choisit un public. »"


def test_markdown_comments_replies_and_signature(tmp_path: Path) -> None:
    docs = read_file(write(tmp_path, "bilan.md", MD_POST))
    rows = [(d.doc_id, d.part, d.author, d.date, d.parent_id) for d in docs[1:]]
    assert rows == [
        ("bilan.c1", "comment", "Luc Fortier", "2016-04-06", "bilan"),
        ("bilan.c2", "comment", "Sandrine Bolduc", "2016-04-06", "bilan.c1"),
        ("bilan.c3", "comment", "Mireille Tardif", "2016-04-07", "bilan"),
    ]
    assert docs[1].blocks[-1].kind == "signature" and docs[1].blocks[-1].text == "Luc"
    assert docs[1].blocks[0].text == "Bon bilan. Chez nous, l'infolettre rapporte davantage."
    assert "Commentaires" not in docs[0].text


def test_markdown_without_front_matter_takes_h1_title() -> None:
    md = "Intro perdue\n\n# Pourquoi bloguer en 2012\n\nParce que vos clients cherchent.\n"
    (post,) = read_markdown(md, doc_id="m", source="m.md")
    assert post.title == "Pourquoi bloguer en 2012"
    assert post.blocks[0] == post.blocks_of("title")[0]
    assert post.author is None and post.date is None


def test_markdown_bad_yaml_is_a_read_error(tmp_path: Path) -> None:
    bad = '---\ntitle: "RGPD : fermer la page ?\nauthor: [Julie\n---\nTexte.\n'
    with pytest.raises(ReadError, match="YAML front matter"):
        read_file(write(tmp_path, "rgpd.md", bad))


def test_markdown_unparseable_date_is_not_invented() -> None:
    md = "---\ntitle: Essai\ndate: un mardi pluvieux\n---\nTexte du billet.\n"
    (post,) = read_markdown(md, doc_id="e", source="e.md")
    assert post.date is None
    assert post.meta["date_raw"] == "un mardi pluvieux"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Marc Desjardins — 2024-03-14", ("Marc Desjardins", "2024-03-14", None)),
        ("Sophie L. — 2024-03-15 — en réponse à Marc Desjardins", ("Sophie L.", "2024-03-15", "Marc Desjardins")),
        ("Julie Roy (3 mai 2012)", ("Julie Roy", "2012-05-03", None)),
        ("**Anonyme**", ("Anonyme", None, None)),
    ],
)
def test_markdown_comment_headings(heading: str, expected: tuple) -> None:
    assert parse_comment_heading(heading) == expected


def test_strip_inline() -> None:
    assert strip_inline("**Gras**, *italique*, __souligné__ et ~~barré~~ ; snake_case reste") == (
        "Gras, italique, souligné et barré ; snake_case reste"
    )


# --------------------------------------------------------------------------- HTML

HTML_POST = """<!DOCTYPE html>
<html lang="fr"><head>
<meta charset="utf-8">
<title>Les témoins de confiance | Blogue Horizon</title>
<meta name="author" content="Émilie Gagnon">
<meta property="article:published_time" content="2019-10-02T08:30:00-04:00">
<script>var suivi = "ne pas lire";</script>
<style>p { color: red }</style>
</head><body class="single has-sidebar">
<div id="cookie-notice" class="cookie-banner">Ce site utilise des témoins (cookies) pour mesurer l'audience. <button>J'accepte</button></div>
<header class="site-header"><p class="site-title">Blogue Horizon</p></header>
<nav><ul><li>Accueil</li><li>Archives</li></ul></nav>
<main><article class="post category-medias-sociaux tag-social-media">
<h1 class="entry-title">Les témoins de confiance</h1>
<div class="entry-meta">Par <span class="author">Émilie Gagnon</span></div>
<div class="entry-content">
<p>Nos employés parlent déjà de nous<br>sur leurs profils <em>personnels</em>.</p>
<h2>Trois règles simples</h2>
<ul><li>ne rien publier sur les clients;</li><li>signer en son nom<ul><li>jamais au nom de la firme</li></ul></li></ul>
<blockquote><p>La confiance se donne avant de se mériter.</p></blockquote>
<p>Imprimez ce billet</p>
<div class="sharedaddy share-buttons"><h3>Partager :</h3><a>Partager sur Facebook</a> <a>Tweet</a></div>
</div></article></main>
<aside class="sidebar"><h2>Articles récents</h2><p>Un autre billet</p></aside>
<div id="comments" class="comments-area">
<h2 class="comments-title">2 réflexions sur « Les témoins de confiance »</h2>
<ol class="commentlist">
<li class="comment" id="comment-11">
  <div class="comment-author vcard"><cite class="fn">Paul Ménard</cite> <span class="says">dit :</span></div>
  <div class="comment-meta"><time datetime="2019-10-02T12:05:00-04:00">2 octobre 2019 à 12 h 05</time></div>
  <div class="comment-content"><p>Et si un employé dérape ?</p><p>Paul</p></div>
  <div class="reply"><a class="comment-reply-link">Répondre</a></div>
  <ul class="children">
    <li class="comment" id="comment-12">
      <div class="comment-author vcard"><cite class="fn">Émilie Gagnon</cite></div>
      <div class="comment-meta"><time datetime="2019-10-03T09:00:00-04:00">3 octobre 2019</time></div>
      <div class="comment-content"><p>On corrige, en privé d'abord.</p></div>
    </li>
  </ul>
</li>
<li class="comment" id="comment-13">
  <div class="comment-author"><cite class="fn">Anonyme</cite></div>
  <div class="comment-content"><p>Bon rappel.</p></div>
</li>
</ol>
<div id="respond"><form><textarea></textarea></form></div>
</div>
<footer class="site-footer">© 2019 Horizon</footer>
</body></html>
"""


def test_html_post_metadata_blocks_and_cleaning(tmp_path: Path) -> None:
    docs = read_file(write(tmp_path, "temoins.html", HTML_POST))
    post = docs[0]
    assert post.title == "Les témoins de confiance"
    assert post.author == "Émilie Gagnon"
    assert post.date == "2019-10-02T08:30"
    assert kinds(post) == ["title", "paragraph", "heading", "list_item", "list_item", "list_item", "quote"]
    assert post.blocks[1].text == "Nos employés parlent déjà de nous sur leurs profils personnels."
    assert [b.text for b in post.blocks_of("list_item")] == [
        "ne rien publier sur les clients;", "signer en son nom", "jamais au nom de la firme",
    ]
    text = post.text
    for junk in ("témoins (cookies)", "Partager", "Tweet", "Accueil", "Articles récents", "ne pas lire",
                 "Imprimez", "réflexions", "Et si un employé", "Bon rappel", "©"):
        assert junk not in text
    assert "Imprimez ce billet" in post.boilerplate
    assert "Partager sur Facebook" in " ".join(post.boilerplate)


def test_html_wordpress_comments_nesting(tmp_path: Path) -> None:
    docs = read_file(write(tmp_path, "temoins.html", HTML_POST))
    rows = [(d.doc_id, d.author, d.date, d.parent_id, d.text) for d in docs[1:]]
    assert rows == [
        ("temoins.c1", "Paul Ménard", "2019-10-02T12:05", "temoins", "Et si un employé dérape ?\n\nPaul"),
        ("temoins.c2", "Émilie Gagnon", "2019-10-03T09:00", "temoins.c1", "On corrige, en privé d'abord."),
        ("temoins.c3", "Anonyme", None, "temoins", "Bon rappel."),
    ]
    assert docs[1].blocks[-1].kind == "signature"
    assert all(d.post_id == "temoins" and d.part == "comment" for d in docs[1:])


def test_html_generic_and_disqus_comments() -> None:
    page = """<html><head><title>Faut-il répondre aux trolls ?</title></head><body>
    <div class="post-content"><p>Non, sauf exception. Voici pourquoi, en trois points bien comptés.</p></div>
    <div class="comments">
      <div class="comment" id="comment-a1"><span class="author">Nadia</span><span class="date">12/05/2015</span>
        <div class="comment-text"><p>Je réponds toujours, moi.</p></div>
        <div class="replies">
          <div class="comment"><span class="author">Hugo</span><div class="comment-text"><p>Même la nuit ?</p></div></div>
        </div>
      </div>
    </div>
    <div id="disqus_thread"></div>
    </body></html>"""
    docs = read_html(page, doc_id="t", source="t.html")
    assert docs[0].title == "Faut-il répondre aux trolls ?"
    assert docs[0].text.endswith("Non, sauf exception. Voici pourquoi, en trois points bien comptés.")
    assert [(d.author, d.date, d.parent_id, d.text) for d in docs[1:]] == [
        ("Nadia", "2015-05-12", "t", "Je réponds toujours, moi."),
        ("Hugo", None, "t.c1", "Même la nuit ?"),
    ]

    disqus = """<html><body><article><h1>Veille</h1><p>Le texte du billet sur la veille concurrentielle.</p></article>
    <div id="disqus_thread"><ul class="post-list">
      <li class="post"><div class="post-byline"><span class="author">Rémi</span></div>
        <a class="time-ago" title="Tuesday, March 3, 2015 9:14 AM">il y a 9 ans</a>
        <div class="post-message"><p>Très juste.</p></div>
        <ul class="children"><li class="post"><span class="author">Lise</span><div class="post-message"><p>Pas d'accord.</p></div></li></ul>
      </li></ul></div></body></html>"""
    docs = read_html(disqus, doc_id="v", source="v.html")
    assert [(d.author, d.date, d.parent_id, d.text) for d in docs[1:]] == [
        ("Rémi", "2015-03-03T09:14", "v", "Très juste."),
        ("Lise", None, "v.c1", "Pas d'accord."),
    ]
    assert "Très juste" not in docs[0].text


def test_html_only_scripts_is_a_read_error(tmp_path: Path) -> None:
    page = "<html><head><script>app()</script></head><body><div id='app'></div><script>render()</script></body></html>"
    with pytest.raises(ReadError, match="JavaScript"):
        read_file(write(tmp_path, "vide.html", page))


def test_html_inline_spacing_and_title_fallbacks() -> None:
    blocks = html_to_blocks("<p>Un<br>deux <strong>trois</strong><span>quatre</span> cinq&nbsp;!</p><table><tr><td>a</td><td>b</td></tr></table>")
    assert [b.text for b in blocks] == ["Un deux troisquatre cinq !", "a", "b"]
    page = ('<html><head><title>Mesurer le ROI – Le blogue</title><meta property="og:site_name" content="Le blogue">'
            '</head><body><p>Un billet sans balise article mais avec du texte.</p></body></html>')
    (post,) = read_html(page, doc_id="r", source="r.html")
    assert post.title == "Mesurer le ROI"
    assert post.author is None and post.date is None


# --------------------------------------------------------------------------- JSON / JSONL / CSV

JSON_POST = {
    "id": "b-2014-07",
    "title": "Le <em>vrai</em> coût d’une page",
    "author": "Denis Pruneau",
    "date": "2014-07-08",
    "blog": "Gestion & PME",
    "text": "<p>Une page ne coûte rien.</p><p>Le temps, lui, coûte cher.</p>",
    "comments": [
        {"id": 501, "author": "Lucie", "date": "2014-07-08T20:15:00", "text": "Combien d’heures par semaine ?",
         "replies": [{"id": 503, "author": "Denis Pruneau", "text": "Environ quatre."}]},
        {"id": 502, "author": "Gaston", "text": "Chez nous, deux.\n\nGaston", "reply_to": 501},
        {"id": 504, "text": "Et la formation ?", "in_reply_to": "inconnu"},
    ],
}


def test_json_single_post_comments_and_replies(tmp_path: Path) -> None:
    docs = read_file(write(tmp_path, "cout.json", json.dumps(JSON_POST, ensure_ascii=False)))
    post = docs[0]
    assert (post.doc_id, post.title, post.author, post.date) == ("cout", "Le vrai coût d'une page", "Denis Pruneau", "2014-07-08")
    assert post.text == "Le vrai coût d'une page\n\nUne page ne coûte rien.\n\nLe temps, lui, coûte cher."
    assert post.meta["id"] == "b-2014-07" and post.meta["blog"] == "Gestion & PME"
    rows = [(d.doc_id, d.author, d.date, d.parent_id, d.meta["id"]) for d in docs[1:]]
    assert rows == [
        ("cout.c1", "Lucie", "2014-07-08T20:15", "cout", "501"),
        ("cout.c2", "Denis Pruneau", None, "cout.c1", "503"),
        ("cout.c3", "Gaston", None, "cout.c1", "502"),
        ("cout.c4", None, None, "cout", "504"),
    ]
    assert docs[3].blocks[-1].kind == "signature"
    assert docs[4].meta["reply_to_unresolved"] == "inconnu"


def test_json_list_of_posts_and_posts_key() -> None:
    posts = [{"id": "a 1", "text": "Premier billet."}, {"text": "Deuxième billet."}]
    docs = read_json(json.dumps(posts), doc_id="lot", source="lot.json")
    assert [d.doc_id for d in docs] == ["lot.a_1", "lot.2"]
    docs = read_json(json.dumps({"posts": posts[:1]}), doc_id="seul", source="seul.json")
    assert [d.doc_id for d in docs] == ["seul"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"title": "Sans fin", "text": "oups"', "Malformed JSON \\(line 1, column"),
        ('[1, 2]', "item 1 of the list is a int"),
        ('{"titre_du_billet": "x"}', "without a text field"),
        ('"juste une chaîne"', "str at the top level"),
    ],
)
def test_json_errors(text: str, match: str) -> None:
    with pytest.raises(ReadError, match=match):
        read_json(text, doc_id="x", source="x.json")


JSONL = "\n".join(
    json.dumps(r, ensure_ascii=False)
    for r in [
        {"id": "p1", "type": "post", "title": "Twitter en 2009 ?", "author": "Yann", "date": "2009-05-02", "text": "Pas encore."},
        {"id": "k1", "type": "comment", "post_id": "p1", "author": "Inès", "text": "Dommage."},
        {"id": "k2", "type": "comment", "post_id": "p1", "parent_id": "k1", "author": "Yann", "text": "On verra."},
        {"id": "p2", "type": "post", "title": "Blogue interne", "text": "Un essai de six mois."},
        {"id": "k3", "type": "comment", "post_id": "p2", "parent_id": "p2", "author": "Zoé", "text": "Bonne idée."},
        {"id": "k9", "type": "comment", "post_id": "p7", "author": "Max", "text": "Je réponds à un billet absent."},
    ]
)


def test_jsonl_flat_records_and_orphans() -> None:
    docs = read_jsonl(JSONL, doc_id="cm", source="cm.jsonl")
    rows = [(d.doc_id, d.part, d.post_id, d.parent_id) for d in docs]
    assert rows == [
        ("cm.p1", "post", "cm.p1", None),
        ("cm.p1.c1", "comment", "cm.p1", "cm.p1"),
        ("cm.p1.c2", "comment", "cm.p1", "cm.p1.c1"),
        ("cm.p2", "post", "cm.p2", None),
        ("cm.p2.c1", "comment", "cm.p2", "cm.p2"),
        ("cm.p7.c1", "comment", "p7", "p7"),
    ]
    assert docs[0].date == "2009-05-02" and docs[1].date is None
    assert docs[-1].meta["orphan"] is True and "p7" in docs[-1].meta["warning"]


def test_jsonl_malformed_line_number() -> None:
    text = '{"id": "p1", "text": "ok"}\n\n{"id": "p2", "text": "pas fermé}\n'
    with pytest.raises(ReadError, match="line 3"):
        read_jsonl(text, doc_id="x", source="x.jsonl")


def test_csv_semicolon_cp1252_multiline(tmp_path: Path) -> None:
    rows = (
        "id;type;post_id;parent_id;title;author;date;text\r\n"
        "t1;post;;;L’ère des « likes »;Gérard Nolin;2016-02-01;\"Premier paragraphe ; avec point-virgule.\r\n\r\nSecond paragraphe.\"\r\n"
        "t1-c1;comment;t1;;;Œdipe Roy;01/02/2016;Bien vu.\r\n"
        "t1-c2;comment;t1;t1-c1;;;;\"Pas d’accord.\"\r\n"
    )
    docs = read_file(write(tmp_path, "likes.csv", rows, encoding="cp1252"))
    post = docs[0]
    assert (post.title, post.author, post.date) == ("L'ère des « likes »", "Gérard Nolin", "2016-02-01")
    assert [b.text for b in post.blocks[1:]] == ["Premier paragraphe ; avec point-virgule.", "Second paragraphe."]
    assert [(d.doc_id, d.author, d.date, d.parent_id) for d in docs[1:]] == [
        ("likes.c1", "Œdipe Roy", "2016-02-01", "likes"),
        ("likes.c2", None, None, "likes.c1"),
    ]


def test_csv_comma_tab_and_default_type() -> None:
    docs = read_csv('text,author\n"Un billet, avec virgule.",Ana\n"Un autre billet.",\n', doc_id="c", source="c.csv")
    assert [(d.doc_id, d.part, d.author) for d in docs] == [("c.1", "post", "Ana"), ("c.2", "post", None)]
    docs = read_csv("id\ttext\nx\tTabulé, mais lisible.\n", doc_id="t", source="t.tsv")
    assert [(d.doc_id, d.text) for d in docs] == [("t", "Tabulé, mais lisible.")]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id;auteur\n1;Ana\n", "no text column"),
        ('id,text\n1,"ok"\n2,trop,de,champs\n', "line 3 has 4 fields"),
        ("id,text\n", "no data rows"),
    ],
)
def test_csv_errors(text: str, match: str) -> None:
    with pytest.raises(ReadError, match=match):
        read_csv(text, doc_id="x", source="x.csv")


# --------------------------------------------------------------------------- a mixed folder


def test_read_corpus_collects_errors_and_reads_good_files(tmp_path: Path) -> None:
    write(tmp_path, "bon.md", MD_POST)
    write(tmp_path, "bon.json", json.dumps(JSON_POST, ensure_ascii=False))
    write(tmp_path, "bon.jsonl", JSONL)
    write(tmp_path, "bon.html", HTML_POST)
    write(tmp_path, "casse.json", '{"title": "x", "text": ')
    write(tmp_path, "casse.jsonl", '{"text": "ok"}\n{pas du json}\n')
    write(tmp_path, "casse.csv", "id;auteur\n1;Ana\n")
    write(tmp_path, "casse.md", "---\ntitle: [non fermé\n---\nTexte.\n")
    corpus = read_corpus(tmp_path)
    errors = {Path(e.source).name: e.error for e in corpus.errors}
    assert set(errors) == {"casse.json", "casse.jsonl", "casse.csv", "casse.md"}
    assert errors["casse.jsonl"].startswith("Malformed JSON on line 2")
    assert "Malformed CSV" in errors["casse.csv"]
    assert "YAML" in errors["casse.md"]
    assert {Path(d.source).name for d in corpus.posts} == {"bon.md", "bon.json", "bon.jsonl", "bon.html"}
    assert len(corpus.comments) == 3 + 4 + 4 + 3
    assert len({d.doc_id for d in corpus}) == len(corpus)


def test_csv_open_quote_names_the_row() -> None:
    with pytest.raises(ReadError, match="row starting on line 3"):
        read_csv('id,text\n1,"fermé"\n2,"jamais fermé\n3,suite\n', doc_id="x", source="x.csv")


def test_html_wordpress5_markup_and_glued_signature() -> None:
    page = """<html><body><article class="post"><h1>Le télétravail et LinkedIn</h1>
    <div class="entry-content"><p>Le corps du billet sur le télétravail et les profils LinkedIn.</p></div></article>
    <ol class="comment-list"><li id="comment-7" class="comment depth-1"><article id="div-comment-7" class="comment-body">
      <footer class="comment-meta"><div class="comment-author vcard"><img class="avatar" src="a.png">
        <b class="fn"><a class="url">Julie Roy</a></b> <span class="says">dit :</span></div>
        <div class="comment-metadata"><a href="#"><time datetime="2021-05-03T10:20:00+00:00">3 mai 2021</time></a></div></footer>
      <div class="comment-content"><p>Entièrement d'accord.<br>Julie</p></div>
      <div class="reply"><a class="comment-reply-link">Répondre</a></div></article>
      <ol class="children"><li id="comment-8" class="comment"><article id="div-comment-8" class="comment-body">
        <footer class="comment-meta"><div class="comment-author"><b class="fn">Marc</b></div></footer>
        <div class="comment-content"><p>Pas moi.</p></div></article></li></ol>
    </li></ol></body></html>"""
    docs = read_html(page, doc_id="w", source="w.html")
    assert [(d.doc_id, d.author, d.date, d.parent_id) for d in docs] == [
        ("w", None, None, None),
        ("w.c1", "Julie Roy", "2021-05-03T10:20", "w"),
        ("w.c2", "Marc", None, "w.c1"),
    ]
    assert [(b.kind, b.text) for b in docs[1].blocks] == [("paragraph", "Entièrement d'accord."), ("signature", "Julie")]
    assert docs[0].text == "Le télétravail et LinkedIn\n\nLe corps du billet sur le télétravail et les profils LinkedIn."


def test_markdown_comments_without_subheadings() -> None:
    md = "# Bloguer en 2010\n\nTexte du billet.\n\n## Commentaires\n\nMarc Roy a dit :\nBien vu.\n\nJulie a dit : (en réponse à Marc Roy)\nPas certaine.\n"
    docs = read_markdown(md, doc_id="m", source="m.md")
    assert [(d.author, d.parent_id, d.text) for d in docs[1:]] == [("Marc Roy", "m", "Bien vu."), ("Julie", "m.c1", "Pas certaine.")]
    assert docs[0].text == "Bloguer en 2010\n\nTexte du billet."
