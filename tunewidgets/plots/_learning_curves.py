"""Learning curves: the values a trial reported at each step (e.g. per epoch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._common import BEST_COLOR, base_layout, best_index, check_trials, empty_figure, svg_if_small

__all__ = ["plot_learning_curves"]

_OWNER = "plot_learning_curves"
# state -> (legend name, line style); one trace per state, curves separated by gaps
_STYLES = {
    "complete": ("complete", {"color": "rgba(31, 119, 180, 0.55)", "width": 1.5}),
    "running": ("running", {"color": "rgba(255, 127, 14, 0.9)", "width": 2}),
    "pruned": ("pruned", {"color": "rgba(150, 150, 150, 0.3)", "width": 1}),
    "failed": ("failed", {"color": "rgba(214, 39, 40, 0.3)", "width": 1, "dash": "dot"}),
}


@dataclass(frozen=True)
class _Curves:
    """Every curve of one state, joined into one line with a gap (nan) between trials."""

    state: str
    steps: np.ndarray
    values: np.ndarray
    numbers: np.ndarray
    n_trials: int


@dataclass(frozen=True)
class _LearningCurvesInfo:
    groups: tuple[_Curves, ...]
    best_number: int | None
    best_steps: np.ndarray
    best_values: np.ndarray


def _joined(numbers: np.ndarray, steps: np.ndarray, values: np.ndarray, state: str) -> _Curves:
    breaks = np.flatnonzero(np.diff(numbers) != 0) + 1  # where the next trial's curve starts
    return _Curves(
        state=state,
        steps=np.insert(steps, breaks, np.nan),
        values=np.insert(values, breaks, np.nan),
        numbers=np.insert(numbers, breaks, np.nan),
        n_trials=len(breaks) + (1 if len(numbers) else 0),
    )


def _best_number(
    numbers: np.ndarray, values: np.ndarray, states: np.ndarray, trials: pd.DataFrame | None
) -> int | None:
    if trials is not None and "number" in trials.columns:
        best = best_index(trials)
        return None if best is None else int(trials["number"].iloc[best])
    done = (states == "complete") & np.isfinite(values)
    if not done.any():
        return None
    n, v = numbers[done], values[done]
    last = np.r_[np.flatnonzero(np.diff(n) != 0), len(n) - 1]  # each trial's last report
    return int(n[last[np.argmax(v[last])]])


def _get_learning_curves_info(
    curves: pd.DataFrame, trials: pd.DataFrame | None
) -> _LearningCurvesInfo:
    numbers = pd.to_numeric(curves["number"], errors="coerce").to_numpy(dtype=float)
    steps = pd.to_numeric(curves["step"], errors="coerce").to_numpy(dtype=float)
    values = pd.to_numeric(curves["value"], errors="coerce").to_numpy(dtype=float)
    if "state" in curves.columns:
        states = curves["state"].to_numpy(dtype=object).astype(str)
    else:
        states = np.full(len(curves), "complete")
    order = np.lexsort((steps, numbers))
    numbers, steps, values, states = numbers[order], steps[order], values[order], states[order]
    present = set(np.unique(states).tolist())
    groups = tuple(
        _joined(numbers[mask], steps[mask], values[mask], state)
        for state in [*(s for s in _STYLES if s in present), *sorted(present - set(_STYLES))]
        for mask in [states == state]
    )
    best = _best_number(numbers, values, states, trials)
    mine = numbers == best if best is not None else np.zeros(len(numbers), dtype=bool)
    return _LearningCurvesInfo(
        groups=groups,
        best_number=best if mine.any() else None,
        best_steps=steps[mine],
        best_values=values[mine],
    )


def _get_learning_curves_plot(info: _LearningCurvesInfo) -> go.Figure:
    if not info.groups:
        return empty_figure(
            "No values reported yet: objectives that report per step (a Keras model's "
            "epochs, for one) draw a curve per trial here.",
            "Learning curves",
        )
    figure = go.Figure()
    for group in info.groups:
        name, line = _STYLES.get(group.state, (group.state, {"color": "#888", "width": 1}))
        figure.add_trace(
            go.Scattergl(
                x=group.steps,
                y=group.values,
                customdata=group.numbers,
                mode="lines",
                name=f"{name} ({group.n_trials:,})",
                line=line,
                connectgaps=False,
                hovertemplate="trial %{customdata}<br>step %{x}: %{y:.4g}<extra>"
                + name
                + "</extra>",
            )
        )
    if info.best_number is not None:
        figure.add_trace(
            go.Scatter(
                x=info.best_steps,
                y=info.best_values,
                mode="lines+markers",
                name=f"best: trial {info.best_number}",
                line={"color": BEST_COLOR, "width": 3},
                marker={"size": 5},
                hovertemplate=f"best: trial {info.best_number}<br>" + "step %{x}: %{y:.4g}"
                "<extra></extra>",
            )
        )
    n = sum(g.n_trials for g in info.groups)
    base_layout(
        figure,
        f"Learning curves · {n:,} trials",
        xaxis={"title": {"text": "step"}},
        yaxis={"title": {"text": "reported value"}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="closest",
    )
    return figure


def plot_learning_curves(curves: pd.DataFrame, *, trials: pd.DataFrame | None = None) -> go.Figure:
    """The value every trial reported at each step, pruned trials faded, the best highlighted.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``study.intermediate_dataframe()``: columns ``number``, ``step``,
        ``value`` and ``state``.
    trials : pandas.DataFrame, optional
        ``study.trials_dataframe()``, to find the best trial by its score.
        Without it, the best is the complete trial with the highest last value.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scattergl`` line trace per trial state (complete, running, pruned
        faded, failed), each joining its trials' curves with gaps between them
        (so 10,000 curves stay a handful of traces), and the best trial's curve
        on top in red. With nothing reported: an empty figure with a note.

    Examples
    --------
    >>> import pandas as pd
    >>> from tunewidgets.plots import plot_learning_curves
    >>> curves = pd.DataFrame({"number": [0, 0, 0, 1, 1],
    ...                        "step": [0, 1, 2, 0, 1],
    ...                        "value": [0.5, 0.7, 0.8, 0.4, 0.45],
    ...                        "state": ["complete"] * 3 + ["pruned"] * 2})
    >>> fig = plot_learning_curves(curves)
    >>> [t.name for t in fig.data]
    ['complete (1)', 'pruned (1)', 'best: trial 0']
    """
    check_trials(curves, _OWNER, "curves")
    if trials is not None:
        check_trials(trials, _OWNER)
    missing = {"number", "step", "value"} - set(curves.columns)
    if missing:
        raise ValueError(
            "The 'curves' parameter of plot_learning_curves must have the columns number, "
            f"step and value (study.intermediate_dataframe()); {sorted(missing)} are missing."
        )
    return svg_if_small(_get_learning_curves_plot(_get_learning_curves_info(curves, trials)))
