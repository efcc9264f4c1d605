"""Corpus summaries on a hand-made Analysis (no spaCy model): counts checked by reading the texts."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from handmade import make_analysis
from scipy.stats import hypergeom

from discours import summaries
from discours.analysis import Analysis
from discours.lexicons import load
from discours.tables import frame
from discours.textometry import lafon_scores


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return make_analysis()


def test_public_summaries_are_sorted_documented_methods(analysis):
    assert summaries.__all__ == sorted(summaries.__all__)
    for name in summaries.__all__:
        func = getattr(summaries, name)
        assert func.__doc__ and "Example" in func.__doc__, name
        assert getattr(analysis, name).__doc__ == func.__doc__


# -- every summary keeps its columns on an empty analysis ---------------------------------------
EMPTY_CALLS = [
    ("frequencies", {}, None),
    ("frequencies", {"unit": "form", "n": 2, "by": "part"}, ["part"]),
    ("frequencies", {"unit": "category", "by": ["part", "year"]}, ["part", "year"]),
    ("frequencies", {"unit": "marker"}, None),
    ("specificities", {"by": "part"}, None),
    ("specificities", {"by": "author", "unit": "label"}, None),
    ("concordance", {"query": "temps"}, None),
    ("concordance", {"query": "objection", "unit": "label"}, None),
    ("concordance", {"query": r"\bmais\b", "unit": "regex"}, None),
    ("repeated_segments", {}, None),
    ("cooccurrences", {"term": "temps"}, None),
    ("cooccurrences", {"term": "temps", "scope": "window"}, None),
    ("objection_summary", {}, None),
    ("objection_summary", {"by": "part"}, ["part"]),
    ("stance_summary", {}, None),
    ("stance_summary", {"by": "year"}, ["year"]),
    ("thread_summary", {}, None),
    ("thread_summary", {"by": "author"}, ["author"]),
    ("overview", {}, None),
    ("overview", {"by": "part"}, ["part"]),
]


@pytest.mark.parametrize("name, kwargs, by", EMPTY_CALLS)
def test_empty_analysis_keeps_documented_columns(name, kwargs, by):
    out = getattr(Analysis(), name)(**kwargs)
    spec = summaries.COLUMNS["thread_summary_by" if name == "thread_summary" and by else name]
    assert list(out.columns) == (by or []) + list(spec)
    if name != "overview" or by:
        assert out.empty
    for col, dtype in spec.items():
        assert str(out[col].dtype) == dtype, (name, col)


def test_empty_overview_is_one_row_of_zeros():
    row = Analysis().overview().iloc[0]
    assert row["n_documents"] == 0 and row["n_tokens"] == 0 and pd.isna(row["first_date"])


def test_to_iramuteq_on_empty_analysis(tmp_path):
    assert Analysis().to_iramuteq(tmp_path / "vide.txt").read_text(encoding="utf-8") == ""


# -- frequencies --------------------------------------------------------------------------------
def test_frequencies_lemma_counts_and_relative(analysis):
    freqs = analysis.frequencies("lemma")
    assert list(freqs.columns) == ["term", "count", "relative", "n_docs"]
    temps = freqs.set_index("term").loc["temps"]
    n_words = int((~analysis.tokens["is_punct"]).sum())
    assert temps["count"] == 5 and temps["n_docs"] == 3
    assert temps["relative"] == pytest.approx(5 / n_words)
    assert freqs["count"].is_monotonic_decreasing


def test_stop_list_drops_grammar_but_keeps_argumentative_words(analysis):
    stops = set(load("stopwords")["words"])
    for word in ("pas", "mais", "contre", "pour", "certes", "jamais", "sans", "pourtant", "si"):
        assert word not in stops
    for word in ("le", "de", "et", "être", "avoir", "que", "qu'", "qu’", "l’"):
        assert word in stops
    terms = set(analysis.frequencies("lemma")["term"])
    assert {"pas", "mais", "certes"} <= terms and not {"le", "de", "être"} & terms
    assert {"le", "de"} <= set(analysis.frequencies("lemma", stopwords=False)["term"])
    custom = analysis.frequencies("form", stopwords=["temps"])
    assert "temps" not in set(custom["term"]) and "le" in set(custom["term"])


def test_ngrams_stay_inside_sentences_and_between_punctuation(analysis):
    tri = analysis.frequencies("form", n=3, stopwords=False).set_index("term")
    assert tri.loc["pas le temps", "count"] == 3
    bi = set(analysis.frequencies("form", n=2, stopwords=False)["term"])
    assert "temps certes" not in bi  # « … le temps. Certes, … »
    assert "certes le" not in bi  # « Certes, le »
    assert "nous le" not in bi  # « Chez nous, le juridique »
    # with the stop list, n-grams starting or ending with a stop word go
    kept = set(analysis.frequencies("form", n=3)["term"])
    assert "pas le temps" in kept and "le temps manque" not in kept


def test_frequencies_by_partition_and_year(analysis):
    by_part = analysis.frequencies("lemma", by="part").set_index(["part", "term"])
    assert by_part.loc[("post", "temps"), "count"] == 4
    assert by_part.loc[("comment", "temps"), "count"] == 1
    post_words = sum(int(n) for n in analysis.documents.query("part == 'post'")["n_tokens"])
    assert by_part.loc[("post", "temps"), "relative"] == pytest.approx(4 / post_words)
    by_year = analysis.frequencies("lemma", by="year").set_index(["year", "term"])
    assert by_year.loc[("2012", "temps"), "count"] == 4 and by_year.loc[("2015", "temps"), "count"] == 1
    # the undated comment forms its own NA group instead of being dropped or invented
    assert by_year.reset_index()["year"].isna().any()


def test_frequencies_of_labels_categories_and_markers(analysis):
    labels = analysis.frequencies("label").set_index("term")["count"]
    assert labels["objection"] == 7 and labels["rhetorical_question"] == 2
    cats = analysis.frequencies("category", by="part").set_index(["part", "term"])["count"]
    assert cats[("post", "time")] == 3 and cats[("comment", "regulation_legal")] == 1
    markers = analysis.frequencies("marker").set_index("term")["count"]
    assert markers["mais"] == 2 and markers["certes"] == 1
    assert analysis.frequencies("label", min_count=2)["count"].min() >= 2


def test_frequencies_reject_bad_options(analysis):
    with pytest.raises(KeyError, match="not a column"):
        analysis.frequencies(by="humeur")
    with pytest.raises(ValueError, match="n-grams"):
        analysis.frequencies("label", n=2)
    with pytest.raises(ValueError, match="Unknown unit"):
        analysis.frequencies("phrase")


# -- specificities ------------------------------------------------------------------------------
def scipy_score(f: int, F: int, t: int, T: int) -> float:
    expected = F * t / T
    if f > expected:
        return -hypergeom.logsf(f - 1, T, F, t) / math.log(10)
    if f < expected:
        return hypergeom.logcdf(f, T, F, t) / math.log(10)
    return 0.0


@pytest.mark.parametrize("by, unit", [("part", "lemma"), ("author", "form"), ("year", "lemma"), ("part", "category"),
                                      (["part", "year"], "label")])
def test_specificities_equal_scipy_reference(analysis, by, unit):
    spec = analysis.specificities(by, unit=unit, min_count=1)
    assert list(spec.columns) == ["part", "term", "f", "F", "t", "T", "expected", "score"]
    # counts agree with frequencies: f by part, t = part size, T = corpus size
    freqs = analysis.frequencies(unit, stopwords=False)
    total = analysis.frequencies(unit, stopwords=False)["count"].sum()
    assert (spec["T"] == total).all()
    assert spec.groupby("part", dropna=False)["f"].sum().sum() == total
    assert dict(zip(freqs["term"], freqs["count"])) == spec.groupby("term")["f"].sum().to_dict()
    # every (part, term) cell is there, absent terms included
    assert len(spec) == spec["part"].nunique(dropna=False) * spec["term"].nunique()
    ref = np.array([scipy_score(*map(int, r)) for r in spec[["f", "F", "t", "T"]].itertuples(index=False)])
    assert np.max(np.abs(spec["score"].to_numpy() - ref)) < 1e-9
    assert np.allclose(spec["expected"], spec["F"] * spec["t"] / spec["T"])


def test_specificities_tell_which_objections_belong_to_comments(analysis):
    spec = analysis.specificities("part", unit="category", min_count=1).set_index(["part", "term"])
    assert spec.loc[("comment", "regulation_legal"), "score"] > 0
    assert spec.loc[("comment", "cost_resources"), "score"] > 0
    assert spec.loc[("comment", "time"), "score"] < 0
    assert spec.loc[("post", "time"), "score"] > 0
    ordered = analysis.specificities("part", unit="category", min_count=1)
    for _, group in ordered.groupby("part"):
        assert group["score"].is_monotonic_decreasing


def test_specificities_min_count_stopwords_and_guards(analysis):
    spec = analysis.specificities("part", min_count=3)
    assert (spec["F"] >= 3).all()
    content = analysis.specificities("part", stopwords=True, min_count=1)
    assert "le" not in set(content["term"])
    # stop words leave the part sizes alone: Lafon draws parts from the whole text
    assert set(content["t"]) == set(analysis.specificities("part", min_count=1)["t"])
    with pytest.raises(ValueError, match="max_cells"):
        analysis.specificities("author", min_count=1, max_cells=10)
    with pytest.raises(ValueError, match="partition"):
        analysis.specificities([])


def test_specificities_on_a_million_tokens_through_the_api():
    """End to end: a 1,000,000-row tokens table, two parts, a term concentrated in one part."""
    rng = np.random.default_rng(7)
    n = 1_000_000
    vocab = np.array([f"mot{i}" for i in range(2_000)], dtype=object)
    p = 1 / np.arange(1, len(vocab) + 1)
    lemmas = vocab[rng.choice(len(vocab), size=n, p=p / p.sum())]
    doc = np.where(np.arange(n) < 400_000, "billet", "commentaire")
    lemmas[:3_000] = "objection"  # only in the post
    tokens = pd.DataFrame({"doc_id": doc, "sent_id": np.arange(n) // 20, "token_id": np.arange(n), "text": lemmas,
                           "lemma": lemmas, "pos": "NOUN", "is_punct": False})
    docs = frame("documents", [{"doc_id": "billet", "post_id": "billet", "part": "post"},
                               {"doc_id": "commentaire", "post_id": "billet", "part": "comment"}])
    tokens = tokens.astype({"doc_id": "string", "text": "string", "lemma": "string", "pos": "string"})
    big = Analysis({"documents": docs, "tokens": tokens})
    spec = big.specificities("part", min_count=1)
    assert int(spec["T"].iloc[0]) == n and np.isfinite(spec["score"]).all()
    row = spec.set_index(["part", "term"]).loc[("post", "objection")]
    assert row["score"] > 1_000  # P below 1e-1000, still a finite score
    assert row["score"] == pytest.approx(-math.fsum(math.log10((400_000 - i) / (n - i)) for i in range(3_000)), abs=1e-9)
    sample = spec.iloc[:: max(1, len(spec) // 40)]
    ref = np.array([scipy_score(*map(int, r)) for r in sample[["f", "F", "t", "T"]].itertuples(index=False)])
    # scipy's log-space tail carries ~1e-9 relative error at this size: compare relatively
    assert np.all(np.abs(sample["score"].to_numpy() - ref) <= 1e-9 * np.maximum(1.0, np.abs(ref)))


# -- concordance --------------------------------------------------------------------------------
def test_concordance_forms_with_token_windows(analysis):
    kwic = analysis.concordance("temps", window=3)
    assert list(kwic.columns) == ["doc_id", "sent_id", "left", "match", "right"]
    assert len(kwic) == 5 and set(kwic["match"]) == {"temps"}
    first = kwic.iloc[0]
    assert (first["doc_id"], first["left"], first["right"]) == ("p1", "ont pas le", ". Certes,")
    assert len(analysis.concordance("TEMPS")) == 5
    assert analysis.concordance("TEMPS", ignore_case=False).empty


def test_concordance_multiword_lemma_regex_label_marker(analysis):
    assert len(analysis.concordance("pas le temps")) == 3
    lemma = analysis.concordance("publier", unit="lemma")
    assert sorted(lemma["match"]) == ["publient", "publions"]
    regex = analysis.concordance(r"\bcertes\b", unit="regex", window=2)
    assert regex["match"].tolist() == ["Certes"] and regex["left"].iloc[0] == "temps."  # punctuation marks are tokens too
    cues = analysis.concordance("time", unit="label")
    assert sorted(cues["match"]) == ["le temps manque", "pas le temps", "pas le temps"]
    assert len(analysis.concordance("objection", unit="label")) == 7
    marks = analysis.concordance("opposition", unit="marker")
    assert sorted(marks["match"]) == ["Mais", "mais"]
    with pytest.raises(ValueError, match="concordance unit"):
        analysis.concordance("x", unit="phrase")


# -- repeated segments and cooccurrences ----------------------------------------------------------
def test_repeated_segments(analysis):
    seg = analysis.repeated_segments()
    assert list(seg.columns) == ["segment", "length", "count", "n_docs"]
    rows = seg.set_index("segment")
    assert rows.loc["pas le temps", "count"] == 3 and rows.loc["pas le temps", "n_docs"] == 2
    assert rows.loc["le temps", "count"] == 5 and rows.loc["les concurrents", "count"] == 2
    assert (seg["count"] >= 2).all() and seg["length"].between(2, 8).all()
    assert all(re.fullmatch(r"[\w'-]+(?: [\w'-]+)*", s) for s in seg["segment"])  # no punctuation inside
    assert "d'accord" in set(seg["segment"])  # elisions glued
    assert seg.iloc[0]["count"] == seg["count"].max()
    only3 = analysis.repeated_segments(min_len=3, max_len=3)
    assert set(only3["segment"]) == {"pas le temps"}
    assert "le temps" not in set(analysis.repeated_segments(stopwords=True)["segment"])


def test_cooccurrences_sentence_and_window(analysis):
    cooc = analysis.cooccurrences("temps", min_count=1)
    assert list(cooc.columns) == ["pivot", "term", "f", "F", "t", "T", "expected", "score"]
    pas = cooc.set_index("term").loc["pas"]
    # « pas » shares a sentence with « temps » 3 times, out of 5 in the corpus
    assert (pas["f"], pas["F"]) == (3, 5)
    words = int((~analysis.tokens["is_punct"]).sum())
    assert pas["T"] == words - 5  # the pivot's 5 occurrences are not counted
    assert pas["score"] == pytest.approx(float(lafon_scores(3, 5, pas["t"], pas["T"])))
    assert cooc["score"].is_monotonic_decreasing
    near = analysis.cooccurrences("temps", scope="window", window=1, min_count=1, stopwords=False)
    # window 1: only the immediate neighbours (« le » before every « temps »)
    assert near.set_index("term").loc["le", "f"] == 5
    assert set(near["term"]) == {"le", "manquer", "investir", "de", "que"}
    assert analysis.cooccurrences("inexistant").empty


# -- objections, stance, threads, overview ------------------------------------------------------
def test_objection_summary(analysis):
    obj = analysis.objection_summary().set_index("category")
    assert obj.loc["time", "count"] == 3 and obj.loc["time", "share"] == pytest.approx(3 / 7)
    assert obj.loc["time", "n_docs"] == 2 and obj.loc["time", "doc_share"] == pytest.approx(2 / 5)
    assert obj.loc["time", "mean_stance_score"] == pytest.approx((0.6 - 0.7) / 2)
    by_part = analysis.objection_summary(by="part").set_index(["part", "category"])
    assert by_part.loc[("comment", "regulation_legal"), "doc_share"] == pytest.approx(1 / 3)
    assert by_part.loc[("comment", "cost_resources"), "share"] == pytest.approx(1 / 2)
    assert by_part.loc[("post", "time"), "doc_share"] == pytest.approx(1.0)
    by_author = analysis.objection_summary(by="author")
    assert set(by_author["author"]) == {"Claire Dubois", "Marc Lefebvre"}


def test_stance_summary(analysis):
    st = analysis.stance_summary().set_index("stance")
    assert st["count"].to_dict() == {"favor": 2, "neutral": 1, "against": 2}
    assert st.loc["favor", "mean_score"] == pytest.approx(0.5)
    assert st["share"].sum() == pytest.approx(1.0)
    by_part = analysis.stance_summary(by="part").set_index(["part", "stance"])
    assert by_part.loc[("post", "against"), "share"] == pytest.approx(0.5)
    by_year = analysis.stance_summary(by="year")
    assert set(by_year["year"].dropna()) == {"2012", "2015"}
    missing = Analysis({"documents": frame("documents", [{"doc_id": "a", "part": "post"}])}).stance_summary()
    assert missing["stance"].isna().all() and missing["count"].tolist() == [1]


def test_thread_summary(analysis):
    threads = analysis.thread_summary().set_index("post_id")
    p1 = threads.loc["p1"]
    assert (p1["n_comments"], p1["n_agree"], p1["n_disagree"], p1["n_mixed"]) == (2, 1, 1, 0)
    assert (p1["n_objecting_comments"], p1["n_comment_objections"]) == (1, 2)
    assert threads.loc["p2", "n_mixed"] == 1 and threads.loc["p2", "n_comment_objections"] == 0
    by_author = analysis.thread_summary(by="author").set_index("author")
    assert by_author.loc["Claire Dubois", "n_posts"] == 1 and by_author.loc["Claire Dubois", "n_comments"] == 2


def test_overview(analysis):
    row = analysis.overview().iloc[0]
    assert (row["n_documents"], row["n_posts"], row["n_comments"], row["n_authors"]) == (5, 2, 3, 3)
    assert (row["n_arguments"], row["n_objections"]) == (13, 7)
    assert (row["first_date"], row["last_date"]) == ("2012-03-05", "2015-06-10")
    by_part = analysis.overview(by="part").set_index("part")
    assert by_part.loc["comment", "n_documents"] == 3 and by_part.loc["post", "n_objections"] == 5


# -- IRaMuTeQ export ----------------------------------------------------------------------------
def test_to_iramuteq(analysis, tmp_path):
    path = analysis.to_iramuteq(tmp_path / "corpus.txt", variables=["part", "author", "year", "post_id"])
    text = path.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("****")]
    assert len(headers) == 5
    assert headers[0] == "**** *part_post *author_Claire_Dubois *year_2012 *postid_p1"
    assert "*author_Helene_Martin" in headers[2]  # accents folded
    assert headers[4] == "**** *part_comment *author_Claire_Dubois *postid_p2"  # no date: no *year_
    for header in headers:
        assert all(re.fullmatch(r"\*[A-Za-z0-9]+_[A-Za-z0-9_]+", v) for v in header.split()[1:])
    body = [line for line in text.splitlines() if not line.startswith("****")]
    assert not any("*" in line for line in body)
    assert "Le vrai risque, c'est de ne pas être là." in body
