"""Narrowing a space around the best trials, to continue a search there."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .._columns import param_column
from .._validation import check_real
from ._categorical import Categorical
from ._distribution import Distribution
from ._params import Float, Int, Parameter
from ._space import SearchSpace

__all__ = ["narrow_parameter", "narrow_space"]


def narrow_parameter(param: Parameter, values: Any, *, margin: float = 0.1) -> Parameter:
    """The part of ``param``'s domain that covers ``values``, padded by ``margin``.

    Parameters
    ----------
    param : Parameter
        The domain to narrow.
    values : array-like
        Values in the parameter's own units (choices for a categorical); missing
        ones and, for a categorical, values that are not choices are ignored.
    margin : float, default=0.1
        As for :func:`narrow_space`.

    Returns
    -------
    Parameter
        Of the same kind, never outside ``param``; ``param`` itself when no value
        is usable.
    """
    if isinstance(param, Categorical):
        seen = {
            param.index(v)
            for v in pd.Series(values, dtype=object)
            if v is not pd.NA and param.contains(v)
        }
        return Categorical([c for i, c in enumerate(param.choices) if i in seen]) if seen else param
    array = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    array = array[np.isfinite(array)]
    if param.log:  # type: ignore[attr-defined]
        array = array[array > 0]
    if not array.size:
        return param
    if isinstance(param, Distribution):  # narrowed to a uniform range over the values seen
        low, high = float(param.low), float(param.high)
        if param.discrete:
            return _narrow_numeric(Int(math.floor(low), math.ceil(high)), array, margin)
        return _narrow_numeric(Float(min(low, array.min()), max(high, array.max())), array, margin)
    return _narrow_numeric(param, array, margin)  # type: ignore[arg-type]


def _narrow_numeric(param: Float | Int, values: np.ndarray, margin: float) -> Parameter:
    values = np.clip(values, param.low, param.high)
    low, high = float(values.min()), float(values.max())
    scale = math.log if param.log else float
    unscale = math.exp if param.log else float
    lo, hi = scale(low), scale(high)
    if hi > lo:
        pad = margin * (hi - lo)
    else:  # all values equal: pad by a share of the whole range (a Float needs a width)
        share = max(margin, 0.05) if isinstance(param, Float) else margin
        pad = share * (scale(param.high) - scale(param.low))
    if pad > 0:
        low = max(unscale(lo - pad), param.low)
        high = min(unscale(hi + pad), param.high)
    if isinstance(param, Float):
        return Float(low, high, log=param.log) if low < high else param
    low_int, high_int = max(math.floor(low), param.low), min(math.ceil(high), param.high)
    if low_int == high_int:  # an Int needs two values: take the neighbour inside the range
        low_int, high_int = (
            (low_int, low_int + 1) if high_int < param.high else (low_int - 1, low_int)
        )
    return Int(int(low_int), int(high_int), log=param.log)


def narrow_space(
    space: SearchSpace,
    trials: Any,
    top_fraction: float = 0.2,
    *,
    margin: float = 0.1,
) -> SearchSpace:
    """A narrower space around the best complete trials, to continue a search there.

    Parameters
    ----------
    space : SearchSpace
        The space searched so far.
    trials : pandas.DataFrame or Study
        ``study.trials_dataframe()`` (or the Study itself): a ``score`` and a
        ``state`` column and one column per parameter.
    top_fraction : float, default=0.2
        Fraction of the complete trials to cover, the best first (at least one
        trial is always kept).
    margin : float, default=0.1
        Padding on each side of a numeric range, as a fraction of the top trials'
        span in the parameter's own scale. When they all share one value, the
        padding is ``margin`` of the whole range instead (at least 5% for a
        ``Float``, which needs a width; an ``Int`` keeps a neighbour).

    Returns
    -------
    SearchSpace
        The same parameters, in the same order: each numeric range shrunk to the
        top trials' values (log-scaled ones in log scale) plus the margin, never
        outside the original bounds; integer bounds rounded outwards (an ``Int``
        keeps at least two values); a categorical keeps the choices seen among the
        top trials. A parameter the top trials hold no value for keeps its domain.

    Raises
    ------
    ValueError
        If ``top_fraction`` is not in ``(0, 1]``, ``margin`` is negative, or there
        is no complete trial with a score.

    See Also
    --------
    tunewidgets.plots.parallel_ranges_to_space : narrow to ranges brushed on a plot.

    Notes
    -----
    Trials recorded before an earlier narrowing may lie outside ``space``: their
    values are clipped to it, so the result always fits inside ``space`` and a
    search continued in it keeps the same Study.

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"lr": tw.Float(1e-4, 1.0, log=True), "depth": tw.Int(1, 10)})
    >>> trials = pd.DataFrame({
    ...     "lr": [1e-4, 1e-3, 1e-2, 1e-1],
    ...     "depth": [1, 3, 4, 9],
    ...     "score": [0.1, 0.8, 0.9, 0.2],
    ...     "state": "complete",
    ... })
    >>> tw.narrow_space(space, trials, top_fraction=0.5, margin=0.0)
    SearchSpace({
        'lr': Float(0.001, 0.01, log=True),
        'depth': Int(3, 4),
    })
    """
    owner = "narrow_space"
    top_fraction = check_real(
        top_fraction, "top_fraction", owner=owner, low=0.0, high=1.0, low_inclusive=False
    )
    margin = check_real(margin, "margin", owner=owner, low=0.0)
    if hasattr(trials, "trials_dataframe"):
        trials = trials.trials_dataframe()
    if not isinstance(trials, pd.DataFrame):
        raise ValueError(
            "The 'trials' parameter of narrow_space must be a pandas DataFrame "
            f"(study.trials_dataframe()) or a Study. Got {type(trials).__name__} instead."
        )
    scores = np.full(len(trials), np.nan)
    if {"score", "state"} <= set(trials.columns):
        complete = (trials["state"] == "complete").to_numpy(dtype=bool)
        values = pd.to_numeric(trials["score"], errors="coerce").to_numpy(dtype=float)
        scores = np.where(complete, values, np.nan)
    n_complete = int(np.isfinite(scores).sum())
    if n_complete == 0:
        raise ValueError(
            "narrow_space needs at least one complete trial with a score to narrow around; "
            f"got {len(trials)} trial(s) and none complete. Run a few trials first."
        )
    n_top = max(1, math.ceil(top_fraction * n_complete - 1e-9))
    order = np.argsort(np.where(np.isfinite(scores), -scores, np.inf), kind="stable")
    top = trials.iloc[order[:n_top]]
    if len(space.branches) > 1:
        return _narrow_branches(space, top, margin)
    params: dict[str, Parameter] = {}
    for name, param in space.items():
        column = param_column(top, name)
        params[name] = (
            param if column is None else narrow_parameter(param, top[column], margin=margin)
        )
    return SearchSpace(params)


def _in_branch(branch: SearchSpace, frame: pd.DataFrame) -> np.ndarray:
    """Rows of ``frame`` that are configurations of ``branch``."""
    columns = {name: param_column(frame, name) for name in branch}
    if any(column is None for column in columns.values()):
        return np.zeros(len(frame), dtype=bool)
    inside = []
    for _, row in frame.iterrows():
        values = {name: row[column] for name, column in columns.items()}
        if any(v is pd.NA or (isinstance(v, float) and math.isnan(v)) for v in values.values()):
            inside.append(False)
            continue
        plain = {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}
        inside.append(branch.contains(plain))
    return np.array(inside, dtype=bool)


def _narrow_branches(space: SearchSpace, top: pd.DataFrame, margin: float) -> SearchSpace:
    """Each branch narrowed around its own top trials; branches without one are dropped."""
    kept = []
    for branch in space.branches:
        rows = top[_in_branch(branch, top)] if len(branch) else top.iloc[:0]
        if not len(rows) and len(branch):
            continue
        kept.append(
            {
                name: narrow_parameter(param, rows[param_column(rows, name)], margin=margin)
                for name, param in branch.items()
            }
        )
    return SearchSpace(kept) if kept else space
