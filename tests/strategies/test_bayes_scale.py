"""BayesianSearch past the size where it bounds its training set (thousands of trials)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tunewidgets as tw
from tunewidgets.strategies import _training
from tunewidgets.strategies._training import select

SPACE = tw.SearchSpace(
    {
        "C": tw.Float(1e-3, 1e3, log=True),
        "gamma": tw.Float(1e-4, 1.0, log=True),
        "degree": tw.Int(1, 8),
        "n_estimators": tw.Int(1, 512, log=True),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
    }
)


def score(p: dict) -> float:
    c, g = np.log10(p["C"]), np.log10(p["gamma"])
    value = -0.1 * (c - 1.0) ** 2 - 0.2 * (g + 2.0) ** 2 - 0.05 * abs(p["degree"] - 3)
    return value + {"rbf": 0.5, "poly": 0.2, "sigmoid": 0.0}[p["kernel"]]


N_TOLD = _training.MAX_TRAIN + 60  # past every bound


def told_search(seed: int, n: int = N_TOLD) -> tw.BayesianSearch:
    bo = tw.BayesianSearch(SPACE, seed=seed)
    rng = np.random.default_rng(100)
    for i, params in enumerate(SPACE.sample(rng, n)):
        bo.tell(params, None if i % 17 == 0 else score(params))  # a few failures too
    return bo


def run(bo: tw.BayesianSearch, n: int) -> list[dict]:
    asked = []
    for _ in range(n):
        params = bo.ask()
        asked.append(params)
        bo.tell(params, score(params))
    return asked


def test_the_model_is_fitted_to_a_bounded_training_set():
    bo = told_search(0)
    surrogate = bo.surrogate
    assert surrogate.gp.X_train_.shape[0] == _training.MAX_TRAIN
    _, _, n_told, fit_rows = bo._training_data(with_pending=True)
    assert n_told == _training.MAX_TRAIN
    assert fit_rows is not None and len(fit_rows[0]) == _training.MAX_FIT
    # the best observations are all in it
    params, scores = bo.observations()
    best = np.argsort(np.nan_to_num(scores, nan=-np.inf))[::-1][: _training.N_BEST]
    encoded = {tuple(np.round(row, 9)) for row in surrogate.gp.X_train_}
    for i in best:
        assert tuple(np.round(SPACE.to_unit(params[i], onehot=True), 9)) in encoded
    # pending points come on top of the bound
    bo.ask()
    assert bo.surrogate.gp.X_train_.shape[0] == _training.MAX_TRAIN + 1


def test_past_the_bound_the_search_is_deterministic_and_inside_the_space():
    first = run(told_search(3), 6)
    second = run(told_search(3), 6)
    assert first == second
    assert all(SPACE.contains(p) for p in first)
    assert first != run(told_search(4), 6)


def test_past_the_bound_the_search_still_models_and_improves():
    bo = told_search(1)
    params, scores = bo.observations()
    mean, _ = bo.surrogate.predict(params)
    ok = np.isfinite(scores)
    assert np.corrcoef(mean[ok], scores[ok])[0, 1] > 0.8  # it still explains all the data
    asked = run(bo, 12)
    assert bo.last_info["phase"] == "model"
    # the model's proposals are far better than the random points it was told
    assert np.mean([score(p) for p in asked]) > np.nanpercentile(scores, 90)


def test_watching_past_the_bound_does_not_change_the_search():
    plain, watched = told_search(5), told_search(5)
    for _ in range(4):
        watched.predict_quantiles(SPACE.sample(np.random.default_rng(0), 5))
        _ = watched.surrogate
        a, b = plain.ask(), watched.ask()
        assert a == b
        plain.tell(a, score(a))
        watched.tell(b, score(b))


@settings(max_examples=60, deadline=None)
@given(
    y=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=60),
    size=st.integers(1, 40),
    n_best=st.integers(0, 40),
    seed=st.integers(0, 2**32 - 1),
)
def test_select_keeps_the_best_and_the_size(y, size, n_best, seed):
    y = np.array(y)
    priority = np.random.default_rng(seed).random(len(y))
    rows = select(y, priority, size, n_best)
    assert len(rows) == min(len(y), size)
    assert len(set(rows.tolist())) == len(rows)
    np.testing.assert_array_equal(rows, select(y, priority, size, n_best))
    if len(y) > size:
        finite = np.flatnonzero(np.isfinite(y))
        k = min(n_best, size, len(finite))
        if k:
            threshold = np.sort(y[finite])[::-1][k - 1]
            kept = set(rows.tolist())
            assert all(i in kept for i in finite if y[i] > threshold)


@pytest.mark.parametrize("n", [1, 5])
def test_select_keeps_everything_below_the_bound(n):
    np.testing.assert_array_equal(
        select(np.arange(n, dtype=float), np.zeros(n), 10, 3), np.arange(n)
    )
