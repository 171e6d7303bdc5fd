"""What a worker runs for one trial, and the line its reports travel back on.

A trial in another process reports to a :class:`RemoteReporter`. Each value is
kept for the outcome (so nothing depends on the line) and, where the executor
opened a :class:`TrialLink`, sent to the runner at once: curves draw live and
the runner's pruner decides while the trial runs. ``should_prune()`` waits
briefly for the runner's decision on the latest report, so a remote trial is
pruned at the same step as it would be in the runner's thread.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from abc import ABC, abstractmethod
from typing import Any

from .._validation import check_int, check_real
from ..objectives import Objective
from ._evaluate import Outcome, evaluate

__all__ = ["LinkEnd", "RemoteReporter", "TrialLink", "check_picklable", "remote_evaluate"]

log = logging.getLogger("tunewidgets")

#: Seconds ``should_prune()`` waits for the runner's decision on the latest report.
DECISION_WAIT = 2.0


class LinkEnd(ABC):
    """One trial's end of a :class:`TrialLink`, in the worker."""

    @abstractmethod
    def send(self, message: tuple[Any, ...]) -> None:
        """Send ``("started", number)`` or ``("report", number, step, value)`` to the runner.

        Parameters
        ----------
        message : tuple
        """

    @abstractmethod
    def decision(self, timeout: float) -> tuple[int, bool] | None:
        """The runner's latest prune decision for this trial.

        Parameters
        ----------
        timeout : float
            Seconds to wait for a decision newer than the last one returned.

        Returns
        -------
        tuple of (int, bool) or None
            ``(step, prune)`` for the latest report decided; None if there is none.
        """

    def announce_start(self, number: int) -> None:
        """Tell the runner, before the objective runs, that trial ``number`` has started.

        When this returns, the runner can learn of the start even if the worker
        dies the next instant (the runner re-runs a trial whose worker died
        *before* it started, never one that killed it). The default sends
        ``("started", number)``, which a line that is written synchronously
        (a socket) delivers; a batched line must override it.

        Parameters
        ----------
        number : int
            The trial's number.
        """
        self.send(("started", number))

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the trial used."""


class TrialLink(ABC):
    """A picklable line from trials in workers to the runner; the executor opens it."""

    @abstractmethod
    def connect(self, number: int, prune: bool = False) -> LinkEnd:
        """Open trial ``number``'s end, in the worker.

        Parameters
        ----------
        number : int
            The trial's number.
        prune : bool, default=False
            Whether the trial will ask for prune decisions.

        Returns
        -------
        LinkEnd
        """


class RemoteReporter:
    """What an objective reports to in a worker process.

    Parameters
    ----------
    number : int
        The trial's number.
    params : dict
        The configuration.
    end : LinkEnd or None
        The line to the runner; None keeps the values for the outcome only.
    pruned_search : bool
        Whether the runner has a pruner (else ``should_prune`` is always False).
    """

    def __init__(
        self, number: int, params: dict[str, Any], end: LinkEnd | None, pruned_search: bool
    ) -> None:
        self.number = number
        self.params = params
        self.values: dict[int, float] = {}
        self._end = end
        self._pruned_search = pruned_search and end is not None
        self._last_step: int | None = None
        self._latest: tuple[int, bool] | None = None
        self._wait = DECISION_WAIT

    def report(self, value: float, step: int) -> None:
        """Record ``value`` at ``step`` and send it to the runner.

        Parameters
        ----------
        value : float
            The intermediate value (higher is better).
        step : int
            The step, e.g. the epoch.
        """
        step = check_int(step, "step", owner="report")  # type: ignore[assignment]
        value = check_real(value, "value", owner="report")  # type: ignore[assignment]
        self.values[step] = value
        self._last_step = step
        self._send(("report", self.number, step, value))

    def should_prune(self) -> bool:
        """Whether the runner's pruner wants this trial stopped, after the latest report.

        Returns
        -------
        bool
        """
        if not self._pruned_search or self._last_step is None or self._end is None:
            return False
        deadline = time.monotonic() + self._wait
        while self._latest is None or self._latest[0] < self._last_step:
            try:
                latest = self._end.decision(max(deadline - time.monotonic(), 0.0))
            except Exception as exc:  # the line broke: decide nothing more
                self._lose(exc)
                return False
            if latest is not None:
                self._latest = latest
            if time.monotonic() >= deadline:
                self._wait = 0.0  # the runner is slow to answer: stop waiting for it
                break
        return bool(self._latest and self._latest[1])

    def _announce_start(self) -> None:
        if self._end is None:
            return
        try:
            self._end.announce_start(self.number)
        except Exception as exc:
            self._lose(exc)

    def _send(self, message: tuple[Any, ...]) -> None:
        if self._end is None:
            return
        try:
            self._end.send(message)
        except Exception as exc:  # reports still travel back with the outcome
            self._lose(exc)

    def _lose(self, exc: Exception) -> None:
        log.warning("tunewidgets: trial %d lost its line to the runner: %s", self.number, exc)
        self._end = None


def remote_evaluate(
    objective: Objective,
    params: dict[str, Any],
    number: int,
    capture: bool,
    link: TrialLink | None = None,
    prune: bool = False,
) -> Outcome:
    """Evaluate one trial in a worker; intermediate values also travel back in the outcome.

    Parameters
    ----------
    objective : Objective
        What to run.
    params : dict
        The configuration.
    number : int
        The trial's number.
    capture : bool
        Capture what the trial prints.
    link : TrialLink, optional
        The line to the runner for live reports and prune decisions.
    prune : bool, default=False
        Whether the runner has a pruner to ask.

    Returns
    -------
    Outcome
        With ``info["worker"]``, the host and process that ran the trial.
    """
    end: LinkEnd | None = None
    if link is not None:
        try:
            end = link.connect(number, prune)
        except Exception as exc:
            log.warning("tunewidgets: trial %d could not reach the runner: %s", number, exc)
    reporter = RemoteReporter(number, params, end, prune)
    reporter._announce_start()

    def last_value() -> float | None:
        return reporter.values[max(reporter.values)] if reporter.values else None

    try:
        outcome = evaluate(objective, params, reporter, capture=capture, last_value=last_value)
    finally:
        if end is not None:
            try:
                end.close()
            except Exception:
                log.debug("tunewidgets: closing trial %d's line failed", number, exc_info=True)
    outcome.intermediate_values = dict(reporter.values)
    outcome.info.setdefault("worker", f"{socket.gethostname()}:{os.getpid()}")
    return outcome


def check_picklable(objective: Objective, owner: str = "Runner") -> None:
    """Refuse, before anything starts, an objective that cannot travel to worker processes.

    Parameters
    ----------
    objective : Objective
        What trials run.
    owner : str, default="Runner"
        Who received it, for the message.

    Raises
    ------
    ValueError
        If cloudpickle (what loky and Dask use) cannot serialize it.
    """
    try:  # what loky uses; a joblib dependency, vendored by older versions
        import cloudpickle
    except ImportError:  # pragma: no cover
        from joblib.externals.loky.backend.reduction import cloudpickle  # type: ignore[no-redef]
    try:
        cloudpickle.dumps(objective)
    except Exception as exc:
        raise ValueError(
            f"{owner}: the objective cannot be sent to worker processes ({type(exc).__name__}: "
            f"{exc}). Keep open files, locks, connections and generators out of it (open them "
            "inside the objective), or run trials in this process with n_jobs=1."
        ) from exc
