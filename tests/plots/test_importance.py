from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tunewidgets as tw
from tunewidgets.plots import plot_importance
from tunewidgets.plots._importance import _get_importance_info

from .conftest import make_trials

SPACE = tw.SearchSpace(
    {
        "lr": tw.Float(1e-5, 1.0, log=True),
        "noise": tw.Float(0.0, 1.0),
        "act": tw.Categorical(["relu", "tanh", "gelu"]),
        "layers": tw.Int(1, 8),
    }
)


def _trials(n, seed=0, failed=0.0):
    rng = np.random.default_rng(seed)
    params = SPACE.sample(rng, n)
    frame = pd.DataFrame(params, columns=SPACE.names)
    # lr matters most (in log scale), act a little, layers and noise not at all
    score = -((np.log10(frame["lr"]) + 2.5) ** 2) + 0.8 * (frame["act"] == "tanh")
    frame["score"] = score + rng.normal(0, 0.05, n)
    frame["state"] = np.where(rng.random(n) < failed, "failed", "complete")
    frame.loc[frame["state"] == "failed", "score"] = np.nan
    frame.insert(0, "number", range(n))
    return frame


@pytest.mark.parametrize("n", [12, 300, 10_000])
def test_finds_what_matters(n):
    info = _get_importance_info(_trials(n, failed=0.1), SPACE)
    assert info.names[0] == "lr"
    assert set(info.names) == set(SPACE.names)
    assert info.importance.sum() == pytest.approx(1.0)
    assert np.all(np.diff(info.importance) <= 0)  # sorted
    if n >= 300:
        assert info.names[1] == "act"
        assert info.held_out and info.n_eval <= 400 and info.n_fit <= 600
        noise = dict(zip(info.names, info.importance, strict=True))["noise"]
        assert noise < 0.05


def test_bars_sorted_and_method_named():
    figure = plot_importance(_trials(200), SPACE)
    (bars,) = figure.data
    assert bars.type == "bar" and bars.orientation == "h"
    assert bars.y[-1] == "lr"  # plotly draws the last bar on top
    assert np.all(np.diff(bars.x) >= 0)
    title = figure.layout.title.text
    assert "permutation importance" in title and "random forest" in title
    assert "200 complete trials" in title


def test_deterministic():
    trials = _trials(500, seed=3)
    a = _get_importance_info(trials, SPACE)
    b = _get_importance_info(trials, SPACE)
    assert a.names == b.names
    np.testing.assert_array_equal(a.importance, b.importance)


@pytest.mark.parametrize("n", [0, 1, 2, 4])
def test_too_few_trials_say_how_many_are_needed(n):
    figure = plot_importance(_trials(n), SPACE)
    assert not figure.data
    assert "5 complete trials" in figure.layout.annotations[0].text


def test_constant_scores():
    trials = _trials(30)
    trials["score"] = 1.0
    figure = plot_importance(trials, SPACE)
    assert list(figure.data[0].x) == [0, 0, 0, 0]
    assert "No parameter explains the score" in figure.layout.annotations[0].text


def test_mixed_space_with_failures(many, space):
    info = _get_importance_info(many, space)
    assert info.n_complete == (many["state"] == "complete").sum()
    assert info.names[0] in ("C", "gamma")  # score_of depends on C, gamma and kernel
    assert set(info.names[:3]) == {"C", "gamma", "kernel"}


def test_one_and_two_trials_are_an_empty_figure(space):
    for n in (1, 2):
        assert not plot_importance(make_trials(n), space).data
