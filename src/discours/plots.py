"""Figures for corpus summaries: each function takes a summary DataFrame and returns an Axes.

matplotlib is imported inside the functions (``import discours`` stays light) and no backend is
forced: in Jupyter the figures show inline, in scripts pass ``ax=`` or call ``plt.savefig``.
Labels are in French; category, label and stance ids are translated with :func:`french`.

Example:
    >>> from discours import plots
    >>> ax = plots.frequency_bars(analysis.frequencies("lemma"), top=15)      # doctest: +SKIP
    >>> ax.figure.savefig("frequences.png", dpi=150)                          # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .correspondence import Correspondence
    from .reinert import Reinert

__all__ = [
    "FRENCH",
    "class_crosstab",
    "cooccurrence_graph",
    "correspondence_map",
    "french",
    "frequency_bars",
    "objections_by_partition",
    "reinert_dendrogram",
    "specificity_bars",
    "stance_distribution",
    "stance_over_time",
]

#: display names of the ids used in the tables
FRENCH: dict[str, str] = {
    # objection categories
    "regulation_legal": "réglementation, droit",
    "confidentiality": "confidentialité",
    "employee_trust": "confiance envers les employés",
    "competition": "concurrence",
    "loss_of_control": "perte de contrôle",
    "reputation_criticism": "réputation, critiques",
    "cost_resources": "coûts, ressources",
    "time": "manque de temps",
    "roi_measurement": "ROI, mesure",
    "security_privacy": "sécurité, vie privée",
    "audience_relevance": "public absent ou non pertinent",
    "other": "autre",
    # argument labels
    "objection": "objection",
    "rebuttal": "réfutation",
    "concession": "concession",
    "rhetorical_question": "question rhétorique",
    "authority": "argument d'autorité",
    "example": "exemple",
    "attributed": "discours rapporté",
    # stance and agreement
    "favor": "favorable",
    "against": "défavorable",
    "neutral": "neutre",
    "agree": "d'accord",
    "disagree": "en désaccord",
    "mixed": "mitigé",
    "none": "sans position",
    # parts
    "post": "billet",
    "comment": "commentaire",
    # partition columns
    "part": "partie",
    "author": "auteur",
    "year": "année",
    "month": "mois",
    "stance": "position",
    "agreement": "accord",
    "post_id": "fil",
    "label": "étiquette argumentative",
    "category": "catégorie d'objection",
}

STANCE_COLORS = {"favor": "#2e8b57", "neutral": "#a0a0a0", "against": "#c0392b", None: "#dddddd"}
STANCE_ORDER = ("favor", "neutral", "against")
NO_DATA = "Aucune donnée"


def french(value: Any) -> str:
    """The French display name of a table id (``"cost_resources"`` → ``"coûts, ressources"``).

    Example:
        >>> french("against"), french("comment"), french(None)
        ('défavorable', 'commentaire', 'non renseigné')
    """
    try:
        import pandas as pd

        if value is None or pd.isna(value):
            return "non renseigné"
    except (TypeError, ValueError):
        pass
    return FRENCH.get(str(value), str(value))


def _axes(ax: "Axes | None", figsize: tuple[float, float]) -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _no_data(ax: "Axes", title: str, xlabel: str = "", ylabel: str = "") -> "Axes":
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", transform=ax.transAxes, fontsize=12, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _reading_order(labels: Sequence[Any]) -> list[Any]:
    """Posts before comments; other groups (years, authors) keep their sorted order."""
    rank = {"post": 0, "billet": 0, "comment": 1, "commentaire": 1}
    return sorted(labels, key=lambda v: rank.get(str(v), 2))


def _group_column(df: "pd.DataFrame", known: Sequence[str]) -> str | None:
    """The partition column of a summary: the first column that is not one of its own."""
    extra = [c for c in df.columns if c not in known]
    return extra[0] if extra else None


def frequency_bars(
    freqs: "pd.DataFrame",
    *,
    top: int = 20,
    ax: "Axes | None" = None,
    title: str | None = None,
    color: str = "#3b6ea5",
) -> "Axes":
    """Horizontal bars of the most frequent terms of a :func:`~discours.summaries.frequencies` table.

    Counts of a table broken down ``by=`` are added up across groups.

    Example:
        >>> frequency_bars(analysis.frequencies("lemma"), top=15)       # doctest: +SKIP
    """
    ax = _axes(ax, (7, 0.3 * top + 1.2))
    title = title or "Termes les plus fréquents"
    xlabel, ylabel = "Nombre d'occurrences", "Terme"
    if freqs.empty:
        return _no_data(ax, title, xlabel, ylabel)
    counts = freqs.groupby("term")["count"].sum().sort_values(ascending=False, kind="stable").head(top)[::-1]
    ax.barh([str(t) for t in counts.index], counts.to_numpy(), color=color)
    for y, v in enumerate(counts.to_numpy()):
        ax.text(v, y, f" {int(v)}", va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(x=0.1)
    return ax


def objections_by_partition(
    summary: "pd.DataFrame",
    *,
    normalize: bool = False,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Stacked bars of objection categories per part, from ``objection_summary(by=...)``.

    Args:
        summary: an :func:`~discours.summaries.objection_summary` table (with or without ``by``).
        normalize: plot shares of each part's objections instead of counts.

    Example:
        >>> objections_by_partition(analysis.objection_summary(by="part"), normalize=True)   # doctest: +SKIP
    """
    import matplotlib as mpl
    import numpy as np

    from .summaries import COLUMNS

    ax = _axes(ax, (8, 4.5))
    by = _group_column(summary, COLUMNS["objection_summary"])
    title = title or ("Catégories d'objection" + (f" par {french(by)}" if by else ""))
    ylabel = "Part des objections" if normalize else "Nombre d'objections"
    if summary.empty:
        return _no_data(ax, title, french(by).capitalize() if by else "", ylabel)
    from .types import CATEGORIES

    df = summary.copy()
    df["_part"] = df[by].map(french) if by else "corpus"
    table = df.pivot_table(index="_part", columns="category", values="count", aggfunc="sum", fill_value=0, sort=False)
    table = table.loc[_reading_order(list(table.index))]
    # the catalogue's order (and colours) stay the same from one figure to the next
    rank = {c: k for k, c in enumerate(CATEGORIES)}
    table = table[sorted(table.columns, key=lambda c: (rank.get(c, len(rank)), str(c)))]
    if normalize:
        table = table.div(table.sum(axis=1).replace(0, 1), axis=0)
    palette = mpl.colormaps["tab20"](np.linspace(0, 1, 20))
    bottom = np.zeros(len(table))
    x = np.arange(len(table))
    for cat in table.columns:
        values = table[cat].to_numpy(dtype=float)
        color = palette[rank.get(cat, len(rank)) % len(palette)]
        ax.bar(x, values, bottom=bottom, label=french(cat), color=color, width=0.7)
        bottom += values
    ax.set_xticks(x, [str(p) for p in table.index], rotation=30 if len(x) > 4 else 0, ha="right" if len(x) > 4 else "center")
    ax.set_title(title)
    ax.set_xlabel(french(by).capitalize() if by else "")
    ax.set_ylabel(ylabel)
    ax.legend(title="Catégorie", fontsize=8, title_fontsize=9, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    return ax


def _stance_table(summary: "pd.DataFrame", by: str | None, value: str) -> "pd.DataFrame":
    df = summary.copy()
    df["_stance"] = df["stance"].astype(object).where(df["stance"].notna(), None)
    df["_group"] = df[by].astype(object).where(df[by].notna(), None) if by else "corpus"
    table = df.pivot_table(index="_group", columns="_stance", values=value, aggfunc="sum", fill_value=0, dropna=False, sort=False)
    order = [s for s in STANCE_ORDER if s in table.columns] + [c for c in table.columns if c not in STANCE_ORDER]
    return table.loc[_reading_order(list(table.index)), order]


def stance_distribution(
    summary: "pd.DataFrame",
    *,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Share of documents per stance, one horizontal 100 % bar per group of ``stance_summary(by=...)``.

    Example:
        >>> stance_distribution(analysis.stance_summary(by="part"))       # doctest: +SKIP
    """
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    from .summaries import COLUMNS

    ax = _axes(ax, (7, 3.5))
    by = _group_column(summary, COLUMNS["stance_summary"])
    title = title or "Répartition des positions" + (f" par {french(by)}" if by else "")
    xlabel = "Part des documents"
    if summary.empty:
        return _no_data(ax, title, xlabel, "")
    table = _stance_table(summary, by, "count")
    shares = table.div(table.sum(axis=1).replace(0, 1), axis=0)
    y = np.arange(len(shares))[::-1]  # first group on top
    left = np.zeros(len(shares))
    for stance in shares.columns:
        values = shares[stance].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=STANCE_COLORS.get(stance, "#dddddd"), label=french(stance), height=0.6)
        for yi, l, v in zip(y, left, values):
            if v >= 0.08:
                ax.text(l + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=8, color="white" if stance in ("favor", "against") else "black")
        left += values
    ax.set_yticks(y, [french(g) if by else "corpus" for g in shares.index])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(french(by).capitalize() if by else "")
    ax.legend(title="Position", fontsize=8, title_fontsize=9, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    return ax


def stance_over_time(
    summary: "pd.DataFrame",
    *,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Documents per stance and year (stacked bars) with the mean stance score (line, right axis).

    Args:
        summary: ``analysis.stance_summary(by="year")`` (or ``by="month"``).

    Example:
        >>> stance_over_time(analysis.stance_summary(by="year"))           # doctest: +SKIP
    """
    import numpy as np

    from .summaries import COLUMNS

    ax = _axes(ax, (8, 4))
    by = _group_column(summary, COLUMNS["stance_summary"]) or "year"
    title = title or "Positions au fil du temps"
    xlabel = "Année" if by == "year" else "Période"
    if summary.empty or by not in summary.columns:
        return _no_data(ax, title, xlabel, "Nombre de documents")
    df = summary[summary[by].notna()]
    if df.empty:
        return _no_data(ax, title, xlabel, "Nombre de documents")
    table = _stance_table(df, by, "count").sort_index()
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for stance in table.columns:
        values = table[stance].to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, color=STANCE_COLORS.get(stance, "#dddddd"), label=french(stance), width=0.7)
        bottom += values
    ax.set_xticks(x, [str(v) for v in table.index], rotation=45 if len(x) > 8 else 0)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Nombre de documents")
    weighted = df.assign(_w=df["mean_score"] * df["count"]).groupby(by)[["_w", "count"]].sum(min_count=1)
    scored = df[df["mean_score"].notna()].groupby(by)["count"].sum()
    mean = (weighted["_w"] / scored.reindex(weighted.index)).reindex(table.index)
    if mean.notna().any():
        right = ax.twinx()
        right.plot(x, mean.to_numpy(dtype=float), color="black", marker="o", linewidth=1.5, label="score moyen")
        right.axhline(0, color="black", linewidth=0.5, linestyle=":")
        right.set_ylim(-1, 1)
        right.set_ylabel("Score de position moyen (−1 à +1)")
    # below the axis: the bars and the score line leave no free corner
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2 if len(x) <= 8 else -0.26),
              ncol=len(table.columns), frameon=False)
    return ax


def specificity_bars(
    spec: "pd.DataFrame",
    *,
    part: str | None = None,
    top: int = 10,
    threshold: float = 2.0,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Diverging bars: the most over- and under-represented terms of one part.

    Args:
        spec: a :func:`~discours.summaries.specificities` table.
        part: the part to show (default: the first one).
        top: terms on each side.
        threshold: draw dashed lines at ± this score (2 ≈ chance below 1 %).

    Example:
        >>> specificity_bars(analysis.specificities("part"), part="comment")   # doctest: +SKIP
    """
    import pandas as pd

    ax = _axes(ax, (7, 0.28 * 2 * top + 1.5))
    if part is None and not spec.empty:
        part = spec["part"].iloc[0]
    title = title or (f"Spécificités : {french(part)}" if part is not None else "Spécificités")
    xlabel = "Score de spécificité (log10, + sur-emploi, − sous-emploi)"
    rows = spec[(spec["part"] == part).fillna(False).astype(bool)] if not spec.empty else spec
    if rows.empty:
        return _no_data(ax, title, xlabel, "Terme")
    pos = rows[rows["score"] > 0].nlargest(top, "score")
    neg = rows[rows["score"] < 0].nsmallest(top, "score")
    shown = pd.concat([neg.sort_values("score", ascending=False), pos.sort_values("score")])
    if shown.empty:
        return _no_data(ax, title, xlabel, "Terme")
    colors = ["#c0392b" if s < 0 else "#2e6da4" for s in shown["score"]]
    ax.barh([str(t) for t in shown["term"].map(french)], shown["score"].to_numpy(dtype=float), color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    for x in (-threshold, threshold):
        ax.axvline(x, color="#777777", linewidth=0.8, linestyle="--")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Terme")
    return ax


def cooccurrence_graph(
    cooc: "pd.DataFrame",
    *,
    top: int = 15,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """A star graph: the pivot in the centre, its most specific cooccurrents around it.

    Closer and bolder means more specific (higher score); edge width follows the
    cooccurrence count.

    Example:
        >>> cooccurrence_graph(analysis.cooccurrences("temps"))          # doctest: +SKIP
    """
    import numpy as np

    ax = _axes(ax, (7, 7))
    pivot = str(cooc["pivot"].iloc[0]) if not cooc.empty else None
    title = title or (f"Cooccurrents de « {pivot} »" if pivot else "Cooccurrents")
    rows = cooc[cooc["score"] > 0].nlargest(top, "score") if not cooc.empty else cooc
    if rows.empty:
        ax = _no_data(ax, title)
        ax.set_axis_off()
        return ax
    scores = rows["score"].to_numpy(dtype=float)
    counts = rows["f"].to_numpy(dtype=float)
    n = len(rows)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False) + np.pi / 2
    smax, smin = scores.max(), scores.min()
    span = smax - smin if smax > smin else 1.0
    radius = 1.0 - 0.55 * (scores - smin) / span  # the most specific sit closest
    widths = 0.8 + 4.0 * counts / counts.max()
    for a, r, w, s, term in zip(angles, radius, widths, scores, rows["term"].astype(str)):
        x, y = r * np.cos(a), r * np.sin(a)
        ax.plot([0, x], [0, y], color="#3b6ea5", linewidth=w, alpha=0.5, zorder=1)
        ax.scatter([x], [y], s=60 + 25 * s, color="#3b6ea5", zorder=2)
        ax.annotate(f"{term}\n{s:.1f}", (x, y), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=8)
    # a box that grows with the word, where a fixed disc would clip long pivots
    ax.annotate(pivot or "", (0, 0), ha="center", va="center", color="white", fontsize=11, fontweight="bold", zorder=4,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "#c0392b", "edgecolor": "none"})
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, -0.02, "Distance au centre : plus court = plus spécifique ; épaisseur : nombre de cooccurrences",
            ha="center", va="top", transform=ax.transAxes, fontsize=8, color="#555555")
    return ax


# -- lexical worlds (Reinert) and correspondence analysis -------------------------------------------
def _class_colors(n: int) -> list[Any]:
    import matplotlib as mpl
    import numpy as np

    palette = mpl.colormaps["tab10"](np.linspace(0, 1, 10))
    return [palette[i % 10] for i in range(n)]


def _percent(value: float) -> str:
    """French percentage: ``23,4 %``."""
    return f"{100 * value:.1f}".replace(".", ",") + " %"


def reinert_dendrogram(
    result: "Reinert",
    *,
    top: int = 10,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """The Reinert dendrogram, as IRaMuTeQ draws it: the splits above, each class's size and top terms below.

    Each class is a column in its colour: « classe N », its share of the classified segments,
    then its most over-represented terms, larger for a larger χ².

    Args:
        result: an :meth:`Analysis.reinert` result.
        top: terms listed under each class.

    Example:
        >>> reinert_dendrogram(analysis.reinert(6), top=12)               # doctest: +SKIP
    """
    import numpy as np

    clusters = result.clusters
    k = len(clusters)
    ax = _axes(ax, (max(6.0, 1.6 * k + 1), 7))
    title = title or "Mondes lexicaux : classification de Reinert"
    if k == 0:
        ax = _no_data(ax, title)
        ax.set_axis_off()
        return ax
    colors = _class_colors(k)
    leaf_x = {int(c): float(i) for i, c in enumerate(clusters["cluster"])}
    tree = result.tree
    drawn = len(tree) > 0 and tree["left_cluster"].notna().any()
    if drawn:
        # heights: the first split highest; leaves at 0
        n_steps = len(tree)
        x_of: dict[int, float] = {}
        y_of: dict[int, float] = {}
        for _, row in tree.iterrows():
            for side in ("left", "right"):
                c = row[f"{side}_cluster"]
                if not _isna_value(c):
                    x_of[int(row[side])] = leaf_x[int(c)]
                    y_of[int(row[side])] = 0.0
        for _, row in tree.iloc[::-1].iterrows():
            node, left, right = int(row["node"]), int(row["left"]), int(row["right"])
            height = (n_steps - int(row["step"]) + 1) / n_steps
            x_of[node] = (x_of[left] + x_of[right]) / 2
            y_of[node] = height
            for child in (left, right):
                ax.plot([x_of[child], x_of[child], x_of[node]], [y_of[child], height, height], color="#555555", linewidth=1.2)
        root = int(tree.iloc[0]["node"])
        ax.plot([x_of[root], x_of[root]], [y_of[root], y_of[root] + 0.08], color="#555555", linewidth=1.2)
    terms = result.top_terms(top)
    for i, (c, size, share) in enumerate(zip(clusters["cluster"], clusters["size"], clusters["share"])):
        color = colors[i]
        ax.text(i, -0.06, f"classe {int(c)}", ha="center", va="top", fontsize=10, fontweight="bold", color=color)
        ax.text(i, -0.16, f"{_percent(float(share))}\n{int(size)} segments", ha="center", va="top", fontsize=8, color=color)
        rows = terms[terms["cluster"] == c]
        if rows.empty:
            continue
        chi2 = rows["chi2"].to_numpy(dtype=float)
        sizes = 7 + 5 * (chi2 - chi2.min()) / (np.ptp(chi2) or 1.0)
        for j, (term, fs) in enumerate(zip(rows["term"].astype(str), sizes)):
            ax.text(i, -0.36 - 0.085 * j, term, ha="center", va="top", fontsize=float(fs), color=color)
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_ylim(-0.4 - 0.085 * top, 1.12 if drawn else 0.05)
    ax.set_axis_off()
    classified = int(clusters["size"].sum())
    ax.set_title(f"{title}\n{classified} segments classés sur {len(result.segments)} "
                 f"({_percent(classified / max(len(result.segments), 1))})", fontsize=11)
    return ax


def _isna_value(value: Any) -> bool:
    try:
        import pandas as pd

        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def class_crosstab(
    table: "pd.DataFrame",
    *,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Classes × a metadata column: a grid coloured by the signed χ² of each cell, counts written in.

    Blue: the modality is over-represented in the class; red: under-represented; the stronger
    the colour, the larger the χ² (|χ²| ≥ 3,84 ≈ p < 0,05).

    Args:
        table: a :meth:`Reinert.crosstab` table.

    Example:
        >>> class_crosstab(analysis.reinert(6).crosstab("category"))     # doctest: +SKIP
    """
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    by = _group_column(table, ["cluster", "count", "share", "chi2", "p"]) or "modalité"
    ax = _axes(ax, (8, 4.5))
    title = title or f"Classes et {french(by)}"
    if table.empty:
        return _no_data(ax, title, french(by).capitalize(), "Classe")
    counts = table.pivot_table(index="cluster", columns=by, values="count", aggfunc="sum", fill_value=0, sort=True)
    chi2 = table.pivot_table(index="cluster", columns=by, values="chi2", aggfunc="sum", fill_value=0.0, sort=True)
    values = chi2.to_numpy(dtype=float)
    limit = max(float(np.abs(values).max()), 3.84)
    image = ax.imshow(values, cmap="RdBu", norm=TwoSlopeNorm(0.0, -limit, limit), aspect="auto")
    for (i, j), n in np.ndenumerate(counts.to_numpy()):
        strong = abs(values[i, j]) > 0.6 * limit
        ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=8, color="white" if strong else "black")
    ax.set_xticks(np.arange(len(chi2.columns)), [french(c) for c in chi2.columns],
                  rotation=30 if len(chi2.columns) > 3 else 0, ha="right" if len(chi2.columns) > 3 else "center")
    ax.set_yticks(np.arange(len(chi2.index)), [f"classe {int(c)}" for c in chi2.index])
    ax.set_xlabel(french(by).capitalize())
    ax.set_title(title)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("χ² signé (+ sur-représenté)")
    return ax


def _place_labels(ax: "Axes", points: list[tuple[float, float, str, dict[str, Any]]]) -> int:
    """Write labels next to their points without overlap (greedy: the first free offset wins).

    Points come in priority order; a label that fits nowhere is left out. Returns how many
    labels were placed.
    """
    from matplotlib.transforms import Bbox

    import numpy as np

    ax.figure.canvas.draw_idle()
    frame = ax.get_window_extent()
    # every point is an obstacle too: a label never hides a marker
    xy = ax.transData.transform(np.array([(x, y) for x, y, _, _ in points], dtype=float).reshape(-1, 2))
    placed: list[Bbox] = [Bbox([[px - 4, py - 4], [px + 4, py + 4]]) for px, py in xy]
    offsets = [(5, 3), (5, -11), (-5, 3), (-5, -11), (0, 7), (0, -17), (8, -4), (-8, -4)]
    n = 0
    for x, y, text, style in points:
        done = False
        for scale in (1, 1.8, 2.8, 4):
            for dx, dy in offsets:
                ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
                label = ax.annotate(text, (x, y), xytext=(dx * scale, dy * scale), textcoords="offset points", ha=ha,
                                    va="bottom", zorder=4, **style)
                box = label.get_window_extent().expanded(1.05, 1.1)
                inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
                if inside and not any(box.overlaps(b) for b in placed):
                    placed.append(box)
                    done = True
                    break
                label.remove()
            if done:
                break
        n += done
    return n


def correspondence_map(
    result: "Correspondence",
    *,
    dims: tuple[int, int] = (1, 2),
    top_terms: int = 30,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """The factorial map of a correspondence analysis: the parts and the terms that contribute most.

    Parts are red squares with bold labels; the ``top_terms`` terms of largest contribution to
    the two dimensions are blue dots. Labels are placed so that they never overlap (a label
    with no free room is left out, its point stays).

    Args:
        result: an :meth:`Analysis.correspondence` result.
        dims: the two dimensions drawn (1-based).

    Example:
        >>> correspondence_map(analysis.correspondence("author"), top_terms=40)   # doctest: +SKIP
    """
    import numpy as np

    ax = _axes(ax, (8, 7))
    title = title or f"Analyse factorielle des correspondances : {french(result.by)} × termes"
    d1, d2 = (f"dim{d}" for d in dims)
    eig = result.eigenvalues
    if d1 not in result.rows.columns:
        return _no_data(ax, title, f"Facteur {dims[0]}", f"Facteur {dims[1]}")
    two = d2 in result.rows.columns
    rows, cols = result.rows, result.columns
    ry = rows[d2].to_numpy(dtype=float) if two else np.zeros(len(rows))
    contrib = cols[f"contrib_{d1}"] * float(eig["eigenvalue"].iloc[dims[0] - 1])
    if two:
        contrib = contrib + cols[f"contrib_{d2}"] * float(eig["eigenvalue"].iloc[dims[1] - 1])
    terms = cols.assign(_c=contrib.to_numpy()).nlargest(top_terms, "_c")
    ty = terms[d2].to_numpy(dtype=float) if two else np.zeros(len(terms))
    ax.axhline(0, color="#999999", linewidth=0.7, linestyle="--")
    ax.axvline(0, color="#999999", linewidth=0.7, linestyle="--")
    ax.scatter(terms[d1], ty, s=14, color="#3b6ea5", alpha=0.8, zorder=2)
    ax.scatter(rows[d1], ry, s=50, marker="s", color="#c0392b", zorder=3)
    xs = np.r_[rows[d1].to_numpy(dtype=float), terms[d1].to_numpy(dtype=float)]
    ys = np.r_[ry, ty]
    pad_x = 0.15 * (np.ptp(xs) or 1.0)
    pad_y = 0.15 * (np.ptp(ys) or 1.0)
    ax.set_xlim(xs.min() - pad_x, xs.max() + pad_x)
    ax.set_ylim(ys.min() - pad_y, ys.max() + pad_y)
    share = eig["share"].to_numpy(dtype=float)
    ax.set_xlabel(f"Facteur {dims[0]} ({_percent(share[dims[0] - 1])} de l'inertie)")
    ax.set_ylabel(f"Facteur {dims[1]} ({_percent(share[dims[1] - 1])} de l'inertie)" if two else "")
    ax.set_title(title)
    points = [(float(x), float(y), french(p), {"fontsize": 10, "fontweight": "bold", "color": "#c0392b"})
              for x, y, p in zip(rows[d1], ry, rows[result.rows.columns[0]].astype(str))]
    points += [(float(x), float(y), str(t), {"fontsize": 8, "color": "#2c4f7a"})
               for x, y, t in zip(terms[d1], ty, terms["term"].astype(str))]
    _place_labels(ax, points)
    return ax
