"""Plots of a space of branches: a parameter a trial's branch lacks is shown as absent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tunewidgets as tw
from tunewidgets import plots

SPACE = tw.SearchSpace(
    [
        {"kind": ["a"], "x": tw.Float(1e-3, 1.0, log=True), "scale": stats.expon(scale=2.0)},
        {"kind": ["b"], "n": tw.Int(1, 6), "pair": [(1, 2), (3, 4), {"k": 1}]},
    ]
)


def score(params):
    if params["kind"] == "a":
        return -abs(np.log10(params["x"]) + 1) - abs(params["scale"] - 1) / 5
    return -0.5 - abs(params["n"] - 3) / 10 + (params["pair"] == (3, 4)) * 0.2


@pytest.fixture(scope="module")
def searched():
    strategy = tw.BayesianSearch(SPACE, seed=0, n_initial=4, n_candidates=200)
    study = tw.Study(SPACE)
    tw.Runner(study, score, strategy, n_trials=14).run()
    return study, strategy


def test_the_dataframe_leaves_absent_parameters_empty(searched):
    study, _ = searched
    frame = study.trials_dataframe()
    a = (frame["kind"] == "a").to_numpy()
    assert frame.loc[a, "n"].isna().all() and frame.loc[~a, "x"].isna().all()
    assert frame.loc[a, "pair"].map(lambda v: v is pd.NA).all()
    assert frame.loc[~a, "pair"].notna().all()


def test_parallel_coordinates_draw_absent_at_their_own_tick(searched):
    study, _ = searched
    frame = study.trials_dataframe()
    figure = plots.plot_parallel_coordinates(frame, SPACE)
    dims = {d.label: d for d in figure.data[0].dimensions}
    for name in ("x", "scale", "n", "pair"):
        assert dims[name].ticktext[0] == "absent"
        absent_at = dims[name].tickvals[0]
        values = np.asarray(dims[name]["values"])
        lacking = frame.loc[frame["state"] == "complete", name].isna().to_numpy()
        assert (
            np.allclose(values[lacking], absent_at)
            and not np.isclose(values[~lacking], absent_at).any()
        )
    assert dims["pair"].ticktext[1:] == ("(1, 2)", "(3, 4)", "{'k': 1}")
    assert dims["kind"].ticktext == ("a", "b")  # every trial has it: no absent tick
    # brushing the absent tick away is not a range of the parameter
    dims["n"].constraintrange = [2.5, 3.5]
    narrowed = plots.parallel_ranges_to_space(figure.data[0].dimensions, SPACE)
    assert narrowed.branches[1]["n"] == tw.Int(3, 4) or narrowed.branches[1]["n"] == tw.Int(2, 3)


def test_surrogate_plots_sweep_inside_a_branch(searched):
    study, strategy = searched
    frame = study.trials_dataframe()
    for name in ("x", "scale", "n", "pair", "kind"):
        figure = plots.plot_surrogate(frame, SPACE, strategy.surrogate, name)
        assert figure.data, name
    path = plots.plot_search_path(frame, SPACE, "x", "scale", surrogate=strategy.surrogate)
    assert path.data


def test_a_report_of_a_space_of_branches(searched, tmp_path):
    study, _ = searched
    html = study.report(tmp_path / "report.html").read_text()
    assert "absent" in html and "pair" in html


def test_narrowing_keeps_each_branch_around_its_own_best(searched):
    study, _ = searched
    narrowed = tw.narrow_space(SPACE, study.trials_dataframe(), top_fraction=1.0, margin=0.0)
    assert [b.names for b in narrowed.branches] == [b.names for b in SPACE.branches]
    assert all(narrowed.contains(t.params) for t in study.trials)
