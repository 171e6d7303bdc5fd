from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tunewidgets as tw
from tunewidgets.plots import parallel_ranges_to_space, plot_parallel_coordinates
from tunewidgets.plots._parallel import _get_parallel_info

from .conftest import MIXED, make_trials


def _dims(figure):
    return {d.label: d for d in figure.data[0].dimensions}


def test_one_axis_per_parameter_then_the_score(space):
    trials = make_trials(20, failed=0.2, seed=3)
    figure = plot_parallel_coordinates(trials, space)
    assert len(figure.data) == 1 and figure.data[0].type == "parcoords"
    assert [d.label for d in figure.data[0].dimensions] == [*space.names, "score"]
    complete = trials[trials["state"] == "complete"]
    for dim in figure.data[0].dimensions:
        assert len(dim.values) == len(complete)
    np.testing.assert_allclose(figure.data[0].line.color, complete["score"])


def test_log_axes_are_log10_labelled_in_real_values(space):
    trials = make_trials(30)
    dims = _dims(plot_parallel_coordinates(trials, space))
    c = dims["C"]
    np.testing.assert_allclose(c.values, np.log10(trials["C"]))
    assert tuple(c.range) == pytest.approx((-3, 3))
    assert c.tickvals == pytest.approx((-3, -2, -1, 0, 1, 2, 3))
    assert c.ticktext == ("0.001", "0.01", "0.1", "1", "10", "100", "1000")
    # Int(10, 300, log=True): fewer decades, so 1-3 steps
    n = dims["n_estimators"]
    assert n.ticktext == ("10", "30", "100", "300")
    assert [10**v for v in n.tickvals] == pytest.approx([10, 30, 100, 300])


def test_categoricals_by_name(space):
    trials = make_trials(30)
    kernel = _dims(plot_parallel_coordinates(trials, space))["kernel"]
    assert kernel.ticktext == ("rbf", "poly", "sigmoid")
    assert kernel.tickvals == (0, 1, 2)
    names = np.array(["rbf", "poly", "sigmoid"])[np.asarray(kernel.values, dtype=int)]
    assert names.tolist() == trials["kernel"].tolist()


def test_linear_axes_keep_real_values(space):
    trials = make_trials(10)
    degree = _dims(plot_parallel_coordinates(trials, space))["degree"]
    assert degree.tickvals == (2, 3, 4, 5)  # a few integers: one tick each
    assert list(degree.range) == [2, 5]
    assert list(degree.values) == trials["degree"].tolist()


def test_failed_trials_are_left_out_and_counted(space):
    trials = make_trials(40, failed=0.25, pruned=0.1, running=1, seed=2)
    counts = trials["state"].value_counts()
    figure = plot_parallel_coordinates(trials, space)
    assert len(figure.data[0].dimensions[0].values) == counts["complete"]
    title = figure.layout.title.text
    assert f"{counts['failed']} failed" in title
    assert f"{counts['pruned']} pruned" in title
    assert "1 running" in title


@pytest.mark.parametrize(
    ("fraction", "n_complete", "shown"), [(0.1, 100, 10), (0.25, 10, 3), (0.01, 10, 1), (1.0, 7, 7)]
)
def test_top_fraction_keeps_the_best(space, fraction, n_complete, shown):
    trials = make_trials(n_complete, seed=5)
    info = _get_parallel_info(trials, space, None, fraction)
    assert len(info.score) == shown
    best = np.sort(trials["score"].to_numpy())[::-1][:shown]
    np.testing.assert_allclose(np.sort(info.score)[::-1], best)
    figure = plot_parallel_coordinates(trials, space, top_fraction=fraction)
    assert f"top {fraction:.0%}" in figure.layout.title.text
    assert len(figure.data[0].dimensions[-1].values) == shown


def test_columns_choose_and_order_the_axes(space):
    figure = plot_parallel_coordinates(make_trials(5), space, columns=["kernel", "C"])
    assert [d.label for d in figure.data[0].dimensions] == ["kernel", "C", "score"]


def test_bad_options_say_what_is_allowed(space):
    trials = make_trials(5)
    with pytest.raises(
        ValueError,
        match=r"'columns' parameter of plot_parallel_coordinates must name a parameter .* Got 'nope'",
    ):
        plot_parallel_coordinates(trials, space, columns=["nope"])
    with pytest.raises(
        ValueError,
        match=r"'top_fraction' parameter of plot_parallel_coordinates must be a finite number in the range \(0.0, 1.0\]. Got 0 instead",
    ):
        plot_parallel_coordinates(trials, space, top_fraction=0)


def test_values_outside_a_narrowed_space_widen_the_axis():
    wide = make_trials(20, seed=4)
    narrow = tw.SearchSpace(
        {**MIXED, "C": tw.Float(0.1, 10.0, log=True), "kernel": tw.Categorical(["rbf"])}
    )
    dims = _dims(plot_parallel_coordinates(wide, narrow))
    assert dims["C"].range[0] == pytest.approx(np.log10(wide["C"].min()))
    assert dims["kernel"].ticktext[0] == "rbf"
    assert set(dims["kernel"].ticktext) == {"rbf", "poly", "sigmoid"}


def test_one_and_two_trials(space):
    one = plot_parallel_coordinates(make_trials(1), space)
    score = one.data[0].dimensions[-1]
    assert len(score.values) == 1 and score.range[0] < score.range[1]
    two = plot_parallel_coordinates(make_trials(2), space)
    assert len(two.data[0].dimensions[-1].values) == 2


def test_many_trials(space, many):
    figure = plot_parallel_coordinates(many, space, top_fraction=0.05)
    n_complete = int((many["state"] == "complete").sum())
    assert len(figure.data[0].dimensions[0].values) == math.ceil(0.05 * n_complete)


def test_a_reserved_name_is_labelled_like_its_column():
    space = tw.SearchSpace({"score": tw.Float(0.0, 1.0), "x": tw.Float(0.0, 1.0)})
    trials = pd.DataFrame(
        {
            "number": [0, 1],
            "param_score": [0.2, 0.4],
            "x": [0.1, 0.9],
            "score": [1.0, 2.0],
            "state": "complete",
        }
    )
    figure = plot_parallel_coordinates(trials, space)
    assert [d.label for d in figure.data[0].dimensions] == ["param_score", "x", "score"]
    dims = figure.data[0].dimensions
    dims[0].constraintrange = [0.1, 0.3]
    assert parallel_ranges_to_space(dims, space)["score"] == tw.Float(0.1, 0.3)


# -- brushing back to a space ---------------------------------------------------------


def test_round_trip_of_brushed_ranges(space):
    figure = plot_parallel_coordinates(make_trials(50), space)
    dims = _dims(figure)
    dims["C"].constraintrange = [-1, 1]  # 0.1 to 10
    dims["gamma"].constraintrange = [[-4, -3], [-2, -1.5]]  # two brushes: their hull
    dims["kernel"].constraintrange = [0.6, 2.4]  # poly and sigmoid
    dims["degree"].constraintrange = [2.6, 4.2]  # the integers 3 and 4
    narrowed = parallel_ranges_to_space(figure.data[0].dimensions, space)
    assert narrowed.names == space.names
    assert narrowed["C"] == tw.Float(0.1, 10.0, log=True)
    assert narrowed["gamma"].low == pytest.approx(1e-4)
    assert narrowed["gamma"].high == pytest.approx(10**-1.5)
    assert narrowed["kernel"] == tw.Categorical(["poly", "sigmoid"])
    assert narrowed["degree"] == tw.Int(3, 4)
    assert narrowed["n_estimators"] == space["n_estimators"]  # not brushed


def test_brushes_are_clipped_and_ints_stay_valid(space):
    narrowed = parallel_ranges_to_space(
        {"C": [-5, 0], "degree": [3.2, 3.4], "n_estimators": [np.log10(299.6), 3]}, space
    )
    assert narrowed["C"] == tw.Float(1e-3, 1.0, log=True)
    assert narrowed["degree"] == tw.Int(3, 4)  # no integer inside: the nearest, and a neighbour
    assert narrowed["n_estimators"] == tw.Int(299, 300, log=True)  # 300, and its neighbour
    narrowed = parallel_ranges_to_space({"n_estimators": [np.log10(290), 3]}, space)
    assert narrowed["n_estimators"] == tw.Int(290, 300, log=True)


def test_a_brush_between_two_choices_takes_the_nearest(space):
    narrowed = parallel_ranges_to_space({"kernel": [1.6, 1.8]}, space)
    assert narrowed["kernel"] == tw.Categorical(["sigmoid"])


def test_dicts_and_unbrushed_dimensions(space):
    figure = plot_parallel_coordinates(make_trials(5), space)
    as_dicts = [d.to_plotly_json() for d in figure.data[0].dimensions]
    assert parallel_ranges_to_space(as_dicts, space) == space
    as_dicts[0]["constraintrange"] = [-2, 2]
    assert parallel_ranges_to_space(as_dicts, space)["C"] == tw.Float(0.01, 100.0, log=True)


def test_a_score_brush_narrows_unbrushed_axes_to_the_selected_trials(space):
    trials = make_trials(200, seed=8)
    figure = plot_parallel_coordinates(trials, space)
    dims = _dims(figure)
    threshold = float(np.quantile(trials["score"], 0.9))
    dims["score"].constraintrange = [threshold, trials["score"].max() + 1]
    dims["degree"].constraintrange = [1.5, 3.5]
    narrowed = parallel_ranges_to_space(figure.data[0].dimensions, space)
    top = trials[(trials["score"] >= threshold) & (trials["degree"] <= 3)]
    assert narrowed["degree"] == tw.Int(2, 3)  # brushed: the brush wins
    assert narrowed["C"].low == pytest.approx(top["C"].min())
    assert narrowed["C"].high == pytest.approx(top["C"].max())
    assert set(narrowed["kernel"].choices) == set(top["kernel"])


def _scored(values, space=MIXED):
    trials = make_trials(len(values), space, seed=5)
    trials["score"] = values
    return trials


def test_a_few_outliers_do_not_flatten_the_colour_scale(space):
    """Three disastrous trials among 27 good ones: the good ones still span the colours."""
    rng = np.random.default_rng(0)
    good = rng.uniform(0.85, 0.97, 27)
    trials = _scored([*good, 0.1, 0.05, -5.0])
    line = plot_parallel_coordinates(trials, space).data[0].line
    assert line.cmax == pytest.approx(good.max())
    assert line.cmin == pytest.approx(good.min())
    shade = (good - line.cmin) / (line.cmax - line.cmin)  # where each good trial sits on the scale
    assert shade.min() == pytest.approx(0.0) and shade.max() == pytest.approx(1.0)
    # the colour bar says the lowest colour stands for every lower score too
    assert line.colorbar.ticktext[0] == f"≤ {line.cmin:.3g}"
    assert line.colorbar.tickvals[0] == pytest.approx(line.cmin)
    assert list(line.colorbar.tickvals) == sorted(line.colorbar.tickvals)
    assert all(line.cmin <= t <= line.cmax for t in line.colorbar.tickvals)
    # the score axis still shows every trial, the outliers included
    score_axis = _dims(plot_parallel_coordinates(trials, space))["score"]
    assert score_axis.range[0] == pytest.approx(-5.0)
    # the colours themselves are the scores, unchanged
    np.testing.assert_allclose(line.color, trials["score"])


@pytest.mark.parametrize(
    "values",
    [np.linspace(0.5, 0.9, 20), [0.9] * 10, [0.1, 0.9, 0.95], [0.9] * 20 + [0.1, 0.2]],
    ids=["spread", "ties", "three", "ties-and-two-low"],
)
def test_without_outliers_the_colours_span_every_score(space, values):
    line = plot_parallel_coordinates(_scored(list(values)), space).data[0].line
    assert line.cmin == pytest.approx(min(values)) and line.cmax == pytest.approx(max(values))
    assert line.colorbar.tickvals is None  # plotly's own ticks, no "≤" note


def test_a_high_outlier_is_never_clipped(space):
    """The best trial keeps the top colour, however far above the others it is."""
    values = [0.5, 0.52, 0.55, 0.53, 0.51, 0.54, 0.99]
    line = plot_parallel_coordinates(_scored(values), space).data[0].line
    assert line.cmax == pytest.approx(0.99) and line.cmin == pytest.approx(0.5)


def test_the_top_fraction_scales_its_colours_to_the_trials_shown(space):
    rng = np.random.default_rng(1)
    trials = _scored([*rng.uniform(0.8, 0.9, 40), -10.0, -20.0])
    line = plot_parallel_coordinates(trials, space, top_fraction=0.5).data[0].line
    assert line.cmin >= 0.8 and line.colorbar.tickvals is None
