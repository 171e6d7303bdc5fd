"""Hypothesis strategies for tunewidgets' own types (valid and invalid spaces, params in them).

Composable, with their own parameters as strategies, after ``xarray.testing.strategies``.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

import tunewidgets as tw

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
choice_values = st.one_of(
    st.text(max_size=5),
    st.integers(-100, 100),
    st.floats(-100, 100, allow_nan=False),
    st.booleans(),
    st.none(),
)


@st.composite
def floats_params(draw, log: st.SearchStrategy[bool] = st.booleans()) -> tw.Float:
    use_log = draw(log)
    if use_log:
        low = draw(st.floats(1e-6, 1e3))
        high = low * draw(st.floats(1.001, 1e6))
    else:
        low = draw(finite)
        high = low + draw(st.floats(1e-3, 1e6))
    return tw.Float(low, high, log=use_log)


@st.composite
def int_params(draw, log: st.SearchStrategy[bool] = st.booleans()) -> tw.Int:
    use_log = draw(log)
    low = draw(st.integers(1, 1000) if use_log else st.integers(-1000, 1000))
    high = low + draw(st.integers(1, 10_000))
    return tw.Int(low, high, log=use_log)


def _unique_key(v):
    return (
        ("bool", v)
        if isinstance(v, bool)
        else ("none",)
        if v is None
        else (("str", v) if isinstance(v, str) else ("num", float(v)))
    )


@st.composite
def categorical_params(draw, size: st.SearchStrategy[int] = st.integers(1, 6)) -> tw.Categorical:
    n = draw(size)
    choices = draw(st.lists(choice_values, min_size=n, max_size=n, unique_by=_unique_key))
    return tw.Categorical(choices)


parameters = st.one_of(floats_params(), int_params(), categorical_params())


@st.composite
def search_spaces(
    draw, params: st.SearchStrategy = parameters, max_size: int = 5
) -> tw.SearchSpace:
    keys = draw(st.lists(names, min_size=1, max_size=max_size, unique=True))
    return tw.SearchSpace({k: draw(params) for k in keys})


@st.composite
def invalid_numeric(draw) -> tuple[type, dict, str]:
    """Constructor arguments that must be rejected, and a regex of the message."""
    kind = draw(st.sampled_from([tw.Float, tw.Int]))
    case = draw(st.sampled_from(["order", "log", "nonfinite", "nonint"]))
    if case == "order":
        low = draw(st.integers(-100, 100))
        high = low - draw(st.integers(0, 100))
        return kind, {"low": low, "high": high}, "'low' must be < 'high'"
    if case == "log":
        low = draw(st.integers(-100, 0))
        return kind, {"low": low, "high": 10, "log": True}, "log=True needs 'low' > 0"
    if case == "nonfinite":
        bad = draw(st.sampled_from([math.inf, -math.inf, math.nan]))
        return kind, {"low": 0, "high": bad}, "'high' must be (finite|an int)"
    value = draw(st.floats(0.1, 0.9))
    return tw.Int, {"low": value, "high": 10}, "'low' must be an int"


@st.composite
def distribution_params(draw) -> tw.Distribution:
    """A frozen scipy.stats distribution searched through its quantile function."""
    from scipy import stats

    kind = draw(st.sampled_from(["norm", "expon", "gamma", "poisson", "geom"]))
    scale = draw(st.floats(0.1, 100.0))
    if kind == "norm":
        dist = stats.norm(loc=draw(st.floats(-100, 100)), scale=scale)
    elif kind == "expon":
        dist = stats.expon(scale=scale)
    elif kind == "gamma":
        dist = stats.gamma(draw(st.floats(0.5, 5.0)), scale=scale)
    elif kind == "poisson":
        dist = stats.poisson(draw(st.floats(0.5, 50.0)))
    else:
        dist = stats.geom(draw(st.floats(0.05, 0.9)))
    return tw.Distribution(dist)


#: Choices that JSON cannot hold: stored by their labels.
object_choices = st.sampled_from(
    [(1, 1), (1, 2), ("a", None), {"x": 1}, {"x": [1, 2]}, math.log, len, frozenset({1, 2})]
)


@st.composite
def object_categorical_params(draw, size: st.SearchStrategy[int] = st.integers(1, 4)):
    """A categorical mixing plain values and objects (tuples, dicts, functions)."""
    n = draw(size)
    plain = draw(st.lists(choice_values, max_size=2, unique_by=_unique_key))
    objects = draw(st.lists(object_choices, min_size=1, max_size=n, unique_by=repr))
    return tw.Categorical(plain + objects)


every_parameter = st.one_of(
    floats_params(),
    int_params(),
    categorical_params(),
    distribution_params(),
    object_categorical_params(),
)


@st.composite
def branched_spaces(draw, max_branches: int = 4, max_size: int = 3) -> tw.SearchSpace:
    """A space of branches (a list of dicts): names may repeat across branches."""
    n = draw(st.integers(2, max_branches))
    pool = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    kinds: dict[str, str] = {}
    branches = []
    for _ in range(n):
        keys = draw(st.lists(st.sampled_from(pool), max_size=max_size, unique=True))
        branch = {}
        for key in keys:
            # a name is choices in every branch or numbers in every branch
            kind = kinds.setdefault(key, draw(st.sampled_from(["number", "choice"])))
            if kind == "number":
                branch[key] = draw(st.one_of(floats_params(), int_params(), distribution_params()))
            else:
                branch[key] = draw(st.one_of(categorical_params(), object_categorical_params()))
        branches.append(branch)
    return tw.SearchSpace(branches)
