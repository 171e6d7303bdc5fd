from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tunewidgets.plots import plot_convergence
from tunewidgets.plots._convergence import _get_convergence_info

from .conftest import make_trials


def _trials(scores, states=None):
    n = len(scores)
    return pd.DataFrame({"number": range(n), "score": scores, "state": states or ["complete"] * n})


def test_markers_best_so_far_and_best_star():
    trials = _trials(
        [0.3, 0.1, np.nan, 0.6, 0.5, np.nan],
        ["complete", "complete", "failed", "complete", "complete", "running"],
    )
    figure = plot_convergence(trials)
    markers, line, star = figure.data
    assert markers.type == "scatter" and markers.mode == "markers"
    assert list(markers.x) == [0, 1, 3, 4]
    assert list(markers.y) == [0.3, 0.1, 0.6, 0.5]
    assert line.line.shape == "hv"
    assert list(line.x) == [0, 3, 5]  # each improvement, then carried to the last trial
    assert list(line.y) == [0.3, 0.6, 0.6]
    assert (star.x[0], star.y[0]) == (3, 0.6)
    assert "1 failed" in figure.layout.title.text and "1 running" in figure.layout.title.text


def test_best_so_far_is_monotone(many):
    (series,) = _get_convergence_info(many)
    assert np.all(np.diff(series.best_so_far) >= 0)
    assert np.all(np.diff(series.step_scores) >= 0)
    assert series.best_so_far[-1] == pytest.approx(
        many.loc[many["state"] == "complete", "score"].max()
    )
    assert len(series.numbers) == (many["state"] == "complete").sum()


def test_pruned_trials_are_faded_and_not_best():
    trials = _trials([0.2, 0.9, 0.4], ["complete", "pruned", "complete"])
    figure = plot_convergence(trials)
    names = [t.name for t in figure.data]
    assert "pruned" in names
    line = figure.data[names.index("best so far")]
    assert max(line.y) == 0.4


def test_unordered_numbers_are_sorted():
    trials = _trials([0.1, 0.5, 0.3]).iloc[[2, 0, 1]]
    (series,) = _get_convergence_info(trials)
    assert list(series.numbers) == [0, 1, 2]
    assert list(series.best_so_far) == [0.1, 0.5, 0.5]


def test_a_race_overlays_one_color_per_label():
    frames = {
        "grid": make_trials(30, seed=1),
        "random": make_trials(20, seed=2),
        "bayes": make_trials(0),
    }
    figure = plot_convergence(frames)
    lines = [t for t in figure.data if t.mode == "lines"]
    assert [t.name for t in lines] == ["grid", "random", "bayes (no complete trial yet)"]
    assert len({t.line.color for t in lines}) == 3
    for trace in figure.data:
        group = [t for t in figure.data if t.legendgroup == trace.legendgroup]
        if trace.mode == "markers":
            line = next(t for t in group if t.mode == "lines")
            assert trace.marker.color == line.line.color


@pytest.mark.parametrize("n", [1, 2])
def test_one_and_two_trials(n):
    figure = plot_convergence(make_trials(n))
    assert len(figure.data[0].x) == n
    assert len(figure.data[1].x) >= 1


def test_bad_input_names_the_entry():
    with pytest.raises(
        ValueError,
        match=r"Entry 'a' of the 'trials_or_dict' parameter of plot_convergence must be a pandas DataFrame \(study.trials_dataframe\(\)\). Got list instead",
    ):
        plot_convergence({"a": [1, 2]})
