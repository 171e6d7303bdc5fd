"""Parallel coordinates: one line per trial across the parameters and the score."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .._validation import check_real
from ..space import SearchSpace
from ._common import (
    ABSENT,
    SCORE_COLORSCALE,
    AxisCoords,
    axis_coords,
    axis_label,
    base_layout,
    check_param,
    check_trials,
    complete_mask,
    empty_figure,
    format_value,
    scores,
    state_counts,
    title_with_counts,
)

__all__ = ["plot_parallel_coordinates"]

_OWNER = "plot_parallel_coordinates"
_LEFT_OUT = ("pruned", "failed", "running")


@dataclass(frozen=True)
class _ParallelInfo:
    """What the plot draws: the shown trials' axes and scores, and what was left out."""

    axes: tuple[AxisCoords, ...]  # one per parameter, values of the shown trials only
    labels: tuple[str, ...]  # axis labels, as matched by ``parallel_ranges_to_space``
    score: np.ndarray
    numbers: np.ndarray
    n_complete: int
    counts: dict[str, int]
    top_fraction: float | None
    color_range: tuple[float, float]  # cmin, cmax of the line colours
    n_clipped: int  # low outliers below cmin, drawn in the colour of cmin


def _color_range(score: np.ndarray) -> tuple[tuple[float, float], int]:
    """The colour range: from the lowest score inside Tukey's lower fence to the best score.

    A few disastrous trials (a diverged fit, a degenerate model) would otherwise
    stretch the colour scale so far down that every other trial gets the same
    colour. Scores below ``Q1 - 1.5 IQR`` (a box plot's lower whisker) share the
    lowest colour; the best trials are never clipped. With fewer than five trials,
    or when clipping would leave a single value, the range is the scores' full range.
    """
    if not len(score):
        return (0.0, 1.0), 0
    lo, hi = float(np.min(score)), float(np.max(score))
    if len(score) >= 5:
        q1, q3 = np.percentile(score, [25, 75])
        inside = score[score >= q1 - 1.5 * (q3 - q1)]
        floor = float(np.min(inside))
        if floor > lo and hi > floor:
            return (floor, hi), int(np.sum(score < floor))
    return (lo, hi), 0


def _colorbar(info: _ParallelInfo) -> dict[str, Any]:
    """The colour bar; when low outliers are clipped, its lowest tick reads "≤ value"."""
    colorbar: dict[str, Any] = {"title": {"text": "score"}, "thickness": 14}
    if not info.n_clipped:
        return colorbar
    lo, hi = info.color_range
    step = 10.0 ** math.floor(math.log10((hi - lo) / 4))
    step *= next(m for m in (1, 2, 5, 10) if (hi - lo) / (m * step) <= 5)
    ticks = np.arange(math.ceil(lo / step) * step, hi + 1e-9 * step, step)
    ticks = ticks[ticks - lo > 0.4 * step]  # room for the "≤" tick at the bottom
    colorbar.update(
        tickmode="array",
        tickvals=[lo, *ticks.tolist()],
        ticktext=[f"≤ {format_value(lo)}", *(format_value(t) for t in ticks)],
    )
    return colorbar


def _check_columns(columns: Sequence[str] | None, space: SearchSpace) -> list[str]:
    if columns is None:
        return space.names
    if isinstance(columns, str):
        columns = [columns]
    names = list(columns)
    for name in names:
        check_param(space, name, "columns", _OWNER)
    return list(dict.fromkeys(names))


def _get_parallel_info(
    trials: pd.DataFrame,
    space: SearchSpace,
    columns: Sequence[str] | None,
    top_fraction: float | None,
) -> _ParallelInfo:
    names = _check_columns(columns, space)
    if top_fraction is not None:
        top_fraction = check_real(
            top_fraction, "top_fraction", owner=_OWNER, low=0.0, high=1.0, low_inclusive=False
        )
    ok = complete_mask(trials)
    shown = trials[ok]
    score = scores(shown)
    if top_fraction is not None and len(shown):
        n_top = max(1, math.ceil(top_fraction * len(shown) - 1e-9))
        keep = np.sort(np.argsort(-score, kind="stable")[:n_top])  # keep trial order
        shown, score = shown.iloc[keep], score[keep]
    numbers = shown["number"].to_numpy() if "number" in shown.columns else np.arange(len(shown))
    axes = tuple(axis_coords(space[name], shown, name) for name in names)
    color_range, n_clipped = _color_range(score)
    return _ParallelInfo(
        axes=axes,
        labels=tuple(axis_label(name) for name in names),
        score=score,
        numbers=numbers,
        n_complete=int(ok.sum()),
        counts=state_counts(trials),
        top_fraction=top_fraction,
        color_range=color_range,
        n_clipped=n_clipped,
    )


def _dimension(axis: AxisCoords, label: str) -> dict[str, Any]:
    dim: dict[str, Any] = {"label": label, "values": axis.values, "range": list(axis.range)}
    if axis.tickvals is not None:
        dim["tickvals"] = list(axis.tickvals)
        dim["ticktext"] = list(axis.ticktext or ())
    missing = ~np.isfinite(np.asarray(axis.values, dtype=float))
    if missing.any():
        # trials of a branch without this parameter: drawn at an "absent" tick below the axis
        lo, hi = axis.range
        where = lo - 0.15 * ((hi - lo) or 2.0)
        dim["values"] = np.where(missing, where, axis.values)
        dim["range"] = [where, hi]
        if "tickvals" not in dim:
            ticks = np.linspace(lo, hi, 5)
            dim["tickvals"] = ticks.tolist()
            dim["ticktext"] = [format_value(v) for v in ticks]
        dim["tickvals"] = [where, *dim["tickvals"]]
        dim["ticktext"] = [ABSENT, *dim["ticktext"]]
    return dim


def _get_parallel_plot(info: _ParallelInfo) -> go.Figure:
    total = sum(info.counts.values())
    if not len(info.score):
        message = (
            "No trials yet: each complete trial will draw one line here."
            if total == 0
            else f"No complete trial yet ({total:,} so far): lines appear as trials complete."
        )
        return empty_figure(message, "Parallel coordinates")
    if info.top_fraction is not None:
        title = (
            f"Parallel coordinates · top {info.top_fraction:.0%}: {len(info.score):,} of "
            f"{info.n_complete:,} complete trials"
        )
    else:
        title = f"Parallel coordinates · {info.n_complete:,} complete trials"
    dimensions = [_dimension(a, label) for a, label in zip(info.axes, info.labels, strict=True)]
    lo, hi = float(np.min(info.score)), float(np.max(info.score))
    dimensions.append(
        {
            "label": "score",
            "values": info.score,
            "range": [lo, hi] if hi > lo else [lo - 0.5, hi + 0.5],
        }
    )
    trace = go.Parcoords(
        dimensions=dimensions,
        line={
            "color": info.score,
            "colorscale": SCORE_COLORSCALE,
            "cmin": info.color_range[0],
            "cmax": info.color_range[1],
            "showscale": True,
            "colorbar": _colorbar(info),
        },
        labelangle=-20 if len(dimensions) > 8 else 0,
        unselected={"line": {"opacity": 0.05}},
    )
    figure = go.Figure(trace)
    base_layout(
        figure,
        title_with_counts(title, info.counts, _LEFT_OUT),
        margin={"l": 70, "r": 40, "t": 125, "b": 40},
    )
    return figure


def plot_parallel_coordinates(
    trials: pd.DataFrame,
    space: SearchSpace,
    *,
    columns: Sequence[str] | None = None,
    top_fraction: float | None = None,
) -> go.Figure:
    """Parallel coordinates: one line per complete trial, across the parameters and the score.

    Parameters
    ----------
    trials : pandas.DataFrame
        ``study.trials_dataframe()``.
    space : SearchSpace
        The space searched: it sets each axis (log scale, choices, bounds).
    columns : sequence of str, optional
        The parameters to show, in this order (default: all of them). The score
        axis is always last.
    top_fraction : float, optional
        Show only the best fraction of the complete trials, e.g. ``0.1`` for
        the top 10% (at least one trial). ``None`` shows every complete trial.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Parcoords`` trace colored by score. The colour scale runs from
        the lowest score inside Tukey's lower fence (``Q1 - 1.5 IQR``) to the
        best: a few very low scores share the lowest colour instead of
        flattening every other trial into one, and the colour bar's lowest
        tick then reads "≤ value" (the score axis still spans every score).
        Log-scaled parameters are plotted as ``log10`` of the value with tick
        labels in real values;
        categoricals are plotted as choice indices labelled with the choices'
        names; a trial whose branch lacks a parameter is drawn at that axis's
        ``absent`` tick. Axis labels are the parameters' names (``param_``-prefixed as in
        the DataFrame on a clash with a reserved column) and ``"score"``.
        Pruned, failed and running trials are not drawn; the title says how
        many. Without complete trials: an empty figure with a note.

    Raises
    ------
    ValueError
        If ``columns`` names an unknown parameter or ``top_fraction`` is not in
        ``(0, 1]``.

    See Also
    --------
    parallel_ranges_to_space : the space selected by ranges brushed on the axes.

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> from tunewidgets.plots import plot_parallel_coordinates
    >>> space = tw.SearchSpace({"C": tw.Float(1e-3, 1e3, log=True),
    ...                         "kernel": tw.Categorical(["rbf", "poly"])})
    >>> trials = pd.DataFrame({"number": [0, 1, 2], "C": [0.01, 1.0, 100.0],
    ...                        "kernel": ["rbf", "poly", "rbf"],
    ...                        "score": [0.5, 0.9, float("nan")],
    ...                        "state": ["complete", "complete", "failed"]})
    >>> fig = plot_parallel_coordinates(trials, space)
    >>> [d.label for d in fig.data[0].dimensions]
    ['C', 'kernel', 'score']
    >>> fig.data[0].dimensions[0].ticktext
    ('0.001', '0.01', '0.1', '1', '10', '100', '1000')
    >>> fig.data[0].dimensions[1].ticktext
    ('rbf', 'poly')

    In a space of branches, a trial's line crosses the axis of a parameter its
    branch lacks at the tick labelled ``absent``, below the axis's range.
    """
    check_trials(trials, _OWNER)
    return _get_parallel_plot(_get_parallel_info(trials, space, columns, top_fraction))
