"""Property-based tests (hypothesis): arbitrary Unicode text and arbitrary small folders.

Whatever the input: no exception escapes ``analyze``; every file ends up analysed or in
``errors``; every offset points into the document's cleaned text; every argument, marker and
token row refers to an existing sentence; the same input gives the same tables, run after run
and whatever ``n_process``. A blank French pipeline keeps each example cheap.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import discours

# Snippets on which the argument and marker rules fire, so the properties cover their rows too.
FRENCH = [
    "Certes, c'est cher, mais le retour est rapide.",
    "On nous dit que les réseaux sociaux sont une perte de temps.",
    "Selon une étude de l'INSEE, 60 % des PME sont sur Facebook.",
    "Qui peut encore ignorer LinkedIn ?",
    "Par exemple, notre client a doublé ses ventes.",
    "Nos employés risquent de divulguer des informations confidentielles.",
    "« Pas le temps », m'a dit le patron. Voilà l'objection !!! Bref.",
    "- premier point\n- deuxième point",
    "# Titre\n\nUn paragraphe.",
]
SEPARATORS = ["", " ", "\n", "\n\n", ". ", " ? ", "!!! ", "…", "\r\n", "\t", "\u00a0", "\u200b", "« ", " »", "🙂", "👍👍 ", "merci"]

texts = st.lists(
    st.one_of(st.text(max_size=60), st.sampled_from(FRENCH), st.sampled_from(SEPARATORS)),
    max_size=12,
).map("".join)

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)


@pytest.fixture(scope="module")
def blank_nlp() -> Any:
    from discours.pipeline import load_pipeline

    return load_pipeline(blank=True)


# ----------------------------------------------------------------------------- folders


def _record(text: str, comments: list[str]) -> dict[str, Any]:
    return {"title": text[:20], "text": text, "comments": [{"author": f"A{k}", "text": c} for k, c in enumerate(comments)]}


@st.composite
def files(draw: st.DrawFn, index: int) -> tuple[str, bytes]:
    """One file: a name with a supported (or not) suffix and content of the matching shape, or junk."""
    stem = draw(st.sampled_from(["billet", "café", "été 2012", "sous/dossier", "Ünïcødé", "a.b", "x"]))
    suffix = draw(st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".tsv", ".docx"]))
    name = f"{stem}-{index}{suffix}"
    body = draw(texts)
    comments = draw(st.lists(texts, max_size=3))
    kind = draw(st.sampled_from(["shaped", "raw", "bytes"]))
    if kind == "bytes":
        return name, draw(st.binary(max_size=200))
    if kind == "raw" or suffix in (".txt", ".md", ".docx"):
        text = body if not comments else body + "\n\nCommentaires\n\n" + "\n\n".join(f"Marc\n{c}" for c in comments)
    elif suffix == ".html":
        text = f"<html><body><article><p>{body}</p></article>" + "".join(f"<div class='comment'><p>{c}</p></div>" for c in comments) + "</body></html>"
    elif suffix == ".json":
        text = json.dumps(_record(body, comments), ensure_ascii=draw(st.booleans()))
    elif suffix == ".jsonl":
        text = "\n".join(json.dumps({"text": t}) for t in [body, *comments])
    else:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if suffix == ".tsv" else ",")
        writer.writerow(["type", "author", "text"])
        writer.writerow(["post", "Julie", body])
        for c in comments:
            writer.writerow(["comment", "Marc", c])
        text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return name, text.encode(encoding, errors="replace" if encoding == "cp1252" else "strict")


def folders(min_files: int = 1, max_files: int = 4) -> st.SearchStrategy[tuple[tuple[str, bytes], ...]]:
    return st.integers(min_files, max_files).flatmap(lambda n: st.tuples(*(files(k) for k in range(n))))


def _write_folder(root: Path, content: tuple[tuple[str, bytes], ...]) -> list[Path]:
    paths = []
    for name, data in content:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------- invariants

def crashes(analysis: Any) -> Any:
    """Error rows that are crashes (reader or pipeline), not read errors on bad input."""
    return analysis.errors[analysis.errors["error"].str.contains("Analysis failed|Unexpected error")]



def check_invariants(analysis: Any) -> None:
    """Offsets and references that every table must satisfy, whatever the input."""
    docs = analysis.documents
    assert docs["doc_id"].is_unique
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    sents = analysis.sentences
    assert set(sents["doc_id"]) <= set(text_of)
    for doc_id, group in sents.groupby("doc_id", sort=False):
        cleaned = text_of[doc_id]
        assert group["sent_id"].tolist() == list(range(len(group)))
        previous_end = 0
        for row in group.itertuples():
            assert 0 <= row.start_char < row.end_char <= len(cleaned)
            assert row.start_char >= previous_end  # in order, never overlapping
            assert row.text == cleaned[row.start_char : row.end_char]
            assert row.text.strip() == row.text
            previous_end = row.end_char
    n_sents = dict(zip(docs["doc_id"], docs["n_sentences"]))
    counts = sents.groupby("doc_id").size().to_dict()
    assert all(counts.get(d, 0) == n for d, n in n_sents.items())
    sentence_text = {(r.doc_id, r.sent_id): r.text for r in sents.itertuples()}
    for row in analysis.arguments.itertuples():
        assert (row.doc_id, row.sent_id) in sentence_text
        assert row.text == sentence_text[(row.doc_id, row.sent_id)]
        cleaned = text_of[row.doc_id]
        assert 0 <= row.cue_start <= row.cue_end <= len(cleaned)
        assert row.cue == cleaned[row.cue_start : row.cue_end]
        assert row.label in {"objection", "rebuttal", "concession", "rhetorical_question", "authority", "example", "attributed"}
    for table in (analysis.markers, analysis.tokens):
        for row in table.itertuples():
            assert (row.doc_id, row.sent_id) in sentence_text
            assert row.text == text_of[row.doc_id][row.start_char : row.end_char]
    assert set(docs["language"]) <= {"fr", "en", "other", "unknown"}
    assert docs["stance_score"].between(-1, 1).all()


def assert_same_tables(a: Any, b: Any) -> None:
    for name in ("documents", "sentences", "tokens", "arguments", "markers", "errors"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    pd.testing.assert_frame_equal(pd.DataFrame(a.stance_evidence), pd.DataFrame(b.stance_evidence), obj="stance_evidence")


# ----------------------------------------------------------------------------- properties


@SETTINGS
@given(text=texts)
def test_any_text_file_analyses_with_consistent_offsets(blank_nlp: Any, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "billet.txt"
        path.write_text(text, encoding="utf-8")
        analysis = discours.analyze(path, model=blank_nlp, progress=False)
    assert len(analysis.documents) + len(analysis.errors) == 1 or not analysis.documents.empty
    assert crashes(analysis).empty, crashes(analysis).to_dict("records")
    if text.strip(" \n\r\t\u00a0\u200b\u202f\ufeff") == "":
        assert analysis.documents.empty
    check_invariants(analysis)


@settings(SETTINGS, max_examples=60)
@given(content=folders())
def test_any_folder_every_file_analysed_or_reported(blank_nlp: Any, content: tuple[tuple[str, bytes], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write_folder(Path(tmp), content)
        analysis = discours.analyze(tmp, model=blank_nlp, progress=False)
    analysed = set(analysis.documents["source"])
    reported = set(analysis.errors["source"])
    # A file is either read (all its documents analysed) or refused as a whole.
    refused = set(analysis.errors.loc[~analysis.errors["error"].str.contains("Analysis failed"), "source"])
    for path in paths:
        assert (str(path) in analysed) or (str(path) in reported), path
        assert analysis.errors["source"].tolist().count(str(path)) <= 1
    assert not (analysed & refused)
    # Read errors are expected (junk bytes, bad JSON); a reader or pipeline crash never is.
    assert crashes(analysis).empty, crashes(analysis).to_dict("records")
    check_invariants(analysis)


@settings(SETTINGS, max_examples=30)
@given(content=folders())
def test_same_folder_same_tables(blank_nlp: Any, content: tuple[tuple[str, bytes], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _write_folder(Path(tmp), content)
        first = discours.analyze(tmp, model=blank_nlp, progress=False)
        second = discours.analyze(tmp, model=blank_nlp, progress=False)
    assert_same_tables(first, second)


@pytest.mark.slow
@settings(SETTINGS, max_examples=6)
@given(content=folders(min_files=2))
def test_same_tables_whatever_n_process(blank_nlp: Any, content: tuple[tuple[str, bytes], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _write_folder(Path(tmp), content)
        # batch_size=1 so that two documents already go through the worker processes
        single = discours.analyze(tmp, model=blank_nlp, progress=False, batch_size=1)
        multi = discours.analyze(tmp, model=blank_nlp, progress=False, batch_size=1, n_process=2)
    assert_same_tables(single, multi)


@pytest.mark.parametrize("text", ["?", "Et alors ?"])
def test_question_without_content_word(blank_nlp: Any, tmp_path: Path, text: str) -> None:
    """Found by the properties above: discours_stance indexed past the end of such a Doc."""
    (tmp_path / "comment.txt").write_text(text, encoding="utf-8")
    analysis = discours.analyze(tmp_path, model=blank_nlp, progress=False)
    assert analysis.errors.empty, analysis.errors["error"].tolist()
    assert analysis.documents["text"].tolist() == [text]
