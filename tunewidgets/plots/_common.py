"""What every plot shares: reading the trials DataFrame, axis coordinates, empty figures.

Parameters are drawn in *plotted coordinates*: ``log10(value)`` for a log-scaled
number (labelled with real values), the value itself for a linear one, and the
index of the choice for a categorical (labelled with the choice's name).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .._columns import column_name, param_column
from ..space import Categorical, Int, Parameter, SearchSpace
from ..space._choices import base_label, is_plain

_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}
# plotly_white's look without its per-trace defaults: setting the full template
# costs ~10 ms per figure (it is deep-copied), this one a fraction of a millisecond.
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "autotypenumbers": "strict",
        "hovermode": "closest",
    }
)
SCORE_COLORSCALE = "Viridis"
BEST_COLOR = "#d62728"
FADED = "rgba(140, 140, 140, 0.35)"


def check_trials(trials: Any, owner: str, name: str = "trials", entry: Any = None) -> pd.DataFrame:
    """Return ``trials`` if it is a DataFrame, else raise a ValueError that says so."""
    if not isinstance(trials, pd.DataFrame):
        where = (
            f"The {name!r} parameter"
            if entry is None
            else (f"Entry {entry!r} of the {name!r} parameter")
        )
        raise ValueError(
            f"{where} of {owner} must be a pandas DataFrame (study.trials_dataframe()). "
            f"Got {type(trials).__name__} instead."
        )
    return trials


def check_param(space: SearchSpace, name: Any, what: str, owner: str) -> Parameter:
    """The parameter called ``name``, or a ValueError naming the ones there are."""
    if name not in space:
        raise ValueError(
            f"The {what!r} parameter of {owner} must name a parameter of the space, one of "
            f"{space.names!r}. Got {name!r} instead."
        )
    return space[name]


def axis_label(name: str) -> str:
    """The label of a parameter's axis: its DataFrame column's name."""
    return column_name(name)


def scores(trials: pd.DataFrame) -> np.ndarray:
    """The score column as floats (nan where missing)."""
    if "score" not in trials.columns:
        return np.full(len(trials), np.nan)
    return pd.to_numeric(trials["score"], errors="coerce").to_numpy(dtype=float)


def states(trials: pd.DataFrame) -> np.ndarray:
    """The state column as strings ("complete" assumed when absent)."""
    if "state" not in trials.columns:
        return np.full(len(trials), "complete", dtype=object)
    return trials["state"].astype(str).to_numpy(dtype=object)


def complete_mask(trials: pd.DataFrame) -> np.ndarray:
    """Complete trials with a finite score."""
    return (states(trials) == "complete") & np.isfinite(scores(trials))


def best_index(trials: pd.DataFrame) -> int | None:
    """Position (not label) of the best complete trial, or None."""
    values = np.where(complete_mask(trials), scores(trials), -np.inf)
    if not len(values) or not np.isfinite(values.max()):
        return None
    return int(np.argmax(values))


def state_counts(trials: pd.DataFrame) -> dict[str, int]:
    """Number of trials per state."""
    if not len(trials):
        return {}
    values, counts = np.unique(states(trials).astype(str), return_counts=True)
    return {str(v): int(c) for v, c in zip(values, counts, strict=True)}


def title_with_counts(title: str, counts: dict[str, int], left_out: tuple[str, ...]) -> str:
    """``title`` with a grey note of how many trials of each state are not drawn."""
    notes = [f"{counts[s]:,} {s}" for s in left_out if counts.get(s)]
    if not notes:
        return title
    note = ", ".join(notes)
    return f"{title}<br><span style='font-size:12px;color:#777'>not shown: {note}</span>"


def choice_label(value: Any) -> str:
    """How a categorical choice is written on an axis: plain values as text, others by label."""
    if isinstance(value, str):
        return str(value)
    return str(value) if is_plain(value) else base_label(value)


@dataclass(frozen=True)
class AxisCoords:
    """One parameter in plotted coordinates.

    ``values`` are log10 values for a log scale, choice indices for a
    categorical; nan where a trial has no value. ``range`` covers the space's
    bounds and every value; ``tickvals``/``ticktext`` label log and categorical
    axes in real values and names, and an integer axis of a few values at each
    integer (None for other linear axes).
    """

    name: str
    kind: str  # "linear", "log" or "categorical"
    values: np.ndarray
    range: tuple[float, float]
    tickvals: tuple[float, ...] | None
    ticktext: tuple[str, ...] | None


def category_codes(param: Categorical, values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Choice index per value; values that are not choices (an older, wider space) follow."""
    choices = list(param.choices)
    codes = np.full(len(values), np.nan)
    array = values.to_numpy(dtype=object)
    extra: list[Any] = []
    for value in _uniques(array):
        if value is pd.NA or (
            isinstance(value, float) and math.isnan(value) and not param.contains(value)
        ):
            continue  # a missing value (a trial of another branch, which has no such parameter)
        if param.contains(value):
            code = param.index(value)
        else:
            code = len(choices) + len(extra)
            extra.append(value)
        codes[_same(array, value)] = code
    return codes, choices + extra


def _uniques(array: np.ndarray) -> list[Any]:
    """The distinct values, in order: plain ones by value (True apart from 1), others by label."""
    seen: dict[Any, Any] = {}
    for value in array:
        if value is pd.NA:
            key: Any = ("na",)
        elif is_plain(value):
            key = ("plain", type(value) is bool, value if value == value else "nan")
        else:
            key = ("label", base_label(value))
        seen.setdefault(key, value)
    return list(seen.values())


def _same(array: np.ndarray, value: Any) -> np.ndarray:
    # object arrays compare elementwise; True == 1 is accepted as pandas does
    if value is None:
        return np.array([v is None for v in array], dtype=bool)
    if not is_plain(value):  # estimators, arrays, dicts: the same object, or the same label
        label = base_label(value)
        return np.array(
            [
                v is value or (v is not pd.NA and not is_plain(v) and base_label(v) == label)
                for v in array
            ],
            dtype=bool,
        )
    return np.array([v is not pd.NA and bool(v == value) for v in array], dtype=bool)


def numeric_values(trials: pd.DataFrame, column: str | None) -> np.ndarray:
    """A numeric parameter's column as floats (nan where missing)."""
    if column is None:
        return np.full(len(trials), np.nan)
    return pd.to_numeric(trials[column], errors="coerce").to_numpy(dtype=float)


def axis_coords(param: Parameter, trials: pd.DataFrame, name: str) -> AxisCoords:
    """Parameter ``name`` of every trial in plotted coordinates, with its axis."""
    column = param_column(trials, name)
    if isinstance(param, Categorical):
        if column is None:
            codes, labels = np.full(len(trials), np.nan), list(param.choices)
        else:
            codes, labels = category_codes(param, trials[column])
        k = len(labels)
        ticks = tuple(float(i) for i in range(k))
        rng = (-0.5, 0.5) if k == 1 else (0.0, float(k - 1))
        text = tuple(choice_label(c) for c in labels)
        return AxisCoords(name, "categorical", codes, rng, ticks, text)
    values = numeric_values(trials, column)
    low, high = float(param.low), float(param.high)  # type: ignore[attr-defined]
    finite = values[np.isfinite(values)]
    if param.log:  # type: ignore[attr-defined]
        finite = finite[finite > 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)
        lo = math.log10(min(low, finite.min())) if finite.size else math.log10(low)
        hi = math.log10(max(high, finite.max())) if finite.size else math.log10(high)
        tickvals, ticktext = log_ticks(lo, hi)
        return AxisCoords(name, "log", values, (lo, hi), tickvals, ticktext)
    lo = min(low, float(finite.min())) if finite.size else low
    hi = max(high, float(finite.max())) if finite.size else high
    if isinstance(param, Int) and hi - lo <= 10:  # a few integers: a tick at each
        ticks = tuple(float(v) for v in range(math.ceil(lo), math.floor(hi) + 1))
        return AxisCoords(name, "linear", values, (lo, hi), ticks, tuple(f"{v:g}" for v in ticks))
    return AxisCoords(name, "linear", values, (lo, hi), None, None)


def cartesian_axis(axis: AxisCoords) -> dict[str, Any]:
    """Layout of an x or y axis drawing ``axis`` in real values (log type for a log scale).

    Categoricals are drawn at their index, so their ticks name the choices; log
    axes get our labels (plotly would add 2s and 5s, and SI suffixes such as µ).
    """
    if axis.kind == "log":
        return {
            "type": "log",
            "tickmode": "array",
            "tickvals": [10.0**v for v in axis.tickvals or ()],
            "ticktext": list(axis.ticktext or ()),
        }
    if axis.tickvals is not None:
        out = {
            "tickmode": "array",
            "tickvals": list(axis.tickvals),
            "ticktext": list(axis.ticktext or ()),
        }
        if axis.kind == "categorical":
            out.update(range=[axis.range[0] - 0.5, axis.range[1] + 0.5], zeroline=False)
        return out
    return {}


#: The tick that marks trials whose branch has no such parameter (parallel coordinates).
ABSENT = "absent"


def format_value(value: float) -> str:
    """A short label for a real value: 0.001, 0.5, 30, 1000, 1e+06."""
    text = f"{value:.3g}"
    if "e" in text and 1e-4 <= abs(value) < 1e5:  # 1e+03 reads better as 1000
        text = f"{float(text):f}".rstrip("0").rstrip(".")
    return text


def log_ticks(lo: float, hi: float) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Tick positions (log10) and labels (real values) for a log axis from ``lo`` to ``hi``.

    Whole decades where the axis spans at least two; 1-2-5 steps, then every
    integer mantissa on a shorter axis; about 3 to 8 ticks.
    """
    span = hi - lo
    eps = 1e-9 * max(1.0, span)
    for mantissas in ((1,), (1, 3), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        decades = range(math.floor(lo) - 1, math.ceil(hi) + 1)
        ticks = sorted(
            math.log10(m) + d
            for d in decades
            for m in mantissas
            if lo - eps <= math.log10(m) + d <= hi + eps
        )
        if len(ticks) >= 3:
            break
    if len(ticks) > 8:  # a very wide axis: every k-th decade
        step = math.ceil(len(ticks) / 7)
        ticks = ticks[::step]
    if len(ticks) < 2:  # under a factor of 2: the ends and the middle
        ticks = [lo, (lo + hi) / 2, hi] if span > 0 else [lo]
    return tuple(ticks), tuple(format_value(10.0**t) for t in ticks)


def empty_figure(message: str, title: str = "") -> go.Figure:
    """A blank figure (no axes) saying why there is nothing to draw yet."""
    figure = go.Figure()
    figure.add_annotation(
        text=message,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 14, "color": "#777"},
    )
    return base_layout(figure, title, xaxis={"visible": False}, yaxis={"visible": False})


def base_layout(figure: go.Figure, title: str, **layout: Any) -> go.Figure:
    """Template, title and margins shared by every plot, and ``layout`` (size is left to the view).

    One ``update_layout`` call per figure: each call validates the whole update.
    """
    margin = {"l": 60, "r": 30, "t": 70, "b": 50, **layout.pop("margin", {})}
    figure.update_layout(
        template=TEMPLATE,
        title={
            "text": title,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "pad": {"t": 4},
            "yref": "container",
            "font": {"size": 15},
        },
        margin=margin,
        **layout,
    )
    return figure


#: Up to this many points in a figure's WebGL traces, they are drawn as SVG instead.
#: WebGL (``Scattergl``) keeps a figure of thousands of trials fast, but a page holds
#: only about 16 WebGL contexts: a notebook or an HTML export with many small figures
#: would lose the oldest, drawn blank. SVG is as fast below a few thousand points.
WEBGL_POINTS = 2000


def svg_if_small(figure: go.Figure) -> go.Figure:
    """Draw a figure's ``Scattergl`` traces as ``Scatter`` (SVG) when they hold few points.

    All of them or none, so that the traces keep their order (WebGL traces are
    drawn above SVG ones).

    Parameters
    ----------
    figure : go.Figure
        A figure from one of the plot functions (changed in place).

    Returns
    -------
    go.Figure
        The same figure.
    """
    gl = [i for i, trace in enumerate(figure.data) if trace.type == "scattergl"]
    points = sum(0 if figure.data[i].x is None else len(figure.data[i].x) for i in gl)
    if not gl or points > WEBGL_POINTS:
        return figure
    traces = list(figure.data)
    for i in gl:
        spec = traces[i].to_plotly_json()
        spec.pop("type", None)
        spec.pop("uid", None)
        traces[i] = go.Scatter(spec)
    figure.data = ()
    figure.add_traces(traces)
    return figure
