"""From ranges brushed on the parallel-coordinates axes back to a narrower search space."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..space import Categorical, Int, Parameter, SearchSpace, narrow_parameter
from ._common import ABSENT, axis_label

__all__ = ["parallel_ranges_to_space"]

Intervals = list[tuple[float, float]]


def _field(dimension: Any, key: str) -> Any:
    if isinstance(dimension, Mapping):
        return dimension.get(key)
    return getattr(dimension, key, None)


def _intervals(constraint: Any) -> Intervals:
    """Plotly's ``constraintrange``: ``[lo, hi]`` or a list of them; None/empty = not brushed."""
    if constraint is None:
        return []
    items = list(constraint)
    if not items:
        return []
    if not isinstance(items[0], Sequence | np.ndarray):
        items = [items]
    out = []
    for item in items:
        pair = [float(v) for v in item]
        if len(pair) == 2 and all(math.isfinite(v) for v in pair):
            out.append((min(pair), max(pair)))
    return out


def _read(dimensions: Any) -> dict[str, tuple[Intervals, np.ndarray | None]]:
    """``label -> (brushed intervals, plotted values or None)``."""
    if isinstance(dimensions, Mapping):
        return {str(k): (_intervals(v), None) for k, v in dimensions.items()}
    out = {}
    for dim in dimensions:
        values = _field(dim, "values")
        array = None if values is None else np.asarray(values, dtype=float)
        ticktext, tickvals = _field(dim, "ticktext"), _field(dim, "tickvals")
        if array is not None and ticktext is not None and len(ticktext) and ticktext[0] == ABSENT:
            array = np.where(np.isclose(array, float(tickvals[0])), np.nan, array)  # no value
        out[str(_field(dim, "label"))] = (_intervals(_field(dim, "constraintrange")), array)
    return out


def _inside(values: np.ndarray, intervals: Intervals) -> np.ndarray:
    tol = 1e-9
    hit = np.zeros(len(values), dtype=bool)
    for lo, hi in intervals:
        hit |= (values >= lo - tol) & (values <= hi + tol)
    return hit


def _to_real(param: Parameter, plotted: np.ndarray) -> list[Any]:
    """Plotted coordinates back to values (choices for a categorical; unknown indices dropped)."""
    if isinstance(param, Categorical):
        k = len(param.choices)
        return [param.choices[int(i)] for i in np.rint(plotted[np.isfinite(plotted)]) if 0 <= i < k]
    plotted = plotted[np.isfinite(plotted)]
    return list(10.0**plotted if param.log else plotted)  # type: ignore[attr-defined]


def _brushed(param: Parameter, intervals: Intervals) -> Parameter:
    """The part of ``param`` inside the brushed intervals (their hull for a number)."""
    lo = min(a for a, _ in intervals)
    hi = max(b for _, b in intervals)
    if isinstance(param, Categorical):
        index = np.arange(len(param.choices), dtype=float)
        chosen = [c for c, hit in zip(param.choices, _inside(index, intervals), strict=True) if hit]
        if not chosen:  # a brush between two ticks: the nearest choice
            middle = (intervals[0][0] + intervals[0][1]) / 2
            chosen = [param.choices[int(np.clip(round(middle), 0, len(param.choices) - 1))]]
        return narrow_parameter(param, chosen)
    ends = np.array([lo, hi])
    values = 10.0**ends if param.log else ends  # type: ignore[attr-defined]
    # a brush from 10**-1 reads 0.1, not the 0.09999999999999999 some numpy versions give
    values = np.array([float(f"{v:.12g}") for v in values])
    if not isinstance(param, Int):
        return narrow_parameter(param, values, margin=0.0)
    # an Int keeps the integers inside the brush (the nearest one if none is)
    inner = np.arange(math.ceil(values[0] - 1e-9), math.floor(values[1] + 1e-9) + 1)
    if not inner.size:
        inner = np.array([round(float(values.mean()))])
    return narrow_parameter(param, inner, margin=0.0)


def parallel_ranges_to_space(
    dimensions: Any, space: SearchSpace, *, margin: float = 0.0
) -> SearchSpace:
    """The narrower space selected by ranges brushed on a parallel-coordinates plot.

    Parameters
    ----------
    dimensions : sequence of plotly dimensions or dicts, or mapping
        The ``dimensions`` of the ``Parcoords`` trace drawn by
        :func:`plot_parallel_coordinates` as the browser reports them
        (``figure_widget.data[0].dimensions``): each has a ``label``, its
        ``values`` and, where the user brushed, a ``constraintrange`` — one
        ``[low, high]`` or a list of them, in plotted coordinates (log10 for log
        scales, choice indices for categoricals). A mapping ``label ->
        constraintrange`` is accepted too.
    space : SearchSpace
        The space the plot was drawn for.
    margin : float, default=0.0
        Padding added around ranges taken from the selected trials (see Notes),
        as for :func:`tunewidgets.narrow_space`.

    Returns
    -------
    SearchSpace
        The same parameters in the same order. A brushed numeric axis gives the
        range it covers (the hull of several brushes), converted back to real
        values and clipped to the original bounds; an ``Int`` keeps the integers
        inside the brush (and at least two values). A brushed categorical axis
        keeps the choices inside the brush. Unbrushed axes keep their domain.

    See Also
    --------
    tunewidgets.narrow_space : narrow around the best fraction of the trials.

    Notes
    -----
    A brush on the ``score`` axis selects trials rather than a range: when the
    dimensions carry their ``values``, every parameter whose own axis is not
    brushed is narrowed to the trials selected by all the brushes (brushing
    only the top of the score axis means "where the good trials are").

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> from tunewidgets.plots import parallel_ranges_to_space, plot_parallel_coordinates
    >>> space = tw.SearchSpace({"lr": tw.Float(1e-5, 1.0, log=True),
    ...                         "act": tw.Categorical(["relu", "tanh", "gelu"])})
    >>> trials = pd.DataFrame({"lr": [1e-4, 1e-2], "act": ["relu", "gelu"],
    ...                        "score": [0.7, 0.8], "state": "complete"})
    >>> fig = plot_parallel_coordinates(trials, space)
    >>> fig.data[0].dimensions[0].constraintrange = [-4, -2]   # 1e-4 to 1e-2
    >>> fig.data[0].dimensions[1].constraintrange = [0.5, 2.5]  # tanh, gelu
    >>> parallel_ranges_to_space(fig.data[0].dimensions, space)
    SearchSpace({
        'lr': Float(0.0001, 0.01, log=True),
        'act': Categorical(['tanh', 'gelu']),
    })
    """
    axes = _read(dimensions)
    if len(space.branches) > 1:
        return _branches_to_space(axes, space, margin)
    labels = {name: axis_label(name) for name in space}
    params: dict[str, Parameter] = {}
    for name, param in space.items():
        intervals, _ = axes.get(labels[name], ([], None))
        params[name] = _brushed(param, intervals) if intervals else param
    score_brush, _ = axes.get("score", ([], None))
    if not score_brush:
        return SearchSpace(params)
    # the trials that every brush selects, where the dimensions carry values
    with_values = {label: (iv, v) for label, (iv, v) in axes.items() if v is not None}
    lengths = {len(v) for _, v in with_values.values()}
    if "score" not in with_values or len(lengths) != 1:
        return SearchSpace(params)
    selected = np.ones(lengths.pop(), dtype=bool)
    for intervals, values in with_values.values():
        if intervals:
            selected &= _inside(values, intervals)
    if not selected.any():
        return SearchSpace(params)
    for name, param in space.items():
        intervals, values = with_values.get(labels[name], ([], None))
        if values is not None and not intervals:
            params[name] = narrow_parameter(param, _to_real(param, values[selected]), margin=margin)
    return SearchSpace(params)


def _within(branch_param: Parameter, narrowed: Parameter) -> Parameter | None:
    """The part of a branch's parameter inside a narrowed (merged) one; None if nothing."""
    if isinstance(branch_param, Categorical):
        kept = [c for c in branch_param.choices if narrowed.contains(c)]  # type: ignore[union-attr]
        return narrow_parameter(branch_param, kept) if kept else None
    low = max(narrowed.low, branch_param.low)  # type: ignore[attr-defined]
    high = min(narrowed.high, branch_param.high)  # type: ignore[attr-defined]
    if low > high:
        return None
    return narrow_parameter(branch_param, [low, high], margin=0.0)


def _branches_to_space(
    axes: dict[str, tuple[Intervals, np.ndarray | None]], space: SearchSpace, margin: float
) -> SearchSpace:
    """Brushes on the axes of a space of branches: each branch narrowed; emptied ones dropped."""
    selected = None
    score_brush, score_values = axes.get("score", ([], None))
    if score_brush and score_values is not None:
        selected = np.ones(len(score_values), dtype=bool)
        for intervals, values in axes.values():
            if intervals and values is not None and len(values) == len(selected):
                selected &= _inside(np.nan_to_num(values, nan=-np.inf), intervals)
    kept = []
    for branch in space.branches:
        params: dict[str, Parameter] = {}
        rows = selected.copy() if selected is not None else None
        for name, param in branch.items():
            intervals, values = axes.get(axis_label(name), ([], None))
            if rows is not None and values is not None and len(values) == len(rows):
                rows &= np.isfinite(values)  # only trials of this branch have a value here
            narrowed = _within(param, _brushed(space[name], intervals)) if intervals else param
            if narrowed is None:
                break
            params[name] = narrowed
        else:
            if rows is not None:
                if not rows.any() and len(branch):
                    continue  # no selected trial in this branch
                for name in params:
                    intervals, values = axes.get(axis_label(name), ([], None))
                    if values is not None and not intervals and len(values) == len(rows):
                        chosen = _to_real(space[name], values[rows])
                        params[name] = narrow_parameter(params[name], chosen, margin=margin)
            kept.append(params)
    return SearchSpace(kept) if kept else space
