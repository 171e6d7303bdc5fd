"""Shared, seeded, composable fixtures."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TUNEWIDGETS_CI", "1")

from threadpoolctl import threadpool_limits

import tunewidgets as tw

# One OpenMP thread for the estimators the tests fit (histogram gradient boosting):
# on two busy cores, OpenMP's spinning threads made one fit take tens of seconds.
threadpool_limits(limits=1, user_api="openmp")


@pytest.fixture
def mixed_space() -> tw.SearchSpace:
    """The SVC-like space of the README: log floats, a categorical and an int."""
    return tw.SearchSpace(
        {
            "C": tw.Float(1e-3, 1e3, log=True),
            "gamma": tw.Float(1e-4, 1.0, log=True),
            "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
            "degree": tw.Int(2, 5),
        }
    )


@pytest.fixture
def small_discrete_space() -> tw.SearchSpace:
    """A finite space of 6 configurations."""
    return tw.SearchSpace({"n": tw.Int(1, 3), "flag": tw.Categorical([True, False])})
