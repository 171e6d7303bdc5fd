"""Trials on a Dask cluster: ``executor=Client("tcp://scheduler:8786")``.

The runner, the Study and the dashboard stay in this process; each trial is a
Dask task (``client.submit(..., pure=False)``). Live reports travel as Dask
structured events (``Worker.log_event`` to ``Client.subscribe_topic``), and the
runner's prune decisions back through one ``distributed.Variable`` per trial.
Dask itself is imported only when a Client is given: ``import tunewidgets``
never imports it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

from .._imports import optional_import
from .._validation import check_int
from ..exceptions import ExecutorLostError, WorkerDiedError
from ._executor import MessageHandler, TrialExecutor
from ._futures import LinkedFuture
from ._remote import LinkEnd, TrialLink

__all__ = ["DaskTrialExecutor", "check_client"]

log = logging.getLogger("tunewidgets")

#: Seconds to wait for the scheduler when checking that it can be reached.
CONNECT_TIMEOUT = 10.0
#: Seconds between looks at how many threads the cluster has (it may scale).
REFRESH_INTERVAL = 5.0
#: Seconds to watch a cluster left without workers by a worker death: if the
#: client disconnects, the whole cluster was shut down, and the trial is not
#: failed but cut short.
LOST_GRACE = 15.0
#: Seconds to look for a dead worker's trial's start announcement (a scheduler round trip).
ANNOUNCED_WAIT = 1.0
#: Seconds workers must stay after a worker death for it to count as one death.
STAY = 1.0


def _address(client: Any) -> str:
    address = getattr(getattr(client, "scheduler", None), "address", None)
    if address is None and isinstance(getattr(client, "_start_arg", None), str):
        address = client._start_arg  # what the client was given, once it has closed
    return str(address or "unknown address")


def check_client(client: Any, owner: str = "tune") -> None:
    """Check that a Dask Client can run trials: synchronous, connected, scheduler reachable.

    Parameters
    ----------
    client : dask.distributed.Client
        The client.
    owner : str, default="tune"
        Who receives it, for messages.

    Raises
    ------
    ImportError
        If ``distributed`` cannot be imported.
    ValueError
        For an asynchronous client.
    ExecutorLostError
        If the client is closed or its scheduler does not answer.
    """
    optional_import("distributed", "dask", f"{owner}(executor=Client(...))")
    if getattr(client, "asynchronous", False):
        raise ValueError(
            f"The 'executor' parameter of {owner} must be a synchronous dask.distributed.Client; "
            "got one created with asynchronous=True."
        )
    status = str(getattr(client, "status", "unknown"))
    if status != "running":
        raise ExecutorLostError(
            f"{owner}: the Dask client is not connected (status {status!r}), so trials cannot "
            f"run on the cluster at {_address(client)}. Connect a new Client(...) and pass it."
        )
    try:
        client.nthreads(callback_timeout=CONNECT_TIMEOUT)
    except Exception as exc:
        raise ExecutorLostError(
            f"{owner}: the Dask scheduler at {_address(client)} cannot be reached "
            f"({type(exc).__name__}: {exc})."
        ) from exc


def _death(exc: BaseException) -> str:
    """A one-line reason for Dask's KilledWorker."""
    args = getattr(exc, "args", ())
    worker = getattr(args[1], "address", args[1]) if len(args) > 1 else None
    attempts = f" after {int(args[2]) + 1} attempt(s)" if len(args) > 2 else ""
    where = f" ({worker})" if worker else ""
    return (
        f"worker died: the Dask worker running this trial died{where}; Dask gave up{attempts} "
        "(a crash, os._exit, or the system killing it for lack of memory)"
    )


def _started_name(topic: str, number: int) -> str:
    return f"{topic}-started-{number}"


@dataclass(frozen=True)
class _DaskLink(TrialLink):
    """Reports as Dask events on ``topic``; decisions in a Variable per trial."""

    topic: str

    def connect(self, number: int, prune: bool = False) -> LinkEnd:
        return _DaskEnd(self.topic, number, prune)


class _DaskEnd(LinkEnd):
    """A trial's end in a Dask worker."""

    def __init__(self, topic: str, number: int, prune: bool) -> None:
        from distributed import Variable, get_worker

        self._worker = get_worker()
        self._topic = topic
        self._variable = None
        self._last: tuple[int, bool] | None = None
        if prune:  # set before the first report, so no decision is overwritten
            self._variable = Variable(f"{topic}-{number}")
            self._variable.set([-1, False])

    def send(self, message: tuple[Any, ...]) -> None:
        self._worker.log_event(self._topic, list(message))

    def announce_start(self, number: int) -> None:
        # Events are batched: a worker that dies right after logging one may never send
        # it. A Variable is set in a round trip to the scheduler, so once this returns
        # the start is known there (the runner asks when a worker dies).
        from distributed import Variable

        Variable(_started_name(self._topic, number)).set(True)
        self.send(("started", number))

    def decision(self, timeout: float) -> tuple[int, bool] | None:
        if self._variable is None:
            return None
        deadline = time.monotonic() + timeout
        while True:
            step, prune = self._variable.get()
            latest = (int(step), bool(prune))
            if latest != self._last or time.monotonic() >= deadline:
                self._last = latest
                return None if latest[0] < 0 else latest
            time.sleep(min(0.01, max(deadline - time.monotonic(), 0.0)))

    def close(self) -> None:
        if self._variable is not None:
            self._variable.delete()


class DaskTrialExecutor(TrialExecutor):
    """Run trials as tasks on a Dask cluster.

    Parameters
    ----------
    client : dask.distributed.Client
        A connected, synchronous client. It stays yours: shutting the executor
        down cancels its own tasks only and never closes the client.
    max_workers : int, optional
        Trials in flight at once; by default the number of threads of the
        cluster's workers, looked at again every few seconds as it scales.

    Raises
    ------
    ValueError
        For an asynchronous client or an invalid ``max_workers``.
    ExecutorLostError
        If the cluster cannot be reached.

    Notes
    -----
    Workers need tunewidgets and whatever the objective imports, in the same
    versions as here. The objective, its data included, travels with each
    trial. Use workers with one thread each for CPU-bound trials
    (``LocalCluster(n_workers=4, threads_per_worker=1)``). When a worker dies
    running a trial, Dask runs the trial again elsewhere, up to
    ``distributed.scheduler.allowed-failures`` times (3 by default); then the
    trial fails with ``"worker died: ..."``.
    """

    remote = True

    def __init__(self, client: Any, *, max_workers: int | None = None) -> None:
        check_client(client, "DaskTrialExecutor")
        self.client = client
        self._fixed = check_int(
            max_workers, "max_workers", owner="DaskTrialExecutor", low=1, allow_none=True
        )
        self._threads = 1
        self._looked_at = -float("inf")
        self._sources: set[Any] = set()
        self._lock = threading.Lock()
        self._topic: str | None = None
        self._messages: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._dispatcher: threading.Thread | None = None
        self._handler: MessageHandler | None = None
        self._announced: set[int] = set()  # trials whose start Variable is known to exist

    @property
    def max_workers(self) -> int:  # type: ignore[override]
        """Trials in flight at once: ``max_workers``, or the cluster's threads (at least 1)."""
        if self._fixed is not None:
            return self._fixed
        if time.monotonic() - self._looked_at >= REFRESH_INTERVAL:
            self._looked_at = time.monotonic()
            try:
                threads = self.client.nthreads(callback_timeout=CONNECT_TIMEOUT)
                self._threads = max(1, sum(threads.values()))
            except Exception:
                log.debug("tunewidgets: could not count the cluster's threads", exc_info=True)
        return self._threads

    def _lost(self, what: str) -> ExecutorLostError:
        return ExecutorLostError(
            f"The Dask cluster at {_address(self.client)} cannot be reached ({what}): the search "
            "stops; the study keeps every trial that finished."
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        status = str(self.client.status)
        if status != "running":
            raise self._lost(f"client status {status!r}")
        try:
            source = self.client.submit(fn, *args, pure=False, **kwargs)
        except Exception as exc:
            raise self._lost(f"{type(exc).__name__}: {exc}") from exc
        with self._lock:
            self._sources.add(source)
        future = LinkedFuture(partial(self._cancel, source))
        future._source = source  # type: ignore[attr-defined]
        source.add_done_callback(partial(self._done, future))
        return future

    def _cancel(self, source: Any) -> bool:
        try:
            source.cancel()
        except Exception:
            log.debug("tunewidgets: could not cancel a Dask task", exc_info=True)
        return True

    def _done(self, future: LinkedFuture, source: Any) -> None:
        with self._lock:
            self._sources.discard(source)
        try:
            if future.cancelling:  # the runner cancelled it
                future.abandon()
            elif not future.done():
                future.settle(*self._outcome(source))
        finally:
            # Let Dask forget the task at once: a finished trial whose worker dies
            # later must not be run again to recompute a result nobody needs.
            future._source = None  # type: ignore[attr-defined]
            future._cancel_source = lambda: False
            try:
                source.release()
            except Exception:
                log.debug("tunewidgets: could not release a Dask future", exc_info=True)

    def _outcome(self, source: Any) -> tuple[Any, BaseException | None]:
        """``(result, exception)`` of a finished task, in the runner's terms."""
        status = source.status
        try:
            if status == "finished":
                return source.result(), None
            if status == "error":
                exc = source.exception()
                if type(exc).__name__ == "KilledWorker":
                    if self._going_away():
                        return None, self._lost("its workers were shut down")
                    exc = WorkerDiedError(_death(exc))
                return None, exc
        except Exception as exc:  # fetching the result failed: the cluster went away
            return None, self._lost(f"{type(exc).__name__}: {exc}")
        return None, self._lost(
            f"the trial's task was {status}; the client is {self.client.status!r}"
        )

    def _going_away(self) -> bool:
        """After a worker death: whether the whole cluster is being shut down.

        A cluster shutting down first retires every worker (their tasks fail as
        if the workers had died), then disconnects. So: while no worker is left,
        watch for the disconnection; once workers are there (others, or a
        replacement started by a nanny) and stay for a moment, it was a single
        worker's death.
        """
        deadline = time.monotonic() + LOST_GRACE
        seen_since: float | None = None
        while time.monotonic() < deadline:
            if str(self.client.status) != "running":
                return True
            try:
                workers = self.client.nthreads(callback_timeout=CONNECT_TIMEOUT)
            except Exception:
                return True
            now = time.monotonic()
            if not workers:
                seen_since = None
            elif seen_since is None:
                seen_since = now
            elif now - seen_since >= STAY:
                return False
            time.sleep(0.1)
        return False

    def link(self, handler: MessageHandler) -> TrialLink | None:
        if self._topic is None:
            self._topic = f"tunewidgets-{uuid.uuid4().hex}"
            self._handler = handler
            self._dispatcher = threading.Thread(
                target=self._dispatch, name="tunewidgets-dask-reports", daemon=True
            )
            self._dispatcher.start()
            self.client.subscribe_topic(self._topic, self._messages.put)
        return _DaskLink(self._topic)

    def has_started(self, number: int) -> bool | None:
        """Whether trial ``number`` announced its start (None without a link).

        Parameters
        ----------
        number : int
            The trial's number.

        Returns
        -------
        bool or None
        """
        if self._topic is None:
            return None
        from distributed import Variable

        variable = Variable(_started_name(self._topic, number), client=self.client)
        try:
            # set before the objective ran, in a round trip: set by now, or never
            variable.get(timeout=ANNOUNCED_WAIT)
        except Exception:  # not set: the trial never began (or the cluster is gone)
            return False
        self._announced.add(number)
        return True

    def _forget_announcements(self) -> None:
        from distributed import Variable

        for number in self._announced:
            try:
                Variable(_started_name(self._topic or "", number), client=self.client).delete()
            except Exception:
                log.debug("tunewidgets: could not delete a Dask Variable", exc_info=True)
        self._announced.clear()

    def _dispatch(self) -> None:
        """Hand events to the runner from a thread of ours (never Dask's event loop)."""
        from distributed import Variable

        while True:
            event = self._messages.get()
            if event is None:
                return
            message = tuple(event[1])
            if message[0] == "started":
                self._announced.add(int(message[1]))
            try:
                decision = self._handler(message) if self._handler else None
                if message[0] == "report" and decision is not None:
                    name = f"{self._topic}-{int(message[1])}"
                    Variable(name, client=self.client).set([int(message[2]), bool(decision)])
            except Exception:
                log.exception("tunewidgets: a message from a Dask worker could not be handled")

    def abandon(self, future: Future[Any]) -> None:
        source = getattr(future, "_source", None)
        if isinstance(future, LinkedFuture):
            future.abandon()
        if source is not None:
            self._cancel(source)

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            sources = list(self._sources)
        if cancel and sources and str(self.client.status) == "running":
            try:
                self.client.cancel(sources)
            except Exception:
                log.debug("tunewidgets: could not cancel Dask tasks", exc_info=True)
        if self._topic is not None:
            if str(self.client.status) == "running":
                self._forget_announcements()
            try:
                self.client.unsubscribe_topic(self._topic)
            except Exception:
                log.debug("tunewidgets: could not unsubscribe", exc_info=True)
            self._messages.put(None)
            if self._dispatcher is not None:
                self._dispatcher.join(timeout=5)
            self._topic = None

    def describe(self) -> str:
        return f"Dask cluster at {_address(self.client)}"
