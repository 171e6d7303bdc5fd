from __future__ import annotations

import json
import math

import numpy as np
import pytest

import tunewidgets as tw


def test_mapping_interface(mixed_space):
    assert mixed_space.names == ["C", "gamma", "kernel", "degree"]
    assert len(mixed_space) == 4
    assert isinstance(mixed_space["kernel"], tw.Categorical)
    assert mixed_space.size == math.inf
    assert tw.SearchSpace({"a": tw.Int(1, 3), "b": ["x", "y"]}).size == 6


def test_list_shorthand_and_keywords():
    space = tw.SearchSpace({"kernel": ["rbf", "poly"]}, C=tw.Float(1, 2))
    assert space["kernel"] == tw.Categorical(["rbf", "poly"])
    assert space.names == ["kernel", "C"]


def test_repr_is_readable(mixed_space):
    text = repr(mixed_space)
    assert text.startswith("SearchSpace({\n    'C': Float(0.001, 1000.0, log=True),")
    assert "'kernel': Categorical(['rbf', 'poly', 'sigmoid'])" in text


def test_check_names_the_parameter(mixed_space):
    good = {"C": 1.0, "gamma": 0.1, "kernel": "rbf", "degree": 3}
    assert mixed_space.check(good) == good
    with pytest.raises(ValueError, match=r"Parameter 'gamma' must be a number in \[0.0001, 1.0\]"):
        mixed_space.check(dict(good, gamma=5.0))
    with pytest.raises(ValueError, match=r"Parameter 'kernel' must be one of \['rbf'"):
        mixed_space.check(dict(good, kernel="linear"))
    assert not mixed_space.contains(dict(good, degree=6))


def test_unit_encoding_shapes(mixed_space):
    params = mixed_space.sample(0, 7)
    assert mixed_space.to_unit(params).shape == (7, 4)
    assert mixed_space.to_unit(params, onehot=True).shape == (7, 6)
    assert mixed_space.to_unit(params[0]).shape == (4,)
    for onehot in (False, True):
        back = mixed_space.from_unit(mixed_space.to_unit(params, onehot=onehot), onehot=onehot)
        for a, b in zip(back, params, strict=True):
            assert a == {k: pytest.approx(v) if isinstance(v, float) else v for k, v in b.items()}
    with pytest.raises(ValueError, match="Expected 4 columns"):
        mixed_space.from_unit(np.zeros((2, 3)))


def test_fast_onehot_path_matches_the_dict_path(mixed_space):
    U = np.random.default_rng(0).random((50, 4))
    slow = mixed_space.to_unit(mixed_space.from_unit(U), onehot=True)
    np.testing.assert_allclose(mixed_space.unit_to_onehot(U), slow, atol=1e-12)
    np.testing.assert_allclose(
        mixed_space.snap(U), mixed_space.to_unit(mixed_space.from_unit(U)), atol=1e-12
    )


def test_sampling_is_seeded_and_in_scale(mixed_space):
    a = mixed_space.sample(np.random.default_rng(1), 2000)
    assert a == mixed_space.sample(1, 2000)
    exponents = np.log10([p["C"] for p in a])
    assert abs(np.mean(exponents)) < 0.2  # log-uniform: centred on 10**0


def test_grid_and_its_size(mixed_space):
    assert mixed_space.grid_size(3) == 81
    assert len(list(mixed_space.grid(3))) == 81


def test_json_round_trip(mixed_space):
    data = json.loads(json.dumps(mixed_space.to_json()))
    assert tw.SearchSpace.from_json(data) == mixed_space


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (({"": tw.Float(0, 1)},), "names must be non-empty strings"),
        (({"x": (0, 1)},), r"could mean \(low, high\)"),
        (({"x": 3},), "must be a tw.Float"),
        ((["x"],), "branch 0 must be a dict"),
        (("x",), "'params' must be a dict"),
        (([],), "at least one branch"),
        (([{"x": ["a"]}, {"x": tw.Float(0, 1)}],), "choices in one branch and a range"),
    ],
)
def test_invalid_spaces(args, message):
    with pytest.raises(ValueError, match=message):
        tw.SearchSpace(*args)


def test_a_keyword_given_twice():
    with pytest.raises(ValueError, match="given twice"):
        tw.SearchSpace({"x": tw.Float(0, 1)}, x=tw.Float(0, 2))
