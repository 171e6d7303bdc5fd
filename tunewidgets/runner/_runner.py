"""The runner: one loop per search, ask -> evaluate -> tell -> record -> notify."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from datetime import datetime, timezone
from typing import Any

from .._interrupts import interrupts_deferred
from .._validation import check_int, check_real
from ..exceptions import ExecutorLostError, RunnerStateError, WorkerDiedError
from ..objectives import Objective, as_objective
from ..strategies import SearchComplete, Strategy
from ..study import Study, Trial, TrialState
from ._evaluate import Outcome, evaluate
from ._events import Event, EventBus, EventKind, RunnerState
from ._executors import TrialExecutor, make_executor
from ._remote import check_picklable, remote_evaluate

__all__ = ["Runner", "RunnerStateError", "check_budgets", "check_pruner"]

log = logging.getLogger("tunewidgets")

_POLL = 0.1  # seconds between looks at in-flight trials (parallel executors)
_CANCELLED = "Cancelled: the search was stopped with stop(cancel=True) while this trial ran"


def check_budgets(
    owner: str,
    *,
    n_trials: Any = None,
    timeout: Any = None,
    target: Any = None,
    patience: Any = None,
    max_consecutive_failures: Any = 5,
) -> dict[str, Any]:
    """Validate a search's budgets; return them as plain numbers.

    Parameters
    ----------
    owner : str
        Who receives them, for messages.
    n_trials, timeout, target, patience, max_consecutive_failures
        As for :class:`Runner`.

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        Naming the budget, what is allowed and what was received.
    """
    return {
        "n_trials": check_int(n_trials, "n_trials", owner=owner, low=1, allow_none=True),
        "timeout": check_real(
            timeout, "timeout", owner=owner, low=0.0, low_inclusive=False, allow_none=True
        ),
        "target": check_real(target, "target", owner=owner, allow_none=True),
        "patience": check_int(patience, "patience", owner=owner, low=1, allow_none=True),
        "max_consecutive_failures": check_int(
            max_consecutive_failures,
            "max_consecutive_failures",
            owner=owner,
            low=1,
            allow_none=True,
        ),
    }


def check_pruner(pruner: Any, owner: str) -> Any:
    """Check that ``pruner`` is None or has ``should_prune(trial, trials)``.

    Parameters
    ----------
    pruner : object or None
    owner : str
        Who receives it, for messages.

    Returns
    -------
    object or None
        The pruner.

    Raises
    ------
    ValueError
        If it has no ``should_prune`` method.
    """
    if pruner is not None and not callable(getattr(pruner, "should_prune", None)):
        raise ValueError(
            f"{owner}: 'pruner' must have a should_prune(trial, trials) method, such as "
            f"tw.MedianPruner(). Got {pruner!r}."
        )
    return pruner


class _LocalReporter:
    """What an in-thread objective reports to: straight into the runner."""

    def __init__(self, runner: Runner, trial: Trial) -> None:
        self.number = trial.number
        self.params = dict(trial.params)
        self._runner = runner

    def report(self, value: float, step: int) -> None:
        self._runner._on_report(self.number, step, value)

    def should_prune(self) -> bool:
        return self._runner._prune_flags.get(self.number, False)


class Runner:
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
        self.n_trials: int | None = budgets["n_trials"]
        self.timeout: float | None = budgets["timeout"]
        self.target: float | None = budgets["target"]
        self.patience: int | None = budgets["patience"]
        self.max_consecutive_failures: int | None = budgets["max_consecutive_failures"]
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
        self.n_started = 0
        self.n_finished = 0
        self.n_failed = 0
        self.first_error: str | None = None
        self._failures_in_row = 0
        self._since_improvement = 0
        self._best: float | None = None
        self._active = 0.0
        self._active_since: float | None = None
        self._arrivals_told = 0  # trials of other processes already told to the strategy

    def __repr__(self) -> str:
        return (
            f"Runner(state={self._state.value!r}, started={self.n_started}, "
            f"finished={self.n_finished}, reason={self.finish_reason!r})"
        )

    # -- inspection ------------------------------------------------------------
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
        if self.n_finished == 0 or self.n_failed < self.n_finished:
            return None
        trials = "The trial" if self.n_finished == 1 else f"All {self.n_finished} trials"
        return f"{trials} of this search failed. The first error: {self.first_error}"

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
        self._best = self.study.best_score
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
    def _prime_strategy(self) -> None:
        """Tell a fresh strategy every finished trial of the study (a resumed search)."""
        self._sync_study()
        trials, self._arrivals_told = self.study._snapshot_for_strategy()
        if self.strategy.n_told:
            return
        space = self.strategy.space
        for trial in trials:
            if trial.is_finished and space.contains(trial.params):
                self.strategy.tell(trial.params, _told_score(trial))

    def _sync_study(self) -> None:
        try:
            self.study.sync()
        except Exception:  # learning others' trials is a help, never a reason to stop
            log.warning("tunewidgets: could not read other processes' trials", exc_info=True)

    def _learn_from_others(self) -> None:
        """Before an ask: tell the strategy the trials other processes finished meanwhile."""
        self._sync_study()
        arrived, self._arrivals_told = self.study._arrivals(self._arrivals_told)
        space = self.strategy.space
        for trial in arrived:
            if not (trial.is_finished and space.contains(trial.params)):
                continue
            self.strategy.tell(trial.params, _told_score(trial))
            if trial.has_score and (self._best is None or trial.score > self._best):  # type: ignore[operator]
                self._best = trial.score

    def _budget_reason(self) -> str | None:
        if self.n_trials is not None and self.n_started >= self.n_trials:
            return "n_trials reached"
        if self.timeout is not None and self.elapsed >= self.timeout:
            return "timeout reached"
        best = self._best  # kept up to date by _record: no scan of the study per trial
        if self.target is not None and best is not None and best >= self.target:
            return "target reached"
        if self.patience is not None and self._since_improvement >= self.patience:
            return f"no improvement in {self.patience} trials"
        limit = self.max_consecutive_failures
        if limit is not None and self._failures_in_row >= limit:
            return f"{limit} failed trials in a row"
        return None

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
                            self._no_more = self._budget_reason()
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

    def _start_one(self, in_flight: dict[Future[Any], Trial]) -> None:
        self._learn_from_others()
        t0 = time.perf_counter()
        try:
            params = self.strategy.ask()
        except SearchComplete:
            self._no_more = "search complete"
            return
        ask_time = time.perf_counter() - t0
        info = {"strategy": dict(self.strategy.last_info)} if self.strategy.last_info else {}
        trial = self.study._start_trial(params, ask_time=ask_time, info=info)
        self.n_started += 1
        if self._steps_left is not None:
            self._steps_left -= 1
        self._events.emit(Event(EventKind.TRIAL_STARTED, self._state, trial=trial))
        self._starting = trial
        with self._cond:
            self._in_flight = len(in_flight) + 1
        try:
            future = self._submit(trial)  # in-thread executors run the trial right here
        except ExecutorLostError:
            self._starting = None
            self._drop(trial)
            raise
        in_flight[future] = trial  # before forgetting _starting: a Ctrl-C between sees it
        self._starting = None

    def _submit(self, trial: Trial) -> Future[Any]:
        if self._executor.remote:
            return self._executor.submit(
                remote_evaluate,
                self.objective,
                trial.params,
                trial.number,
                self.capture_output,
                self._link,
                self.pruner is not None,
            )
        reporter = _LocalReporter(self, trial)
        return self._executor.submit(
            evaluate,
            self.objective,
            trial.params,
            reporter,
            capture=self.capture_output,
            last_value=lambda: _last_value(self.study.trial(trial.number)),
        )

    def _on_report(self, number: int, step: Any, value: Any) -> bool | None:
        """Record a report; return the pruner's decision (None without a pruner)."""
        step = check_int(step, "step", owner="report")
        value = check_real(value, "value", owner="report")
        with self._trial_lock:
            try:
                current = self.study.trial(number)
            except KeyError:
                return None  # a trial dropped meanwhile (cancelled before it was recorded)
            if current.state is not TrialState.RUNNING:
                return None  # a late report: the outcome already brought every value
            trial = self.study._report(number, step, value)
            decision = None
            if self.pruner is not None:
                decision = bool(self.pruner.should_prune(trial, self.study.trials))
                self._prune_flags[number] = decision
        self._events.emit(Event(EventKind.TRIAL_REPORTED, self._state, trial=trial))
        return decision

    def _on_message(self, message: tuple[Any, ...]) -> bool | None:
        """A message from a trial in a worker (called from a thread of the executor)."""
        kind, number = message[0], int(message[1])
        if kind == "started":
            self._started.add(number)
        elif kind == "report":
            return self._on_report(number, message[2], message[3])
        return None

    def _collect(
        self, trial: Trial, future: Future[Any], in_flight: dict[Future[Any], Trial]
    ) -> None:
        if future.cancelled():
            self._drop(trial)
            return
        try:
            outcome: Outcome = future.result()
        except WorkerDiedError as exc:
            if self._died_before_starting(trial):
                in_flight[self._submit(trial)] = trial  # it never ran: run it again, once
                return
            outcome = Outcome(TrialState.FAILED, error=str(exc))
        except ExecutorLostError:
            self._drop(trial)
            raise
        except Exception as exc:  # the worker itself failed
            outcome = Outcome(TrialState.FAILED, error=f"{type(exc).__name__}: {exc}")
        self._record(trial, outcome)

    def _died_before_starting(self, trial: Trial) -> bool:
        """Whether a trial whose worker died had not started (it is then run again, once).

        A worker may die while idle, or with the trial still queued on it. Trials
        announce their start on the executor's link; without one, nothing is known.
        """
        if self._link is None or trial.number in self._started:
            return False
        if trial.number in self._rerun:
            return False
        ask = getattr(self._executor, "has_started", None)
        if ask is not None and ask(trial.number):  # announced, but the event never came
            return False
        self._rerun.add(trial.number)
        log.warning("tunewidgets: trial %d: its worker died before it started; running it "
                    "again", trial.number)  # fmt: skip
        return True

    def _drop(self, trial: Trial) -> None:
        """Forget a trial that never ran, or was cut short by a lost cluster."""
        self.strategy.tell(trial.params, None)
        with self._trial_lock:
            self.study._drop_trial(trial.number)
            self._prune_flags.pop(trial.number, None)
        self._started.discard(trial.number)

    def _cancel_in_flight(self, in_flight: dict[Future[Any], Trial]) -> None:
        """While stopping: cancel trials not started; with stop(cancel=True), running ones too."""
        for future, trial in list(in_flight.items()):
            if future.done():
                continue
            if trial.number not in self._started and future.cancel():
                continue  # collected as cancelled: dropped
            if not self._cancel_running:
                continue
            self._executor.abandon(future)
            if future.cancelled():
                del in_flight[future]
                self._record(trial, Outcome(TrialState.FAILED, error=_CANCELLED))

    def _drop_in_flight(self, in_flight: dict[Future[Any], Trial]) -> None:
        """The executor is lost: forget the trials it was running."""
        for future, trial in list(in_flight.items()):
            future.cancel()
            try:
                self._drop(trial)
            except Exception:
                log.exception("tunewidgets: could not drop trial %d", trial.number)
        in_flight.clear()

    def _record(self, trial: Trial, outcome: Outcome) -> None:
        with self._trial_lock:
            finished = self._finish_record(trial, outcome)
        self._started.discard(trial.number)
        self.strategy.tell(finished.params, _told_score(finished))
        self.n_finished += 1
        if finished.state is TrialState.FAILED:
            self._failures_in_row += 1
            self.n_failed += 1
            if self.first_error is None:
                self.first_error = finished.error or "unknown error"
        else:
            self._failures_in_row = 0
        if finished.has_score and (self._best is None or finished.score > self._best):  # type: ignore[operator]
            self._best = finished.score
            self._since_improvement = 0
        else:
            self._since_improvement += 1
        self._events.emit(Event(EventKind.TRIAL_FINISHED, self._state, trial=finished))

    def _finish_record(self, trial: Trial, outcome: Outcome) -> Trial:
        current = self.study.trial(trial.number)
        values = dict(current.intermediate_values)
        values.update(outcome.intermediate_values)
        score = outcome.score
        if outcome.state is TrialState.PRUNED and score is None and values:
            score = values[max(values)]
        finished = current.with_changes(
            state=outcome.state,
            score=score,
            score_std=outcome.score_std,
            error=outcome.error,
            output=outcome.output,
            intermediate_values=values,
            info={**current.info, **outcome.info},
            ended=datetime.now(timezone.utc),
        )
        finished = self.study._finish_trial(finished)
        self._prune_flags.pop(trial.number, None)
        return finished

    def _abandon(self, in_flight: dict[Future[Any], Trial], error: str) -> None:
        """Record trials cut short by an interrupt or an error as failed."""
        outcomes: dict[int, tuple[Trial, Outcome]] = {}
        for future, trial in in_flight.items():
            future.cancel()
            outcome = Outcome(TrialState.FAILED, error=error)
            if future.done() and not future.cancelled() and future.exception() is None:
                outcome = future.result()  # it had finished: keep what it found
            outcomes[trial.number] = (trial, outcome)
        if self._starting is not None and self._starting.number not in outcomes:
            outcomes[self._starting.number] = (
                self._starting,
                Outcome(TrialState.FAILED, error=error),
            )
        for trial, outcome in outcomes.values():
            try:
                self._record(trial, outcome)
            except Exception:  # the storage itself may be what failed
                log.exception("tunewidgets: could not record trial %d", trial.number)

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


def _last_value(trial: Trial) -> float | None:
    values = trial.intermediate_values
    return values[max(values)] if values else None


def _told_score(trial: Trial) -> float | None:
    """What the strategy is told: the score, a pruned trial's last value, None for a failure."""
    if trial.state in (TrialState.COMPLETE, TrialState.PRUNED) and trial.score is not None:
        return trial.score if math.isfinite(trial.score) else None
    return None
