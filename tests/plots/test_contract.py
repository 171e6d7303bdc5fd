"""What every plot promises: a fresh figure for 0, 1, 2 and 10,000 trials, failures included."""

from __future__ import annotations

import subprocess
import sys

import plotly.graph_objects as go
import pytest

from tunewidgets import plots

from .conftest import MIXED, make_curves, make_trials

SIZES = [0, 1, 2, 50]


def _draw_all(trials, surrogate=None):
    curves = make_curves(trials)
    return {
        "parallel": plots.plot_parallel_coordinates(trials, MIXED),
        "parallel_top": plots.plot_parallel_coordinates(trials, MIXED, top_fraction=0.1),
        "convergence": plots.plot_convergence(trials),
        "race": plots.plot_convergence(
            {"random": trials, "bayes": trials.iloc[: len(trials) // 2]}
        ),
        "search_path": plots.plot_search_path(trials, MIXED, "C", "kernel", surrogate=surrogate),
        "surrogate": plots.plot_surrogate(trials, MIXED, surrogate, "gamma"),
        "importance": plots.plot_importance(trials, MIXED),
        "learning_curves": plots.plot_learning_curves(curves, trials=trials),
    }


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("failed", [0.0, 0.3])
def test_every_plot_draws_any_number_of_trials(n, failed, bayes):
    trials = make_trials(n, failed=failed, pruned=0.1, running=min(n, 1), seed=n)
    for surrogate in (None, bayes[0].surrogate):
        for name, figure in _draw_all(trials, surrogate).items():
            assert isinstance(figure, go.Figure), name
            figure.to_plotly_json()  # serializable
            assert figure.layout.width is None and figure.layout.height is None, name


@pytest.mark.parametrize("n", [0, 1])
def test_nothing_to_draw_says_why(n):
    trials = make_trials(n, running=n)  # at most one running trial: no score anywhere
    for name, figure in _draw_all(trials).items():
        if name in ("learning_curves", "search_path") and n:
            continue  # a running trial has a curve, and a place on the path
        texts = [a.text for a in figure.layout.annotations]
        assert texts and all(texts), name
        assert len(figure.data) == 0, name


def test_all_failed_is_not_an_error():
    trials = make_trials(5, failed=1.0)
    for name, figure in _draw_all(trials).items():
        assert isinstance(figure, go.Figure), name


def test_many_trials(many):
    figures = _draw_all(many)
    assert (
        len(figures["parallel"].data[0].dimensions[0].values) == (many["state"] == "complete").sum()
    )
    markers = [t for t in figures["convergence"].data if t.type == "scattergl"]
    assert markers  # WebGL where there are many points


def test_plots_do_not_import_ipywidgets():
    code = (
        "import sys, tunewidgets.plots; "
        "assert 'ipywidgets' not in sys.modules, 'plots imported ipywidgets'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_returns_a_fresh_figure_each_time():
    trials = make_trials(5)
    a = plots.plot_convergence(trials)
    b = plots.plot_convergence(trials)
    assert a is not b
    a.data[0].name = "changed"
    assert b.data[0].name != "changed"


def test_a_dataframe_is_required():
    with pytest.raises(
        ValueError,
        match=r"'trials' parameter of plot_parallel_coordinates must be a pandas DataFrame",
    ):
        plots.plot_parallel_coordinates([{"C": 1.0}], MIXED)


def test_few_points_are_svg_so_a_page_of_figures_keeps_its_webgl_contexts():
    """A page has about 16 WebGL contexts; small figures must not use them up."""
    figures = _draw_all(make_trials(30))
    for name in ("convergence", "search_path"):
        types = {t.type for t in figures[name].data}
        assert "scattergl" not in types and "scatter" in types, (name, types)
    # the traces keep their order: the star of the best is still drawn last
    assert figures["convergence"].data[-1].marker.symbol == "star"
