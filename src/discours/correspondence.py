"""Correspondence analysis (AFC): a plain SVD of the standardised residuals of a contingency table.

Pure numerics on tables (numpy, scipy, pandas): nothing here parses text. For a table ``N``
(``I`` rows × ``J`` columns, total ``n``), with ``P = N / n``, row masses ``r`` and column
masses ``c``, the standardised residuals are

    S = D_r^(-1/2) (P - r c') D_c^(-1/2),      S = U Σ V'

The eigenvalues are ``Σ²`` and add up to the total inertia ``χ² / n``; principal coordinates
are ``F = D_r^(-1/2) U Σ`` (rows) and ``G = D_c^(-1/2) V Σ`` (columns); the contribution of a
row to a dimension is ``U²`` (its mass × its squared coordinate ÷ the eigenvalue) and its cos²
is its squared coordinate ÷ its squared χ² distance to the centroid.

Small tables are decomposed dense (``numpy.linalg.svd``, every dimension); large ones with
``scipy.sparse.linalg.svds`` on a linear operator, so ``S`` (dense by nature: ``r c'`` fills
every cell) is never built and a 100,000-document table stays sparse. Signs are fixed (the
largest row component of each dimension is positive) and the ARPACK start vector is seeded,
so the same table gives the same numbers on every run.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd
    from scipy.sparse import csr_matrix

__all__ = ["CASolution", "Correspondence", "ca_svd", "contingency"]

#: above this many cells the SVD runs on a sparse linear operator instead of a dense matrix
DENSE_CELLS = 4_000_000


@dataclass(frozen=True)
class CASolution:
    """The arrays of a correspondence analysis (see the module docstring for the formulas).

    Attributes:
        row_mass, col_mass: ``r`` and ``c``.
        singular_values: ``Σ``, decreasing.
        u, v: the singular vectors (``I × k`` and ``J × k``), signs fixed.
        total_inertia: ``χ² / n`` of the whole table (every dimension, computed or not).
        row_dist2, col_dist2: squared χ² distances of rows and columns to their centroid.
    """

    row_mass: NDArray[np.float64]
    col_mass: NDArray[np.float64]
    singular_values: NDArray[np.float64]
    u: NDArray[np.float64]
    v: NDArray[np.float64]
    total_inertia: float
    row_dist2: NDArray[np.float64]
    col_dist2: NDArray[np.float64]

    @property
    def eigenvalues(self) -> NDArray[np.float64]:
        return self.singular_values**2

    @property
    def row_coords(self) -> NDArray[np.float64]:
        """Principal coordinates of the rows (``F``)."""
        return self.u * self.singular_values / np.sqrt(self.row_mass)[:, None]

    @property
    def col_coords(self) -> NDArray[np.float64]:
        """Principal coordinates of the columns (``G``)."""
        return self.v * self.singular_values / np.sqrt(self.col_mass)[:, None]


def _as_csr(table: Any) -> "csr_matrix":
    from scipy import sparse

    if sparse.issparse(table):
        return sparse.csr_matrix(table, dtype=np.float64)
    return sparse.csr_matrix(np.asarray(table, dtype=np.float64))


def _fix_signs(u: NDArray[np.float64], v: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Make the largest-magnitude row component of each dimension positive (first one on ties)."""
    if u.size == 0:
        return u, v
    top = np.argmax(np.abs(u), axis=0)
    signs = np.sign(u[top, np.arange(u.shape[1])])
    signs[signs == 0] = 1.0
    return u * signs, v * signs


def ca_svd(table: Any, n_components: int | None = None, *, dense_cells: int = DENSE_CELLS) -> CASolution:
    """Correspondence analysis of a contingency table (dense array or scipy.sparse matrix).

    Args:
        table: non-negative counts; every row and column must have a positive total.
        n_components: dimensions to compute (default: all, ``min(I, J) - 1``); capped at that.
        dense_cells: tables with more cells go through ``scipy.sparse.linalg.svds``.

    Returns:
        A :class:`CASolution`.

    Example:
        >>> sol = ca_svd([[10, 2, 1], [1, 8, 3], [2, 1, 9]])   # trois parties × trois mots
        >>> round(float(sol.eigenvalues.sum()), 12) == round(sol.total_inertia, 12)
        True
    """
    from scipy import sparse

    N = _as_csr(table)
    if N.nnz and N.data.min() < 0:
        raise ValueError("A correspondence analysis needs non-negative counts; the table has negative cells.")
    n = float(N.sum())
    if n <= 0:
        raise ValueError("The table is empty (total 0): nothing to analyse.")
    P = N / n
    r = np.asarray(P.sum(axis=1)).ravel()
    c = np.asarray(P.sum(axis=0)).ravel()
    if (r <= 0).any() or (c <= 0).any():
        raise ValueError("Every row and column of the table needs a positive total; drop the empty ones first.")
    I, J = P.shape
    max_dims = max(min(I, J) - 1, 0)
    k = max_dims if n_components is None else max(0, min(int(n_components), max_dims))
    # sum_ij p_ij^2 / (r_i c_j) from the non-zero cells only
    Q = sparse.csr_matrix(P.multiply(1.0 / r[:, None]).multiply(1.0 / c[None, :]))
    PQ = P.multiply(Q)
    total = float(PQ.sum()) - 1.0
    # d_i^2 = sum_j p_ij^2 / (r_i^2 c_j) - 1, and the same for columns
    row_dist2 = np.asarray(PQ.sum(axis=1)).ravel() / r - 1.0
    col_dist2 = np.asarray(PQ.sum(axis=0)).ravel() / c - 1.0
    if k == 0:
        empty_u, empty_v = np.zeros((I, 0)), np.zeros((J, 0))
        return CASolution(r, c, np.zeros(0), empty_u, empty_v, max(total, 0.0), row_dist2, col_dist2)
    sr, sc = np.sqrt(r), np.sqrt(c)
    if I * J <= dense_cells:
        S = (P.toarray() - np.outer(r, c)) / np.outer(sr, sc)
        U, s, Vt = np.linalg.svd(S, full_matrices=False)
        U, s, V = U[:, :k], s[:k], Vt[:k].T
    else:
        U, s, V = _sparse_svd(P, r, c, k)
    U, V = _fix_signs(U, V)
    return CASolution(r, c, s, U, V, total, row_dist2, col_dist2)


def _sparse_svd(P: Any, r: NDArray[np.float64], c: NDArray[np.float64], k: int) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The top ``k`` singular triplets of ``S`` without building it (ARPACK, seeded start vector)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import LinearOperator, svds

    sr, sc = np.sqrt(r), np.sqrt(c)
    A = csr_matrix(P.multiply(1.0 / sr[:, None]).multiply(1.0 / sc[None, :]))
    At = A.T.tocsr()

    def matvec(x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x).ravel()
        return A @ x - sr * (sc @ x)

    def rmatvec(y: NDArray[np.float64]) -> NDArray[np.float64]:
        y = np.asarray(y).ravel()
        return At @ y - sc * (sr @ y)

    def matmat(X: NDArray[np.float64]) -> NDArray[np.float64]:
        return A @ X - np.outer(sr, sc @ X)

    def rmatmat(Y: NDArray[np.float64]) -> NDArray[np.float64]:
        return At @ Y - np.outer(sc, sr @ Y)

    op = LinearOperator(A.shape, matvec=matvec, rmatvec=rmatvec, matmat=matmat, rmatmat=rmatmat, dtype=np.float64)
    # a fixed start vector: ARPACK otherwise draws a random one, and results would differ by run
    v0 = np.random.default_rng(0).uniform(0.5, 1.5, size=min(A.shape))
    U, s, Vt = svds(op, k=k, v0=v0, solver="arpack", tol=0, maxiter=max(1000, 20 * min(A.shape)))
    order = np.argsort(-s, kind="stable")
    return U[:, order], s[order], Vt[order].T


def contingency(rows: "pd.Series", terms: "pd.Series", *, min_count: int = 1) -> tuple["csr_matrix", list[str], list[str]]:
    """The sparse rows × terms contingency table of paired labels (one pair per occurrence).

    Terms seen fewer than ``min_count`` times are dropped, then the rows left empty. Rows and
    columns are sorted, so the same occurrences always give the same table.

    Returns:
        ``(counts, row_names, term_names)``, counts as a ``scipy.sparse.csr_matrix`` of int64.

    Example:
        >>> import pandas as pd
        >>> m, parts, terms = contingency(pd.Series(["billet", "billet", "commentaire"]), pd.Series(["temps", "coût", "temps"]))
        >>> m.toarray().tolist(), parts, terms
        ([[1, 1], [0, 1]], ['billet', 'commentaire'], ['coût', 'temps'])
    """
    import pandas as pd
    from scipy import sparse

    r = pd.Series(rows).astype("string").fillna("non renseigné").reset_index(drop=True)
    t = pd.Series(terms).astype("string").reset_index(drop=True)
    ok = t.notna().to_numpy()
    r, t = r[ok], t[ok]
    codes, names = pd.factorize(t, sort=True)
    F = np.bincount(codes, minlength=len(names))
    keep = F >= min_count
    remap = np.full(len(names), -1)
    remap[keep] = np.arange(int(keep.sum()))
    col = remap[codes]
    mask = col >= 0
    row_codes, row_names = pd.factorize(r[mask], sort=True)
    m = sparse.coo_matrix((np.ones(int(mask.sum()), dtype=np.int64), (row_codes, col[mask])),
                          shape=(len(row_names), int(keep.sum()))).tocsr()
    m.sum_duplicates()
    return m, [str(x) for x in row_names], [str(x) for x in np.asarray(names, dtype=object)[keep]]


class Correspondence:
    """A correspondence analysis of a parts × terms table, as tidy tables.

    Attributes:
        table: the counts analysed (parts as index, terms as columns; a sparse DataFrame when
            it has more than ``DENSE_CELLS`` cells).
        eigenvalues: ``dim``, ``eigenvalue``, ``share`` (of the total inertia), ``cumulative``.
        rows: one row per part: the part (column named after ``by``), ``f`` (occurrences),
            ``mass``, ``dim1``…, ``contrib_dim1``… (share of the dimension's inertia, adding up
            to 1), ``cos2_dim1``… (share of the part's inertia shown by the dimension).
        columns: the same for every term (first column ``term``).
        total_inertia: ``χ² / n`` of the table (the sum of every eigenvalue).

    Example:
        >>> afc = analysis.correspondence("author")                      # doctest: +SKIP
        >>> afc.eigenvalues.head(3)                                       # doctest: +SKIP
        >>> afc.columns.nlargest(10, "contrib_dim1")[["term", "dim1"]]    # doctest: +SKIP
    """

    def __init__(self, counts: Any, row_names: list[str], term_names: list[str], *, by: str = "part",
                 n_components: int = 5, dense_cells: int = DENSE_CELLS):
        import pandas as pd

        self.by = by
        self._counts = _as_csr(counts)
        self._row_names, self._term_names = list(row_names), list(term_names)
        self._dense_cells = dense_cells
        shape = self._counts.shape
        sol = ca_svd(self._counts, n_components, dense_cells=dense_cells) if min(shape) >= 2 else None
        self.solution = sol
        k = len(sol.singular_values) if sol is not None else 0
        dims = [f"dim{i + 1}" for i in range(k)]
        self.total_inertia = float(sol.total_inertia) if sol is not None else 0.0
        eig = sol.eigenvalues if sol is not None else np.zeros(0)
        share = eig / self.total_inertia if self.total_inertia > 0 else np.zeros_like(eig)
        self.eigenvalues = pd.DataFrame({"dim": np.arange(1, k + 1, dtype=np.int64), "eigenvalue": eig,
                                         "share": share, "cumulative": np.cumsum(share)})
        row_f = np.asarray(self._counts.sum(axis=1)).ravel()
        col_f = np.asarray(self._counts.sum(axis=0)).ravel()
        total = max(float(row_f.sum()), 1.0)

        def frame(names: list[str], f: NDArray[Any], first: str, side: str) -> "pd.DataFrame":
            out = pd.DataFrame({first: pd.array(names, dtype="string"), "f": f.astype(np.int64), "mass": f / total})
            if sol is None:
                return out
            coords = sol.row_coords if side == "row" else sol.col_coords
            u = sol.u if side == "row" else sol.v
            dist2 = sol.row_dist2 if side == "row" else sol.col_dist2
            with np.errstate(divide="ignore", invalid="ignore"):
                cos2 = np.where(dist2[:, None] > 0, coords**2 / dist2[:, None], 0.0)
            cols = {d: coords[:, i] for i, d in enumerate(dims)}
            cols.update({f"contrib_{d}": u[:, i] ** 2 for i, d in enumerate(dims)})
            cols.update({f"cos2_{d}": cos2[:, i] for i, d in enumerate(dims)})
            return pd.concat([out, pd.DataFrame(cols)], axis=1)

        self.rows = frame(self._row_names, row_f, by, "row")
        self.columns = frame(self._term_names, col_f, "term", "col")

    @property
    def table(self) -> "pd.DataFrame":
        """The counts analysed: parts as index (named after ``by``), terms as columns."""
        import pandas as pd

        index = pd.Index(self._row_names, name=self.by)
        columns = pd.Index(self._term_names, name="term")
        if self._counts.shape[0] * self._counts.shape[1] <= self._dense_cells:
            return pd.DataFrame(self._counts.toarray(), index=index, columns=columns)
        return pd.DataFrame.sparse.from_spmatrix(self._counts, index=index, columns=columns)

    def __repr__(self) -> str:
        head = ", ".join(f"{s:.1%}" for s in self.eigenvalues["share"].head(3))
        return (f"<Correspondence: {len(self.rows)} {self.by} × {len(self.columns)} terms, "
                f"inertia {self.total_inertia:.4f}, first dimensions {head or 'none'}>")
