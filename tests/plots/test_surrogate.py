from __future__ import annotations

import numpy as np
import pytest

from tunewidgets.plots import plot_surrogate
from tunewidgets.plots._surrogate import _get_surrogate_info

from .conftest import fitted_search, make_trials


def _named(figure, name):
    return [t for t in figure.data if t.name == name]


def test_band_mean_acquisition_and_next_point(bayes):
    search, trials = bayes
    surrogate = search.surrogate
    figure = plot_surrogate(trials, search.space, surrogate, "C")
    (mean,) = _named(figure, "predicted mean")
    (band,) = _named(figure, "mean ± 2 std")
    (acq,) = _named(figure, "EI")
    assert mean.xaxis == "x" and acq.xaxis == "x2"  # the acquisition in the row under it
    assert figure.layout.xaxis.matches == "x2"
    assert figure.layout.xaxis.type == "log" and figure.layout.xaxis2.type == "log"
    assert band.fill == "tonexty"
    info = _get_surrogate_info(trials, search.space, surrogate, "C", "next")
    np.testing.assert_allclose(band.y, info.mean - 2 * info.std)
    # the curve is the model along C with the others at the next point
    params = [dict(surrogate.next_params, C=float(c)) for c in info.grid]
    # on the model's scale, where the acquisition is computed (the search's own numbers)
    expected_mean, expected_std = search.predict_model(params)
    np.testing.assert_allclose(mean.y, expected_mean, rtol=1e-6)
    np.testing.assert_allclose(info.std, expected_std, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(acq.y, surrogate.acquisition_values(params), rtol=1e-6, atol=1e-12)
    # the next point is marked in both rows, where it is
    stars = _named(figure, "next point")
    assert [s.xaxis for s in stars] == ["x", "x2"]
    assert stars[0].x[0] == pytest.approx(surrogate.next_params["C"])
    assert stars[0].y[0] == pytest.approx(search.predict_model([surrogate.next_params])[0][0])
    assert stars[1].y[0] == pytest.approx(search.acquisition_values([surrogate.next_params])[0])
    np.testing.assert_allclose(acq.y, search.acquisition_values(params), rtol=1e-6, atol=1e-12)
    (incumbent,) = _named(figure, "best so far (f*)")
    assert incumbent.y[0] == pytest.approx(search.to_model_scale([surrogate.incumbent])[0])
    assert figure.layout.yaxis.title.text == "score (model scale)"
    # and it is about where the acquisition along this slice peaks (the search maximized
    # it, approximately: random candidates then local refinement)
    assert stars[1].y[0] >= 0.95 * np.max(acq.y)


def test_observed_trials(bayes):
    search, trials = bayes
    figure = plot_surrogate(trials, search.space, search.surrogate, "gamma")
    (observed,) = _named(figure, "trials (others vary)")
    assert observed.type == "scatter"  # SVG: few points (see svg_if_small)
    np.testing.assert_allclose(observed.x, trials["gamma"])
    # drawn on the model's scale, with the score as told in the hover
    np.testing.assert_allclose(observed.y, search.to_model_scale(trials["score"]))
    np.testing.assert_allclose(observed.customdata, trials["score"])
    top = trials["score"] >= np.median(trials["score"])
    np.testing.assert_allclose(np.asarray(observed.y)[top], trials["score"][top])


def test_fixed_at_the_best_trial(bayes):
    search, trials = bayes
    info = _get_surrogate_info(trials, search.space, search.surrogate, "degree", "best")
    best = trials.loc[trials["score"].idxmax()]
    assert info.fixed == {k: best[k] for k in search.space.names if k != "degree"}
    assert info.fixed_at == "the best trial's values"
    assert list(info.grid) == [2, 3, 4, 5]  # an Int is evaluated at its integers


def test_a_categorical_parameter(bayes):
    search, trials = bayes
    figure = plot_surrogate(trials, search.space, search.surrogate, "kernel")
    (mean,) = _named(figure, "mean ± 2 std")
    assert mean.error_y.array is not None and len(mean.x) == 3
    assert figure.layout.xaxis2.ticktext == ("rbf", "poly", "sigmoid")
    assert any(t.type == "bar" for t in figure.data)


def test_ucb_is_named(space):
    search, trials = fitted_search(n=7)
    search.acquisition = "ucb"
    search._cached = None  # refit with the new acquisition
    figure = plot_surrogate(trials, space, search.surrogate, "C")
    assert _named(figure, "UCB")
    assert "upper confidence bound" in figure.layout.title.text


def test_without_a_surrogate_says_when_it_appears(space):
    figure = plot_surrogate(make_trials(3), space, None, "C")
    assert not figure.data
    assert "two" in figure.layout.annotations[0].text


def test_a_parameter_the_model_lacks(bayes, space):
    import tunewidgets as tw

    wider = tw.SearchSpace({**space, "extra": tw.Float(0.0, 1.0)})
    figure = plot_surrogate(bayes[1], wider, bayes[0].surrogate, "extra")
    assert "does not model 'extra'" in figure.layout.annotations[0].text


def test_bad_options(bayes, space):
    with pytest.raises(
        ValueError, match=r"'param' parameter of plot_surrogate must name a parameter"
    ):
        plot_surrogate(bayes[1], space, bayes[0].surrogate, "lr")
    with pytest.raises(ValueError, match=r"'fixed' parameter of plot_surrogate"):
        plot_surrogate(bayes[1], space, bayes[0].surrogate, "C", fixed="worst")


def test_many_trials(bayes, many, space):
    figure = plot_surrogate(many, space, bayes[0].surrogate, "C")
    (observed,) = _named(figure, "trials (others vary)")
    assert len(observed.x) == (many["state"] == "complete").sum()


def test_the_band_is_narrow_between_trials_and_wide_far_from_them():
    """On a one-parameter problem: the band narrows near trials, as the search sees it."""
    import tunewidgets as tw

    space = tw.SearchSpace({"x": tw.Float(0.0, 3.0)})
    search = tw.BayesianSearch(space, seed=0, n_initial=3)
    rows = []
    for number in range(8):
        params = search.ask()
        score = float(np.sin(3 * params["x"]) + 0.5 * np.cos(7 * params["x"]) - 0.2 * params["x"])
        search.tell(params, score)
        rows.append({"number": number, **params, "score": score, "state": "complete"})
    import pandas as pd

    figure = plot_surrogate(pd.DataFrame(rows), space, search.surrogate, "x")
    assert {t.name for t in figure.data} >= {"trials", "predicted mean", "best so far (f*)"}
    info = _get_surrogate_info(pd.DataFrame(rows), space, search.surrogate, "x", "next")
    xs = np.asarray(info.grid)
    # the band's std is the model's, at every point of the sweep
    np.testing.assert_allclose(info.std, search.predict_model([{"x": v} for v in xs])[1])
    # farther from every trial, wider: the std grows with the distance to the nearest trial
    tried = np.array([r["x"] for r in rows])
    distance = np.abs(xs[:, None] - tried[None, :]).min(axis=1)
    near, far = distance < 0.02, distance > 0.3
    assert near.any() and far.any()
    assert info.std[near].max() < info.std[far].min()
