from __future__ import annotations

import numpy as np
import pytest

import tunewidgets as tw


def branin(params: dict) -> float:
    """The Branin function, negated (maximum -0.398), on x in [-5, 10], y in [0, 15]."""
    x, y = params["x"], params["y"]
    a, b, c, r, s, t = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi, 6.0, 10.0, 1 / (8 * np.pi)
    return -(a * (y - b * x**2 + c * x - r) ** 2 + s * (1 - t) * np.cos(x) + s)


BRANIN = tw.SearchSpace({"x": tw.Float(-5.0, 10.0), "y": tw.Float(0.0, 15.0)})


def best_after(strategy: tw.Strategy, f, n: int) -> float:
    for _ in range(n):
        params = strategy.ask()
        strategy.tell(params, f(params))
    return strategy.best[1]


def test_bayes_beats_random_on_a_smooth_function():
    seeds = range(5)
    bayes = [best_after(tw.BayesianSearch(BRANIN, seed=s), branin, 25) for s in seeds]
    random = [best_after(tw.RandomSearch(BRANIN, seed=s), branin, 25) for s in seeds]
    # Branin's maximum is -0.398; the margin is wide so that the test is about the
    # method, not about luck.
    assert np.mean(bayes) > np.mean(random) + 1.0
    assert np.median(bayes) > -1.0


def test_surrogate_exposes_mean_std_and_acquisition():
    bo = tw.BayesianSearch(BRANIN, seed=0)
    assert bo.surrogate is None
    best_after(bo, branin, 8)
    surrogate = bo.surrogate
    params, scores = bo.observations()
    mean, std = surrogate.predict(params)
    assert mean.shape == std.shape == (8,)
    # the model explains what it was told: low error, low uncertainty where it has data
    assert np.corrcoef(mean, scores)[0, 1] > 0.9
    far = surrogate.predict(BRANIN.sample(1, 200))[1]
    assert np.median(std) < np.median(far)
    acq = surrogate.acquisition_values(BRANIN.sample(2, 50))
    assert acq.shape == (50,) and np.all(acq >= 0)
    assert set(surrogate.length_scales) == {"x", "y"}


def test_next_params_is_what_ask_returns():
    bo = tw.BayesianSearch(BRANIN, seed=0)
    best_after(bo, branin, 8)
    promised = bo.surrogate.next_params
    assert bo.ask() == promised
    assert bo.last_info["phase"] == "model"
    assert {"acquisition_value", "predicted_score", "predicted_std"} <= set(bo.last_info)


def test_looking_at_the_surrogate_does_not_change_the_search():
    plain, watched = tw.BayesianSearch(BRANIN, seed=4), tw.BayesianSearch(BRANIN, seed=4)
    for _ in range(12):
        _ = watched.surrogate  # the dashboard peeks between trials
        a, b = plain.ask(), watched.ask()
        assert a == b
        plain.tell(a, branin(a))
        watched.tell(b, branin(b))


def test_initial_design_is_space_filling_and_lean(mixed_space):
    bo = tw.BayesianSearch(mixed_space, seed=0)
    assert bo.n_initial == 5
    design = [bo.ask() for _ in range(bo.n_initial)]
    kernels = {p["kernel"] for p in design}
    assert len(kernels) == 3  # a Latin hypercube covers every third of each axis
    assert all(bo.last_info["phase"] == "initial design" for _ in design)


def test_never_repeats_a_configuration_of_a_discrete_space():
    space = tw.SearchSpace({"a": tw.Int(0, 4), "b": tw.Categorical(["x", "y", "z"])})
    bo = tw.BayesianSearch(space, seed=0)
    seen = []
    with pytest.raises(tw.SearchComplete):
        for _ in range(16):
            params = bo.ask()
            seen.append(tuple(params.values()))
            bo.tell(params, -abs(params["a"] - 2) + (params["b"] == "y"))
    assert len(seen) == len(set(seen)) == 15


def test_parallel_asks_spread_out():
    bo = tw.BayesianSearch(BRANIN, seed=0)
    best_after(bo, branin, 10)
    batch = [bo.ask() for _ in range(4)]
    assert len({(p["x"], p["y"]) for p in batch}) == 4
    distances = [
        np.hypot(a["x"] - b["x"], a["y"] - b["y"])
        for i, a in enumerate(batch)
        for b in batch[i + 1 :]
    ]
    assert min(distances) > 1e-3


def test_failed_region_is_avoided():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    bo = tw.BayesianSearch(space, seed=0)

    def f(p):  # fails on the right half, where the optimum would otherwise be
        return None if p["x"] > 0.5 else p["x"]

    for _ in range(15):
        params = bo.ask()
        bo.tell(params, f(params))
    xs = [p["x"] for p in bo.observations()[0][-6:]]
    assert np.mean([x <= 0.5 for x in xs]) >= 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"acquisition": "lcb"},
            r"'acquisition' parameter of BayesianSearch must be one of \{'ei'",
        ),
        (
            {"n_initial": 0},
            r"'n_initial' parameter of BayesianSearch must be an int in the range \[1",
        ),
        ({"xi": -1.0}, "'xi' parameter"),
        ({"kappa": float("nan")}, "'kappa' parameter"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.BayesianSearch(BRANIN, **kwargs)


def test_priors_keep_the_kernel_off_its_bounds_with_few_trials(mixed_space):
    bo = tw.BayesianSearch(mixed_space, seed=0)
    for _ in range(8):
        params = bo.ask()
        score = -abs(np.log10(params["C"])) - abs(np.log10(params["gamma"]) + 2)
        bo.tell(params, score + (params["kernel"] == "rbf"))
    kernel = bo.surrogate.gp.kernel_
    log_theta, bounds = kernel.theta, kernel.bounds
    assert np.all(log_theta > bounds[:, 0] + 0.1)
    assert np.all(log_theta < bounds[:, 1] - 0.1)


@pytest.mark.parametrize(("acquisition", "xi"), [("ei", 0.01), ("pi", 0.1), ("ucb", 0.0)])
def test_default_margin_depends_on_the_acquisition(acquisition, xi):
    assert tw.BayesianSearch(BRANIN, acquisition=acquisition).xi == xi
    assert tw.BayesianSearch(BRANIN, acquisition=acquisition, xi=0.5).xi == 0.5
