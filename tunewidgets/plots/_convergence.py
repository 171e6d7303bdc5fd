"""Convergence: every trial's score and the best so far, for one study or several."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from ._common import (
    BEST_COLOR,
    FADED,
    base_layout,
    check_trials,
    empty_figure,
    scores,
    state_counts,
    states,
    svg_if_small,
    title_with_counts,
)

__all__ = ["plot_convergence"]

_OWNER = "plot_convergence"
_TRIAL_COLOR = "#1f77b4"
_BEST_LINE = "#ff7f0e"


@dataclass(frozen=True)
class _Series:
    """One study's points and best-so-far line."""

    label: str
    numbers: np.ndarray  # complete trials, in order
    scores: np.ndarray
    best_so_far: np.ndarray  # running maximum at each complete trial (non-decreasing)
    step_numbers: np.ndarray  # the step line: each improvement, then the last trial
    step_scores: np.ndarray
    pruned_numbers: np.ndarray
    pruned_scores: np.ndarray
    counts: dict[str, int]

    @property
    def best(self) -> tuple[int, float] | None:
        """(number, score) of the best complete trial (the first one on a tie)."""
        if not len(self.scores):
            return None
        i = int(np.argmax(self.scores))
        return int(self.numbers[i]), float(self.scores[i])


def _get_series(label: str, trials: pd.DataFrame) -> _Series:
    numbers = trials["number"].to_numpy() if "number" in trials.columns else np.arange(len(trials))
    numbers = np.asarray(numbers, dtype=float)
    order = np.argsort(numbers, kind="stable")
    numbers, score, state = numbers[order], scores(trials)[order], states(trials)[order]
    finite = np.isfinite(score)
    done = (state == "complete") & finite
    pruned = (state == "pruned") & finite
    x, y = numbers[done], score[done]
    best = np.maximum.accumulate(y) if len(y) else y
    improved = np.r_[True, best[1:] > best[:-1]] if len(y) else np.zeros(0, dtype=bool)
    step_x, step_y = x[improved], best[improved]
    if len(y) and numbers[-1] > step_x[-1]:  # carry the best to the last trial so far
        step_x, step_y = np.r_[step_x, numbers[-1]], np.r_[step_y, best[-1]]
    return _Series(
        label=label,
        numbers=x,
        scores=y,
        best_so_far=best,
        step_numbers=step_x,
        step_scores=step_y,
        pruned_numbers=numbers[pruned],
        pruned_scores=score[pruned],
        counts=state_counts(trials),
    )


def _get_convergence_info(
    trials_or_dict: pd.DataFrame | Mapping[str, pd.DataFrame],
) -> list[_Series]:
    if isinstance(trials_or_dict, Mapping):
        return [
            _get_series(str(label), check_trials(frame, _OWNER, "trials_or_dict", label))
            for label, frame in trials_or_dict.items()
        ]
    return [_get_series("", check_trials(trials_or_dict, _OWNER, "trials_or_dict"))]


def _hover(label: str) -> str:
    prefix = f"{label}<br>" if label else ""
    return prefix + "trial %{x}<br>score %{y:.4g}<extra></extra>"


def _add_series(figure: go.Figure, series: _Series, color: str | None) -> None:
    overlay = color is not None
    marker_color = color if overlay else _TRIAL_COLOR
    line_color = color if overlay else _BEST_LINE
    name = series.label or "trial"
    figure.add_trace(
        go.Scattergl(
            x=series.numbers,
            y=series.scores,
            mode="markers",
            name=name if not overlay else f"{series.label} trials",
            legendgroup=series.label,
            showlegend=not overlay,
            marker={"color": marker_color, "size": 6, "opacity": 0.35 if overlay else 0.7},
            hovertemplate=_hover(series.label),
        )
    )
    if len(series.pruned_numbers):
        figure.add_trace(
            go.Scattergl(
                x=series.pruned_numbers,
                y=series.pruned_scores,
                mode="markers",
                name=f"{series.label} pruned".strip(),
                legendgroup=series.label,
                showlegend=not overlay,
                marker={"color": FADED, "size": 5, "symbol": "x"},
                hovertemplate=_hover(series.label).replace("score", "pruned at"),
            )
        )
    best_name = series.label if overlay else "best so far"
    if not len(series.numbers) and overlay:
        best_name += " (no complete trial yet)"
    # WebGL like the markers, so that the line is drawn over them, not under
    figure.add_trace(
        go.Scattergl(
            x=series.step_numbers,
            y=series.step_scores,
            mode="lines",
            name=best_name,
            legendgroup=series.label,
            line={"color": line_color, "width": 2.5, "shape": "hv"},
            hovertemplate=_hover(series.label).replace("score", "best"),
        )
    )
    if not overlay and series.best is not None:
        number, score = series.best
        figure.add_trace(
            go.Scattergl(
                x=[number],
                y=[score],
                mode="markers",
                name=f"best: trial {number}",
                marker={
                    "color": BEST_COLOR,
                    "size": 13,
                    "symbol": "star",
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate="best: trial %{x}<br>score %{y:.4g}<extra></extra>",
            )
        )


def _get_convergence_plot(info: list[_Series]) -> go.Figure:
    counts: dict[str, int] = {}
    for series in info:
        for state, n in series.counts.items():
            counts[state] = counts.get(state, 0) + n
    if not any(len(s.numbers) or len(s.pruned_numbers) for s in info):
        total = sum(counts.values())
        message = (
            "No trials yet: each trial's score and the best so far will appear here."
            if total == 0
            else f"No trial has a score yet ({total:,} so far)."
        )
        return empty_figure(message, "Convergence")
    figure = go.Figure()
    overlay = len(info) > 1 or bool(info[0].label)
    palette = qualitative.Plotly
    for i, series in enumerate(info):
        _add_series(figure, series, palette[i % len(palette)] if overlay else None)
    n_complete = sum(len(s.numbers) for s in info)
    title = f"Convergence · {n_complete:,} complete trials"
    if not overlay and info[0].best is not None:
        title += f" · best {info[0].best[1]:.4g} (trial {info[0].best[0]})"
    base_layout(
        figure,
        title_with_counts(title, counts, ("failed", "running")),
        xaxis={"title": {"text": "trial"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "score"}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="closest",
    )
    return figure


def plot_convergence(trials_or_dict: pd.DataFrame | Mapping[str, pd.DataFrame]) -> go.Figure:
    """Every trial's score and the best score so far, by trial number.

    Parameters
    ----------
    trials_or_dict : pandas.DataFrame or mapping of str to DataFrame
        ``study.trials_dataframe()``, or several of them by label (e.g. one per
        strategy in a race): each is drawn in its own color, its trials as faint
        markers and its best-so-far line in full.

    Returns
    -------
    plotly.graph_objects.Figure
        Complete trials as ``Scattergl`` markers, pruned ones as faded crosses
        (their last reported value), the best so far as a step line (through
        the improvements, carried to the last trial number),
        and for a single study the best trial as a star (all ``Scattergl``, so
        they layer in order). Failed and running
        trials have no score: the title says how many. With no scores yet: an
        empty figure with a note.

    Examples
    --------
    >>> import pandas as pd
    >>> from tunewidgets.plots import plot_convergence
    >>> trials = pd.DataFrame({"number": [0, 1, 2, 3],
    ...                        "score": [0.2, 0.5, float("nan"), 0.4],
    ...                        "state": ["complete", "complete", "failed", "complete"]})
    >>> fig = plot_convergence(trials)
    >>> [t.name for t in fig.data]
    ['trial', 'best so far', 'best: trial 1']
    >>> fig.data[1].y.tolist()
    [0.2, 0.5, 0.5]
    >>> race = plot_convergence({"random": trials, "bayes": trials})
    >>> [t.name for t in race.data if t.showlegend is not False]
    ['random', 'bayes']
    """
    return svg_if_small(_get_convergence_plot(_get_convergence_info(trials_or_dict)))
