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
