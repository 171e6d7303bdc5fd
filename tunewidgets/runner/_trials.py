"""What the runner does with each trial: submit it, take its reports, record its outcome.

:class:`TrialKeeping` is the part of :class:`Runner` that deals with one trial
at a time, apart from the controls, the state machine and the loop (in
``_runner.py``): it keeps the strategy told of every finished trial (those of
other processes sharing the study included), hands trials to the executor,
takes their reports (asking the pruner), and records their outcomes, whole,
in the Study and in the :class:`Budget`.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from concurrent.futures import Future
from datetime import datetime, timezone
from typing import Any

from .._trial import Trial, TrialState
from .._validation import check_int, check_real
from ..exceptions import ExecutorLostError, SearchComplete, WorkerDiedError
from ..objectives import Objective
from ..strategies import Strategy
from ..study import Study
from ._budget import Budget
from ._evaluate import Outcome, evaluate
from ._events import Event, EventBus, EventKind, RunnerState
from ._executor import TrialExecutor
from ._remote import remote_evaluate

__all__ = ["TrialKeeping"]

log = logging.getLogger("tunewidgets")

_CANCELLED = "Cancelled: the search was stopped with stop(cancel=True) while this trial ran"


class _LocalReporter:
    """What an in-thread objective reports to: straight into the runner."""

    def __init__(self, runner: TrialKeeping, trial: Trial) -> None:
        self.number = trial.number
        self.params = dict(trial.params)
        self._runner = runner

    def report(self, value: float, step: int) -> None:
        self._runner._on_report(self.number, step, value)

    def should_prune(self) -> bool:
        return self._runner._prune_flags.get(self.number, False)


class TrialKeeping:
    """The trial-by-trial work of a :class:`Runner` (a base class of it, with its attributes)."""

    study: Study
    objective: Objective
    strategy: Strategy
    pruner: Any
    capture_output: bool
    _executor: TrialExecutor
    _events: EventBus
    _state: RunnerState
    _budget: Budget
    _link: Any
    _trial_lock: threading.RLock
    _prune_flags: dict[int, bool]
    _started: set[int]
    _rerun: set[int]
    _starting: Trial | None
    _cancel_running: bool
    _arrivals_told: int
    _steps_left: int | None
    _no_more: str | None
    _cond: threading.Condition
    _in_flight: int

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
            self._budget.learned(trial)

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
        self._budget.started()
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
        log.warning(
            "tunewidgets: trial %d: its worker died before it started; running it again",
            trial.number,
        )
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
        self._budget.finished(finished)
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


def _last_value(trial: Trial) -> float | None:
    values = trial.intermediate_values
    return values[max(values)] if values else None


def _told_score(trial: Trial) -> float | None:
    """What the strategy is told: the score, a pruned trial's last value, None for a failure."""
    if trial.state in (TrialState.COMPLETE, TrialState.PRUNED) and trial.score is not None:
        return trial.score if math.isfinite(trial.score) else None
    return None
