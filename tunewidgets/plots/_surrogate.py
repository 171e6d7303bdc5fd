"""The surrogate along one parameter: the teaching view of Bayesian optimization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .._validation import check_choice
from ..space import SearchSpace
from ._common import (
    BEST_COLOR,
    AxisCoords,
    axis_coords,
    base_layout,
    best_index,
    cartesian_axis,
    check_param,
    check_trials,
    complete_mask,
    empty_figure,
    scores,
    svg_if_small,
)
from ._surrogate_grid import (
    MISSING,
    base_params,
    branch_parameter,
    encode_sweep,
    model_values,
    sweep_values,
)

__all__ = ["plot_surrogate"]

_OWNER = "plot_surrogate"
_RESOLUTION = 200
_NAMES = {
    "ei": "expected improvement",
    "pi": "probability of improvement",
    "ucb": "upper confidence bound",
}
_MEAN_COLOR = "#1f77b4"
_BAND_COLOR = "rgba(31, 119, 180, 0.18)"
_ACQ_COLOR = "#2ca02c"


@dataclass(frozen=True)
class _SurrogateInfo:
    """The model along one parameter, the trials, and the next point."""

    axis: AxisCoords  # the parameter's axis (``values``: complete trials' coordinates)
    grid: np.ndarray  # real values, or choice indices for a categorical
    mean: np.ndarray
    std: np.ndarray
    acquisition: np.ndarray
    acquisition_name: str
    incumbent: float  # the score the acquisition tries to beat, on the model's scale
    warped: bool  # whether the model's scale differs from the score's
    observed_x: np.ndarray
    observed_y: np.ndarray  # on the model's scale
    observed_score: np.ndarray  # as told
    n_params: int
    next_x: float | None
    next_mean: float | None
    next_acquisition: float | None
    fixed: dict[str, Any]  # the values of the other parameters
    fixed_at: str


def _drawn(axis: AxisCoords, values: np.ndarray) -> np.ndarray:
    return 10.0**values if axis.kind == "log" else values


def _get_surrogate_info(
    trials: pd.DataFrame, space: SearchSpace, surrogate: Any, param: str, fixed: str
) -> _SurrogateInfo | str:
    """The info record, or a message saying why there is nothing to draw."""
    if surrogate is None:
        return (
            "No surrogate yet: a Bayesian search fits its model of the score after two "
            "complete trials, and it is drawn here."
        )
    model_space: SearchSpace = surrogate.space
    if param not in model_space:
        return f"The surrogate does not model {param!r}; it models {model_space.names!r}."
    done = trials[complete_mask(trials)]
    axis = axis_coords(space[param], done, param)
    grid = sweep_values(space[param], axis, _RESOLUTION)
    next_params = surrogate.next_params
    best = best_index(done)
    needs = (param,)
    if fixed == "next" and next_params is not None:
        base = base_params(model_space, next_params, needs)
        fixed_at = "the next point's values"
    elif best is not None:
        base = base_params(model_space, done.iloc[best], needs)
        fixed_at = "the best trial's values"
    else:
        base, fixed_at = base_params(model_space, None, needs), "mid-range values"
    if param not in base:
        return f"No branch of the space both holds {param!r} and has been tried."
    # in a space of branches: the sweep stays in the branch of the point fixed
    values = model_values(branch_parameter(model_space, base, param), axis, grid)
    known = np.array([v is not MISSING for v in values])
    # the sweep and the next point in one batch: one prediction, one acquisition call
    sweep = [v for v, k in zip(values, known, strict=True) if k]
    Z = encode_sweep(model_space, base, {param: sweep}, len(sweep))
    has_next = next_params is not None and param in next_params
    if has_next:
        Z = np.vstack([Z, encode_sweep(model_space, dict(next_params), {}, 1)])
    mean, std, acq = (np.full(len(grid), np.nan) for _ in range(3))
    next_x = next_mean = next_acq = None
    if len(Z):
        # the model's own scale: where the acquisition is computed, so the band and the
        # acquisition under it tell the same story
        batch_mean, batch_std = surrogate.predict_model_encoded(Z)
        batch_acq = surrogate.acquisition_encoded(Z)
        n = len(sweep)
        mean[known], std[known], acq[known] = batch_mean[:n], batch_std[:n], batch_acq[:n]
        if has_next:
            next_mean, next_acq = float(batch_mean[n]), float(batch_acq[n])
            point = axis_coords(space[param], pd.DataFrame({param: [next_params[param]]}), param)
            next_x = float(_drawn(axis, point.values)[0])
    return _SurrogateInfo(
        axis=axis,
        grid=grid,
        mean=mean,
        std=std,
        acquisition=acq,
        acquisition_name=str(surrogate.acquisition),
        incumbent=float(surrogate.to_model_scale([surrogate.incumbent])[0]),
        warped=surrogate.warping is not None,
        observed_x=_drawn(axis, axis.values),
        observed_y=surrogate.to_model_scale(scores(done)),
        observed_score=scores(done),
        n_params=len(model_space),
        next_x=next_x,
        next_mean=next_mean,
        next_acquisition=next_acq,
        fixed={k: v for k, v in base.items() if k != param},
        fixed_at=fixed_at,
    )


_TOP = {"xaxis": "x", "yaxis": "y"}
_BOTTOM = {"xaxis": "x2", "yaxis": "y2"}


def _model_traces(info: _SurrogateInfo) -> list[Any]:
    if info.axis.kind == "categorical":
        return [
            go.Scatter(
                x=info.grid,
                y=info.mean,
                mode="markers",
                name="mean ± 2 std",
                **_TOP,
                marker={
                    "color": _MEAN_COLOR,
                    "size": 11,
                    "symbol": "line-ew-open",
                    "line": {"width": 3},
                },
                error_y={"type": "data", "array": 2 * info.std, "color": _MEAN_COLOR},
            ),
            go.Bar(
                x=info.grid,
                y=info.acquisition,
                name=info.acquisition_name.upper(),
                **_BOTTOM,
                marker_color=_ACQ_COLOR,
                width=0.5,
            ),
        ]
    return [
        go.Scatter(
            x=info.grid,
            y=info.mean + 2 * info.std,
            mode="lines",
            line={"width": 0},
            **_TOP,
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=info.grid,
            y=info.mean - 2 * info.std,
            mode="lines",
            line={"width": 0},
            **_TOP,
            fill="tonexty",
            fillcolor=_BAND_COLOR,
            name="mean ± 2 std",
            hoverinfo="skip",
        ),
        go.Scatter(
            x=info.grid,
            y=info.mean,
            mode="lines",
            name="predicted mean",
            **_TOP,
            line={"color": _MEAN_COLOR, "width": 2},
            hovertemplate="%{x:.4g}: %{y:.4g}<extra>mean</extra>",
        ),
        go.Scatter(
            x=info.grid,
            y=info.acquisition,
            mode="lines",
            name=info.acquisition_name.upper(),
            line={"color": _ACQ_COLOR, "width": 2},
            fill="tozeroy",
            **_BOTTOM,
            fillcolor="rgba(44, 160, 44, 0.12)",
            hovertemplate="%{x:.4g}: %{y:.4g}<extra>acquisition</extra>",
        ),
    ]


def _span(*arrays: np.ndarray) -> tuple[float, float]:
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)


def _next_traces(info: _SurrogateInfo) -> list[Any]:
    """The next point: a star on the mean and on the acquisition, on a dotted vertical line."""
    if info.next_x is None:
        return []
    star = {
        "color": BEST_COLOR,
        "size": 15,
        "symbol": "star",
        "line": {"color": "white", "width": 1},
    }
    dotted = {"color": BEST_COLOR, "width": 1, "dash": "dot"}
    top = _span(info.mean - 2 * info.std, info.mean + 2 * info.std, info.observed_y)
    bottom = _span(info.acquisition, np.zeros(1))
    x = [info.next_x, info.next_x]
    return [
        go.Scatter(
            x=x,
            y=top,
            mode="lines",
            line=dotted,
            showlegend=False,
            hoverinfo="skip",
            legendgroup="next",
            **_TOP,
        ),
        go.Scatter(
            x=x,
            y=bottom,
            mode="lines",
            line=dotted,
            showlegend=False,
            hoverinfo="skip",
            legendgroup="next",
            **_BOTTOM,
        ),
        go.Scattergl(  # WebGL like the trials' markers, so that it is drawn over them
            x=[info.next_x],
            y=[info.next_mean],
            mode="markers",
            name="next point",
            marker=star,
            legendgroup="next",
            **_TOP,
            hovertemplate="next: %{x:.4g}<br>predicted %{y:.4g}<extra></extra>",
        ),
        go.Scattergl(  # WebGL like the trials' markers, so that it is drawn over them
            x=[info.next_x],
            y=[info.next_acquisition],
            mode="markers",
            name="next point",
            marker=star,
            legendgroup="next",
            showlegend=False,
            **_BOTTOM,
            hovertemplate="next: %{x:.4g}<br>acquisition %{y:.4g}<extra></extra>",
        ),
    ]


def _incumbent_trace(info: _SurrogateInfo) -> go.Scatter:
    """The incumbent as a dashed horizontal line: EI and PI count what lies above it."""
    grid = info.grid if info.axis.kind == "categorical" else info.grid[[0, -1]]
    return go.Scatter(
        x=list(grid),
        y=[info.incumbent] * len(grid),
        mode="lines",
        name="best so far (f*)",
        line={"color": BEST_COLOR, "width": 1, "dash": "dash"},
        **_TOP,
        hovertemplate="f* = %{y:.4g}<extra></extra>",
    )


def _get_surrogate_plot(info: _SurrogateInfo) -> go.Figure:
    observed = go.Scattergl(
        x=info.observed_x,
        y=info.observed_y,
        mode="markers",
        name="trials" if info.n_params == 1 else "trials (others vary)",
        marker={"color": "#333", "size": 6, "opacity": 0.6},
        **_TOP,
        customdata=info.observed_score,
        hovertemplate="%{x:.4g}: score %{customdata:.4g}<extra>trial</extra>",
    )
    figure = go.Figure(
        [*_model_traces(info), _incumbent_trace(info), observed, *_next_traces(info)]
    )
    name = info.axis.name
    acq = _NAMES.get(info.acquisition_name, info.acquisition_name)
    others = "" if info.n_params == 1 else f"; other parameters at {info.fixed_at}"
    scale = (
        "on the model's scale (scores above the median as they are, below it log-compressed)"
        if info.warped
        else "in score units"
    )
    title = (
        f"Surrogate along {name}<br><span style='font-size:12px;color:#777'>Gaussian-process "
        f"mean ± 2 std {scale}, and {acq}{others}</span>"
    )
    ytitle = "score (model scale)" if info.warped else "score"
    xaxis = cartesian_axis(info.axis)
    base_layout(
        figure,
        title,
        # two rows sharing the x axis: the model on top, the acquisition under it
        xaxis={**xaxis, "anchor": "y", "matches": "x2", "showticklabels": False},
        yaxis={"domain": [0.36, 1.0], "title": {"text": ytitle}},
        xaxis2={**xaxis, "anchor": "y2", "title": {"text": name}},
        yaxis2={
            "domain": [0.0, 0.28],
            "rangemode": "tozero",
            "title": {"text": info.acquisition_name.upper()},
        },
        margin={"t": 90},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="closest",
    )
    return figure


def plot_surrogate(
    trials: pd.DataFrame,
    space: SearchSpace,
    surrogate: Any,
    param: str,
    *,
    fixed: str = "next",
) -> go.Figure:
    """A Bayesian search's model along one parameter, with its acquisition function under it.

    This is the teaching view of Bayesian optimization: what the search believes
    about the score (the Gaussian process's mean and uncertainty), how much it
    wants to try each point (the acquisition function, high where the mean is
    high or the uncertainty large), and the point it will try next.

    Parameters
    ----------
    trials : pandas.DataFrame
        ``study.trials_dataframe()``.
    space : SearchSpace
        The space searched.
    surrogate : GPSurrogate or None
        ``strategy.surrogate`` of a :class:`~tunewidgets.BayesianSearch`; None
        (no model yet) gives an empty figure with a note.
    param : str
        The parameter along which to draw the model.
    fixed : {"next", "best"}, default="next"
        Where the other parameters are held: at the next point
        (``surrogate.next_params``, so the acquisition's curve passes through
        it), or at the best trial. Falls back to the best trial, then to
        mid-range values, when that point is unknown.

    Returns
    -------
    plotly.graph_objects.Figure
        Two rows sharing the x axis (a log axis for a log-scaled parameter,
        the choices' names for a categorical). Top: the mean as a line in a band
        of ± 2 standard deviations (markers with error bars for a categorical),
        the best score so far (the incumbent ``f*`` the acquisition tries to
        beat) as a dashed line, and the complete trials (``Scattergl``) at their
        value of ``param`` — with several parameters their others differ, so
        they need not sit on the curve. Bottom: the acquisition function. The
        next point is a star in both, on a dotted vertical line.

    Notes
    -----
    The top row is drawn on the model's own scale, the warped scale of
    :class:`~tunewidgets.BayesianSearch` (scores above the median as they are,
    below it log-compressed; see ``GPSurrogate.to_model_scale``), and the
    trials and the incumbent are mapped to it. That is where the Gaussian
    process is Gaussian and where the acquisition is computed: EI and PI
    weigh the part of the band above the dashed line, UCB the band's top, so
    the band and the acquisition under it always agree. Mapped back to score
    units the band would no longer be ± 2 standard deviations of anything
    (the map stretches the lower tail), and a band widened by the map where
    the mean is low would suggest an uncertainty the search does not act on.
    Above the median score the two scales coincide: the good region, where
    the search looks, reads in score units. ``predict_quantiles`` of
    :class:`~tunewidgets.BayesianSearch` gives the model's belief in score
    units.

    Raises
    ------
    ValueError
        If ``param`` is not a parameter of ``space``, or ``fixed`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> from tunewidgets.plots import plot_surrogate
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "y": tw.Float(0.0, 1.0)})
    >>> bo = tw.BayesianSearch(space, seed=0, n_initial=3)
    >>> rows = []
    >>> for number in range(6):
    ...     params = bo.ask()
    ...     score = -(params["x"] - 0.3) ** 2 - params["y"]
    ...     bo.tell(params, score)
    ...     rows.append({"number": number, **params, "score": score, "state": "complete"})
    >>> fig = plot_surrogate(pd.DataFrame(rows), space, bo.surrogate, "x")
    >>> sorted({t.xaxis for t in fig.data})
    ['x', 'x2']
    >>> [t.name for t in fig.data if t.name == "next point"]
    ['next point', 'next point']
    """
    check_trials(trials, _OWNER)
    check_param(space, param, "param", _OWNER)
    fixed = check_choice(fixed, "fixed", ("next", "best"), owner=_OWNER)
    info = _get_surrogate_info(trials, space, surrogate, param, fixed)
    if isinstance(info, str):
        return empty_figure(info, f"Surrogate along {param}")
    return svg_if_small(_get_surrogate_plot(info))
