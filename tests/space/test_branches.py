"""Spaces of branches, scipy.stats distributions, and choices of any value."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import SVC

import tunewidgets as tw

from ..strategies_hyp import branched_spaces, distribution_params, every_parameter

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SVM = [
    {"kernel": ["rbf"], "C": tw.Float(1e-2, 1e2, log=True), "gamma": stats.expon(scale=0.1)},
    {"kernel": ["poly"], "C": tw.Float(1e-2, 1e2, log=True), "degree": [2, 3]},
    {"kernel": ["linear"]},
]


def _same(param, a, b):
    if isinstance(param, tw.Distribution) and not param.discrete:  # cdf, then ppf
        return a == pytest.approx(b, rel=1e-6, abs=1e-9)
    if isinstance(param, tw.Float):
        return a == pytest.approx(b, rel=1e-7, abs=1e-9)
    if isinstance(param, tw.Categorical):
        return param.index(a) == param.index(b)
    return a == b


# -- properties --------------------------------------------------------------------
@SETTINGS
@given(space=branched_spaces(), seed=st.integers(0, 2**32 - 1))
def test_samples_lie_in_one_branch_and_round_trip(space, seed):
    for params in space.sample(seed, 8):
        assert space.contains(params)
        branch = space.branches[space.branch_index(params)]
        assert set(params) == set(branch)  # only that branch's parameters
        for onehot in (False, True):
            u = space.to_unit(params, onehot=onehot)
            assert u.shape == (space.n_features(onehot),)
            back = space.from_unit(u[None, :], onehot=onehot)[0]
            assert set(back) == set(params)
            assert all(_same(branch[k], back[k], params[k]) for k in params)


@SETTINGS
@given(space=branched_spaces(), u=st.lists(st.floats(-0.5, 1.5), min_size=40, max_size=40))
def test_every_point_of_the_cube_is_a_configuration_and_snaps_to_itself(space, u):
    U = np.resize(np.array(u), (4, space.n_features()))
    decoded = space.from_unit(U)
    assert all(space.contains(p) for p in decoded)
    snapped = space.snap(U)
    assert np.allclose(space.snap(snapped), snapped)
    again = space.from_unit(snapped)
    for a, b in zip(decoded, again, strict=True):
        branch = space.branches[space.branch_index(a)]
        assert set(a) == set(b) and all(_same(branch[k], a[k], b[k]) for k in a)
    assert np.allclose(space.unit_to_onehot(U), space.to_unit(decoded, onehot=True))


@SETTINGS
@given(space=branched_spaces())
def test_json_round_trip_of_a_space_of_branches(space):
    text = json.dumps(space.to_json())
    assert "pickle" not in text
    back = tw.SearchSpace.from_json(json.loads(text))
    assert back == space
    assert [b.names for b in back.branches] == [b.names for b in space.branches]


@SETTINGS
@given(
    space=branched_spaces(max_size=2),
    seed=st.integers(0, 1000),
    name=st.sampled_from(["grid", "random", "bayes", "evolution", "tpe"]),
)
def test_every_ask_lies_inside_one_branch(space, seed, name):
    options = {"resolution": 3} if name == "grid" else {}
    if name == "bayes":
        options = {"n_initial": 3, "n_candidates": 50}
    strategy = tw.make_strategy(name, space, seed=seed, **options)
    for i in range(6):
        try:
            params = strategy.ask()
        except tw.SearchComplete:
            break
        assert space.contains(params)
        assert set(params) == set(space.branches[space.branch_index(params)])
        strategy.tell(params, float(i % 3))


@SETTINGS
@given(param=every_parameter, seed=st.integers(0, 2**32 - 1))
def test_stored_values_round_trip_through_json(param, seed):
    space = tw.SearchSpace({"p": param})
    for params in space.sample(seed, 5):
        stored = json.loads(json.dumps(space.to_stored(params)))
        assert space.from_stored(stored)["p"] is space.check(params)["p"] or _same(
            param, space.from_stored(stored)["p"], params["p"]
        )
        # a space read back from JSON knows the stored values too
        loaded = tw.SearchSpace.from_json(json.loads(json.dumps(space.to_json())))
        assert loaded.contains(loaded.from_stored(stored))


@SETTINGS
@given(param=distribution_params(), q=st.floats(0.001, 0.999))
def test_a_distribution_is_searched_through_its_quantiles(param, q):
    value = param.decode(np.array([q]))[0]
    assert param.contains(value)
    assert value == pytest.approx(param.dist.ppf(q), rel=1e-9, abs=1e-9)
    assert param.decode(param.encode([value]))[0] == pytest.approx(value, rel=1e-6, abs=1e-9)


# -- examples ---------------------------------------------------------------------
def test_a_list_of_dicts_is_a_space_of_branches():
    space = tw.SearchSpace(SVM)
    assert space.names == ["kernel", "C", "gamma", "degree"]
    assert space["kernel"] == tw.Categorical(["rbf", "poly", "linear"])  # merged for views
    assert [b.names for b in space.branches] == [
        ["kernel", "C", "gamma"],
        ["kernel", "C", "degree"],
        ["kernel"],
    ]
    assert space.contains({"kernel": "linear"})
    assert not space.contains({"kernel": "linear", "C": 1.0})
    assert space.branch_index({"kernel": "poly", "C": 1.0, "degree": 3}) == 1
    with pytest.raises(ValueError, match="are those of no branch"):
        space.check({"kernel": "rbf", "degree": 2})
    with pytest.raises(ValueError, match="must be one of"):
        space.check({"kernel": "linear"} | {"kernel": "sigmoid"})
    assert space.size == math.inf
    assert tw.SearchSpace([{"a": [1, 2]}, {"b": ["x", "y", "z"]}, {}]).size == 6


def test_one_branch_is_a_plain_space():
    assert tw.SearchSpace([{"C": tw.Float(1, 2)}]) == tw.SearchSpace({"C": tw.Float(1, 2)})
    assert tw.SearchSpace([{}]).sample(0) == {}


def test_grid_of_branches_follows_scikit_learns_parameter_grid():
    from sklearn.model_selection import ParameterGrid

    grid = [{"a": [1, 2], "b": ["x", "y"]}, {"c": [True]}, {}]
    ours = list(tw.SearchSpace(grid).grid())
    assert ours == list(ParameterGrid(grid))
    assert tw.SearchSpace(grid).grid_size() == len(ParameterGrid(grid))


def test_bounded_distributions_become_floats_and_ints():
    assert tw.as_parameter(stats.uniform(1, 3)) == tw.Float(1.0, 4.0)
    assert tw.as_parameter(stats.loguniform(1e-3, 10)) == tw.Float(1e-3, 10.0, log=True)
    assert tw.as_parameter(stats.randint(2, 6)) == tw.Int(2, 5)
    assert isinstance(tw.as_parameter(stats.expon()), tw.Distribution)
    assert isinstance(tw.as_parameter(stats.poisson(3)), tw.Distribution)
    assert tw.Distribution(stats.poisson(3)).check(4.0) == 4
    with pytest.raises(ValueError, match="support"):
        tw.Distribution(stats.expon()).check(-1.0)
    with pytest.raises(ValueError, match="frozen scipy.stats distribution"):
        tw.Distribution(stats.expon)


def test_unknown_distribution_names_are_refused_not_imported():
    with pytest.raises(ValueError, match="scipy.stats has no distribution"):
        tw.space.parameter_from_json({"type": "distribution", "name": "os.system", "args": []})


def _any_values():
    """Choices of every kind, made fresh (a new session makes new objects)."""
    return [
        LogisticRegression(C=10),
        Ridge(),
        (1, 2),
        {"a": 1},
        np.arange(3),
        np.zeros(100),
        np.log,
        None,
        "x",
    ]


def test_choices_of_any_value_have_readable_stable_labels():
    choice = tw.Categorical(_any_values())
    labels = choice.labels
    assert labels[:6] == [
        "LogisticRegression(C=10)",
        "Ridge()",
        "(1, 2)",
        "{'a': 1}",
        "array([0, 1, 2])",
        labels[5],
    ]
    assert labels[5].startswith("array(shape=(100,), dtype=float64, sha1=")
    assert labels[6:] == ["numpy.log", "None", "x"]
    assert " at 0x" not in repr(tw.Categorical([object()]).labels)
    # the same values elsewhere get the same labels (a new session, a clone)
    again = tw.Categorical(_any_values())
    assert again.labels == labels and again == choice
    assert choice.check((1, 2)) == (1, 2) and choice.check("(1, 2)") == (1, 2)


def test_a_stored_space_holds_labels_never_objects():
    space = tw.SearchSpace({"model": [LogisticRegression(), SVC(C=3)], "k": [(1, 1), (1, 2)]})
    data = json.loads(json.dumps(space.to_json()))
    assert data["model"] == {
        "type": "categorical",
        "choices": ["LogisticRegression()", "SVC(C=3)"],
        "labels": [0, 1],
    }
    loaded = tw.SearchSpace.from_json(data)
    stand_in = loaded["model"].choices[1]
    assert isinstance(stand_in, tw.Label) and stand_in == "SVC(C=3)"
    assert loaded == space  # equal by labels: the real space may be given again
    params = {"model": space["model"].choices[1], "k": (1, 2)}
    assert space.to_stored(params) == {"model": "SVC(C=3)", "k": "(1, 2)"}
    assert space.from_stored({"model": "SVC(C=3)", "k": "(1, 2)"})["model"] is params["model"]


def test_repeated_choices_only_when_asked():
    with pytest.raises(ValueError, match="unique"):
        tw.Categorical([2, 2])
    repeated = tw.Categorical([2, 2, 3], unique=False)
    assert repeated.size == 2 and repeated.grid(5) == [2, 2, 3]
    assert tw.space.parameter_from_json(repeated.to_json()) == repeated


def test_a_name_must_keep_its_kind_across_branches():
    with pytest.raises(ValueError, match="choices in one branch and a range in another"):
        tw.SearchSpace([{"x": ["a", "b"]}, {"x": tw.Float(0, 1)}])
    merged = tw.SearchSpace([{"x": [1, 5]}, {"x": tw.Int(3, 9)}])["x"]
    assert merged == tw.Int(1, 9)
