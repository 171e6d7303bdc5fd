"""narrow_space: a narrower space around the best trials, to continue a search there."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tunewidgets as tw

SPACE = tw.SearchSpace(
    {
        "C": tw.Float(1e-3, 1e3, log=True),
        "ratio": tw.Float(0.0, 1.0),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
        "degree": tw.Int(2, 9),
        "trees": tw.Int(10, 1000, log=True),
    }
)


def _frame(rows, states=None):
    frame = pd.DataFrame(rows)
    frame["state"] = states or ["complete"] * len(frame)
    return frame


def _random_trials(n, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(SPACE.sample(rng, n))
    frame["score"] = -np.abs(np.log10(frame["C"]) - 1) - frame["ratio"] + (frame["kernel"] == "rbf")
    frame["state"] = np.where(rng.random(n) < 0.1, "failed", "complete")
    frame.loc[frame["state"] == "failed", "score"] = np.nan
    return frame


def test_bounds_cover_the_top_trials_in_each_parameters_scale():
    rows = [
        {"C": 1e-2, "ratio": 0.2, "kernel": "rbf", "degree": 3, "trees": 20, "score": 0.9},
        {"C": 1e0, "ratio": 0.4, "kernel": "poly", "degree": 5, "trees": 200, "score": 0.8},
        {"C": 1e2, "ratio": 0.9, "kernel": "sigmoid", "degree": 9, "trees": 900, "score": 0.1},
        {"C": 5e2, "ratio": 0.0, "kernel": "sigmoid", "degree": 2, "trees": 10, "score": np.nan},
    ]
    trials = _frame(rows, ["complete", "complete", "complete", "failed"])
    narrowed = tw.narrow_space(SPACE, trials, top_fraction=0.5, margin=0.1)  # 2 of 3 complete
    assert narrowed.names == SPACE.names
    # log scale: top trials span 1e-2..1e0, two decades; 10% of that on each side
    assert narrowed["C"].log
    assert narrowed["C"].low == pytest.approx(10**-2.2)
    assert narrowed["C"].high == pytest.approx(10**0.2)
    assert narrowed["ratio"].low == pytest.approx(0.18)
    assert narrowed["ratio"].high == pytest.approx(0.42)
    assert narrowed["kernel"] == tw.Categorical(["rbf", "poly"])
    assert narrowed["degree"] == tw.Int(2, 6)  # 3..5 padded by 0.2, rounded outwards
    assert narrowed["trees"].log and narrowed["trees"].low <= 20 and narrowed["trees"].high >= 200


def test_never_outside_the_original():
    trials = _random_trials(300)
    for fraction in (0.05, 0.2, 1.0):
        for margin in (0.0, 0.5, 5.0):
            narrowed = tw.narrow_space(SPACE, trials, top_fraction=fraction, margin=margin)
            for name, param in narrowed.items():
                original = SPACE[name]
                if isinstance(param, tw.Categorical):
                    assert set(param.choices) <= set(original.choices)
                else:
                    assert type(param) is type(original) and param.log == original.log
                    assert original.low <= param.low < param.high <= original.high


def test_covers_the_top_fraction_of_complete_trials():
    trials = _random_trials(500, seed=1)
    narrowed = tw.narrow_space(SPACE, trials, top_fraction=0.2, margin=0.0)
    complete = trials[trials["state"] == "complete"]
    top = complete.nlargest(math.ceil(0.2 * len(complete)), "score")
    for _, row in top.iterrows():
        assert narrowed.contains({k: row[k] for k in SPACE.names})
    assert set(narrowed["kernel"].choices) == set(top["kernel"])


def test_one_trial_keeps_widths():
    trials = _frame(
        [{"C": 1.0, "ratio": 0.5, "kernel": "poly", "degree": 9, "trees": 10, "score": 1.0}]
    )
    narrowed = tw.narrow_space(SPACE, trials, margin=0.0)
    assert narrowed["C"].low < 1.0 < narrowed["C"].high  # a Float keeps 5% of the range
    assert narrowed["ratio"].low == pytest.approx(0.45) and narrowed["ratio"].high == pytest.approx(
        0.55
    )
    assert narrowed["degree"] == tw.Int(8, 9)  # an Int keeps a neighbour inside the range
    assert narrowed["trees"] == tw.Int(10, 11, log=True)
    assert narrowed["kernel"] == tw.Categorical(["poly"])


def test_trials_from_a_wider_space_are_clipped():
    narrow = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})
    trials = _frame([{"x": 5.0, "k": "z", "score": 1.0}, {"x": 0.5, "k": "a", "score": 0.9}])
    narrowed = tw.narrow_space(narrow, trials, top_fraction=1.0, margin=0.0)
    assert narrowed["x"] == tw.Float(0.5, 1.0)
    assert narrowed["k"] == tw.Categorical(["a"])


def test_parameters_without_values_keep_their_domain():
    space = tw.SearchSpace({**SPACE, "new": tw.Float(0.0, 1.0)})
    trials = _random_trials(20)
    narrowed = tw.narrow_space(space, trials)
    assert narrowed["new"] == space["new"]


def test_reserved_names_read_the_prefixed_column():
    space = tw.SearchSpace({"score": tw.Float(0.0, 10.0)})
    trials = _frame([{"param_score": 2.0, "score": 1.0}, {"param_score": 8.0, "score": 0.0}])
    assert tw.narrow_space(space, trials, top_fraction=0.5)["score"] == tw.Float(1.0, 3.0)


def test_accepts_a_study():
    study = tw.tune(
        lambda p: -((p["ratio"] - 0.3) ** 2),
        SPACE,
        strategy="random",
        n_trials=20,
        storage=None,
        seed=0,
    )
    narrowed = tw.narrow_space(SPACE, study, top_fraction=0.1)
    assert narrowed.contains(study.best_params)
    assert narrowed == tw.narrow_space(SPACE, study.trials_dataframe(), top_fraction=0.1)


def test_bad_input():
    with pytest.raises(
        ValueError,
        match=r"'top_fraction' parameter of narrow_space must be a finite number in the range \(0.0, 1.0\]. Got 1.5 instead",
    ):
        tw.narrow_space(SPACE, _random_trials(5), top_fraction=1.5)
    with pytest.raises(
        ValueError,
        match=r"'margin' parameter of narrow_space must be a finite number in the range \[0.0, inf\). Got -0.1",
    ):
        tw.narrow_space(SPACE, _random_trials(5), margin=-0.1)
    failed = _random_trials(5).assign(state="failed", score=np.nan)
    with pytest.raises(
        ValueError, match=r"needs at least one complete trial .* got 5 trial\(s\) and none complete"
    ):
        tw.narrow_space(SPACE, failed)
    with pytest.raises(ValueError, match=r"needs at least one complete trial"):
        tw.narrow_space(SPACE, pd.DataFrame())
    with pytest.raises(
        ValueError, match=r"'trials' parameter of narrow_space must be a pandas DataFrame"
    ):
        tw.narrow_space(SPACE, [1, 2])
