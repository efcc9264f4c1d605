"""Hostile input: every kind of file a scraped folder holds, analysed in one batch.

Each case is either analysed correctly (its documents checked) or becomes exactly one row in
``analysis.errors`` whose message says what to do; the good files beside it are all analysed.
A blank French pipeline (discours components, no statistical model) keeps the battery fast:
the model is not what is under test here, the readers and the batch are.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any, Callable

import pytest

import discours
from discours.corpus import read_corpus

FRENCH = (
    "Les médias sociaux ne sont pas une perte de temps pour les PME. "
    "Certes, il faut du temps, mais les clients y sont déjà."
)
FRENCH_2 = "Deuxième « paragraphe » écrit ailleurs, l’été dernier : œuvre commune."
#: every error message must tell the user what to do
ACTION = re.compile(
    r"\b(Remove|Re-save|Fix|Split|raise the limit|Check|Convert|Save|Point it|delete|Each line|Expected|quote)\b"
)


@pytest.fixture(scope="module")
def blank_nlp() -> Any:
    from discours.pipeline import load_pipeline

    return load_pipeline(blank=True)


# ----------------------------------------------------------------------------- the folder

Builder = Callable[[Path], None]


def _write(name: str, data: bytes | str) -> Builder:
    def build(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    return build


def _symlink(name: str, target: str) -> Builder:
    def build(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / name)

    return build


#: (case id, file name, builder, expected): expected is "ok" or a phrase the single error row holds
ERROR_CASES: list[tuple[str, str, Builder, str]] = [
    ("binary-png-as-txt", "image.txt", _write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "PNG image"),
    ("binary-pdf-as-md", "rapport.md", _write("rapport.md", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4), "PDF"),
    ("binary-nul-bytes-as-txt", "dump.txt", _write("dump.txt", bytes(range(256)) * 20), "looks binary"),
    ("empty", "vide.txt", _write("vide.txt", b""), "empty"),
    ("whitespace-only", "blanc.txt", _write("blanc.txt", " \n\t\n\r\n   \n"), "only whitespace"),
    ("invisible-only", "invisible.md", _write("invisible.md", "\u00a0\u200b\n\u202f\ufeff\n"), "only whitespace"),
    ("malformed-json", "casse.json", _write("casse.json", '{"text": "Bonjour", '), "Malformed JSON (line 1"),
    ("malformed-jsonl", "casse.jsonl", _write("casse.jsonl", '{"text": "Bonjour à tous."}\n{oups\n'), "line 2"),
    ("jsonl-not-objects", "liste.jsonl", _write("liste.jsonl", "[1, 2]\n"), "not an object"),
    ("csv-open-quote", "ouvert.csv", _write("ouvert.csv", 'text,author\n"jamais fermé, Marc\n'), "check its quotes"),
    ("csv-no-text-column", "colonnes.csv", _write("colonnes.csv", "a,b\n1,2\n"), "no text column"),
    ("csv-extra-fields", "champs.csv", _write("champs.csv", "text,author\nBonjour, le monde,Marc\n"), "quote the text cells"),
    ("json-list-of-numbers", "nombres.json", _write("nombres.json", "[1, 2, 3]"), "unexpected shape"),
    ("json-string", "chaine.json", _write("chaine.json", '"juste une phrase"'), "unexpected shape"),
    ("json-null", "nul.json", _write("nul.json", "null"), "unexpected shape"),
    ("json-no-text-field", "cles.json", _write("cles.json", '{"foo": 1, "bar": [2]}'), "without a text field"),
    ("json-comments-not-list", "comm.json", _write("comm.json", json.dumps({"text": FRENCH, "comments": "non"})), "must be a list"),
    ("html-no-body", "entete.html", _write("entete.html", "<html><head><title>Titre</title></head></html>"), "No text found"),
    ("html-only-scripts", "scripts.html", _write("scripts.html", "<html><body><script>var t = 'Bonjour à tous';</script><style>p {}</style></body></html>"), "built by JavaScript"),
    ("unsupported-type", "notes.docx", _write("notes.docx", b"PK\x03\x04zip"), "Unsupported file type"),
    ("dangling-link", "perdu.txt", _symlink("perdu.txt", "nulle-part.txt"), "symbolic link"),
    ("self-link-loop", "boucle.txt", _symlink("boucle.txt", "boucle.txt"), "symbolic link"),
]

GOOD_FILES: dict[str, bytes] = {
    "utf8.txt": FRENCH.encode("utf-8"),
    "utf8-bom.txt": codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
    "cp1252.txt": (FRENCH_2 + "\n\n" + FRENCH).encode("cp1252"),
    "latin1.txt": ("Été à Noël. " + FRENCH).encode("latin-1"),
    "utf16-bom.txt": FRENCH.encode("utf-16"),
    "utf16be-bom.md": codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
    "utf16le.txt": FRENCH.encode("utf-16-le"),
    "utf16be.txt": FRENCH.encode("utf-16-be"),
    # a file pasted together from a UTF-8 and a cp1252 source
    "melange.txt": FRENCH.encode("utf-8") + b"\n\n" + FRENCH_2.encode("cp1252"),
}
EXPECTED_TEXT = {
    "utf8.txt": FRENCH,
    "utf8-bom.txt": FRENCH,
    "cp1252.txt": FRENCH_2.replace("’", "'") + "\n\n" + FRENCH,
    "latin1.txt": "Été à Noël. " + FRENCH,
    "utf16-bom.txt": FRENCH,
    "utf16be-bom.md": FRENCH,
    "utf16le.txt": FRENCH,
    "utf16be.txt": FRENCH,
    "melange.txt": FRENCH + "\n\n" + FRENCH_2.replace("’", "'"),
}
_WORDS = "les médias sociaux donnent aux petites entreprises une voix que leurs clients entendent".split()
LONG_LINE = " ".join(_WORDS * 1_200)[:100_000].rstrip()  # no punctuation at all
OTHER_FILES: dict[str, str] = {
    "long-line.txt": LONG_LINE,
    "english.txt": "Social media is not a waste of time for small businesses. Your customers are there, "
    "and they talk about you whether you listen or not.",
    "deutsch.txt": "Soziale Medien sind keine Zeitverschwendung für kleine Unternehmen. Ihre Kunden sind "
    "dort und sprechen über Sie.",
    "controles.txt": "Les\x01 médias\x07 sociaux\x1b sont utiles\x7f. Certes, il faut du temps.",
    "zero-width.txt": "Les\u200b médias\u200c so\u200dciaux\u2060 sont\ufeff utiles\u00ad. Certes, il faut du temps.",
    "arabe.txt": "وسائل التواصل الاجتماعي ليست مضيعة للوقت بالنسبة للشركات الصغيرة والمتوسطة.",
    "hebreu-bidi.txt": "\u202bהרשתות החברתיות אינן בזבוז זמן.\u202c \u202eLes médias sociaux\u202c sont utiles.",
    "dir.txt/dedans.txt": FRENCH,  # a folder whose name ends in .txt is a folder
    "boucle/billet.md": "# Titre\n\n" + FRENCH,
}
EMOJI_THREAD = {
    "text": FRENCH,
    "comments": [
        {"id": "c1", "author": "Ana", "text": "👍👍👍"},
        {"id": "c2", "author": "Bo", "text": "😂"},
        {"id": "c3", "author": "Cy", "text": "👨\u200d👩\u200d👧 🔥 🙏🏽"},
        {"id": "c4", "author": "Di", "text": "Tout à fait d'accord 👏"},
    ],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, blank_nlp: Any) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("hostile")
    for _, _, build, _ in ERROR_CASES:
        build(root)
    for name, data in GOOD_FILES.items():
        _write(name, data)(root)
    for name, text in OTHER_FILES.items():
        _write(name, text)(root)
    _write("emoji.json", json.dumps(EMOJI_THREAD, ensure_ascii=False))(root)
    os.symlink("..", root / "boucle" / "retour")  # a folder loop: boucle/retour/boucle/retour/...
    t0 = time.perf_counter()
    analysis = discours.analyze(root, model=blank_nlp, progress=False)
    assert time.perf_counter() - t0 < 20  # nothing here may stall the batch
    return root, analysis


def _rows(analysis: Any, root: Path, name: str) -> Any:
    return analysis.documents[analysis.documents["source"] == str(root / name)]


def _errors(analysis: Any, root: Path, name: str) -> list[str]:
    return analysis.errors.loc[analysis.errors["source"] == str(root / name), "error"].tolist()


@pytest.mark.parametrize(("name", "phrase"), [(n, p) for _, n, _, p in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_bad_file_is_one_actionable_error_row(hostile: tuple[Path, Any], name: str, phrase: str) -> None:
    root, analysis = hostile
    errors = _errors(analysis, root, name)
    assert len(errors) == 1, errors
    assert phrase in errors[0]
    assert ACTION.search(errors[0]), f"no instruction in: {errors[0]}"
    assert _rows(analysis, root, name).empty


def test_errors_hold_only_the_bad_files(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    assert sorted(analysis.errors["source"]) == sorted(str(root / n) for _, n, _, _ in ERROR_CASES)


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_every_encoding_reads_to_the_same_text(hostile: tuple[Path, Any], name: str) -> None:
    root, analysis = hostile
    rows = _rows(analysis, root, name)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["text"] == EXPECTED_TEXT[name]
    assert row["language"] == "fr"
    assert row["n_sentences"] >= 2


def test_mixed_file_is_decoded_piece_by_piece(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    row = _rows(analysis, root, "melange.txt").iloc[0]
    assert row["encoding"] == "utf-8+cp1252"
    assert "Ã" not in row["text"] and "œuvre" in row["text"]


def test_long_line_without_punctuation_is_one_sentence(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    row = _rows(analysis, root, "long-line.txt").iloc[0]
    assert len(LONG_LINE) >= 99_999 and row["text"] == LONG_LINE
    sents = analysis.sentences[analysis.sentences["doc_id"] == row["doc_id"]]
    assert len(sents) == 1 and sents.iloc[0]["end_char"] == len(row["text"])
    assert row["n_tokens"] == len(LONG_LINE.split())


@pytest.mark.parametrize(("name", "language"), [("english.txt", "en"), ("deutsch.txt", "other"), ("arabe.txt", "other")])
def test_foreign_text_is_flagged_not_dropped(hostile: tuple[Path, Any], name: str, language: str) -> None:
    root, analysis = hostile
    rows = _rows(analysis, root, name)
    assert rows["language"].tolist() == [language]
    assert rows.iloc[0]["n_sentences"] >= 1


@pytest.mark.parametrize("name", ["controles.txt", "zero-width.txt"])
def test_control_and_zero_width_characters_are_removed(hostile: tuple[Path, Any], name: str) -> None:
    root, analysis = hostile
    row = _rows(analysis, root, name).iloc[0]
    assert row["text"] == "Les médias sociaux sont utiles. Certes, il faut du temps."
    assert row["language"] == "fr"
    sents = analysis.sentences[analysis.sentences["doc_id"] == row["doc_id"]]
    assert sents["text"].tolist() == ["Les médias sociaux sont utiles.", "Certes, il faut du temps."]
    tokens = analysis.tokens[analysis.tokens["doc_id"] == row["doc_id"]]
    assert "sociaux" in tokens["text"].tolist()


def test_right_to_left_text_keeps_its_letters_and_drops_bidi_controls(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    row = _rows(analysis, root, "hebreu-bidi.txt").iloc[0]
    assert "הרשתות החברתיות" in row["text"] and "Les médias sociaux sont utiles." in row["text"]
    assert not any(unicodedata.category(c) == "Cf" for c in row["text"])
    arabic = _rows(analysis, root, "arabe.txt").iloc[0]
    assert arabic["text"] == OTHER_FILES["arabe.txt"]


def test_emoji_only_comments_are_analysed_as_unknown_language(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    rows = _rows(analysis, root, "emoji.json").set_index("doc_id")
    comments = rows[rows["part"] == "comment"]
    assert len(comments) == 4
    assert comments["text"].tolist()[:3] == ["👍👍👍", "😂", "👨\u200d👩\u200d👧 🔥 🙏🏽"]
    assert comments["language"].tolist()[:3] == ["unknown"] * 3
    assert (comments["n_sentences"] >= 1).all()
    assert rows[rows["part"] == "post"]["language"].tolist() == ["fr"]


def test_folder_named_like_a_file_and_symlink_loop_are_walked_once(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    assert _rows(analysis, root, "dir.txt/dedans.txt")["text"].tolist() == [FRENCH]
    assert len(_rows(analysis, root, "boucle/billet.md")) == 1
    assert not analysis.documents["source"].str.contains("retour").any()


def test_every_good_file_is_analysed(hostile: tuple[Path, Any]) -> None:
    root, analysis = hostile
    expected = {str(root / n) for n in [*GOOD_FILES, *OTHER_FILES, "emoji.json"]}
    assert set(analysis.documents["source"]) == expected
    assert analysis.documents["doc_id"].is_unique
    assert set(analysis.sentences["doc_id"]) == set(analysis.documents["doc_id"])


# ----------------------------------------------------------------------------- limits


def _fifty_megabytes(path: Path) -> int:
    """A real 50 MB French text file (one paragraph repeated), written in a fraction of a second."""
    para = (FRENCH + " ") * 20 + "\n\n"
    chunk = para.encode("utf-8") * (1_000_000 // len(para.encode("utf-8")) + 1)
    with path.open("wb") as fh:
        for _ in range(50):
            fh.write(chunk[:1_000_000])
    return path.stat().st_size


def test_fifty_megabyte_file_hits_the_size_limit_at_once(tmp_path: Path) -> None:
    big = tmp_path / "enorme.txt"
    assert _fifty_megabytes(big) == 50_000_000
    _write("petit.txt", FRENCH)(tmp_path)
    t0 = time.perf_counter()
    corpus = read_corpus(tmp_path, max_file_bytes=10 * 1024 * 1024)
    assert time.perf_counter() - t0 < 1.0  # refused from its size, never read
    assert [d.source for d in corpus] == [str(tmp_path / "petit.txt")]
    [failure] = corpus.errors
    assert failure.source == str(big)
    assert "50,000,000 bytes, over the limit of 10,485,760" in failure.error
    assert "max_file_bytes" in failure.error and "--max-file-mb" in failure.error


@pytest.mark.slow
def test_fifty_megabyte_file_under_the_default_limits_is_refused_by_length(tmp_path: Path) -> None:
    big = tmp_path / "enorme.txt"
    _fifty_megabytes(big)
    _write("petit.txt", FRENCH)(tmp_path)
    corpus = read_corpus(tmp_path)  # 50 MB is under the 50 MiB default: the 2M-character limit refuses it
    assert [d.source for d in corpus] == [str(tmp_path / "petit.txt")]
    [failure] = corpus.errors
    assert "over the limit of 2,000,000" in failure.error and "max_doc_chars" in failure.error


def test_document_length_limit_is_configurable(tmp_path: Path, blank_nlp: Any) -> None:
    _write("long.txt", FRENCH * 50)(tmp_path)
    _write("court.txt", FRENCH)(tmp_path)
    analysis = discours.analyze(tmp_path, model=blank_nlp, max_doc_chars=1_000, progress=False)
    assert analysis.documents["source"].tolist() == [str(tmp_path / "court.txt")]
    [message] = analysis.errors["error"].tolist()
    assert f"{len(FRENCH) * 50:,} characters, over the limit of 1,000" in message
    assert "max_doc_chars" in message


# ----------------------------------------------------------------------------- unreadable files


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write("secret.txt", FRENCH)(tmp_path)
    _write("public.txt", FRENCH)(tmp_path)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = read_corpus(tmp_path)
    assert [d.source for d in corpus] == [str(tmp_path / "public.txt")]
    [failure] = corpus.errors
    assert failure.source == str(tmp_path / "secret.txt")
    assert "permission denied" in failure.error and "Check its permissions" in failure.error


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(FRENCH, encoding="utf-8")
    _write("public.txt", FRENCH)(tmp_path)
    secret.chmod(0)
    try:
        corpus = read_corpus(tmp_path)
    finally:
        secret.chmod(0o644)
    assert [d.source for d in corpus] == [str(tmp_path / "public.txt")]
    [failure] = corpus.errors
    assert "permission denied" in failure.error


# ----------------------------------------------------------------------------- pipeline failures


def test_a_document_that_breaks_the_pipeline_is_one_error_row(tmp_path: Path, blank_nlp: Any) -> None:
    """A component bug on one document must not lose the documents batched with it."""
    from spacy.language import Language

    if "discours_test_explode" not in Language.factories:

        @Language.component("discours_test_explode")
        def explode(doc: Any) -> Any:
            if "EXPLOSER" in doc.text:
                raise RuntimeError("boom")
            return doc

    from discours.pipeline import load_pipeline

    nlp = load_pipeline(blank=True)
    nlp.add_pipe("discours_test_explode", first=True)
    for k in range(5):
        _write(f"ok{k}.txt", FRENCH)(tmp_path)
    _write("bombe.txt", "EXPLOSER " + FRENCH)(tmp_path)
    analysis = discours.analyze(tmp_path, model=nlp, batch_size=4, progress=False)
    assert len(analysis.documents) == 5
    [row] = analysis.errors.to_dict("records")
    assert row["source"] == str(tmp_path / "bombe.txt")
    assert "RuntimeError: boom" in row["error"] and "report it" in row["error"]


def test_overlong_utf8_lookalike_is_not_a_crash() -> None:
    """Found by hypothesis: E0 85 A0 looks like a UTF-8 sequence but is overlong, not decodable."""
    from discours.corpus.decode import decode_bytes

    text, encoding = decode_bytes(b"\xe0\x85\xa0 caf\xe9 au lait")
    assert text.endswith(" au lait") and encoding != "utf-8+cp1252"


# ----------------------------------------------------------------------------- limits on the command line


def test_cli_limits(tmp_path: Path, blank_nlp: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    from discours.cli import EXIT_OK, EXIT_USAGE, main
    from discours.pipeline import nlp as nlp_module

    monkeypatch.setattr(nlp_module, "_shared_nlp", lambda model: blank_nlp)  # the model is not under test
    src = tmp_path / "src"
    _write("gros.txt", FRENCH * 40)(src)  # about 4.6 kB
    _write("petit.txt", FRENCH)(src)
    out = tmp_path / "out"
    code = main(["analyze", str(src), "-o", str(out), "--no-html", "--no-progress", "--no-cache", "--max-file-mb", "0.004"])
    assert code == EXIT_OK
    errors = pd.read_csv(out / "errors.csv")
    assert errors["source"].tolist() == [str(src / "gros.txt")]
    assert "over the limit of 4,194 bytes" in errors["error"][0] and "--max-file-mb" in errors["error"][0]
    assert pd.read_csv(out / "documents.csv")["source"].tolist() == [str(src / "petit.txt")]

    code = main(["analyze", str(src), "-o", str(out), "--no-html", "--no-progress", "--no-cache", "--max-doc-chars", "500"])
    assert code == EXIT_OK
    errors = pd.read_csv(out / "errors.csv")
    assert errors["source"].tolist() == [str(src / "gros.txt")]
    assert "over the limit of 500" in errors["error"][0] and "--max-doc-chars" in errors["error"][0]

    capsys.readouterr()
    assert main(["analyze", str(src), "-o", str(out), "--max-file-mb", "0"]) == EXIT_USAGE
    assert "must be positive" in capsys.readouterr().err
