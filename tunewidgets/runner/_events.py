"""Runner events and their delivery on a thread of the runner's own.

The search never waits for a subscriber: events go into a queue, and one
dispatcher thread hands them out. A subscriber may ask for at most one call
per ``min_interval`` seconds; events in between are batched into that call,
and the last batch is always delivered.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..study import Trial

__all__ = ["Event", "EventBus", "EventKind", "RunnerState"]

log = logging.getLogger("tunewidgets")


class RunnerState(str, Enum):
    """The runner's state: idle, running, paused, stopping or finished."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    FINISHED = "finished"

    def __str__(self) -> str:
        return self.value


class EventKind(str, Enum):
    """What happened."""

    SEARCH_STARTED = "search_started"
    TRIAL_STARTED = "trial_started"
    TRIAL_REPORTED = "trial_reported"
    TRIAL_FINISHED = "trial_finished"
    STATE_CHANGED = "state_changed"
    SEARCH_FINISHED = "search_finished"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Event:
    """Something that happened in a search.

    Parameters
    ----------
    kind : EventKind
        What happened.
    state : RunnerState
        The runner's state just after it happened.
    trial : Trial or None, default=None
        The trial concerned, for trial events.
    reason : str or None, default=None
        Why the search finished, for ``search_finished``.
    time : float
        ``time.monotonic()`` when it happened.
    """

    kind: EventKind
    state: RunnerState
    trial: Trial | None = None
    reason: str | None = None
    time: float = field(default_factory=time.monotonic)


Callback = Callable[[list[Event]], None]


class _Subscriber:
    def __init__(self, callback: Callback, min_interval: float) -> None:
        self.callback = callback
        self.min_interval = min_interval
        self.pending: list[Event] = []
        self.last_call = -float("inf")

    def due(self, now: float) -> float:
        """Seconds until this subscriber may be called (<= 0: now)."""
        return self.last_call + self.min_interval - now


class EventBus:
    """Deliver events to subscribers from a dispatcher thread.

    Notes
    -----
    Owned by a :class:`Runner`; callbacks receive a list of events. A callback
    that raises is logged and kept subscribed.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event | None] = queue.SimpleQueue()
        self._subscribers: list[_Subscriber] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def subscribe(self, callback: Callback, min_interval: float = 0.0) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it.

        Parameters
        ----------
        callback : callable
            Called with a list of :class:`Event`.
        min_interval : float, default=0.0
            Minimum seconds between two calls; events in between are batched.

        Returns
        -------
        callable
            Call it to unsubscribe.
        """
        sub = _Subscriber(callback, float(min_interval))
        with self._lock:
            self._subscribers.append(sub)

        def unsubscribe() -> None:
            with self._lock:
                if sub in self._subscribers:
                    self._subscribers.remove(sub)

        return unsubscribe

    def start(self) -> None:
        """Start the dispatcher thread (idempotent while it runs)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._run, name="tunewidgets-events", daemon=True)
        self._thread.start()

    def emit(self, event: Event) -> None:
        """Queue an event; never blocks. Without subscribers, the event is dropped.

        Parameters
        ----------
        event : Event
        """
        if not self._subscribers:
            # nobody listens (a headless tune, TuneSearchCV): waking the dispatcher thread
            # for nothing costs a thread switch per event, about a millisecond per trial
            return
        self._queue.put(event)

    def close(self, timeout: float | None = 10.0) -> None:
        """Deliver what is queued, then stop the dispatcher.

        Parameters
        ----------
        timeout : float or None, default=10.0
            Seconds to wait for the last deliveries.
        """
        self._queue.put(None)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        closing = False
        while True:
            with self._lock:
                subs = list(self._subscribers)
            now = time.monotonic()
            waits = [s.due(now) for s in subs if s.pending]
            timeout = max(min(waits), 0.0) if waits else None
            if not closing:
                try:
                    event = self._queue.get(timeout=timeout)
                except queue.Empty:
                    event = ...  # type: ignore[assignment]
                if event is None:
                    closing = True
                elif event is not ...:
                    for sub in subs:
                        sub.pending.append(event)
                    # take whatever else is already queued, to batch it
                    while True:
                        try:
                            more = self._queue.get_nowait()
                        except queue.Empty:
                            break
                        if more is None:
                            closing = True
                            break
                        for sub in subs:
                            sub.pending.append(more)
            now = time.monotonic()
            for sub in subs:
                if sub.pending and (closing or sub.due(now) <= 0):
                    batch, sub.pending = sub.pending, []
                    sub.last_call = now
                    try:
                        sub.callback(batch)
                    except Exception:  # a broken view must not break the search
                        log.exception("tunewidgets: an event subscriber raised")
            if closing:
                return
