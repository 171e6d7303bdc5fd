from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tunewidgets as tw
from tunewidgets.plots import plot_search_path
from tunewidgets.plots._search_path import _get_search_path_info

from .conftest import make_trials


def _by_name(figure):
    return {t.name: t for t in figure.data}


def test_path_markers_and_best(space):
    trials = make_trials(12, failed=0.2, seed=4)
    figure = plot_search_path(trials, space, "C", "gamma")
    traces = _by_name(figure)
    path = traces["path (trial order)"]
    assert path.mode == "lines" and path.type == "scatter"
    np.testing.assert_allclose(path.x, trials["C"])  # every trial, in order
    complete = trials[trials["state"] == "complete"]
    markers = traces["complete"]
    np.testing.assert_allclose(markers.marker.color, complete["score"])
    np.testing.assert_allclose(markers.x, complete["C"])
    failed = trials[trials["state"] == "failed"]
    if len(failed):
        assert len(traces["failed"].x) == len(failed)
    best = complete.loc[complete["score"].idxmax()]
    star = figure.data[-1]
    assert star.name == f"best: trial {best['number']}"
    assert star.x[0] == pytest.approx(best["C"]) and star.y[0] == pytest.approx(best["gamma"])
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"


def test_categorical_axes_use_choice_names(space):
    trials = make_trials(30, seed=1)
    figure = plot_search_path(trials, space, "kernel", "degree")
    assert figure.layout.xaxis.ticktext == ("rbf", "poly", "sigmoid")
    assert figure.layout.xaxis.tickvals == (0, 1, 2)
    assert figure.layout.yaxis.type is None  # linear
    xs = _by_name(figure)["path (trial order)"].x
    codes = trials["kernel"].map({"rbf": 0, "poly": 1, "sigmoid": 2}).to_numpy()
    assert np.all(np.abs(xs - codes) < 0.2)  # spread a little around the category


def test_trials_are_joined_in_number_order(space):
    trials = make_trials(5, seed=2).iloc[[4, 2, 0, 1, 3]]
    info = _get_search_path_info(trials, space, "C", "degree", None)
    assert list(info.numbers) == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(info.xs, trials.sort_values("number")["C"])


def test_unknown_axis_says_what_is_allowed(space):
    with pytest.raises(
        ValueError,
        match=r"'y' parameter of plot_search_path must name a parameter of the space, one of \['C'",
    ):
        plot_search_path(make_trials(3), space, "C", "lr")


def test_the_surrogate_mean_is_drawn_behind(bayes):
    search, trials = bayes
    space = search.space
    figure = plot_search_path(trials, space, "C", "gamma", surrogate=search.surrogate)
    contour = figure.data[0]
    assert contour.type == "contour"
    assert np.asarray(contour.z).shape == (len(contour.y), len(contour.x))
    assert contour.x[0] == pytest.approx(1e-3) and contour.x[-1] == pytest.approx(1e3)
    # the mean at the grid point next to the best trial is what the surrogate predicts there
    info = _get_search_path_info(trials, space, "C", "gamma", search.surrogate)
    best = trials.iloc[info.best].to_dict()
    i = int(np.argmin(np.abs(np.log10(info.surface.x) - np.log10(best["C"]))))
    j = int(np.argmin(np.abs(np.log10(info.surface.y) - np.log10(best["gamma"]))))
    params = {k: best[k] for k in space.names} | {
        "C": info.surface.x[i],
        "gamma": info.surface.y[j],
    }
    expected = search.surrogate.predict([params])[0][0]
    assert info.surface.mean[j, i] == pytest.approx(expected)
    assert "best trial" in figure.layout.title.text


def test_a_categorical_axis_gets_cells(bayes):
    search, trials = bayes
    figure = plot_search_path(trials, search.space, "kernel", "C", surrogate=search.surrogate)
    assert figure.data[0].type == "heatmap"
    assert np.asarray(figure.data[0].z).shape == (len(figure.data[0].y), 3)


@pytest.mark.parametrize("n", [1, 2])
def test_one_and_two_trials(space, n):
    figure = plot_search_path(make_trials(n), space, "C", "kernel")
    assert len(_by_name(figure)["complete"].x) == n


def test_values_missing_for_a_new_parameter():
    space = tw.SearchSpace({"a": tw.Float(0.0, 1.0), "b": tw.Float(0.0, 1.0)})
    trials = pd.DataFrame(
        {
            "number": [0, 1],
            "a": [0.1, 0.2],
            "b": [None, 0.5],
            "score": [1.0, 2.0],
            "state": "complete",
        }
    )
    figure = plot_search_path(trials, space, "a", "b")
    assert len(_by_name(figure)["complete"].x) == 1
