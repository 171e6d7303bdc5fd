from __future__ import annotations

import numpy as np
import pytest

import tunewidgets as tw
from tunewidgets.strategies._warping import TailWarping


def test_better_half_is_kept_and_worse_half_compressed():
    y = np.array([-1e8, -3.0, 0.1, 0.3, 0.4, 0.45, 0.5])
    w = TailWarping(y)
    z = w.transform(y)
    assert np.allclose(z[y >= np.median(y)], y[y >= np.median(y)])
    assert np.all(np.diff(z) > 0)  # order kept
    assert z[0] > -10  # the divergent trial no longer dwarfs the rest


@pytest.mark.parametrize("y", [[1.0, 1.0, 1.0], [0.0, 1.0], [-5.0, 2.0, 2.5, 3.0, -1e6]])
def test_inverse_undoes_transform(y):
    w = TailWarping(np.array(y))
    grid = np.linspace(-50.0, 5.0, 101)
    assert np.allclose(w.inverse(w.transform(grid)), grid)
    assert np.all(w.slope(w.transform(grid)) >= 1.0)


def test_a_divergent_trial_does_not_blind_the_search():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "y": tw.Float(0.0, 1.0)})

    def f(p):  # smooth, with a region that diverges
        if p["x"] > 0.9 and p["y"] > 0.9:
            return -1e9
        return -((p["x"] - 0.3) ** 2) - (p["y"] - 0.6) ** 2

    bo = tw.BayesianSearch(space, seed=0)
    bo.tell({"x": 0.95, "y": 0.95}, -1e9)
    for _ in range(20):
        params = bo.ask()
        bo.tell(params, f(params))
    assert bo.best[1] > -0.01
    mean, std = bo.surrogate.predict([{"x": 0.3, "y": 0.6}])
    assert np.isfinite(mean).all() and np.isfinite(std).all()
