"""Language identification: documents.language says which posts and comments are not French."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import discours
from discours.corpus import Block, Corpus, Document, read_corpus
from discours.corpus.language import LANGUAGES, detect_language

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Les médias sociaux ne sont pas une perte de temps pour les PME.", "fr"),
        ("J'imagine qu'on n'a pas le temps, mais c'est l'avenir.", "fr"),
        ("Tout à fait d'accord !", "fr"),
        ("Social media is not a waste of time for small businesses.", "en"),
        ("Las redes sociales no son una pérdida de tiempo para las empresas.", "other"),
        ("Soziale Medien sind keine Zeitverschwendung für kleine Unternehmen.", "other"),
        ("وسائل التواصل الاجتماعي ليست مضيعة للوقت", "other"),
        ("👍👍👍", "unknown"),
        ("+1", "unknown"),
        ("Merci !", "unknown"),
        ("", "unknown"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_real_french_corpus_is_french() -> None:
    """Every post and comment of the shipped corpus (and the seed) is French: none may read as English."""
    sources = [CORPUS_DIR]
    seed = CORPUS_DIR.parent.parent / "shared" / "seed"
    if seed.exists():
        sources.append(seed)
    corpus = read_corpus(sources)
    assert len(corpus) > 100 and not corpus.errors
    by_part = Counter((d.part, d.meta["language"]) for d in corpus)
    assert by_part[("post", "fr")] == len(corpus.posts)
    # Short comments may lack evidence ("unknown"), but a French one is never English.
    assert all(d.meta["language"] in ("fr", "unknown") for d in corpus.comments)
    assert by_part[("comment", "fr")] >= 0.9 * len(corpus.comments)


def test_language_column_is_filled(tmp_path: Path) -> None:
    from discours.pipeline import load_pipeline

    (tmp_path / "fr.txt").write_text("Les clients sont sur les réseaux sociaux, et nous aussi.", encoding="utf-8")
    (tmp_path / "en.md").write_text("# Why\n\nOur customers are on social media, and so are we.", encoding="utf-8")
    analysis = discours.analyze(tmp_path, model=load_pipeline(blank=True), progress=False)
    assert dict(zip(analysis.documents["doc_id"], analysis.documents["language"])) == {"en": "en", "fr": "fr"}
    assert set(analysis.documents["language"]) <= set(LANGUAGES)


def test_hand_built_documents_get_a_language_too() -> None:
    """A Corpus built without the readers has no meta["language"]: the table computes it."""
    from discours.pipeline import load_pipeline

    doc: Any = Document.from_blocks("p", [Block("paragraph", "The board says no: social media is a risk for the brand.")])
    assert "language" not in doc.meta
    analysis = discours.analyze(Corpus([doc]), model=load_pipeline(blank=True), progress=False)
    assert analysis.documents["language"].tolist() == ["en"]
