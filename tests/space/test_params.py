from __future__ import annotations

import math

import numpy as np
import pytest

import tunewidgets as tw


def test_float_log_encoding_is_linear_in_the_exponent():
    p = tw.Float(1e-3, 1e3, log=True)
    assert p.encode([1e-3, 1.0, 1e3]).tolist() == pytest.approx([0.0, 0.5, 1.0])
    assert p.decode(np.array([0.0, 0.5, 1.0])) == pytest.approx([1e-3, 1.0, 1e3])


def test_decode_clips_into_the_domain():
    assert tw.Float(0.0, 1.0).decode(np.array([-3.0, 7.0])) == [0.0, 1.0]
    assert tw.Int(2, 5).decode(np.array([-1.0, 2.0])) == [2, 5]


def test_int_bins_are_fair():
    p = tw.Int(0, 3)
    values = p.sample(np.random.default_rng(0), 40_000)
    counts = np.bincount(values)
    assert counts.min() / counts.max() > 0.95
    assert p.decode(p.encode([0, 1, 2, 3])) == [0, 1, 2, 3]


def test_int_log_round_trip():
    p = tw.Int(1, 1000, log=True)
    values = list(range(1, 1001))
    assert p.decode(p.encode(values)) == values


def test_int_accepts_integral_floats_but_not_fractions():
    p = tw.Int(1, 5)
    assert p.check(3.0) == 3 and type(p.check(3.0)) is int
    with pytest.raises(ValueError, match=r"Parameter 'n' must be an int in \[1, 5\]. Got 2.5"):
        p.check(2.5, "n")


def test_categorical_values_of_every_plain_type():
    p = tw.Categorical(["a", 1, 2.5, True, None])
    assert p.decode_onehot(p.encode_onehot(list(p.choices))) == list(p.choices)
    assert p.index(True) == 3 and p.index(1) == 1
    assert p.check(np.int64(1)) == 1
    assert not p.contains(False)


def test_categorical_true_is_not_one():
    p = tw.Categorical([1, True])
    assert p.index(True) == 1


def test_grids():
    assert tw.Float(0.0, 1.0).grid(3) == [0.0, 0.5, 1.0]
    assert tw.Float(1.0, 100.0, log=True).grid(3) == pytest.approx([1.0, 10.0, 100.0])
    assert tw.Int(1, 100, log=True).grid(3) == [1, 10, 100]
    assert tw.Categorical(["a", "b"]).grid(9) == ["a", "b"]


def test_reprs():
    assert repr(tw.Float(0.0, 1.0)) == "Float(0.0, 1.0)"
    assert repr(tw.Int(2, 5, log=True)) == "Int(2, 5, log=True)"
    assert repr(tw.Categorical(["a", None])) == "Categorical(['a', None])"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: tw.Float(1.0, 1.0), r"Float: 'low' must be < 'high'. Got low=1.0, high=1.0"),
        (lambda: tw.Float(2.0, 1.0), "'low' must be < 'high'"),
        (lambda: tw.Float(0.0, 1.0, log=True), r"log=True needs 'low' > 0.*Got low=0.0"),
        (lambda: tw.Float(-1.0, 1.0, log=True), "log=True needs 'low' > 0"),
        (lambda: tw.Float(0.0, math.inf), "Float: 'high' must be finite. Got inf"),
        (lambda: tw.Float(math.nan, 1.0), "'low' must be finite"),
        (lambda: tw.Float("0", 1.0), "'low' must be a finite number"),
        (lambda: tw.Int(0.5, 3), "Int: 'low' must be an int .*Got 0.5"),
        (lambda: tw.Int(1, 3.0), "'high' must be an int"),
        (lambda: tw.Int(0, 3, log=True), "log=True needs 'low' > 0"),
        (lambda: tw.Int(3, 3), "'low' must be < 'high'"),
        (lambda: tw.Int(True, 3), "'low' must be an int"),
        (lambda: tw.Categorical([]), "at least one choice"),
        (lambda: tw.Categorical(["a", "b", "a"]), "unique, but 'a' appears more than once"),
        (lambda: tw.Categorical([1, 1.0]), "unique"),
        (lambda: tw.Categorical(np.ones((2, 2))), "must be one-dimensional"),
        (lambda: tw.Categorical([(1, 2), (1, 2)]), r"unique, but \(1, 2\) appears"),
        (lambda: tw.Categorical("abc"), "'choices' must be a list"),
    ],
)
def test_invalid_parameters_say_what_is_allowed(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_parameter_json_round_trip():
    for p in [tw.Float(1e-3, 1.0, log=True), tw.Int(1, 9), tw.Categorical(["a", None, 2])]:
        assert tw.space.parameter_from_json(p.to_json()) == p
    with pytest.raises(ValueError, match="Unknown parameter description"):
        tw.space.parameter_from_json({"type": "complex"})


def test_nan_and_inf_are_choices_as_in_scikit_learns_grids():
    # SimpleImputer(missing_values=np.nan) is searched as [np.nan] in scikit-learn's grids
    choices = tw.Categorical([math.nan, 1.0, math.inf, -math.inf])
    assert choices.index(float("nan")) == 0  # any nan, not only the same object
    assert choices.index(math.inf) == 2
    assert choices.labels == ["nan", "1.0", "inf", "-inf"]
    space = tw.SearchSpace({"v": choices})
    assert tw.SearchSpace.from_json(space.to_json()) == space
    assert math.isnan(choices.decode(choices.encode([math.nan]))[0])
    with pytest.raises(ValueError, match="unique"):
        tw.Categorical([math.nan, float("nan")])
