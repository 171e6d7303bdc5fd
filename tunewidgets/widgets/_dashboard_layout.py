"""The Dashboard's layout: its plots, tables, controls and status, in one widget."""

from __future__ import annotations

import time
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
from ._static import STATIC_CSS, StaticCopy

__all__ = ["DashboardLayout"]

#: Plots the static copy always holds, besides the one on show.
_STATIC_VIEWS = ("Convergence",)
#: Plots drawn with WebGL stay out of the static copy: a page holds about 16 WebGL
#: contexts, and the copy, hidden under the live view, is drawn again at each rewrite
#: (the live parallel coordinates went blank once the copies had used them up).
_WEBGL = {"parcoords", "scattergl", "splom", "heatmapgl", "pointcloud"}

_CSS = (
    """
<style>
.tw-dashboard {border: 1px solid #ddd; border-radius: 6px; padding: 8px;}
.tw-dashboard .tw-status {font-size: 13px;}
.tw-dashboard .tw-error {color: #b00020;}
"""
    + FIT_CSS
    + STATIC_CSS
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
        self.static_copy = StaticCopy("dashboard")
        self._static_key: tuple[Any, ...] | None = None
        self._static_at = 0.0  # when the static copy was last rewritten, and what it cost
        self._static_cost = 0.0

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
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        self._displayed_in = getattr(shell, "execution_count", None)
        self._show()

    def _ipython_display_(self) -> None:
        from IPython import get_ipython

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        if self._displayed_in is not None and count == self._displayed_in:
            return  # already shown by the constructor in this very cell
        self._show()

    def _show(self) -> None:
        """The live view, then its static copy for where widgets do not run."""
        self.static_copy.show_live(self.widget)
        with self._lock:
            self._update_static_copy(unshown=True)
            self.static_copy.show()

    def _update_static_copy(self, unshown: bool = False) -> None:
        """Rewrite the static copy: title, status, the plots and the ten best trials.

        Parameters
        ----------
        unshown : bool, default=False
            Draw it even if it is not shown yet (it is about to be).
        """
        index = self.plot_tabs.selected_index or 0
        key = (self.study.version, self.status.value, index)
        if not (self.static_copy.shown or unshown) or key == self._static_key:
            return
        started = time.monotonic()
        self._static_key = key
        snap = self._snapshot()
        parts: list[Any] = [self.title.value, f"<p>{self.status.value}</p>"]
        frame = snap.frame
        done = frame[frame["state"] == "complete"] if "state" in frame else frame.iloc[:0]
        if len(done):  # no empty axes before the first result
            chosen = [self.views[index], *(v for v in self.views if v.title in _STATIC_VIEWS)]
            for view in dict.fromkeys(chosen):  # each plot carries its own title
                figure = view.draw(snap)
                if any(trace.type in _WEBGL for trace in figure.data):
                    continue  # see _WEBGL
                figure.update_layout(height=380)
                parts.append(figure)
            names = set(snap.space.names) if snap.space is not None else set()
            columns = ["number"] if "number" in frame else []
            columns += [c for c in frame.columns if c in names]
            columns += [c for c in ("score", "score_std", "state") if c in frame]
            top = done.sort_values("score", ascending=False).head(10)
            parts.append("<p style='margin:8px 0 2px'><b>The ten best trials</b></p>")
            parts.append(
                top[columns].to_html(index=False, na_rep="–", float_format="{:.4g}".format)
            )
        self.static_copy.update(parts)
        self._static_cost = time.monotonic() - started
        self._static_at = time.monotonic()
