"""Shared fixtures. Model-based fixtures are session-scoped: fr_core_news_sm loads once."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
CORPUS_DIR = ROOT / "corpus"


@pytest.fixture(scope="session")
def nlp():
    """The full discours pipeline on fr_core_news_sm (slow tests only)."""
    from discours.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    if not SEED_DIR.exists():
        pytest.skip("../shared/seed is not available here")
    return SEED_DIR


@pytest.fixture(scope="session")
def seed_analysis(seed_dir):
    import discours

    return discours.analyze(seed_dir)
