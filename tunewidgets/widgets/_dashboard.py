"""``Dashboard``: define a space, run a search in the background, watch it live."""

from __future__ import annotations

import os
import statistics
import threading
import time
from html import escape
from typing import Any

import pandas as pd

from .._setup import SearchPlan, plan_search
from ..objectives import SklearnObjective, is_estimator
from ..runner import Event, EventKind, Runner, RunnerState, RunnerStateError, StudyWatcher
from ..space import SearchSpace
from ..strategies import Strategy
from ..study import DEFAULT_STORAGE, Study
from ._controls import Controls
from ._dashboard_layout import DashboardLayout
from ._plot_views import (
    Snapshot,
)
from ._static import STATIC_INTERVAL

__all__ = ["Dashboard"]

#: Seconds between two redraws at most (a few redraws a second).
REDRAW_INTERVAL = 0.25
_IMPORTANT = (EventKind.STATE_CHANGED, EventKind.SEARCH_STARTED, EventKind.SEARCH_FINISHED)
#: The runner's states in which the static copy is rewritten (not while trials run).
_AT_REST = (RunnerState.IDLE, RunnerState.PAUSED, RunnerState.FINISHED)


class Dashboard(DashboardLayout):
    """A live hyperparameter-tuning dashboard for a notebook.

    Edit the search space with sliders and dropdowns, choose a strategy and
    budgets, press Start: the search runs in a background thread while the
    notebook stays usable, and parallel-coordinate, convergence, search-path,
    surrogate, importance and learning-curve plots fill live. Pause, Step one
    trial at a time, Resume, Stop; narrow the space from the best trials and
    continue; every trial is kept in SQLite.

    Parameters
    ----------
    estimator : estimator, optional
        A scikit-learn estimator or pipeline, tuned by cross-validation on ``X``, ``y``.
    X, y : array-like, optional
        Data for the estimator.
    objective : callable or Objective, optional
        Instead of an estimator: any ``objective(params) -> float``, or a
        ``tw.KerasObjective``. Needs ``space``.
    space : SearchSpace, optional
        The starting space; inferred for common estimators when omitted.
    strategy : str, default="bayes"
        ``"bayes"``, ``"random"``, ``"grid"``, ``"evolution"`` (or ``"tpe"`` with Optuna).
    n_trials : int or None, default=60
        Trials per run; None leaves the field empty ("no limit"), and a
        ``timeout`` is then the budget.
    timeout : float, optional
        Seconds after which no new trial starts.
    cv : int or splitter, optional
        Cross-validation for an estimator: 5 folds, or, continuing a ``study``
        given, as many as its trials were scored on.
    scoring : str, optional
        Scorer name for an estimator.
    n_jobs : int, default=1
        Trials at once (local processes).
    executor : dask.distributed.Client, optional
        Run trials on a Dask cluster.
    pruner : Pruner, optional
        Stop unpromising trials early.
    storage : str, path or None, default="tunewidgets.db"
        SQLite file keeping every trial (None: in memory).
    study_name : str, optional
        Name of the study. With ``storage``, a stored study of that name is
        continued (its trials shown, its strategy told them), so a notebook run
        twice continues its search; otherwise a new study of that name is
        created. Generated when omitted.
    study : Study, optional
        Reattach to a study (e.g. ``tw.Study.load(path, name)`` after a kernel
        restart): all of it is shown at once and Continue searches on.
    change_space : bool, default=False
        Continue a stored study (``study_name=`` or ``study=``) even though
        ``space`` or the estimator differs from the study's; without it that
        is refused, naming the differences (as in :func:`tune`).
    seed : int, optional
        Seed of the strategy.
    strategy_options : dict, optional
        Options of the strategy, e.g. ``{"acquisition": "ucb"}``.
    groups, fit_params : optional
        Passed to cross-validation for an estimator.
    display : bool, default=True
        Show the dashboard at once (in a notebook).

    Attributes
    ----------
    study : Study
        The study the dashboard records into (the same object as ``tw.tune`` returns).
    runner : Runner or None
        The current (or last) search.
    widget : ipywidgets.VBox
        The whole view.
    builder : SpaceBuilder
        The space editor.
    controls : Controls
        Settings and buttons.

    Raises
    ------
    ValueError
        For invalid arguments (they are code, not widget input).

    See Also
    --------
    tune : the same search, headless.
    Race : several strategies side by side.

    Notes
    -----
    The runner's thread runs the trials; the dashboard redraws from the
    runner's event thread at most every 0.25 s, in batched updates, so the
    kernel stays free for other cells. Widgets are created here, on the
    calling thread, and only updated from the event thread.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> dash = tw.Dashboard(SVC(), X, y, n_trials=4, cv=3, storage=None, display=False)
    >>> dash.start(); dash.wait()
    >>> len(dash.study.trials)
    4
    """

    def __init__(
        self,
        estimator: Any = None,
        X: Any = None,
        y: Any = None,
        *,
        objective: Any = None,
        space: SearchSpace | dict[str, Any] | None = None,
        strategy: str | Strategy = "bayes",
        n_trials: int | None = 60,
        timeout: float | None = None,
        cv: Any = None,
        scoring: str | None = None,
        n_jobs: int = 1,
        executor: Any = None,
        pruner: Any = None,
        storage: str | os.PathLike[str] | None = DEFAULT_STORAGE,
        study_name: str | None = None,
        study: Study | None = None,
        change_space: bool = False,
        seed: int | None = None,
        strategy_options: dict[str, Any] | None = None,
        groups: Any = None,
        fit_params: dict[str, Any] | None = None,
        display: bool = True,
    ) -> None:
        if estimator is not None and objective is not None:
            raise ValueError("Dashboard: give an estimator (with X, y) or an objective, not both.")
        if estimator is None and objective is None and study is None:
            raise ValueError(
                "Dashboard needs something to tune: Dashboard(estimator, X, y) or "
                "Dashboard(objective=f, space=space)."
            )
        if estimator is not None and not is_estimator(estimator):
            raise ValueError(
                "Dashboard: the first argument must be a scikit-learn estimator; pass a function "
                f"as objective=. Got {type(estimator).__name__}."
            )
        if estimator is None and objective is None:
            raise ValueError(
                "Dashboard: a study reloaded from a file holds no objective (objectives are not "
                "stored). Pass it again: Dashboard(estimator, X, y, study=study) or "
                "Dashboard(objective=f, study=study)."
            )
        if cv is None:  # the study's own number of folds, so that its trials stay comparable
            recorded = study.settings.get("objective") if study is not None else None
            n_splits = recorded.get("n_splits") if isinstance(recorded, dict) else None
            cv = n_splits if isinstance(n_splits, int) and n_splits >= 2 else 5
        self.plan: SearchPlan = plan_search(
            estimator if estimator is not None else objective,
            space,
            X,
            y,
            owner="Dashboard",
            strategy=strategy,
            seed=seed,
            strategy_options=strategy_options,
            n_trials=n_trials,
            timeout=timeout,
            require_budget=False,
            cv=cv,
            scoring=scoring,
            groups=groups,
            fit_params=fit_params,
            n_jobs=n_jobs,
            executor=executor,
            pruner=pruner,
            storage=storage,
            study_name=study_name,
            study=study,
            change_space=change_space,
        )
        self.estimator = self.plan.estimator
        self.study = self.plan.open_study()
        start_space = self.plan.space
        self.runner: Runner | None = None
        self._strategy: Strategy | None = None
        self._lock = threading.RLock()
        self._unsubscribe: Any = None
        self._frame_cache: tuple[int, pd.DataFrame] | None = None
        self._last_refresh_end = 0.0
        self._refresh_cost = 0.0

        sklearn = isinstance(self.plan.objective, SklearnObjective)
        strategy_name = strategy.name if isinstance(strategy, Strategy) else strategy
        self.controls = Controls(
            strategy=strategy_name,
            n_trials=n_trials,
            timeout=timeout,
            n_jobs=n_jobs,
            scoring=scoring if isinstance(scoring, str) else None,
            cv=getattr(self.plan.objective, "n_splits", 5),
            seed=seed,
            strategy_options=strategy_options,
            estimator_settings=sklearn,
            fixed_cv=None if isinstance(cv, int) else repr(cv),
        )
        # what the plan was made with, as the fields show it (a callable scorer shows as
        # the default): a search is set up anew only from what is edited
        self._last_settings = self.controls.values()
        from ._space_builder import SpaceBuilder

        self.builder = SpaceBuilder(start_space, estimator=self.estimator, check=self._check_space)
        self._build_layout()
        self._wire()
        self.refresh(all_views=True)
        # trials that other processes write to a shared study appear as they land
        self._watcher = StudyWatcher(self.study, self._on_synced).start()
        self._displayed_in: int | None = None
        if display:
            self._display()

    def __repr__(self) -> str:
        state = self.runner.state.value if self.runner else "idle"
        n = len(self.study.trials)
        return f"Dashboard(study={self.study.name!r}, state={state!r}, n_trials={n})"

    # -- the search ------------------------------------------------------------------
    def _check_space(self, space: SearchSpace) -> None:
        self.plan.objective.check_space(space)

    def _changes(self, space: SearchSpace, settings: dict[str, Any]) -> dict[str, Any]:
        """What the widgets ask for that differs from the current search's setup."""
        last = self._last_settings
        changes: dict[str, Any] = {
            key: settings[key]
            for key in ("n_trials", "timeout", "n_jobs", "cv", "scoring")
            if key in settings and settings[key] != last.get(key)
        }
        if space != self.plan.space:
            changes["space"] = space
        strategy_keys = ("strategy", "seed", "strategy_options")
        # a strategy instance given in code serves the first search only
        instance = isinstance(self.plan.strategy, Strategy)
        if any(settings[k] != last.get(k) for k in strategy_keys) or (
            instance and ("space" in changes or self.runner is not None)
        ):
            changes.update({k: settings[k] for k in strategy_keys})
        return changes

    def _new_runner(self) -> Runner:
        plan = self.plan.replace(**self._changes(self.builder.space, self.controls.settings()))
        runner = plan.runner(self.study)
        self.plan = plan
        self._last_settings = self.controls.settings()
        if plan.objective.reports_intermediate and self.curves_view not in self.views:
            self.views.append(self.curves_view)
            self.plot_tabs.children = [v.widget for v in self.views]
            self._title_tabs()
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = runner.subscribe(self._on_events, min_interval=REDRAW_INTERVAL)
        self._strategy = runner.strategy
        self.runner = runner
        return runner

    def _at_rest(self) -> bool:
        """No search is running trials: the static copy may be rewritten."""
        return self.runner is None or self.runner.state in _AT_REST

    def _active(self) -> bool:
        return self.runner is not None and self.runner.state not in (
            RunnerState.IDLE,
            RunnerState.FINISHED,
        )

    def start(self) -> None:
        """Start a search in the background, or go on with a paused one.

        With no search active, a new one starts (continuing the study, with the
        space and settings the widgets show); after :meth:`step` or
        :meth:`pause`, the paused search resumes, unless the space or the
        settings were changed meanwhile (a narrowed space): then it ends and a
        new search of the new space starts.

        Raises
        ------
        RunnerStateError
            If a search is already running.
        ValueError
            If the space or the settings are invalid (the widgets show why).
        """
        with self._lock:
            runner = self.runner
            if runner is not None and runner.state is RunnerState.PAUSED:
                if not self._changes(self.builder.space, self.controls.settings()):
                    runner.resume()  # after a Step (or Pause), Start goes on with that search
                    self.refresh()
                    return
                runner.stop()  # the space or the settings changed meanwhile: a new search
                runner.join()
            elif self._active():
                raise RunnerStateError("Cannot start: a search is already running.")
            self._new_runner().start()
        self.refresh()

    def step(self) -> None:
        """Run one trial, then pause (starting a search first if none is active)."""
        with self._lock:
            if not self._active():
                self._new_runner().step()
            else:
                assert self.runner is not None
                self.runner.step()
        self.refresh()

    def pause(self) -> None:
        """Pause: no new trial starts; the one in flight finishes."""
        self._require_runner("pause").pause()
        self.refresh()

    def resume(self) -> None:
        """Resume a paused search."""
        self._require_runner("resume").resume()
        self.refresh()

    def stop(self) -> None:
        """Stop: no new trial starts; the ones in flight finish and are kept."""
        if self.runner is not None:
            self.runner.stop()
        self.refresh()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current search is paused (with nothing in flight) or finished.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.
        """
        if self.runner is not None:
            self.runner.wait(timeout)
        self.refresh(all_views=True)

    def _require_runner(self, control: str) -> Runner:
        if self.runner is None:
            raise RunnerStateError(f"Cannot {control}: no search has been started.")
        return self.runner

    def _clicked(self, action: str) -> None:
        """A button was clicked: act, and show any problem inline rather than raising."""
        try:
            getattr(self, action)()
            self.message.value = ""
        except (ValueError, RunnerStateError) as exc:
            self.message.value = f"<span class='tw-error'>{escape(str(exc))}</span>"
            self.refresh()

    def _propose_space(self, space: SearchSpace, source: str) -> None:
        self.builder.set_space(space)
        verb = "Continue" if self.study.trials else "Start"
        self.message.value = (
            f"<span class='tw-note'>Proposed a narrower space from {escape(source)}: press "
            f"<b>{verb}</b> to search it; the study keeps all {len(self.study.trials)} earlier "
            "trials.</span>"
        )

    # -- redrawing --------------------------------------------------------------------
    def _on_events(self, events: list[Event]) -> None:
        finished = any(e.kind is EventKind.SEARCH_FINISHED for e in events)
        important = finished or any(e.kind in _IMPORTANT for e in events)
        # Redraws of a big study take a while: keep them to a third of the time at most,
        # so that the search is not slowed by its own dashboard (state changes always draw).
        if not important and time.monotonic() - self._last_refresh_end < 2 * self._refresh_cost:
            return
        self.refresh(all_views=False)
        if finished and self.runner is not None:
            reason = self.runner.finish_reason or ""
            self.message.value = f"<span class='tw-note'>Search finished: {escape(reason)}.</span>"

    def _on_synced(self, trials: list[Any]) -> None:
        """Trials from another process landed (called from the watcher's thread)."""
        self.refresh()

    def _frame(self) -> pd.DataFrame:
        version = self.study.version
        if self._frame_cache is None or self._frame_cache[0] != version:
            self._frame_cache = (version, self.study.trials_dataframe())
        return self._frame_cache[1]

    def _snapshot(self) -> Snapshot:
        strategy = self._strategy

        def surrogate() -> Any:
            return getattr(strategy, "surrogate", None) if strategy is not None else None

        space = self.study.space
        return Snapshot(self._frame(), space, surrogate, self.study.intermediate_dataframe)

    def _redraw_visible(self) -> None:
        index = self.plot_tabs.selected_index
        if index is None or index >= len(self.views):
            return
        with self._lock:
            self.views[index].redraw(self._snapshot())
            if self._at_rest():
                self._update_static_copy()  # the plot on show is in the static copy

    def refresh(self, all_views: bool = False) -> None:
        """Redraw from the study: status, progress, buttons, plots and tables.

        The one place that updates the widgets; called from the runner's event
        thread while a search runs, and after every control.

        Parameters
        ----------
        all_views : bool, default=False
            Redraw every plot, not only the visible one.
        """
        with self._lock:
            started = time.monotonic()
            snap = self._snapshot()
            index = self.plot_tabs.selected_index or 0
            for i, view in enumerate(self.views):
                if all_views or i == index:
                    view.redraw(snap)
                else:
                    view.stale = True
            trials = self.study.trials
            tab = self.result_tabs.selected_index or 0
            if all_views or tab == 0:
                self.table.update(snap.frame)
            self.best.update(self.study.best_trial, self.estimator)
            if all_views or tab == 2:
                self.detail.update(trials)
            self._update_status(trials)
            self._update_buttons()
            # the state a shared copy of the notebook shows: rewritten at rest, and while
            # trials run every STATIC_INTERVAL seconds at most (or ten times what it cost)
            wait = max(STATIC_INTERVAL, 10 * self._static_cost)
            if self._at_rest() or time.monotonic() - self._static_at >= wait:
                self._update_static_copy()
            self._last_refresh_end = time.monotonic()
            self._refresh_cost = self._last_refresh_end - started

    def _update_buttons(self) -> None:
        state = self.runner.state if self.runner is not None else None
        can_start = self.builder.valid and self.controls.valid
        self.controls.show_state(state, can_start=can_start, continuing=bool(self.study.trials))

    def _update_status(self, trials: list[Any]) -> None:
        runner = self.runner
        state = runner.state.value if runner is not None else "ready"
        failed = sum(t.state.value == "failed" for t in trials)
        pruned = sum(t.state.value == "pruned" for t in trials)
        running = sum(t.state.value == "running" for t in trials)
        best = self.study.best_trial
        asks = [t.ask_time for t in trials[-20:] if t.ask_time]
        ask = f"{statistics.median(asks) * 1000:.0f} ms" if asks else "–"
        best_text = "–"
        if best is not None:  # with the fold std: how much of a difference is noise
            std = f" ± {best.score_std:.2g}" if best.score_std else ""
            best_text = f"{best.score:.4g}{std} (trial {best.number})"
        count = f"{len(trials)} trial" + ("" if len(trials) == 1 else "s")
        parts = [f"<b class='tw-state'>{escape(state)}</b>", count]
        if running:
            parts.append(f"{running} running")
        if failed:
            parts.append(f"<span class='tw-error'>{failed} failed</span>")
        if pruned:
            parts.append(f"{pruned} pruned")
        parts += [f"best {best_text}", f"strategy's time per ask {ask}"]
        if runner is not None and runner.finish_reason:
            parts.append(f"finished: {escape(runner.finish_reason)}")
        if runner is not None and runner.failure_summary is not None:
            parts.append(f"<span class='tw-error'>{escape(runner.failure_summary)}</span>")
        self.status.value = "<span class='tw-status'>" + " · ".join(parts) + "</span>"
        if runner is not None:
            done = runner.n_finished
            elapsed = runner.elapsed
            total = runner.n_trials
            eta = None
            if done and total and runner.state is not RunnerState.FINISHED:
                eta = elapsed / done * max(total - done, 0)
                if runner.timeout is not None:
                    eta = min(eta, max(runner.timeout - elapsed, 0.0))
            elif runner.state is RunnerState.FINISHED:
                eta = 0.0
            best_score = best.score if best is not None else None
            self.controls.show_progress(done, total, best_score, elapsed, eta)
        else:
            total = self.controls.values().get("n_trials")
            self.controls.show_progress(0, total, self.study.best_score, 0.0, None)

    @property
    def status_text(self) -> str:
        """The status line as plain text (for tests and logs)."""
        import re

        return re.sub(r"<[^>]+>", "", self.status.value)
