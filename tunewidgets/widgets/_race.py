"""``Race``: several strategies on the same problem, their convergence overlaid live."""

from __future__ import annotations

import threading
import time
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import plots
from .._setup import SearchPlan, plan_search
from ..runner import Event, Runner, RunnerState
from ..space import SearchSpace
from ..strategies import GridSearch, Strategy, budget_resolution
from ..study import generate_name, open_study
from ._figures import new_figure_widget, sync_figure
from ._fit import FIT_CSS, FitPanels
from ._static import STATIC_CSS, STATIC_INTERVAL, StaticCopy

__all__ = ["Race", "grid_for_budget"]


def grid_for_budget(space: SearchSpace, n_trials: int) -> GridSearch:
    """The finest grid that fits in ``n_trials`` (shuffled when even the coarsest does not).

    Parameters
    ----------
    space, n_trials
        As for :func:`tunewidgets.strategies.budget_resolution`, which sizes the grid.

    Returns
    -------
    GridSearch
        At :func:`~tunewidgets.strategies.budget_resolution`'s resolution, shuffled
        (seed 0) when that grid does not fit, so that the budget samples all of it.
    """
    resolution, fits = budget_resolution(space, n_trials)
    return GridSearch(space, resolution=resolution, shuffle=not fits, seed=0)


class Race:
    """Race strategies on the same problem and watch their convergence side by side.

    The classroom comparison: the same estimator (or objective), the same
    space, the same budget, one search per strategy, all running at once in
    the background, their best-so-far curves overlaid live.

    Parameters
    ----------
    estimator : estimator, optional
        A scikit-learn estimator, tuned by cross-validation on ``X``, ``y``.
    X, y : array-like, optional
        Data for the estimator.
    objective : callable, optional
        Instead of an estimator, any ``objective(params) -> float``.
    space : SearchSpace, optional
        The space; inferred for common estimators when omitted.
    strategies : sequence of str, default=("grid", "random", "bayes")
        The contestants. The grid gets the finest resolution that fits in ``n_trials``.
    n_trials : int, default=30
        Trials per strategy.
    cv : int or splitter, default=5
        Cross-validation for an estimator.
    scoring : str, optional
        Scorer for an estimator.
    seed : int, default=0
        Seed of every strategy.
    storage : str or None, default=None
        SQLite file for the studies (kept in memory by default).
    display : bool, default=True
        Show the view at once.

    Attributes
    ----------
    studies : dict of str to Study
        One study per strategy.
    runners : dict of str to Runner
        The searches, once started.
    widget : ipywidgets.VBox
        The view.

    Raises
    ------
    ValueError
        For invalid arguments or an unknown strategy name.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> race = tw.Race(objective=lambda p: -abs(p["x"] - 0.7), space=space,
    ...                strategies=["random", "bayes"], n_trials=6, display=False)
    >>> race.start(); race.wait()
    >>> race.results()["trials"].tolist()
    [6, 6]
    """

    def __init__(
        self,
        estimator: Any = None,
        X: Any = None,
        y: Any = None,
        *,
        objective: Any = None,
        space: SearchSpace | dict[str, Any] | None = None,
        strategies: list[str] | tuple[str, ...] = ("grid", "random", "bayes"),
        n_trials: int = 30,
        cv: Any = 5,
        scoring: str | None = None,
        seed: int = 0,
        storage: str | None = None,
        display: bool = True,
    ) -> None:
        if estimator is not None and objective is not None:
            raise ValueError("Race: give an estimator (with X, y) or an objective, not both.")
        if (
            not strategies
            or isinstance(strategies, str)
            or not all(isinstance(name, str) for name in strategies)
            or len(set(strategies)) != len(strategies)
        ):
            raise ValueError(
                "Race: 'strategies' must be a list of different strategy names (each gets "
                "the same problem, budget and seed), e.g. ['grid', 'random', 'bayes']. "
                f"Got {strategies!r}."
            )
        self.plan: SearchPlan = plan_search(
            estimator if estimator is not None else objective,
            space,
            X,
            y,
            owner="Race",
            strategy="random",
            seed=seed,
            n_trials=n_trials,
            cv=cv,
            scoring=scoring,
            storage=storage,
        )
        self.objective = self.plan.objective
        self.space = self.plan.space
        self.n_trials = self.plan.budgets["n_trials"]
        self.seed = seed
        self._plans: dict[str, SearchPlan] = {}
        self._strategies: dict[str, Strategy] = {}
        for name in strategies:
            if name == "grid":
                plan = self.plan.replace(
                    strategy=grid_for_budget(self.space, self.n_trials), seed=None
                )
            else:
                plan = self.plan.replace(strategy=name)
            self._plans[name] = plan
            self._strategies[name] = plan.new_strategy()
        stamp = generate_name("race")
        self.studies = {
            name: open_study(self.space, storage=storage, study_name=f"{stamp}-{name}")
            for name in self._plans
        }
        for study in self.studies.values():
            study.estimator = self.plan.estimator  # for refit_best
        self.runners: dict[str, Runner] = {}
        self._lock = threading.RLock()
        self.figure = new_figure_widget(height=440)
        self.start_button = widgets.Button(description="Start", icon="play", button_style="success")
        self.stop_button = widgets.Button(
            description="Stop", icon="stop", button_style="danger", disabled=True
        )
        self.start_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.summary = widgets.HTML()
        figure_box = widgets.VBox([self.figure])
        figure_box.add_class("tw-fit-panel")
        names = ", ".join(escape(n) for n in self._strategies)
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    f"<h3 style='margin:4px 0'>Race: {names} · {n_trials} trials each</h3>"
                ),
                widgets.HBox([self.start_button, self.stop_button]),
                figure_box,
                self.summary,
                widgets.HTML(f"<style>{FIT_CSS}{STATIC_CSS}</style>"),
                FitPanels(lambda: [self.figure], lock=self._lock),
            ]
        )
        self.widget.add_class("tw-race")
        self.widget.add_class("tw-fit-root")
        self._title = f"<h3 style='margin:4px 0'>Race: {names} · {n_trials} trials each</h3>"
        self.static_copy = StaticCopy("race")
        self._static_at = 0.0
        self.refresh()
        if display:
            try:
                from IPython import get_ipython

                if get_ipython() is not None:
                    self._ipython_display_()
            except ImportError:
                pass

    def _ipython_display_(self) -> None:
        """The live view, then its static copy for where widgets do not run."""
        self.static_copy.show_live(self.widget)
        self.refresh()  # the copy's content, then the copy
        self.static_copy.show()

    def start(self) -> None:
        """Start every strategy's search (each in its own background thread).

        Raises
        ------
        RuntimeError
            If the race has already been started.
        """
        with self._lock:
            if self.runners:
                raise RuntimeError("This race has already run; create a new Race to run again.")
            for name, strategy in self._strategies.items():
                runner = self._plans[name].runner(self.studies[name], strategy)
                runner.subscribe(self._on_events, min_interval=0.25)
                self.runners[name] = runner
            for runner in self.runners.values():
                runner.start()
        self.refresh()

    def stop(self) -> None:
        """Stop every search (trials in flight finish)."""
        for runner in self.runners.values():
            runner.stop()
        self.refresh()

    def wait(self, timeout: float | None = None) -> None:
        """Block until every search has finished.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait for each search at most.
        """
        for runner in self.runners.values():
            runner.join(timeout)
        self.refresh()

    def _on_events(self, events: list[Event]) -> None:
        self.refresh()

    def results(self) -> pd.DataFrame:
        """One row per strategy: trials, best score and its fold std, and the trial that reached it.

        ``best_score_std`` is the standard deviation of the best trial's
        cross-validation folds (None for an objective that reports none): two
        strategies whose best scores differ by less than it are not told apart
        by this race.

        Returns
        -------
        pandas.DataFrame
        """
        rows = []
        for name, study in self.studies.items():
            best = study.best_trial
            runner = self.runners.get(name)
            rows.append(
                {
                    "strategy": name,
                    "trials": sum(t.state.is_finished for t in study.trials),
                    "best_score": None if best is None else best.score,
                    "best_score_std": None if best is None else best.score_std,
                    "best_trial": None if best is None else best.number,
                    "state": runner.state.value if runner else "idle",
                    "failed": sum(t.state.value == "failed" for t in study.trials),
                }
            )
        return pd.DataFrame(rows)

    def refresh(self) -> None:
        """Redraw the convergence plot and the summary (the one place that updates the view)."""
        with self._lock:
            frames = {name: study.trials_dataframe() for name, study in self.studies.items()}
            figure = plots.plot_convergence(frames)
            sync_figure(self.figure, figure)
            table = self.results()
            failures = "".join(
                f"<div class='tw-error' style='color:#b00020'>{escape(name)}: "
                f"{escape(runner.failure_summary)}</div>"
                for name, runner in self.runners.items()
                if runner.failure_summary is not None
            )
            self.summary.value = (
                table.to_html(index=False, na_rep="–", float_format="{:.4g}".format) + failures
            )
            active = any(
                r.state not in (RunnerState.FINISHED, RunnerState.IDLE)
                for r in self.runners.values()
            )
            self.start_button.disabled = bool(self.runners)
            self.stop_button.disabled = not active
            # the state a shared copy of the notebook shows: rewritten at rest, and
            # every STATIC_INTERVAL seconds while the searches run
            if not active or time.monotonic() - self._static_at >= STATIC_INTERVAL:
                self._static_at = time.monotonic()
                figure.update_layout(height=400)
                self.static_copy.update([self._title, figure, self.summary.value])
