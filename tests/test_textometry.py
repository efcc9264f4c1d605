"""Lafon specificities equal scipy.stats.hypergeom (1e-9) and exact rational arithmetic, up to 1M tokens."""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import hypergeom

from discours.textometry import hypergeom_logpmf, lafon_scores

TOL = 1e-9


def reference(f, F, t, T) -> tuple[np.ndarray, np.ndarray]:
    """Signed log10 tail with scipy.stats.hypergeom, cell by cell (scipy's M=T, n=F, N=t).

    ``sf``/``cdf`` (scipy's C++ summation) where the probability is a double; where it
    underflows (below 1e-300), ``logsf``/``logcdf``. Returns the scores and the mask of the
    latter: scipy's log-space route writes the pmf with betaln, whose own error grows with the
    corpus (~1e-9 relative at a million tokens), so those cells are compared relatively.
    """
    scores, logspace = [], []
    for fi, Fi, ti, Ti in zip(*(np.broadcast_arrays(f, F, t, T))):
        expected = Fi * ti / Ti if Ti else 0.0
        if fi == expected:
            scores.append(0.0)
            logspace.append(False)
            continue
        upper = fi > expected
        p = hypergeom.sf(fi - 1, Ti, Fi, ti) if upper else hypergeom.cdf(fi, Ti, Fi, ti)
        if p > 1e-300:
            log10 = math.log10(p)
        else:
            log10 = (hypergeom.logsf(fi - 1, Ti, Fi, ti) if upper else hypergeom.logcdf(fi, Ti, Fi, ti)) / math.log(10)
        scores.append(-log10 if upper else log10)
        logspace.append(p <= 1e-300)
    return np.array(scores, dtype=float), np.array(logspace, dtype=bool)


def assert_matches_scipy(got: np.ndarray, f, F, t, T) -> float:
    ref, logspace = reference(f, F, t, T)
    diff = np.abs(got - ref)
    assert np.all(diff[~logspace] < TOL), diff[~logspace].max()
    assert np.all(diff[logspace] < TOL * np.abs(ref[logspace])), (diff / np.abs(ref))[logspace].max()
    return float(diff[~logspace].max(initial=0.0))


def exact_log10_tail(f: int, F: int, t: int, T: int) -> float:
    """The signed score with integers and Fractions only (no floating point until the log)."""
    expected = Fraction(F * t, T)
    ks = range(f, min(F, t) + 1) if f > expected else range(max(0, F + t - T), f + 1)
    p = Fraction(sum(math.comb(F, k) * math.comb(T - F, t - k) for k in ks), math.comb(T, t))
    log10 = math.log10(p.numerator) - math.log10(p.denominator)
    if f == expected:
        return 0.0
    return -log10 if f > expected else log10


def all_cells(max_T: int) -> np.ndarray:
    cells = []
    for T in range(1, max_T + 1):
        for F in range(T + 1):
            for t in range(T + 1):
                for f in range(max(0, F + t - T), min(F, t) + 1):
                    cells.append((f, F, t, T))
    return np.array(cells, dtype=float)


def test_every_cell_of_small_corpora_matches_scipy():
    cells = all_cells(18)
    got = lafon_scores(*cells.T)
    assert np.isfinite(got).all()
    assert_matches_scipy(got, *cells.T)


def test_scipy_method_gives_the_same_scores():
    cells = all_cells(10)
    assert np.max(np.abs(lafon_scores(*cells.T, method="scipy") - lafon_scores(*cells.T))) < TOL


@pytest.mark.parametrize(
    "f, F, t, T",
    [(30, 40, 2_000, 10_000), (0, 40, 2_000, 10_000), (3, 40, 2_000, 10_000), (8, 40, 2_000, 10_000),
     (120, 300, 3_000, 12_000), (40, 300, 3_000, 12_000), (1, 1, 5, 12_000)],
)
def test_matches_exact_rational_arithmetic(f, F, t, T):
    assert lafon_scores(f, F, t, T) == pytest.approx(exact_log10_tail(f, F, t, T), abs=1e-11)


def test_sign_and_zero():
    # « objection » 30 fois dans 2 000 mots de commentaires, 40 fois dans 10 000 mots de corpus
    assert lafon_scores(30, 40, 2_000, 10_000) > 10
    assert lafon_scores(0, 40, 2_000, 10_000) < -3
    assert lafon_scores(8, 40, 2_000, 10_000) == 0.0  # exactly the expected count
    assert lafon_scores(5, 5, 10, 10) == 0.0  # the part is the corpus


def test_shape_is_kept_and_bad_counts_are_refused():
    f = np.array([[1, 2], [3, 0]])
    assert lafon_scores(f, 5, 10, 100).shape == (2, 2)
    assert np.ndim(lafon_scores(1, 5, 10, 100)) == 0
    with pytest.raises(ValueError, match="Impossible counts"):
        lafon_scores(6, 5, 10, 100)
    with pytest.raises(ValueError, match="method"):
        lafon_scores(1, 5, 10, 100, method="normal")


def test_logpmf_matches_exact_values_and_scipy():
    k = np.arange(0, 41)
    got = hypergeom_logpmf(k, 40, 2_000, 10_000)
    exact = [math.log(math.comb(40, j) * math.comb(9_960, 2_000 - j)) - math.log(math.comb(10_000, 2_000)) for j in k]
    # Loader's saddle-point form is closer to the truth than scipy's betaln form (~2e-11 off here)
    assert np.max(np.abs(got - exact)) < 5e-12
    assert np.max(np.abs(got - hypergeom.logpmf(k, 10_000, 40, 2_000))) < TOL
    assert np.exp(got).sum() == pytest.approx(1.0, abs=1e-12)


@pytest.fixture(scope="module")
def million():
    """A synthetic 1,000,000-token corpus: Zipf vocabulary over 4 parts, plus extreme terms."""
    rng = np.random.default_rng(20240501)
    V, T, P = 20_000, 1_000_000, 4
    p = 1 / np.arange(1, V + 1)
    words = rng.choice(V, size=T - 6_000, p=p / p.sum())
    parts = rng.integers(0, P, size=words.size)
    # a term found only in part 0 (5,000 times) and one never found there (1,000 times)
    words = np.concatenate([words, np.full(5_000, V), np.full(1_000, V + 1)])
    parts = np.concatenate([parts, np.zeros(5_000, int), rng.integers(1, P, 1_000)])
    counts = np.zeros((P, V + 2), dtype=np.int64)
    np.add.at(counts, (parts, words), 1)
    F = counts.sum(axis=0)
    keep = F > 0
    counts, F = counts[:, keep], F[keep]
    t = counts.sum(axis=1)
    return counts, np.broadcast_to(F, counts.shape), np.broadcast_to(t[:, None], counts.shape), int(t.sum())


def test_a_million_tokens_without_overflow(million):
    f, F, t, T = million
    assert T == 1_000_000
    start = time.perf_counter()
    scores = lafon_scores(f, F, t, T)
    elapsed = time.perf_counter() - start
    assert np.isfinite(scores).all()
    assert scores.max() > 1_000  # a probability below 1e-1000: no underflow to 0, no inf
    assert scores.min() < -100
    assert elapsed < 30, f"{f.size} cells took {elapsed:.1f} s"
    # compare with scipy on the extremes, the most frequent terms and a random sample
    flat = scores.ravel()
    rng = np.random.default_rng(0)
    order = np.argsort(flat)
    picks = np.unique(np.concatenate([order[:10], order[-10:], np.arange(0, f.size, f.shape[1])[:4],
                                      rng.choice(f.size, 60, replace=False)]))
    assert_matches_scipy(flat[picks], f.ravel()[picks], F.ravel()[picks], t.ravel()[picks], T)


def test_a_million_tokens_extremes_match_closed_forms(million):
    f, F, t, T = million
    t0 = int(t[0, 0])
    scores = lafon_scores(f[0, -2:], F[0, -2:], t[0, -2:], T)
    # all 5,000 occurrences in part 0: P(X >= 5000) = prod (t0 - i) / (T - i)
    only_here = -math.fsum(math.log10((t0 - i) / (T - i)) for i in range(5_000))
    # 1,000 occurrences, none in part 0: P(X <= 0) = prod (T - t0 - i) / (T - i)
    never_here = math.fsum(math.log10((T - t0 - i) / (T - i)) for i in range(1_000))
    assert scores[0] == pytest.approx(only_here, abs=TOL)
    assert scores[1] == pytest.approx(never_here, abs=TOL)
