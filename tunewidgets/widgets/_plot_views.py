"""One view per plot: its options, its live FigureWidget, and how to redraw it.

Views hold no trial data: each redraw receives a :class:`Snapshot` of the
study, calls the pure plot function and copies the new figure into the
FigureWidget (:func:`sync_figure`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import plots
from ..space import Categorical, SearchSpace
from ._figures import new_figure_widget, sync_figure

__all__ = [
    "ConvergenceView",
    "ImportanceView",
    "LearningCurvesView",
    "ParallelView",
    "PlotView",
    "SearchPathView",
    "Snapshot",
    "SurrogateView",
]


@dataclass
class Snapshot:
    """What every view draws from, computed once per redraw.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``study.trials_dataframe()``.
    space : SearchSpace
        The space being searched.
    surrogate : callable
        Returns the strategy's surrogate (fitted on demand) or None.
    curves : callable
        Returns ``study.intermediate_dataframe()`` (built on demand).
    """

    frame: pd.DataFrame
    space: SearchSpace
    surrogate: Callable[[], Any]
    curves: Callable[[], pd.DataFrame]


class PlotView:
    """Base of the views: a title, option widgets above a FigureWidget."""

    title = ""

    def __init__(self, height: int = 420) -> None:
        self.figure = new_figure_widget(height=height)
        self.options: list[widgets.Widget] = []
        self.note = widgets.HTML("")
        self.widget = widgets.VBox([widgets.HBox(self.options), self.note, self.figure])
        self.widget.add_class("tw-fit-panel")  # the figure follows this box's width
        self.stale = True
        self._syncing = False
        self._last: Snapshot | None = None

    def _set_options(self, options: list[widgets.Widget]) -> None:
        self.options = options
        self.widget.children = [
            widgets.HBox(options, layout=widgets.Layout(flex_flow="row wrap")),
            self.note,
            self.figure,
        ]

    def draw(self, snap: Snapshot) -> Any:
        """Return a fresh ``go.Figure`` for ``snap``."""
        raise NotImplementedError

    def redraw(self, snap: Snapshot | None = None) -> None:
        """Redraw from ``snap`` (or the last snapshot, after an option changed).

        Parameters
        ----------
        snap : Snapshot, optional
        """
        snap = snap or self._last
        if snap is None:
            return
        self._last = snap
        sync_figure(self.figure, self.draw(snap))
        self.stale = False

    def _option_changed(self, _: Any = None) -> None:
        if not self._syncing:
            self.redraw()


def _names(space: SearchSpace) -> list[str]:
    return list(space.names)


class ParallelView(PlotView):
    """Parallel coordinates, with a top-k% filter and "narrow the space" actions."""

    title = "Parallel coordinates"

    def __init__(self, on_narrow: Callable[[SearchSpace, str], None]) -> None:
        super().__init__(height=440)
        self._on_narrow = on_narrow
        self.top = widgets.FloatSlider(
            value=100,
            min=5,
            max=100,
            step=5,
            description="show top %",
            continuous_update=False,
            layout=widgets.Layout(width="260px"),
        )
        self.narrow_top = widgets.Button(
            description="Narrow to top 20%",
            icon="compress",
            tooltip="propose a space around the best 20% of trials",
            layout=widgets.Layout(width="170px"),
        )
        self.narrow_brushed = widgets.Button(
            description="Use brushed ranges",
            icon="filter",
            tooltip="drag along the axes to select ranges, then click",
            layout=widgets.Layout(width="170px"),
        )
        self.top.observe(self._option_changed, "value")
        self.narrow_top.on_click(lambda _: self._narrow_to_top())
        self.narrow_brushed.on_click(lambda _: self._narrow_to_brushed())
        self._set_options([self.top, self.narrow_top, self.narrow_brushed])

    def draw(self, snap: Snapshot) -> Any:
        fraction = None if self.top.value >= 100 else self.top.value / 100
        figure = plots.plot_parallel_coordinates(snap.frame, snap.space, top_fraction=fraction)
        # keep what the user brushed across redraws
        if len(self.figure.data) == 1 and self.figure.data[0].type == "parcoords" and figure.data:
            brushed = {
                d.label: d.constraintrange
                for d in self.figure.data[0].dimensions
                if d.constraintrange is not None
            }
            for dim in figure.data[0].dimensions:
                if dim.label in brushed:
                    dim.constraintrange = brushed[dim.label]
        return figure

    def _narrow_to_top(self) -> None:
        snap = self._last
        if snap is None:
            return
        try:
            space = plots_narrow(snap, 0.2)
        except ValueError as exc:
            self.note.value = f"<span class='tw-error' style='color:#b00020'>{exc}</span>"
            return
        self._on_narrow(space, "the best 20% of trials")

    def _narrow_to_brushed(self) -> None:
        snap = self._last
        if snap is None or not self.figure.data:
            return
        dimensions = self.figure.data[0].dimensions
        if not any(d.constraintrange is not None for d in dimensions):
            self.note.value = (
                "<i>Drag along an axis of the plot to select a range first "
                "(the score axis too), then click again.</i>"
            )
            return
        space = plots.parallel_ranges_to_space(dimensions, snap.space)
        self._on_narrow(space, "the brushed ranges")


def plots_narrow(snap: Snapshot, fraction: float) -> SearchSpace:
    """A space around the best ``fraction`` of complete trials (see ``tw.narrow_space``)."""
    from ..space import narrow_space

    return narrow_space(snap.space, snap.frame, top_fraction=fraction)


class ConvergenceView(PlotView):
    """Each trial's score and the best so far."""

    title = "Convergence"

    def draw(self, snap: Snapshot) -> Any:
        return plots.plot_convergence(snap.frame)


class _AxisChoice(PlotView):
    """Views whose axes are chosen parameters; choices follow the space."""

    def _sync_choices(self, dropdowns: list[widgets.Dropdown], space: SearchSpace) -> None:
        names = _names(space)
        self._syncing = True
        try:
            for i, dropdown in enumerate(dropdowns):
                if list(dropdown.options) != names:
                    current = dropdown.value
                    dropdown.options = names
                    dropdown.value = current if current in names else names[min(i, len(names) - 1)]
        finally:
            self._syncing = False


class SearchPathView(_AxisChoice):
    """Two parameters, the trials in order, the surrogate mean behind (Bayesian search)."""

    title = "Search path"

    def __init__(self) -> None:
        super().__init__()
        self.x = widgets.Dropdown(description="x", layout=widgets.Layout(width="220px"))
        self.y = widgets.Dropdown(description="y", layout=widgets.Layout(width="220px"))
        self.x.observe(self._option_changed, "value")
        self.y.observe(self._option_changed, "value")
        self._set_options([self.x, self.y])

    def draw(self, snap: Snapshot) -> Any:
        self._sync_choices([self.x, self.y], snap.space)
        x, y = self.x.value, self.y.value
        if x == y and len(snap.space) > 1:
            y = next(n for n in snap.space.names if n != x)
        return plots.plot_search_path(snap.frame, snap.space, x, y, surrogate=snap.surrogate())


class SurrogateView(_AxisChoice):
    """The Gaussian process along one parameter, and the acquisition function under it."""

    title = "Surrogate"

    def __init__(self) -> None:
        super().__init__(height=460)
        self.param = widgets.Dropdown(description="along", layout=widgets.Layout(width="240px"))
        self.param.observe(self._option_changed, "value")
        self._set_options([self.param])

    def draw(self, snap: Snapshot) -> Any:
        numeric = SearchSpace(
            {n: p for n, p in snap.space.items() if not isinstance(p, Categorical)}
        )
        self._sync_choices([self.param], numeric if len(numeric) else snap.space)
        surrogate = snap.surrogate()
        if surrogate is None:
            self.note.value = (
                "<i>The surrogate is the model a Bayesian search builds of the score. Choose the "
                "Bayesian strategy; it appears after two complete trials.</i>"
            )
        else:
            self.note.value = ""
        return plots.plot_surrogate(snap.frame, snap.space, surrogate, self.param.value)


class ImportanceView(PlotView):
    """Which parameters matter, estimated from the trials."""

    title = "Importance"

    def draw(self, snap: Snapshot) -> Any:
        return plots.plot_importance(snap.frame, snap.space)


class LearningCurvesView(PlotView):
    """Per-step values of trials that report them (e.g. Keras epochs)."""

    title = "Learning curves"

    def draw(self, snap: Snapshot) -> Any:
        return plots.plot_learning_curves(snap.curves(), trials=snap.frame)
