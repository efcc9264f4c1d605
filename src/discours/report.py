"""Files written next to the tables: per-document highlighted views and ``report.html``."""
from __future__ import annotations

import base64
import io
import os
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis


def view_filename(doc_id: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", doc_id) + ".html"


def write_views(analysis: "Analysis", outdir: str | os.PathLike[str]) -> list[Path]:
    """Write ``OUTDIR/documents/<doc_id>.html`` for every document; return the paths."""
    from .display import DocumentView

    folder = Path(outdir) / "documents"
    paths = []
    for doc_id in analysis.documents["doc_id"]:
        paths.append(DocumentView.from_analysis(analysis, str(doc_id)).save(folder / view_filename(str(doc_id))))
    return paths


# -- report.html --------------------------------------------------------------------------------
#: how many rows the report's tables show at most (the CSV tables hold everything)
TOP_TERMS = 10
MAX_PARTS = 6


def _figure(draw: Callable[..., Any], data: "pd.DataFrame", *, figsize: tuple[float, float], **kwargs: Any) -> str:
    """Draw with a plots function on a pyplot-free Figure; return the PNG as base64."""
    from matplotlib.figure import Figure

    # a bare Figure: no global backend switched, nothing left open in pyplot
    fig = Figure(figsize=figsize, layout="constrained")
    draw(data, ax=fig.add_subplot(), **kwargs)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # emoji terms (social tokens) have no glyph in the default font: a box is fine in a chart
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _cell(value: Any, fmt: str | None = None) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        # "fr_na" spells a missing stance out; elsewhere an empty cell says it
        return "non renseigné" if fmt == "fr_na" else ""
    if fmt == "pct":
        return f"{float(value):.0%}".replace("%", " %")
    if fmt == "score":
        return f"{float(value):+.2f}"
    if fmt == "float":
        return f"{float(value):.2f}"
    if fmt == "float4":
        return f"{float(value):.4f}"
    if fmt == "fr":
        from .plots import french

        return french(value)
    return str(value)


def _table(df: "pd.DataFrame", columns: Sequence[tuple[str, str, str | None]], *, link: Callable[[Any], str] | None = None,
           link_col: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Rows of display cells ``(text, href)`` for the template; ``columns`` = (column, header, format)."""
    rows = []
    for _, r in (df.head(limit) if limit else df).iterrows():
        cells = []
        for col, _, fmt in columns:
            href = link(r) if link is not None and col == link_col else None
            cells.append((_cell(r[col], fmt), href))
        rows.append(cells)
    return {"headers": [h for _, h, _ in columns], "rows": rows, "total": len(df), "shown": len(rows)}


def _pivot(analysis: "Analysis") -> str | None:
    """The most frequent noun lemma outside the stop list: the report's cooccurrence pivot."""
    from .lexicons import load

    tok = analysis.tokens
    if tok.empty:
        return None
    nouns = tok[(tok["pos"] == "NOUN").fillna(False).astype(bool) & ~tok["is_punct"].fillna(False).astype(bool)]
    lemmas = nouns["lemma"].astype("string").str.lower()
    lemmas = lemmas[~lemmas.isin(set(load("stopwords")["words"])).fillna(True)]
    lemmas = lemmas[lemmas.str.len().fillna(0) > 2]
    if lemmas.empty:
        return None
    return str(lemmas.value_counts().index[0])


def _ca_partition(analysis: "Analysis") -> str:
    """The partition of the report's factorial map: years, else authors, else parts (3+ values wanted)."""
    from .summaries import _partition

    for by in ("year", "author"):
        part, _ = _partition(analysis, by)
        if part[by].nunique() >= 3:
            return by
    return "part"


def _lexical_worlds(analysis: "Analysis", k: int, doc_link: Callable[[Any], str]) -> dict[str, Any]:
    """Figures and tables of the "Mondes lexicaux" section (Reinert classes and the CA map)."""
    from . import plots

    worlds = analysis.reinert(k)
    top = worlds.top_terms(TOP_TERMS)
    terms = top.groupby("cluster")["term"].agg(lambda t: ", ".join(t.astype(str)))
    classes = worlds.clusters.assign(terms=worlds.clusters["cluster"].map(terms))
    chars = worlds.characteristic_segments(3)
    by = _ca_partition(analysis)
    afc = analysis.correspondence(by, min_count=3)
    n_classes = max(len(worlds.clusters), 1)
    return {
        "reinert_k": k,
        "worlds_figures": [
            {"title": "Classification de Reinert : classes, tailles et termes caractéristiques",
             "png": _figure(plots.reinert_dendrogram, worlds, figsize=(max(6.5, 1.5 * n_classes + 1), 7.5), top=TOP_TERMS)},
        ],
        "worlds_cross_figures": [
            {"title": "Classes et positions", "png": _figure(plots.class_crosstab, worlds.crosstab("stance"), figsize=(6.5, 4))},
            {"title": "Classes et catégories d'objection",
             "png": _figure(plots.class_crosstab, worlds.crosstab("category"), figsize=(8, 4.5))},
        ],
        "worlds_classes": _table(classes, [("cluster", "Classe", None), ("size", "Segments", None), ("share", "Part", "pct"),
                                           ("terms", "Termes caractéristiques (χ² décroissant)", None)]),
        "worlds_segments": _table(chars, [("cluster", "Classe", None), ("doc_id", "Document", None), ("text", "Segment", None),
                                          ("score", "Score", "float")], link=doc_link, link_col="doc_id"),
        "worlds_segment_count": len(worlds.segments),
        "ca_figure": {"title": f"Analyse factorielle des correspondances : {plots.french(by)} × termes",
                      "png": _figure(plots.correspondence_map, afc, figsize=(8, 7))},
        "ca_eigenvalues": _table(afc.eigenvalues.head(5), [("dim", "Facteur", None), ("eigenvalue", "Valeur propre", "float4"),
                                                           ("share", "Part de l'inertie", "pct"), ("cumulative", "Cumul", "pct")]),
    }


def write_report(analysis: "Analysis", outdir: str | os.PathLike[str], *, pivot: str | None = None, reinert: int = 6) -> Path:
    """Write ``OUTDIR/report.html``: a self-contained corpus report (figures embedded, no network).

    It shows the corpus overview, objection, stance and thread summaries, the top
    specificities of each part and links to every document's view in ``documents/`` (written
    by :func:`write_views`).

    Args:
        outdir: the output folder (created if needed).
        pivot: the term of the cooccurrence graph (default: the most frequent noun lemma).
        reinert: the number of classes of the "Mondes lexicaux" section (Reinert classification;
            its factorial map crosses years, authors or parts, the first with 3 values or more).

    Returns:
        The path of ``report.html``.

    Example:
        >>> write_report(discours.analyze("corpus/"), "resultats")   # resultats/report.html  # doctest: +SKIP
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from . import __version__, plots
    from .summaries import (
        cooccurrences,
        frequencies,
        objection_summary,
        overview,
        specificities,
        stance_summary,
        thread_summary,
    )

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    docs = analysis.documents

    def doc_link(row: Any) -> str:
        return "documents/" + view_filename(str(row["doc_id"]))

    def post_link(row: Any) -> str:
        return "documents/" + view_filename(str(row["post_id"]))

    # summaries
    over = overview(analysis)
    over_part = overview(analysis, by="part")
    objections = objection_summary(analysis, by="part")
    stance = stance_summary(analysis, by="part")
    stance_year = stance_summary(analysis, by="year")
    threads = thread_summary(analysis)
    freqs = frequencies(analysis, "lemma", stopwords=True)
    spec = specificities(analysis, "part", unit="lemma", stopwords=True, min_count=2)
    cat_spec = specificities(analysis, "part", unit="category", min_count=1)
    pivot = pivot or _pivot(analysis)
    cooc = cooccurrences(analysis, pivot) if pivot else cooccurrences(analysis, "")
    parts = [p for p in spec["part"].dropna().unique()][:MAX_PARTS]

    figures = [
        {"title": "Vocabulaire le plus fréquent (lemmes, mots grammaticaux exclus)",
         "png": _figure(plots.frequency_bars, freqs, figsize=(7, 6.5), top=20)},
        {"title": "Objections par catégorie : billets et commentaires",
         "png": _figure(plots.objections_by_partition, objections, figsize=(8, 4.5))},
        {"title": "Répartition des positions",
         "png": _figure(plots.stance_distribution, stance, figsize=(7.5, 3.2))},
        {"title": "Positions au fil du temps",
         "png": _figure(plots.stance_over_time, stance_year, figsize=(8, 4.2))},
    ]
    spec_figures = [{"title": f"Spécificités : {plots.french(p)}",
                     "png": _figure(plots.specificity_bars, spec, figsize=(7, 6.2), part=p, top=TOP_TERMS)} for p in parts]
    if not spec_figures:
        spec_figures = [{"title": "Spécificités", "png": _figure(plots.specificity_bars, spec, figsize=(7, 3))}]
    cooc_figure = {"title": f"Cooccurrents de « {pivot} » (phrase)" if pivot else "Cooccurrents",
                   "png": _figure(plots.cooccurrence_graph, cooc, figsize=(7, 7))}

    top_spec = spec[spec["score"] > 0].groupby("part", sort=False, dropna=False).head(TOP_TERMS)
    context = {
        "version": __version__,
        "target": analysis.target,
        "overview": over.iloc[0].to_dict() if len(over) else {},
        "overview_part": _table(over_part, [("part", "Partie", "fr"), ("n_documents", "Documents", None),
                                            ("n_authors", "Auteurs", None), ("n_sentences", "Phrases", None),
                                            ("n_tokens", "Mots", None), ("n_arguments", "Étiquettes argumentatives", None),
                                            ("n_objections", "Objections", None), ("first_date", "Du", None),
                                            ("last_date", "Au", None)]),
        "objections": _table(objections, [("part", "Partie", "fr"), ("category", "Catégorie", "fr"), ("count", "Objections", None),
                                          ("share", "Part", "pct"), ("n_docs", "Documents", None),
                                          ("doc_share", "Part des documents", "pct"),
                                          ("mean_stance_score", "Score de position moyen", "score")]),
        "category_spec": _table(cat_spec[cat_spec["f"] > 0], [("part", "Partie", "fr"), ("term", "Catégorie", "fr"),
                                                             ("f", "f", None), ("F", "F", None), ("expected", "Attendu", "float"),
                                                             ("score", "Spécificité", "score")]),
        "stance": _table(stance, [("part", "Partie", "fr"), ("stance", "Position", "fr_na"), ("count", "Documents", None),
                                  ("share", "Part", "pct"), ("mean_score", "Score moyen", "score")]),
        "threads": _table(threads, [("post_id", "Billet", None), ("title", "Titre", None), ("author", "Auteur", None),
                                    ("date", "Date", None), ("n_comments", "Commentaires", None), ("n_agree", "D'accord", None),
                                    ("n_disagree", "En désaccord", None), ("n_mixed", "Mitigés", None),
                                    ("n_objecting_comments", "Commentaires avec objection", None),
                                    ("n_comment_objections", "Objections en commentaire", None)],
                          link=post_link, link_col="post_id"),
        "specificities": _table(top_spec, [("part", "Partie", "fr"), ("term", "Terme", None), ("f", "f", None),
                                           ("F", "F", None), ("expected", "Attendu", "float"), ("score", "Spécificité", "score")]),
        "documents": _table(docs, [("doc_id", "Document", None), ("part", "Partie", "fr"), ("title", "Titre", None),
                                   ("author", "Auteur", None), ("date", "Date", None), ("n_sentences", "Phrases", None),
                                   ("stance", "Position", "fr"), ("agreement", "Accord", "fr")],
                            link=doc_link, link_col="doc_id"),
        "errors": _table(analysis.errors, [("source", "Fichier", None), ("error", "Erreur", None)]),
        "figures": figures,
        "spec_figures": spec_figures,
        "cooc_figure": cooc_figure,
        **_lexical_worlds(analysis, reinert, doc_link),
    }
    env = Environment(loader=PackageLoader("discours", "templates"), autoescape=select_autoescape(default=True))
    html = env.get_template("report.v1.html.jinja").render(**context)
    path = out / "report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
