"""What ``TuneSearchCV`` searches: a tunewidgets space, or scikit-learn's grids and distributions.

``param_grid`` is checked as ``GridSearchCV`` checks it and ``param_distributions``
as ``RandomizedSearchCV`` does, with the same messages and exception types. Either
(or ``space``) may be a dict or a list of dicts (branches); each dict's names are
sorted, as scikit-learn's ``ParameterGrid`` and ``ParameterSampler`` sort them,
so candidates come in scikit-learn's order. A list of values is a categorical
whose values may repeat (a repeated value is tried once per repeat).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .space import Categorical, Parameter, SearchSpace, as_parameter
from .space._distribution import is_distribution

__all__ = ["search_space_of"]


def _grid_value(key: str, value: Any) -> Parameter:
    """One value of ``param_grid``, checked as ``ParameterGrid`` checks it."""
    if isinstance(value, np.ndarray) and value.ndim > 1:
        raise ValueError(
            f"Parameter array for {key!r} should be one-dimensional, got: {value!r} with shape "
            f"{value.shape}"
        )
    if isinstance(value, Parameter):
        return value
    if isinstance(value, str) or not isinstance(value, np.ndarray | Sequence):
        raise TypeError(
            f"Parameter grid for parameter {key!r} needs to be a list or a numpy array, but got "
            f"{value!r} (of type {type(value).__name__}) instead. Single values need to be "
            "wrapped in a list with one element."
        )
    if len(value) == 0:
        raise ValueError(
            f"Parameter grid for parameter {key!r} need to be a non-empty sequence, got: {value!r}"
        )
    return Categorical(list(value), unique=False)


def _distribution_value(key: str, value: Any) -> Parameter:
    """One value of ``param_distributions``, checked as ``ParameterSampler`` checks it."""
    if isinstance(value, Parameter):
        return value
    if is_distribution(value):
        return as_parameter(value, key)
    if hasattr(value, "rvs"):
        raise TypeError(
            f"Parameter distribution for parameter {key!r} has an rvs method but is not a frozen "
            "scipy.stats distribution: tunewidgets searches a distribution through its quantile "
            f"function (ppf), so it needs one. Got {value!r}."
        )
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(
            f"Parameter grid for parameter {key!r} is not iterable or a distribution "
            f"(value={value})"
        )
    if isinstance(value, np.ndarray) and value.ndim > 1:
        raise ValueError(
            f"Parameter array for {key!r} should be one-dimensional, got: {value!r} with shape "
            f"{value.shape}"
        )
    values = list(value)
    if not values:
        raise ValueError(f"Parameter list for parameter {key!r} is empty: give at least one value.")
    return Categorical(values, unique=False)


def _space_value(key: str, value: Any) -> Parameter:
    """One value of ``space``: a tunewidgets parameter, or what scikit-learn would accept."""
    if isinstance(value, Parameter) or is_distribution(value):
        return as_parameter(value, key)
    if isinstance(value, np.ndarray | Sequence) and not isinstance(value, str):
        return _grid_value(key, value)
    return _distribution_value(key, value)


def _branches(given: Any, what: str, convert: Any) -> SearchSpace:
    kind = "grid" if what == "param_grid" else "distribution"
    if isinstance(given, SearchSpace):
        return given
    if not isinstance(given, Mapping | Iterable) or isinstance(given, str):
        raise TypeError(
            f"Parameter {kind} should be a dict or a list, got: {given!r} of type "
            f"{type(given).__name__}"
            if kind == "grid"
            else f"Parameter distribution is not a dict or a list, got: {given!r} of type "
            f"{type(given).__name__}"
        )
    dicts = [given] if isinstance(given, Mapping) else list(given)
    branches = []
    for branch in dicts:
        if isinstance(branch, SearchSpace) and len(branch.branches) == 1:
            branches.append(branch)
            continue
        if not isinstance(branch, Mapping):
            raise TypeError(
                f"Parameter grid is not a dict ({branch!r})"
                if kind == "grid"
                else f"Parameter distribution is not a dict ({branch!r})"
            )
        branches.append({key: convert(key, branch[key]) for key in sorted(branch)})
    if not branches:
        raise ValueError(f"{what} is an empty list: give at least one dict of parameters.")
    try:
        return SearchSpace(branches)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def search_space_of(space: Any, param_grid: Any, param_distributions: Any) -> SearchSpace | None:
    """The space to search, from whichever of the three arguments was given.

    Parameters
    ----------
    space : SearchSpace, dict, list of dicts or None
        tunewidgets parameters, lists or distributions.
    param_grid : dict, list of dicts or None
        As ``GridSearchCV``'s (lists of values).
    param_distributions : dict, list of dicts or None
        As ``RandomizedSearchCV``'s (lists or distributions).

    Returns
    -------
    SearchSpace or None
        None when none is given: the space is then inferred from the estimator.

    Raises
    ------
    ValueError, TypeError
        With scikit-learn's messages for scikit-learn's arguments, and when more
        than one of the three is given.
    """
    given = [
        name
        for name, value in (
            ("space", space),
            ("param_grid", param_grid),
            ("param_distributions", param_distributions),
        )
        if value is not None
    ]
    if not given:
        return None
    if len(given) > 1:
        raise ValueError(
            "TuneSearchCV: give one of 'space', 'param_grid' and 'param_distributions' "
            f"(what to search), or none to infer the space from the estimator. Got {given}."
        )
    if param_grid is not None:
        return _branches(param_grid, "param_grid", _grid_value)
    if param_distributions is not None:
        return _branches(param_distributions, "param_distributions", _distribution_value)
    return _branches(space, "space", _space_value)
