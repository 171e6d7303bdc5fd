"""The runner: one loop per search, ask -> evaluate -> tell -> record -> notify."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from .._interrupts import interrupts_deferred
from ..exceptions import ExecutorLostError, RunnerStateError
from ..objectives import Objective, as_objective
from ..strategies import Strategy
from ..study import Study, Trial
from ._budget import Budget, check_budgets, check_pruner
from ._events import Event, EventBus, EventKind, RunnerState
from ._executor import TrialExecutor
from ._factory import make_executor
from ._remote import check_picklable
from ._trials import TrialKeeping

__all__ = ["Runner"]

log = logging.getLogger("tunewidgets")

_POLL = 0.1  # seconds between looks at in-flight trials (parallel executors)


def _from_budget(name: str, doc: str) -> Any:
    """A read-only attribute of the runner kept by its :class:`Budget`."""
    return property(lambda runner: getattr(runner._budget, name), doc=doc)


class Runner(TrialKeeping):
    """Run a search in the background: ask, evaluate, tell, record, notify.

    Parameters
    ----------
    study : Study
        Where trials are recorded. Trials it already holds are told to the
        strategy before the first ask, so a resumed search continues; so are,
        before each ask, the trials other processes sharing the stored study
        finished meanwhile (:meth:`Study.sync`).
    objective : Objective or callable
        What each trial runs.
    strategy : Strategy
        Chooses the configurations; built on ``study.space``.
    n_trials : int, optional
        Trials to start in this run; None runs until another budget or
        :meth:`stop` ends it.
    timeout : float, optional
        Seconds of running (paused time not counted) after which no new trial starts.
    target : float, optional
        Stop once the best score reaches this value.
    patience : int, optional
        Stop after this many finished trials in a row without a new best score.
    max_consecutive_failures : int or None, default=5
        Stop after this many failed trials in a row (None: never).
    n_jobs : int, default=1
        Trials at once: 1 runs them in the runner's thread, k > 1 in k local
        worker processes, -1 one per CPU.
    executor : dask.distributed.Client or TrialExecutor, optional
        Where trials run, instead of ``n_jobs``: a Client of a Dask cluster
        runs as many trials at once as its workers have threads.
    pruner : Pruner, optional
        Decides from intermediate values whether a trial should stop early.
    capture_output : bool, default=True
        Keep what trials print with the trial instead of printing it.

    Raises
    ------
    ValueError
        For any invalid argument, before any thread starts (an objective that
        cannot be sent to worker processes included).
    PermissionError
        If the study's file is read-only.
    ExecutorLostError
        If ``executor`` is a Dask Client whose cluster cannot be reached.

    See Also
    --------
    tune : a Runner run to the end in the calling thread.

    Notes
    -----
    States and controls::

        idle --start/step--> running --pause--> paused --resume/step--> running
        running --step--> (finish the trial in flight) --> paused
        any --stop--> stopping (trials in flight finish) --> finished
        any --stop(cancel=True)--> stopping (trials in flight cancelled) --> finished
        running --budget, search complete, failures--> finished

    ``start`` is valid only when idle; ``pause`` and ``resume`` on a search that
    is not started or has finished raise :class:`RunnerStateError`; ``stop`` is
    always valid. Events (``search_started``, ``trial_started``,
    ``trial_reported``, ``trial_finished``, ``state_changed``,
    ``search_finished``) reach subscribers from a thread of the runner's own,
    so a slow subscriber never stalls the search.

    *Parallel trials.* With ``n_jobs > 1`` or a Dask ``executor``, the runner
    asks the strategy for as many configurations as trials may run at once,
    before the first results return (:class:`BayesianSearch` treats those in
    flight as pending). Reports from worker processes reach the runner while
    the trials run, so curves draw live and the pruner decides as in the
    runner's thread. A trial whose worker process dies is recorded as failed
    (``"worker died: ..."``) and the search goes on. If a Dask cluster can no
    longer be reached, the search ends with :class:`ExecutorLostError` in
    :attr:`error`; trials cut short are not recorded.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> study = tw.Study(space)
    >>> runner = tw.Runner(study, lambda p: p["x"], tw.RandomSearch(space, seed=0), n_trials=5)
    >>> runner.start().join()
    True
    >>> runner.state.value, runner.finish_reason, len(study.trials)
    ('finished', 'n_trials reached', 5)
    """

    def __init__(
        self,
        study: Study,
        objective: Objective | Callable[..., Any],
        strategy: Strategy,
        *,
        n_trials: int | None = None,
        timeout: float | None = None,
        target: float | None = None,
        patience: int | None = None,
        max_consecutive_failures: int | None = 5,
        n_jobs: int = 1,
        executor: Any = None,
        pruner: Any = None,
        capture_output: bool = True,
    ) -> None:
        owner = "Runner"
        if not isinstance(study, Study):
            raise ValueError(f"Runner: 'study' must be a tw.Study. Got {type(study).__name__}.")
        if not isinstance(strategy, Strategy):
            raise ValueError(
                f"Runner: 'strategy' must be a tw.Strategy. Got {type(strategy).__name__}."
            )
        if strategy.space != study.space:
            raise ValueError("Runner: the strategy must be built on the study's search space.")
        study._check_writable()
        fitted = as_objective(objective)
        fitted.check_space(study.space)
        budgets = check_budgets(
            owner,
            n_trials=n_trials,
            timeout=timeout,
            target=target,
            patience=patience,
            max_consecutive_failures=max_consecutive_failures,
        )
        check_pruner(pruner, owner)
        executor_ = make_executor(n_jobs, executor, owner)
        if executor_.remote:
            check_picklable(fitted, owner)
        self._init(
            study, fitted, strategy, budgets, executor_, pruner, capture_output=bool(capture_output)
        )

    @classmethod
    def _prepared(
        cls,
        study: Study,
        objective: Objective,
        strategy: Strategy,
        budgets: dict[str, Any],
        executor: TrialExecutor,
        pruner: Any,
        *,
        capture_output: bool,
    ) -> Runner:
        """A runner from arguments already validated (by :func:`tunewidgets.plan_search`)."""
        runner = cls.__new__(cls)
        runner._init(
            study, objective, strategy, budgets, executor, pruner, capture_output=capture_output
        )
        return runner

    def _init(
        self,
        study: Study,
        objective: Objective,
        strategy: Strategy,
        budgets: dict[str, Any],
        executor: TrialExecutor,
        pruner: Any,
        *,
        capture_output: bool,
    ) -> None:
        self.study = study
        self.objective = objective
        self.strategy = strategy
        self._budget = Budget(**budgets)
        self.pruner = pruner
        self.capture_output = capture_output
        self._executor: TrialExecutor = executor
        self._cond = threading.Condition()
        self._state = RunnerState.IDLE
        self._thread: threading.Thread | None = None
        self._events = EventBus()
        self._steps_left: int | None = None
        self._no_more: str | None = None  # why no new trial may start
        self._prune_flags: dict[int, bool] = {}
        self._trial_lock = threading.RLock()  # reports from other threads vs recording
        self._started: set[int] = set()  # remote trials known to have started
        self._rerun: set[int] = set()  # trials run again after a worker died before them
        self._link: Any = None
        self._cancel_running = False
        self._starting: Trial | None = None
        self._in_flight = 0  # trials running now, as last seen by the loop
        self.finish_reason: str | None = None
        self.error: BaseException | None = None
        self._active = 0.0
        self._active_since: float | None = None
        self._arrivals_told = 0  # trials of other processes already told to the strategy

    def __repr__(self) -> str:
        return (
            f"Runner(state={self._state.value!r}, started={self.n_started}, "
            f"finished={self.n_finished}, reason={self.finish_reason!r})"
        )

    # -- inspection ------------------------------------------------------------
    n_trials = _from_budget("n_trials", "Trials to start in this run, or None.")
    timeout = _from_budget("timeout", "Seconds of running after which no trial starts, or None.")
    target = _from_budget("target", "The score that ends the search, or None.")
    patience = _from_budget("patience", "Trials without a new best that end the search, or None.")
    max_consecutive_failures = _from_budget(
        "max_consecutive_failures", "Failed trials in a row that end the search, or None."
    )
    n_started = _from_budget("n_started", "Trials this search has started.")
    n_finished = _from_budget("n_finished", "Trials this search has finished.")
    n_failed = _from_budget("n_failed", "Trials of this search that failed.")
    first_error = _from_budget("first_error", "The error of this search's first failed trial.")

    @property
    def state(self) -> RunnerState:
        """The current state."""
        return self._state

    @property
    def executor(self) -> TrialExecutor:
        """Where trials run."""
        return self._executor

    @property
    def failure_summary(self) -> str | None:
        """What to tell the user when every trial this search finished has failed, else None.

        A search whose every trial failed (NaN in X, a misspelt parameter, a
        broken objective) has no best score; this names the count and the
        first error, for :func:`tune`'s warning and the dashboard's status line.
        """
        return self._budget.failure_summary

    @property
    def elapsed(self) -> float:
        """Seconds spent running (paused time not counted)."""
        since = self._active_since
        return self._active + (time.monotonic() - since if since is not None else 0.0)

    def subscribe(
        self, callback: Callable[[list[Event]], None], min_interval: float = 0.0
    ) -> Callable[[], None]:
        """Receive the search's events (see the class notes).

        Parameters
        ----------
        callback : callable
            Called with a list of :class:`Event`, from the runner's event thread.
        min_interval : float, default=0.0
            At most one call per this many seconds; events in between are batched.

        Returns
        -------
        callable
            Call it to unsubscribe.
        """
        return self._events.subscribe(callback, min_interval)

    # -- controls ------------------------------------------------------------------
    def _set_state(self, state: RunnerState) -> None:
        """Change state (caller holds the lock) and keep the running clock."""
        now = time.monotonic()
        if self._state is RunnerState.RUNNING and state is not RunnerState.RUNNING:
            if self._active_since is not None:
                self._active += now - self._active_since
            self._active_since = None
        elif state is RunnerState.RUNNING and self._state is not RunnerState.RUNNING:
            self._active_since = now
        self._state = state
        self._cond.notify_all()
        self._events.emit(Event(EventKind.STATE_CHANGED, state))

    def _refuse(self, control: str) -> RunnerStateError:
        hint = {
            RunnerState.IDLE: "the search has not started; use start() or step()",
            RunnerState.FINISHED: "the search has finished; start a new one to continue",
            RunnerState.STOPPING: "the search is stopping",
        }.get(self._state, f"the search is {self._state.value}")
        return RunnerStateError(f"Cannot {control}: {hint}.")

    def start(self) -> Runner:
        """Start the search in a background thread and return at once.

        Returns
        -------
        Runner
            Itself, so that ``runner.start().join()`` reads well.

        Raises
        ------
        RunnerStateError
            If the runner is not idle.
        """
        with self._cond:
            if self._state is not RunnerState.IDLE:
                raise self._refuse("start")
            self._launch(threaded=True)
        return self

    def run(self) -> Study:
        """Run the search to the end in the calling thread (what :func:`tune` does).

        Returns
        -------
        Study

        Raises
        ------
        RunnerStateError
            If the runner is not idle.
        """
        with self._cond:
            if self._state is not RunnerState.IDLE:
                raise self._refuse("run")
            self._launch(threaded=False)
        self._loop()
        return self.study

    def _launch(self, threaded: bool) -> None:
        self._prime_strategy()
        if self._executor.remote:
            try:
                self._link = self._executor.link(self._on_message)
            except Exception:
                log.warning(
                    "tunewidgets: no live reports from workers (they come back with each "
                    "trial's result)",
                    exc_info=True,
                )
        self._budget.best = self.study.best_score
        self._events.start()
        self._events.emit(Event(EventKind.SEARCH_STARTED, RunnerState.RUNNING))
        self._set_state(RunnerState.RUNNING)
        if threaded:
            self._thread = threading.Thread(
                target=self._loop, name="tunewidgets-runner", daemon=True
            )
            self._thread.start()

    def pause(self) -> None:
        """Start no new trial; trials in flight finish. Resume with :meth:`resume` or :meth:`step`.

        Raises
        ------
        RunnerStateError
            If the search has not started or has ended.
        """
        with self._cond:
            if self._state is RunnerState.PAUSED:
                return
            if self._state is not RunnerState.RUNNING:
                raise self._refuse("pause")
            self._steps_left = None
            self._set_state(RunnerState.PAUSED)

    def resume(self) -> None:
        """Continue a paused search.

        Raises
        ------
        RunnerStateError
            If the search is not paused or running.
        """
        with self._cond:
            if self._state is RunnerState.RUNNING:
                self._steps_left = None
                return
            if self._state is not RunnerState.PAUSED:
                raise self._refuse("resume")
            self._steps_left = None
            self._set_state(RunnerState.RUNNING)

    def step(self) -> None:
        """Run one more trial, then pause (from running: finish the trials in flight, then pause).

        Raises
        ------
        RunnerStateError
            If the search is stopping or has finished.
        """
        with self._cond:
            if self._state is RunnerState.IDLE:
                self._steps_left = 1
                self._launch(threaded=True)
            elif self._state is RunnerState.PAUSED:
                self._steps_left = 1
                self._set_state(RunnerState.RUNNING)
            elif self._state is RunnerState.RUNNING:
                self._steps_left = 0
                self._cond.notify_all()
            else:
                raise self._refuse("step")

    def stop(self, wait: bool = False, timeout: float | None = None, cancel: bool = False) -> None:
        """End the search: no new trial starts; trials in flight finish and are recorded.

        Trials submitted to a cluster that have not started yet are cancelled
        and not recorded.

        Parameters
        ----------
        wait : bool, default=False
            Block until the search has finished.
        timeout : float, optional
            Seconds to wait at most, with ``wait``.
        cancel : bool, default=False
            Also cancel the trials that are running in worker processes or on a
            cluster: they are recorded as failed (``"Cancelled: ..."``), with
            what they reported so far. A local worker process running one is
            ended; a Dask worker finishes the task and its result is dropped.
            A trial in the runner's thread (``n_jobs=1``) always finishes.
        """
        with self._cond:
            if cancel:
                self._cancel_running = True
                self._cond.notify_all()
            if self._state is RunnerState.IDLE:
                self.finish_reason = "stopped"
                self._set_state(RunnerState.FINISHED)
                self._events.emit(
                    Event(EventKind.SEARCH_FINISHED, RunnerState.FINISHED, reason="stopped")
                )
                return
            if self._state in (RunnerState.RUNNING, RunnerState.PAUSED):
                self._set_state(RunnerState.STOPPING)
        if wait:
            self.join(timeout)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the search to finish.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.

        Returns
        -------
        bool
            Whether it has finished.
        """
        with self._cond:
            return self._cond.wait_for(lambda: self._state is RunnerState.FINISHED, timeout)

    def wait(self, timeout: float | None = None) -> RunnerState:
        """Wait until the search is paused with no trial in flight, or finished.

        Use it after :meth:`step` or :meth:`pause` to know that the trials have
        been recorded.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.

        Returns
        -------
        RunnerState
            The state when the wait ended.
        """

        def settled() -> bool:
            if self._state is RunnerState.PAUSED:
                return self._in_flight == 0
            return self._state in (RunnerState.FINISHED, RunnerState.IDLE)

        with self._cond:
            self._cond.wait_for(settled, timeout)
            return self._state

    # -- the loop ------------------------------------------------------------------
    def _loop(self) -> None:
        in_flight: dict[Future[Any], Trial] = {}
        reason: str | None = None
        try:
            while True:
                for future in [f for f in in_flight if f.done()]:
                    with interrupts_deferred():  # a finished trial is recorded, whole
                        self._collect(in_flight.pop(future), future, in_flight)
                can_start = False
                stopping = False
                limit = self._executor.max_workers  # may ask a cluster: not under the lock
                with self._cond:
                    if self._in_flight != len(in_flight):
                        self._in_flight = len(in_flight)
                        self._cond.notify_all()
                    state = self._state
                    if state is RunnerState.STOPPING:
                        if not in_flight:
                            reason = "stopped"
                            break
                        stopping = True
                    elif state is RunnerState.PAUSED:
                        if not in_flight:
                            self._cond.wait()
                            continue
                    else:
                        if self._no_more is None:
                            self._no_more = self._budget.reason(self.elapsed)
                        if self._no_more is not None:
                            if not in_flight:
                                reason = self._no_more
                                break
                        elif self._steps_left == 0:
                            if not in_flight:
                                self._steps_left = None
                                self._set_state(RunnerState.PAUSED)
                                continue
                        else:
                            can_start = len(in_flight) < limit
                if stopping:
                    self._cancel_in_flight(in_flight)
                if can_start:
                    self._start_one(in_flight)
                elif in_flight:
                    wait(list(in_flight), timeout=_POLL, return_when=FIRST_COMPLETED)
        except ExecutorLostError as exc:
            reason = f"error: {type(exc).__name__}: {exc}"
            self.error = exc
            log.error("tunewidgets: %s", exc)
            self._drop_in_flight(in_flight)
        except KeyboardInterrupt:
            reason = "interrupted"
            self._abandon(in_flight, "KeyboardInterrupt: the search was interrupted")
        except BaseException as exc:
            reason = f"error: {type(exc).__name__}: {exc}"
            self.error = exc
            log.exception("tunewidgets: the search ended with an error")
            self._abandon(in_flight, f"{type(exc).__name__}: {exc}")
        finally:
            self._finish(reason or "stopped")

    def _finish(self, reason: str) -> None:
        try:
            self._executor.shutdown(cancel=True)
        except Exception:
            log.exception("tunewidgets: could not shut the executor down")
        self.study._drop_running()
        with self._cond:
            self.finish_reason = reason
            self._set_state(RunnerState.FINISHED)
        self._events.emit(Event(EventKind.SEARCH_FINISHED, RunnerState.FINISHED, reason=reason))
        self._events.close()
