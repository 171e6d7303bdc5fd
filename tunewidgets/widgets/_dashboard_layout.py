"""The Dashboard's layout: its plots, tables, controls and status, in one widget."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from ._fit import FIT_CSS, FitPanels
from ._plot_views import (
    ConvergenceView,
    ImportanceView,
    LearningCurvesView,
    ParallelView,
    PlotView,
    SearchPathView,
    SurrogateView,
)
from ._results import BestView, ResultsTable, TrialDetail

__all__ = ["DashboardLayout"]

_CSS = (
    """
<style>
.tw-dashboard {border: 1px solid #ddd; border-radius: 6px; padding: 8px;}
.tw-dashboard .tw-status {font-size: 13px;}
.tw-dashboard .tw-error {color: #b00020;}
"""
    + FIT_CSS
    + """
</style>
"""
)


class DashboardLayout:
    """The layout of a :class:`Dashboard` (a base class of it): built, titled, wired, shown."""

    # what the Dashboard provides
    plan: Any
    study: Any
    estimator: Any
    builder: Any
    controls: Any
    _lock: Any
    _displayed_in: int | None

    def _build_layout(self) -> None:
        self.views: list[PlotView] = [
            ParallelView(on_narrow=self._propose_space),
            ConvergenceView(),
            SearchPathView(),
            SurrogateView(),
            ImportanceView(),
        ]
        self.curves_view = LearningCurvesView()
        if self.plan.objective.reports_intermediate:
            self.views.append(self.curves_view)
        self.plot_tabs = widgets.Tab(children=[v.widget for v in self.views])
        self._title_tabs()
        self.table = ResultsTable()
        self.best = BestView()
        self.detail = TrialDetail()
        self.result_tabs = widgets.Tab(children=[self.table, self.best, self.detail])
        for i, title in enumerate(["Results", "Best", "Trial detail"]):
            self.result_tabs.set_title(i, title)
        self.title = widgets.HTML(self._title_text())
        self.status = widgets.HTML("")
        self.message = widgets.HTML("")
        left = widgets.VBox(
            [
                widgets.HTML("<b>Search space</b>"),
                self.builder,
                widgets.HTML("<b>Settings</b>"),
                self.controls,
            ],
            layout=widgets.Layout(flex="0 0 450px", width="450px", padding="0 10px 0 0"),
        )
        right = widgets.VBox(
            [self.plot_tabs], layout=widgets.Layout(flex="1 1 480px", min_width="420px")
        )
        right.add_class("tw-plot-panel")
        header = widgets.VBox(
            [
                widgets.HTML(_CSS),
                FitPanels(lambda: [v.figure for v in self._all_views()], lock=self._lock),
                self.title,
                self.status,
                widgets.HBox(
                    [
                        self.controls.buttons_box,
                        widgets.VBox(
                            [self.controls.progress, self.controls.progress_label],
                            layout=widgets.Layout(flex="1", min_width="260px"),
                        ),
                    ],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.message,
            ]
        )
        self.widget = widgets.VBox(
            [
                header,
                widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap")),
                self.result_tabs,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("tw-dashboard")
        self.widget.add_class("tw-fit-root")

    def _all_views(self) -> list[PlotView]:
        return self.views if self.curves_view in self.views else [*self.views, self.curves_view]

    def _title_tabs(self) -> None:
        for i, view in enumerate(self.views):
            self.plot_tabs.set_title(i, view.title)

    def _title_text(self) -> str:
        desc = self.plan.objective.describe()
        what = desc.get("estimator_class") or desc.get("name") or desc.get("kind", "objective")
        steps = getattr(self.estimator, "steps", None)
        if steps:
            what = " → ".join(
                type(step).__name__ for _, step in steps if step not in (None, "passthrough")
            )
        extra = ""
        if "n_samples" in desc:
            extra = f" · {desc['n_samples']} samples · {desc.get('n_splits', '?')}-fold CV"
        where = f" · {self.study.storage_path}" if self.study.storage_path else " · in memory"
        return (
            f"<h3 style='margin:4px 0'>tunewidgets · {escape(str(what))}</h3>"
            f"<small>study <b>{escape(self.study.name)}</b>{escape(extra)}{escape(where)}</small>"
        )

    def _wire(self) -> None:
        for action in ("start", "pause", "step", "resume", "stop"):
            self.controls.on(action, lambda a=action: self._clicked(a))
        self.builder.observe(lambda _: self._update_buttons(), "valid")
        self.controls.observe(lambda _: self._update_buttons(), "valid")
        self.plot_tabs.observe(lambda _: self._redraw_visible(), "selected_index")
        self.result_tabs.observe(lambda _: self.refresh(), "selected_index")

    def _display(self) -> None:
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        self._displayed_in = getattr(shell, "execution_count", None)
        display(self.widget)

    def _ipython_display_(self) -> None:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        if self._displayed_in is not None and count == self._displayed_in:
            return  # already shown by the constructor in this very cell
        display(self.widget)
