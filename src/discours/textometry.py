"""Numeric helpers of textometry: Lafon's hypergeometric specificities (numpy and scipy only).

Lafon's model: a part of ``t`` occurrences is drawn without replacement from a corpus of ``T``
occurrences, ``F`` of which are the term. The count ``f`` of the term in the part then follows
the hypergeometric law ``H(T, F, t)``. The *specificity score* is the signed base-10 log of the
tail probability on the side where ``f`` lies:

* ``f > expected`` (``expected = F * t / T``): ``score = -log10 P(X >= f)`` (positive: over-represented);
* ``f < expected``: ``score = log10 P(X <= f)`` (negative: under-represented);
* ``f == expected``: ``score = 0``.

A score of +3 reads "a count this high would happen by chance less than once in a thousand".

Two implementations give the same numbers:

* :func:`lafon_scores` (default, ``method="series"``) is vectorised over every cell at once and
  never leaves log space, so it neither overflows nor underflows on corpora of millions of
  tokens (a probability of 1e-5000 is just a score of 5000);
* ``method="scipy"`` calls ``scipy.stats.hypergeom.logsf`` / ``logcdf`` cell by cell: exact,
  also in log space, but a Python loop summing up to ``t`` terms per cell, so slow on big corpora.
  It is kept as the reference the tests compare with.
"""
from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["hypergeom_logpmf", "lafon_scores"]

_LN10 = math.log(10.0)
_LN_2PI = math.log(2 * math.pi)
_LN_SQRT_2PI = 0.5 * _LN_2PI
#: the series stops when what is left is below this fraction of the sum (below double precision)
_EPS = 1e-17


def _stirlerr(n: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log(n!) - log(sqrt(2 pi n) (n / e)^n)``, the error of Stirling's formula (Loader, 2000)."""
    from scipy.special import gammaln

    n = np.asarray(n, dtype=np.float64)
    out = np.zeros_like(n)
    small = (n > 0) & (n <= 15)
    ns = n[small]
    # small n: lgamma is at most ~28 here, so the difference keeps full precision
    out[small] = gammaln(ns + 1) - (ns + 0.5) * np.log(ns) + ns - _LN_SQRT_2PI
    big = n > 15
    nb = n[big]
    nn = nb * nb
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    out[big] = np.select(
        [nb > 500, nb > 80, nb > 35],
        [(s0 - s1 / nn) / nb, (s0 - (s1 - s2 / nn) / nn) / nb, (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / nb],
        (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / nb,
    )
    return out


def _bd0(x: NDArray[np.float64], m: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x log(x / m) + m - x`` without cancellation when ``x`` is close to ``m`` (Loader, 2000)."""
    x = np.asarray(x, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x == 0, m, x * np.log(x / m) + m - x)
    near = np.abs(x - m) < 0.1 * (x + m)
    if near.any():
        xn, mn = x[near], m[near]
        v = (xn - mn) / (xn + mn)
        s = (xn - mn) * v
        ej = 2 * xn * v
        v2 = v * v
        # |v| < 0.1: each term is 100 times smaller than the last, 10 rounds reach double precision
        for j in range(1, 40):
            ej = ej * v2
            s_new = s + ej / (2 * j + 1)
            if np.array_equal(s_new, s):
                break
            s = s_new
        out[near] = s
    return out


def _log_dbinom(x: NDArray[np.float64], n: NDArray[np.float64], p: NDArray[np.float64], q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Log binomial pmf in Loader's saddle-point form (R's ``dbinom_raw``), accurate for huge n."""
    out = np.empty_like(x)
    zero = x == 0
    full = (x == n) & ~zero
    mid = ~zero & ~full
    with np.errstate(divide="ignore", invalid="ignore"):
        nz, pz, qz = n[zero], p[zero], q[zero]
        out[zero] = np.where(pz < 0.1, -_bd0(nz, nz * qz) - nz * pz, nz * np.log(qz))
        nf, pf, qf = n[full], p[full], q[full]
        out[full] = np.where(qf < 0.1, -_bd0(nf, nf * pf) - nf * qf, nf * np.log(pf))
    xm, nm, pm, qm = x[mid], n[mid], p[mid], q[mid]
    lc = _stirlerr(nm) - _stirlerr(xm) - _stirlerr(nm - xm) - _bd0(xm, nm * pm) - _bd0(nm - xm, nm * qm)
    lf = _LN_2PI + np.log(xm) + np.log1p(-xm / nm)
    out[mid] = lc - 0.5 * lf
    return out


def hypergeom_logpmf(k: ArrayLike, F: ArrayLike, t: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
    """Natural log of ``P(X = k)`` for ``X ~ H(T, F, t)``, accurate to ~1e-13 even for huge ``T``.

    Written as three binomial terms in Loader's saddle-point form (as R's ``dhyper``): with
    ``T`` around 1e6, plain ``gammaln``/``betaln`` differences lose about 1e-9 to cancellation.

    Example:
        >>> round(float(hypergeom_logpmf(1, 2, 2, 4)), 6)   # P = 4/6
        -0.405465
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (k, F, t, T)))
    shape = arrays[0].shape
    k, F, t, T = (np.ascontiguousarray(a).ravel() for a in arrays)
    out = np.zeros(k.shape[0])
    ok = (T > 0) & (t > 0) & (t < T)
    # t == 0 or t == T: the draw is certain (k is then 0 or F)
    p = np.where(ok, t / np.where(T > 0, T, 1), 0.5)
    q = np.where(ok, (T - t) / np.where(T > 0, T, 1), 0.5)
    o = ok
    out[o] = (
        _log_dbinom(k[o], F[o], p[o], q[o])
        + _log_dbinom(t[o] - k[o], T[o] - F[o], p[o], q[o])
        - _log_dbinom(t[o], T[o], p[o], q[o])
    )
    return out.reshape(shape)


def _upper_ratio(m: NDArray[np.float64], F: NDArray[np.float64], t: NDArray[np.float64], T: NDArray[np.float64]) -> NDArray[np.float64]:
    """``P(X = m + 1) / P(X = m)``; 0 once ``m`` reaches the top of the support."""
    r = (F - m) * (t - m) / ((m + 1) * (T - F - t + m + 1))
    return np.maximum(r, 0.0)


def _lower_ratio(m: NDArray[np.float64], F: NDArray[np.float64], t: NDArray[np.float64], T: NDArray[np.float64]) -> NDArray[np.float64]:
    """``P(X = m - 1) / P(X = m)``; 0 once ``m`` reaches the bottom of the support."""
    r = m * (T - F - t + m) / ((F - m + 1) * (t - m + 1))
    return np.maximum(r, 0.0)


def _log_tail(k0: NDArray[np.float64], F: NDArray[np.float64], t: NDArray[np.float64], T: NDArray[np.float64], *, upper: bool) -> NDArray[np.float64]:
    """``log P(X >= k0)`` (upper) or ``log P(X <= k0)`` (lower), every cell at once.

    The tail is ``P(X = k0) * S`` where ``S = 1 + r1 + r1 r2 + ...`` uses the pmf ratios, so
    only ``S`` (between 1 and a few hundred) is ever held outside log space. Cells advance in
    blocks of growing size; a cell stops once the rest of its series is provably negligible:
    the hypergeometric law is log-concave, so after a ratio ``r < 1`` the remaining terms are
    bounded by a geometric series ``term * r / (1 - r)``.
    """
    n = k0.shape[0]
    log_p0 = hypergeom_logpmf(k0, F, t, T)
    total = np.ones(n)
    term = np.ones(n)
    pos = k0.astype(np.float64).copy()
    active = np.arange(n)
    ratio = _upper_ratio if upper else _lower_ratio
    step = 1.0 if upper else -1.0
    block = 8
    while active.size:
        offsets = np.arange(block, dtype=np.float64) * step
        m = pos[active, None] + offsets[None, :]
        r = ratio(m, F[active, None], t[active, None], T[active, None])
        terms = term[active, None] * np.cumprod(r, axis=1)
        total[active] += terms.sum(axis=1)
        last = terms[:, -1]
        pos[active] += block * step
        term[active] = last
        nxt = ratio(pos[active], F[active], t[active], T[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = np.where(nxt < 1.0, last * nxt / (1.0 - nxt), np.inf)
        done = (last == 0.0) | (rest <= _EPS * total[active])
        active = active[~done]
        block = min(block * 2, 4096)
    return log_p0 + np.log(total)


def _validate(f: NDArray[np.float64], F: NDArray[np.float64], t: NDArray[np.float64], T: NDArray[np.float64]) -> None:
    bad = (f < 0) | (f > F) | (f > t) | (F > T) | (t > T) | (f < F + t - T) | (T < 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"Impossible counts for a specificity: f={f.flat[i]:g}, F={F.flat[i]:g}, t={t.flat[i]:g}, T={T.flat[i]:g}. "
            "Need 0 <= f <= min(F, t), F <= T, t <= T and f >= F + t - T (f: count in part, F: in corpus, "
            "t: part size, T: corpus size)."
        )


def lafon_scores(
    f: ArrayLike, F: ArrayLike, t: ArrayLike, T: ArrayLike, *, method: Literal["series", "scipy"] = "series"
) -> NDArray[np.float64]:
    """Lafon's specificity scores (signed log10 hypergeometric tail), vectorised.

    Args:
        f: count of the term in the part.
        F: count of the term in the corpus.
        t: size of the part (occurrences).
        T: size of the corpus (occurrences).
        method: ``"series"`` (vectorised, fast) or ``"scipy"`` (``scipy.stats.hypergeom``, slow reference).

    Returns:
        Array of scores, broadcast from the inputs: positive = over-represented in the part.

    Example:
        >>> # « objection » : 30 fois dans les commentaires (2 000 mots) sur 40 dans le corpus (10 000 mots)
        >>> round(float(lafon_scores(30, 40, 2_000, 10_000)), 2)
        13.03
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (f, F, t, T)))
    shape = arrays[0].shape
    f, F, t, T = (np.ascontiguousarray(a).ravel() for a in arrays)
    _validate(f, F, t, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(T > 0, F * t / np.where(T > 0, T, 1), 0.0)
    # exact equality matters: F * t / T is an exact float when f == F * t / T holds in integers
    upper = f > expected
    lower = f < expected
    score = np.zeros(f.shape[0])
    if method == "series":
        if upper.any():
            score[upper] = -_log_tail(f[upper], F[upper], t[upper], T[upper], upper=True) / _LN10
        if lower.any():
            score[lower] = _log_tail(f[lower], F[lower], t[lower], T[lower], upper=False) / _LN10
    elif method == "scipy":
        from scipy.stats import hypergeom

        if upper.any():
            score[upper] = -hypergeom.logsf(f[upper] - 1, T[upper], F[upper], t[upper]) / _LN10
        if lower.any():
            score[lower] = hypergeom.logcdf(f[lower], T[lower], F[lower], t[lower]) / _LN10
    else:
        raise ValueError(f"Unknown method {method!r}; use 'series' (default) or 'scipy'.")
    # -0.0 and +0.0 alike read as "not specific"
    score[score == 0.0] = 0.0
    return score.reshape(shape)
