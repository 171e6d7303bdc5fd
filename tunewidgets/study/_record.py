"""What a search writes into a Study, and what it reads of other processes' trials.

:class:`TrialRecords` is the part of :class:`Study` the runner calls, trial by
trial (start, report, finish, drop), and the reading of a shared study's file
(:meth:`sync`). Trials are kept in order of number; every change happens under
the study's lock and bumps its version.
"""

from __future__ import annotations

import bisect
import threading
from datetime import datetime, timezone
from typing import Any

from .._interrupts import interrupts_deferred
from .._trial import Trial, TrialState
from ..space import SearchSpace
from ..storage import SQLiteStorage
from ._payload import storable

__all__ = ["TrialRecords"]


class TrialRecords:
    """The runner's side of a :class:`Study` (a base class of it, with its attributes)."""

    name: str
    _space: SearchSpace
    _storage: SQLiteStorage | None
    _trials: list[Trial]
    _lock: threading.RLock
    _sync_lock: threading.Lock
    _version: int
    _writer: str
    _cursor: int
    _sync_token: tuple[int, int] | None
    _arrived: list[Trial]

    def trial(self, number: int) -> Trial:  # pragma: no cover - Study's
        """The trial of this number."""
        raise NotImplementedError

    def _next_number(self) -> int:
        return self._trials[-1].number + 1 if self._trials else 0  # kept in order of number

    def _start_trial(
        self, params: dict[str, Any], *, ask_time: float = 0.0, info: dict[str, Any] | None = None
    ) -> Trial:
        # a stored study's numbers come from the file: other processes may share it
        claimed = None if self._storage is None else self._storage.claim_number(self.name)
        with self._lock:
            trial = Trial(
                number=self._next_number() if claimed is None else claimed,
                params=dict(params),
                started=datetime.now(timezone.utc),
                ask_time=float(ask_time),
                info=dict(info or {}),
                space=self._space,
            )
            self._insert(trial)
            self._version += 1
        return trial

    def _holds(self, number: int) -> bool:
        """Whether a trial of this number is held (the caller holds the lock)."""
        i = bisect.bisect_left(self._trials, number, key=lambda t: t.number)
        return i < len(self._trials) and self._trials[i].number == number

    def _insert(self, trial: Trial) -> None:
        """Put a trial in its place by number (the caller holds the lock)."""
        if not self._trials or self._trials[-1].number < trial.number:
            self._trials.append(trial)
        else:
            bisect.insort(self._trials, trial, key=lambda t: t.number)

    def _replace(self, trial: Trial) -> None:
        with self._lock:
            for i in range(len(self._trials) - 1, -1, -1):
                if self._trials[i].number == trial.number:
                    self._trials[i] = trial
                    break
            else:
                self._trials.append(trial)
            self._version += 1

    def _report(self, number: int, step: int, value: float) -> Trial:
        with self._lock:
            trial = self.trial(number)
            values = dict(trial.intermediate_values)
            values[int(step)] = float(value)
            trial = trial.with_changes(intermediate_values=values)
            self._replace(trial)
        return trial

    def _finish_trial(self, trial: Trial) -> Trial:
        """Record a finished trial in memory and commit it to storage at once."""
        if not trial.state.is_finished:
            raise ValueError(f"Trial {trial.number} is still running.")
        if trial.ended is None:
            trial = trial.with_changes(ended=datetime.now(timezone.utc))
        # A choice JSON cannot hold (an estimator, a tuple) is stored by its label; the
        # study holds the choice that label stands for in its space: the same object.
        trial, encoded = storable(trial.with_changes(params=self._space.to_stored(trial.params)))
        trial = trial.with_changes(params=self._space.from_stored(trial.params))
        with interrupts_deferred():  # in memory and in storage, or in neither
            self._replace(trial)
            if self._storage is not None:
                self._storage.save_trial(self.name, trial, writer=self._writer, encoded=encoded)
        return trial

    def _drop_trial(self, number: int) -> None:
        """Forget a trial that never ran (cancelled before it started)."""
        with self._lock:
            self._trials = [t for t in self._trials if t.number != number]
            self._version += 1
        if self._storage is not None:
            self._storage.release_number(self.name, number)

    def _drop_running(self) -> None:
        """Forget trials left running by a search that ended (they were never stored)."""
        with self._lock:
            self._trials = [t for t in self._trials if t.state is not TrialState.RUNNING]
            self._version += 1

    # -- shared studies ------------------------------------------------------------------
    def sync(self) -> list[Trial]:
        """Read the trials that other processes finished since the last look.

        A search calls it before each ask; a Dashboard polls it. Cheap when
        nothing has changed (one query of SQLite's change counter).

        Returns
        -------
        list of Trial
            The new trials, by number (empty for an in-memory study).
        """
        store = self._storage
        if store is None:
            return []
        with self._sync_lock:
            token = store.version(self._writer)
            if token == self._sync_token:
                return []
            trials, cursor = store.trials_since(self.name, self._cursor, self._writer)
            trials = [t.with_changes(params=self._space.from_stored(t.params)) for t in trials]
            self._cursor, self._sync_token = cursor, token
            with self._lock:
                new = [t for t in trials if not self._holds(t.number)]
                for trial in new:
                    self._insert(trial)
                if new:
                    self._arrived.extend(new)
                    self._version += 1
        return new

    def _arrivals(self, since: int) -> tuple[list[Trial], int]:
        """Trials read from other processes after the first ``since`` of them."""
        with self._lock:
            return self._arrived[since:], len(self._arrived)

    def _snapshot_for_strategy(self) -> tuple[list[Trial], int]:
        """Every trial now, and the count of arrivals they include (one consistent view)."""
        with self._lock:
            return list(self._trials), len(self._arrived)
