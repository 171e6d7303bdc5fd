"""Search path: where the search went in two chosen parameters, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..space import SearchSpace
from ._common import (
    BEST_COLOR,
    FADED,
    SCORE_COLORSCALE,
    AxisCoords,
    axis_coords,
    base_layout,
    best_index,
    cartesian_axis,
    check_param,
    check_trials,
    empty_figure,
    scores,
    state_counts,
    states,
    svg_if_small,
    title_with_counts,
)
from ._surrogate_grid import SurrogateGrid, surrogate_grid_2d

__all__ = ["plot_search_path"]

_OWNER = "plot_search_path"
_JITTER = 0.12  # spread of points around a category, in category widths
_MAX_PATH = 200  # with more trials, the path joins the last ones only (all would be a smear)


@dataclass(frozen=True)
class _SearchPathInfo:
    """The trials in order in plotted coordinates, and the surrogate behind them."""

    x: AxisCoords
    y: AxisCoords
    xs: np.ndarray  # drawn coordinates: real values on numeric axes, jittered index on categories
    ys: np.ndarray
    numbers: np.ndarray
    scores: np.ndarray
    states: np.ndarray
    best: int | None  # position of the best complete trial
    counts: dict[str, int]
    surface: SurrogateGrid | None


def _drawn(axis: AxisCoords, rng: np.random.Generator) -> np.ndarray:
    if axis.kind == "log":
        return 10.0**axis.values
    if axis.kind == "categorical":
        return axis.values + rng.uniform(-_JITTER, _JITTER, len(axis.values))
    return axis.values


def _get_search_path_info(
    trials: pd.DataFrame, space: SearchSpace, x: str, y: str, surrogate: Any
) -> _SearchPathInfo:
    check_param(space, x, "x", _OWNER)
    check_param(space, y, "y", _OWNER)
    numbers = trials["number"].to_numpy() if "number" in trials.columns else np.arange(len(trials))
    trials = trials.iloc[np.argsort(numbers, kind="stable")]
    ax, ay = axis_coords(space[x], trials, x), axis_coords(space[y], trials, y)
    rng = np.random.default_rng(0)  # the same jitter at every redraw
    best = best_index(trials)
    surface = None
    if surrogate is not None:
        base = None if best is None else trials.iloc[best]
        surface = surrogate_grid_2d(surrogate, space, ax, ay, base)
    return _SearchPathInfo(
        x=ax,
        y=ay,
        xs=_drawn(ax, rng),
        ys=_drawn(ay, rng),
        numbers=np.sort(numbers),
        scores=scores(trials),
        states=states(trials),
        best=best,
        counts=state_counts(trials),
        surface=surface,
    )


def _axis_layout(axis: AxisCoords) -> dict[str, Any]:
    return {"title": {"text": axis.name}, **cartesian_axis(axis)}


def _hover(info: _SearchPathInfo, what: str) -> str:
    """Trial number, the numeric coordinates (categories read off the axis) and ``what``."""
    parts = ["trial %{customdata}"]
    for axis, ref in ((info.x, "x"), (info.y, "y")):
        if axis.kind != "categorical":
            parts.append(f"{axis.name}=%{{{ref}:.4g}}")
    return "<br>".join([*parts, what]) + "<extra></extra>"


# how trials without a score are drawn
_OTHERS = {
    "pruned": {"color": FADED, "symbol": "x"},
    "failed": {"color": "rgba(214, 39, 40, 0.5)", "symbol": "x-thin-open"},
    "running": {"color": "rgba(255, 127, 14, 0.9)", "symbol": "circle-open"},
}


def _get_search_path_plot(info: _SearchPathInfo) -> go.Figure:
    title = f"Search path · {info.x.name} × {info.y.name}"
    if not len(info.numbers):
        return empty_figure("No trials yet: the search's path will be drawn here.", title)
    figure = go.Figure()
    if info.surface is not None:
        surface = info.surface
        kind = go.Heatmap if surface.discrete else go.Contour
        figure.add_trace(
            kind(
                x=surface.x,
                y=surface.y,
                z=surface.mean,
                colorscale="Greys",
                reversescale=True,
                opacity=0.45,
                showscale=False,
                name="surrogate mean",
                hovertemplate="predicted score %{z:.4g}<extra>surrogate</extra>",
                **(
                    {}
                    if surface.discrete
                    else {"contours": {"coloring": "heatmap"}, "line": {"width": 0.5}}
                ),
            )
        )
    many = len(info.numbers) > 300
    has_xy = np.isfinite(info.xs) & np.isfinite(info.ys)
    on_path = np.flatnonzero(has_xy)[-_MAX_PATH:]
    recent = "" if has_xy.sum() <= _MAX_PATH else f", last {_MAX_PATH}"
    figure.add_trace(
        go.Scattergl(
            x=info.xs[on_path],
            y=info.ys[on_path],
            mode="lines",
            name=f"path (trial order{recent})",
            line={"color": "rgba(90, 90, 90, 0.5)", "width": 1},
            hoverinfo="skip",
        )
    )
    numbers = info.numbers.astype(float)
    scored = has_xy & np.isfinite(info.scores) & (info.states == "complete")
    figure.add_trace(
        go.Scattergl(
            x=info.xs[scored],
            y=info.ys[scored],
            mode="markers",
            name="complete",
            customdata=numbers[scored],
            hovertemplate=_hover(info, "score %{marker.color:.4g}"),
            marker={
                "color": info.scores[scored],
                "colorscale": SCORE_COLORSCALE,
                "size": 5 if many else 9,
                "showscale": True,
                "colorbar": {"title": {"text": "score"}, "thickness": 14},
                "line": {"width": 0 if many else 0.5, "color": "white"},
            },
        )
    )
    for state in sorted(set(info.states[has_xy & ~scored].tolist())):
        mask = has_xy & ~scored & (info.states == state)
        figure.add_trace(
            go.Scattergl(
                x=info.xs[mask],
                y=info.ys[mask],
                mode="markers",
                name=state,
                customdata=numbers[mask],
                hovertemplate=_hover(info, state),
                marker={**_OTHERS.get(state, _OTHERS["pruned"]), "size": 5 if many else 8},
            )
        )
    if info.best is not None:
        b = info.best
        figure.add_trace(
            go.Scattergl(  # WebGL too, so that it is drawn over the other points
                x=[info.xs[b]],
                y=[info.ys[b]],
                mode="markers",
                name=f"best: trial {info.numbers[b]}",
                marker={
                    "color": BEST_COLOR,
                    "size": 16,
                    "symbol": "star",
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"best: trial {info.numbers[b]}<br>score {info.scores[b]:.4g}"
                "<extra></extra>",
            )
        )
    if info.surface is not None:
        title += "<br><span style='font-size:12px;color:#777'>behind: the surrogate's mean, "
        title += f"other parameters at {info.surface.fixed_at}</span>"
    else:
        title = title_with_counts(title, info.counts, ())
    base_layout(
        figure,
        title,
        xaxis=_axis_layout(info.x),
        yaxis=_axis_layout(info.y),
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"b": 80},
    )
    return figure


def plot_search_path(
    trials: pd.DataFrame,
    space: SearchSpace,
    x: str,
    y: str,
    *,
    surrogate: Any = None,
) -> go.Figure:
    """The trials in two chosen parameters, joined in the order they ran.

    Parameters
    ----------
    trials : pandas.DataFrame
        ``study.trials_dataframe()``.
    space : SearchSpace
        The space searched.
    x, y : str
        The parameters on the horizontal and vertical axes.
    surrogate : GPSurrogate, optional
        A Bayesian search's model (``strategy.surrogate``): its predicted mean
        is drawn behind the path, over ``x`` and ``y`` with the other parameters
        fixed at the best trial's values.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``Scattergl`` line through the trials in order, complete trials as
        ``Scattergl`` markers colored by score, failed, pruned and running ones
        as grey crosses, and the best trial as a star. Log-scaled parameters get
        log axes; categoricals are drawn at their choice's position (spread a
        little so points do not hide each other) with the choices' names as
        tick labels. With a surrogate, a ``Contour`` (a ``Heatmap`` where an
        axis is categorical) of its mean comes first.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a parameter of ``space``.

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> from tunewidgets.plots import plot_search_path
    >>> space = tw.SearchSpace({"lr": tw.Float(1e-4, 1.0, log=True), "depth": tw.Int(1, 8)})
    >>> trials = pd.DataFrame({"number": [0, 1, 2], "lr": [1e-3, 1e-2, 0.3],
    ...                        "depth": [2, 5, 7], "score": [0.6, 0.9, 0.7],
    ...                        "state": "complete"})
    >>> fig = plot_search_path(trials, space, "lr", "depth")
    >>> fig.layout.xaxis.type
    'log'
    >>> fig.data[-1].name, fig.data[-1].x[0]
    ('best: trial 1', 0.01)
    """
    check_trials(trials, _OWNER)
    return svg_if_small(
        _get_search_path_plot(_get_search_path_info(trials, space, x, y, surrogate))
    )
