from __future__ import annotations

import numpy as np

import tunewidgets as tw
from tunewidgets.strategies._optimize import maximize_acquisition

SPACE = tw.SearchSpace(
    {
        "x": tw.Float(0.0, 1.0),
        "n": tw.Int(0, 20),
        "c": tw.Categorical(["a", "b", "c", "d"]),
    }
)


def _acquisition(U: np.ndarray) -> np.ndarray:
    """Peaked at x = 0.123, n = 17, c = 'c'."""
    rows = SPACE.from_unit(U)
    x = np.array([r["x"] for r in rows])
    n = np.array([r["n"] for r in rows])
    c = np.array([r["c"] == "c" for r in rows])
    return -((x - 0.123) ** 2) - 0.01 * (n - 17) ** 2 + 0.5 * c


def test_finds_the_peak_of_a_mixed_function():
    U, values = maximize_acquisition(
        SPACE, _acquisition, np.random.default_rng(0), n_candidates=200
    )
    best = SPACE.from_unit(U[:1])[0]
    assert best["c"] == "c" and best["n"] == 17
    assert abs(best["x"] - 0.123) < 0.01
    assert np.all(np.diff(values) <= 0)  # best first


def test_points_are_valid_configurations():
    U, _ = maximize_acquisition(SPACE, _acquisition, np.random.default_rng(1), n_candidates=50)
    assert np.array_equal(SPACE.snap(U), U)
