from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tunewidgets.plots import plot_learning_curves
from tunewidgets.plots._learning_curves import _get_learning_curves_info

from .conftest import make_curves, make_trials


def _curves():
    rows = [(0, s, 0.1 * s, "complete") for s in range(5)]
    rows += [(1, s, 0.05 * s, "pruned") for s in range(2)]
    rows += [(2, s, 0.12 * s, "complete") for s in range(5)]
    rows += [(3, s, 0.2 * s, "running") for s in range(3)]
    return pd.DataFrame(rows, columns=["number", "step", "value", "state"])


def test_one_trace_per_state_with_gaps_and_the_best_on_top():
    figure = plot_learning_curves(_curves())
    names = [t.name for t in figure.data]
    assert names == ["complete (2)", "running (1)", "pruned (1)", "best: trial 2"]
    complete = figure.data[0]
    assert complete.type == "scatter" and complete.connectgaps is False
    # two curves of 5 steps, one gap between them
    assert len(complete.x) == 11 and np.isnan(complete.x[5])
    assert list(complete.customdata[:5]) == [0] * 5
    pruned = figure.data[2]
    assert "0.3" in pruned.line.color  # faded
    best = figure.data[-1]
    assert list(best.y) == pytest.approx([0.12 * s for s in range(5)])


def test_the_best_trial_comes_from_the_scores_when_given():
    trials = pd.DataFrame(
        {
            "number": [0, 1, 2, 3],
            "score": [0.9, 0.1, 0.5, np.nan],
            "state": ["complete", "pruned", "complete", "running"],
        }
    )
    info = _get_learning_curves_info(_curves(), trials)
    assert info.best_number == 0


def test_nothing_reported():
    empty = pd.DataFrame(columns=["number", "step", "value", "state"])
    figure = plot_learning_curves(empty, trials=make_trials(3))
    assert not figure.data
    assert "Keras" in figure.layout.annotations[0].text


def test_many_trials_stay_a_few_traces(many):
    curves = make_curves(many)
    figure = plot_learning_curves(curves, trials=many)
    assert len(figure.data) == 5  # complete, running, pruned, failed, best
    assert sum(
        int(t.name.split("(")[1].rstrip(")").replace(",", "")) for t in figure.data[:-1]
    ) == len(many)


def test_missing_columns_are_named():
    with pytest.raises(
        ValueError, match=r"columns number, step and value .* \['step'\] are missing"
    ):
        plot_learning_curves(pd.DataFrame({"number": [0], "value": [1.0]}))
