from __future__ import annotations

import pytest

import tunewidgets as tw


def _drain(strategy):
    out = []
    while True:
        try:
            params = strategy.ask()
        except tw.SearchComplete:
            return out
        out.append(params)
        strategy.tell(params, 0.0)


def test_grid_is_the_full_cartesian_product(mixed_space):
    grid = tw.GridSearch(mixed_space, resolution=3)
    points = _drain(grid)
    assert len(grid) == len(points) == 3 * 3 * 3 * 3
    assert len({tuple(p.values()) for p in points}) == len(points)
    assert {p["kernel"] for p in points} == {"rbf", "poly", "sigmoid"}
    assert sorted({p["C"] for p in points}) == pytest.approx([1e-3, 1.0, 1e3])


def test_int_grids_hold_no_duplicates():
    space = tw.SearchSpace({"n": tw.Int(1, 3)})
    grid = tw.GridSearch(space, resolution=10)
    assert len(grid) == 3
    assert [p["n"] for p in _drain(grid)] == [1, 2, 3]


def test_resolution_per_parameter(mixed_space):
    grid = tw.GridSearch(mixed_space, resolution={"C": 4, "gamma": 2})
    assert len(grid) == 4 * 2 * 3 * 4


def test_complete_signal_is_raised_every_time_after_exhaustion(small_discrete_space):
    grid = tw.GridSearch(small_discrete_space)
    assert len(_drain(grid)) == 6
    for _ in range(3):
        with pytest.raises(tw.SearchComplete, match="all 6 grid points"):
            grid.ask()


def test_shuffled_grid_visits_every_point_once(mixed_space):
    ordered = _drain(tw.GridSearch(mixed_space, resolution=2))
    shuffled = _drain(tw.GridSearch(mixed_space, resolution=2, shuffle=True, seed=0))
    assert ordered != shuffled
    key = lambda p: tuple(sorted((k, str(v)) for k, v in p.items()))
    assert sorted(map(key, ordered)) == sorted(map(key, shuffled))


def test_grid_resumes_where_it_stopped(mixed_space):
    first = tw.GridSearch(mixed_space, resolution=2)
    done = []
    for _ in range(10):
        params = first.ask()
        first.tell(params, 1.0)
        done.append(params)
    resumed = tw.GridSearch(mixed_space, resolution=2)
    for params in done:
        resumed.tell(params, 1.0)
    rest = _drain(resumed)
    assert len(rest) == len(resumed) - 10
    assert not any(p in done for p in rest)


@pytest.mark.parametrize("resolution", [1, 0, -3, 2.5, "5", True, {"C": 1}])
def test_resolution_below_two_is_rejected(mixed_space, resolution):
    with pytest.raises(ValueError, match="'resolution' of a grid must be an int >= 2"):
        tw.GridSearch(mixed_space, resolution=resolution)


def test_resolution_for_an_unknown_parameter(mixed_space):
    with pytest.raises(ValueError, match="unknown parameter 'alpha'"):
        tw.GridSearch(mixed_space, resolution={"alpha": 3})
