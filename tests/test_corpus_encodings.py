"""Encodings, newlines, spaces and broken files, written to tmp_path as bytes."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from discours.corpus import read_corpus, read_file
from discours.errors import ReadError

# Typographic apostrophe, guillemets and œ: what cp1252 has and latin-1 lacks.
TXT_CP1252 = (
    "L’œil du client\n"
    "Par Hélène Côté | 4 mars 2013\n"
    "\n"
    "« On n’a pas le temps », m’a dit le patron. Voilà l’objection numéro un.\n"
    "\n"
    "Commentaires\n"
    "\n"
    "  1. Benoît Légaré\n"
    "     5 mars 2013 à 8 h 15\n"
    "     C’est vrai, mais ça s’organise.\n"
)
TXT_LATIN1 = TXT_CP1252.replace("’", "'").replace("œ", "oe")


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "text", "prefix"),
    [
        ("utf-8", TXT_CP1252, b""),
        ("utf-8", TXT_CP1252, codecs.BOM_UTF8),
        ("cp1252", TXT_CP1252, b""),
        ("latin-1", TXT_LATIN1, b""),
        ("utf-16", TXT_CP1252, b""),  # Python writes the BOM
        ("utf-16-le", TXT_CP1252, b""),  # no BOM: detected from the NUL pattern
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1", "utf-16-bom", "utf-16-le-nobom"],
)
def test_encodings_decode_to_the_same_documents(tmp_path: Path, encoding: str, text: str, prefix: bytes) -> None:
    path = write_bytes(tmp_path, "oeil.txt", prefix + text.encode(encoding))
    post, comment = read_file(path)
    expected_title = "L'œil du client" if "œ" in text else "L'oeil du client"
    assert post.title == expected_title  # ’ read, then normalised to '
    assert post.author == "Hélène Côté"
    assert post.date == "2013-03-04"
    assert post.blocks[1].text == "« On n'a pas le temps », m'a dit le patron. Voilà l'objection numéro un."
    assert (comment.author, comment.date, comment.text) == ("Benoît Légaré", "2013-03-05T08:15", "C'est vrai, mais ça s'organise.")
    assert "\ufeff" not in post.text


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_newline_styles(tmp_path: Path, newline: str) -> None:
    path = write_bytes(tmp_path, "oeil.txt", TXT_CP1252.replace("\n", newline).encode("utf-8"))
    post, comment = read_file(path)
    assert post.title == "L'œil du client"
    assert "\r" not in post.text and "\r" not in comment.text
    assert comment.author == "Benoît Légaré"


def test_non_breaking_spaces_are_plain_spaces(tmp_path: Path) -> None:
    text = "Pourquoi\u00a0pas\u202f?\n\nParce que\u00a0: «\u202fle temps\u202f» manque\u2009; voilà.\n"
    (post,) = read_file(write_bytes(tmp_path, "nbsp.txt", text.encode("utf-8")))
    assert post.title == "Pourquoi pas ?"
    assert post.blocks[1].text == "Parce que : « le temps » manque ; voilà."


def test_nbsp_entities_in_html_and_cp1252_markdown(tmp_path: Path) -> None:
    html = "<html><body><article><h1>Le&nbsp;ROI&#8239;?</h1><p>Mesurez&nbsp;: vraiment.</p></article></body></html>"
    (post,) = read_file(write_bytes(tmp_path, "roi.html", html.encode("utf-8")))
    assert (post.title, post.blocks[1].text) == ("Le ROI ?", "Mesurez : vraiment.")
    md = "---\ntitle: L’été des PME\nauthor: Zoé Côté\n---\nUn billet écrit sous Windows, en « cp1252 ».\n"
    (post,) = read_file(write_bytes(tmp_path, "ete.md", md.encode("cp1252")))
    assert (post.title, post.author) == ("L'été des PME", "Zoé Côté")
    assert post.meta["encoding"] == "cp1252"


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "looks binary"),
        ("dump.txt", bytes(range(32)) * 50, "looks binary"),
        ("vide.txt", b"", "empty"),
        ("blancs.txt", b" \n\r\n\t \n", "empty"),
        ("vide.md", "\ufeff".encode("utf-8"), "empty"),
    ],
)
def test_broken_files_are_read_errors(tmp_path: Path, name: str, data: bytes, match: str) -> None:
    path = write_bytes(tmp_path, name, data)
    with pytest.raises(ReadError, match=match):
        read_file(path)


def test_folder_with_bad_files_keeps_good_ones(tmp_path: Path) -> None:
    write_bytes(tmp_path, "bon.txt", TXT_CP1252.encode("cp1252"))
    write_bytes(tmp_path, "binaire.txt", b"\x00\x01\x02\x03" * 300)
    write_bytes(tmp_path, "vide.txt", b"")
    write_bytes(tmp_path, "notes.docx", b"PK\x03\x04 pas du texte")
    corpus = read_corpus(tmp_path)
    assert [(d.part, d.author) for d in corpus] == [("post", "Hélène Côté"), ("comment", "Benoît Légaré")]
    assert sorted(Path(e.source).name for e in corpus.errors) == ["binaire.txt", "notes.docx", "vide.txt"]
    assert all(e.error.endswith(".") for e in corpus.errors)
