"""Property-based tests over generated search spaces."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tunewidgets as tw

from ..strategies_hyp import invalid_numeric, parameters, search_spaces

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(space=search_spaces(), seed=st.integers(0, 2**32 - 1))
def test_samples_are_inside_and_round_trip_through_the_unit_cube(space, seed):
    params = space.sample(seed, 5)
    assert all(space.contains(p) for p in params)
    for onehot in (False, True):
        U = space.to_unit(params, onehot=onehot)
        assert U.shape == (5, space.n_features(onehot))
        assert np.all((U >= -1e-9) & (U <= 1 + 1e-9))
        back = space.from_unit(U, onehot=onehot)
        for a, b in zip(back, params, strict=True):
            for name, param in space.items():
                if isinstance(param, tw.Float):
                    assert a[name] == pytest.approx(b[name], rel=1e-9, abs=1e-9)
                elif isinstance(param, tw.Categorical):
                    assert param.index(a[name]) == param.index(b[name])
                else:
                    assert a[name] == b[name]


@SETTINGS
@given(space=search_spaces(), u=st.lists(st.floats(-0.5, 1.5), min_size=5, max_size=5))
def test_any_point_of_the_cube_decodes_inside_the_space(space, u):
    U = np.resize(np.array(u), (3, len(space)))
    assert all(space.contains(p) for p in space.from_unit(U))


@SETTINGS
@given(space=search_spaces())
def test_json_round_trip(space):
    assert tw.SearchSpace.from_json(json.loads(json.dumps(space.to_json()))) == space


@SETTINGS
@given(param=parameters, resolution=st.integers(2, 7))
def test_grids_are_inside_and_unique(param, resolution):
    grid = param.grid(resolution)
    assert all(param.contains(v) for v in grid)
    assert len(grid) <= max(resolution, param.size if param.size < 1e9 else resolution)
    keys = [param.encode([v])[0] for v in grid]
    assert len(set(np.round(keys, 12))) == len(grid)


@SETTINGS
@given(case=invalid_numeric())
def test_invalid_bounds_raise_a_useful_value_error(case):
    kind, kwargs, message = case
    with pytest.raises(ValueError, match=message):
        kind(**kwargs)


@SETTINGS
@given(
    space=search_spaces(max_size=3),
    seed=st.integers(0, 1000),
    name=st.sampled_from(["random", "evolution"]),
)
def test_every_ask_is_inside_the_space(space, seed, name):
    strategy = tw.make_strategy(name, space, seed=seed)
    for i in range(6):
        try:
            params = strategy.ask()
        except tw.SearchComplete:
            break
        assert space.contains(params)
        strategy.tell(params, float(i))
