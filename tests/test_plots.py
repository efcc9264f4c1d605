"""Every plot returns a labelled Axes, in French, on empty and non-empty summaries."""
from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # tests only: the library never forces a backend

import matplotlib.pyplot as plt
import pytest
from handmade import make_analysis
from matplotlib.axes import Axes

from discours import plots
from discours.analysis import Analysis

PLOTS = [
    ("frequency_bars", lambda a: a.frequencies("lemma"), {}),
    ("objections_by_partition", lambda a: a.objection_summary(by="part"), {}),
    ("objections_by_partition", lambda a: a.objection_summary(), {"normalize": True}),
    ("stance_distribution", lambda a: a.stance_summary(by="part"), {}),
    ("stance_distribution", lambda a: a.stance_summary(), {}),
    ("stance_over_time", lambda a: a.stance_summary(by="year"), {}),
    ("specificity_bars", lambda a: a.specificities("part", min_count=1), {}),
    ("specificity_bars", lambda a: a.specificities("part", unit="category", min_count=1), {"part": "comment"}),
    ("cooccurrence_graph", lambda a: a.cooccurrences("temps", min_count=1), {}),
]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return make_analysis()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name, summary, kwargs", PLOTS)
@pytest.mark.parametrize("empty", [False, True], ids=["data", "empty"])
def test_plot_returns_labelled_axes(analysis, name, summary, kwargs, empty):
    data = summary(Analysis() if empty else analysis)
    ax = getattr(plots, name)(data, **kwargs)
    assert isinstance(ax, Axes)
    assert ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    if empty:
        assert plots.NO_DATA in texts
    elif name != "cooccurrence_graph":
        assert ax.get_xlabel() or ax.get_ylabel()
        assert ax.patches or ax.lines
    else:
        assert any("temps" in t.get_text() for t in ax.texts)
    ax.figure.canvas.draw()  # renders without error


def test_plots_draw_on_a_given_axes_and_speak_french(analysis):
    _, ax = plt.subplots()
    assert plots.objections_by_partition(analysis.objection_summary(by="part"), ax=ax) is ax
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "manque de temps" in legend and "réglementation, droit" in legend
    assert [t.get_text() for t in ax.get_xticklabels()] == ["billet", "commentaire"]
    assert ax.get_ylabel() == "Nombre d'objections"
    ax2 = plots.stance_distribution(analysis.stance_summary(by="part"))
    assert {t.get_text() for t in ax2.get_legend().get_texts()} == {"favorable", "neutre", "défavorable"}
    ax3 = plots.specificity_bars(analysis.specificities("part", min_count=1), part="post", top=3)
    assert len(ax3.patches) <= 6 and "billet" in ax3.get_title()


def test_french_names():
    assert plots.french("cost_resources") == "coûts, ressources"
    assert plots.french("rhetorical_question") == "question rhétorique"
    assert plots.french("inconnu") == "inconnu"


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, discours.plots, discours.summaries; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
