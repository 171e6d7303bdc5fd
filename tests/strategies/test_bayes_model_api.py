"""BayesianSearch's public view of its own model: acquisition values, predictions, quantiles."""

from __future__ import annotations

import numpy as np
import pytest

import tunewidgets as tw

SPACE = tw.SearchSpace({"x": tw.Float(-5.0, 10.0), "y": tw.Float(0.0, 15.0)})


def branin(p: dict) -> float:
    x, y = p["x"], p["y"]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return -((y - b * x**2 + c * x - 6.0) ** 2 + 10 * (1 - t) * np.cos(x) + 10)


def run(bo: tw.BayesianSearch, f, n: int) -> tw.BayesianSearch:
    for _ in range(n):
        params = bo.ask()
        bo.tell(params, f(params))
    return bo


@pytest.mark.parametrize("acquisition", ["ei", "pi", "ucb", "hedge"])
def test_the_next_ask_maximizes_the_acquisition_among_candidates(acquisition):
    bo = run(tw.BayesianSearch(SPACE, seed=1, acquisition=acquisition), branin, 12)
    candidates = SPACE.sample(np.random.default_rng(5), 3000)
    values = bo.acquisition_values(candidates)
    promised = bo.surrogate.next_params
    mine = bo.acquisition_values(promised)[0]
    asked = bo.ask()
    assert asked == promised
    assert bo.last_info["acquisition_value"] == pytest.approx(mine)
    # The optimizer searches more finely than 3,000 random points: at least as good,
    # up to a small tolerance for the candidates' luck.
    assert mine >= values.max() - 1e-3 * (values.max() - values.min()) - 1e-12


def test_on_a_discrete_space_the_ask_is_the_exact_argmax_over_untried_points():
    space = tw.SearchSpace({"a": tw.Int(0, 6), "b": tw.Categorical(["p", "q", "r"])})

    def f(p):
        return -abs(p["a"] - 4) + (p["b"] == "q")

    bo = run(tw.BayesianSearch(space, seed=0), f, 6)
    tried = {tuple(p.values()) for p in bo.observations()[0]}
    untried = [p for p in space.grid() if tuple(p.values()) not in tried]
    values = bo.acquisition_values(untried)
    promised = bo.surrogate.next_params
    value = bo.acquisition_values(promised)[0]
    # once asked, the point is pending: the model counts it, and its value drops
    assert bo.ask() == promised
    assert value == pytest.approx(values.max())
    assert bo.acquisition_values(promised)[0] < value


def test_other_acquisitions_use_their_own_defaults():
    bo = run(tw.BayesianSearch(SPACE, seed=0), branin, 10)
    points = SPACE.sample(np.random.default_rng(0), 50)
    pi = bo.acquisition_values(points, "pi")
    assert np.all((pi >= 0) & (pi <= 1))
    # PI's default margin (0.1) is wider than EI's: a harder bar to clear
    assert np.all(bo.acquisition_values(points, "pi", xi=0.01) >= pi - 1e-12)
    mean, std = bo.predict_model(points)
    ucb = bo.acquisition_values(points, "ucb")
    np.testing.assert_allclose(ucb, mean + 1.96 * std)
    np.testing.assert_allclose(bo.acquisition_values(points, "ucb", kappa=0.0), mean)
    # the search's own, named or not, is the same function
    np.testing.assert_allclose(bo.acquisition_values(points, "ei"), bo.acquisition_values(points))


def test_model_scale_and_quantiles_agree_with_the_surrogate():
    bo = tw.BayesianSearch(SPACE, seed=2)
    for i in range(10):
        params = bo.ask()
        bo.tell(params, branin(params) if i != 3 else -1e6)  # one divergent trial: a warped tail
    points = SPACE.sample(np.random.default_rng(1), 40)
    mean, _ = bo.predict_model(points)
    q = bo.predict_quantiles(points, (0.1, 0.5, 0.9))
    assert q.shape == (40, 3)
    assert np.all(np.diff(q, axis=1) >= 0)
    np.testing.assert_allclose(q[:, 1], bo.surrogate.predict(points)[0])
    np.testing.assert_allclose(bo.to_model_scale(q[:, 1]), mean, rtol=1e-9, atol=1e-9)
    params, scores = bo.observations()
    warped = bo.to_model_scale(scores)
    assert warped[3] > -1e3  # the outlier, pulled in on the model's scale
    assert np.all(np.diff(warped[np.argsort(scores)]) >= 0)  # and the order kept


def test_arrays_of_the_unit_encoding_are_accepted():
    bo = run(tw.BayesianSearch(SPACE, seed=0), branin, 8)
    params = SPACE.sample(np.random.default_rng(3), 5)
    U = SPACE.to_unit(params)
    np.testing.assert_allclose(bo.acquisition_values(U), bo.acquisition_values(params))
    np.testing.assert_allclose(bo.predict_model(U)[0], bo.predict_model(params)[0])
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        bo.acquisition_values(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        bo.predict_model(np.full((1, 2), 1.5))
    with pytest.raises(ValueError, match="'x'"):
        bo.acquisition_values({"x": 99.0, "y": 1.0})
    with pytest.raises(ValueError, match="quantiles"):
        bo.predict_quantiles(params, (0.0, 0.5))
    with pytest.raises(ValueError, match="'acquisition' parameter"):
        bo.acquisition_values(params, "lcb")


def test_no_model_yet_is_a_clear_error():
    bo = tw.BayesianSearch(SPACE, seed=0)
    bo.tell(bo.ask(), 1.0)
    for method in (bo.acquisition_values, bo.predict_model, bo.predict_quantiles):
        with pytest.raises(RuntimeError, match="after two successful results, and it has 1"):
            method({"x": 0.0, "y": 0.0})


def test_querying_the_model_does_not_change_the_search():
    plain, watched = tw.BayesianSearch(SPACE, seed=7), tw.BayesianSearch(SPACE, seed=7)
    points = SPACE.sample(np.random.default_rng(0), 20)
    for _ in range(12):
        if watched.surrogate is not None:
            watched.acquisition_values(points, "pi")
            watched.predict_quantiles(points)
        a, b = plain.ask(), watched.ask()
        assert a == b
        plain.tell(a, branin(a))
        watched.tell(b, branin(b))


def test_the_hedge_portfolio_credits_each_acquisition_and_stays_deterministic():
    runs = []
    for _ in range(2):
        bo = tw.BayesianSearch(SPACE, seed=3, acquisition="hedge")
        asked = []
        for _ in range(16):
            params = bo.ask()
            asked.append((params, bo.last_info.get("acquisition")))
            bo.tell(params, branin(params))
        runs.append(asked)
    assert runs[0] == runs[1]
    arms = {arm for _, arm in runs[0] if arm is not None}
    assert arms <= {"ei", "pi", "ucb"} and arms
    gains = bo.last_info["portfolio_gains"]
    assert len(gains) == 3 and len(set(gains)) > 1  # the acquisitions were credited
