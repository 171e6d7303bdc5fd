"""Parallel trials in local worker processes (``n_jobs > 1``), on loky.

loky (the process pool that joblib and scikit-learn use) serializes the
objective with cloudpickle, so functions defined in a notebook work, and it
reports a worker that died instead of hanging. Each worker process is a loky
pool of its own: when a trial kills its process (a crash, ``os._exit``, the
system reclaiming memory), loky breaks only that pool, so only that trial fails
("worker died: ..."); the pool is replaced and the search goes on.

Starting a worker costs about a second (a fresh interpreter imports numpy and
scikit-learn), so idle workers are kept for the next search, as joblib keeps
its pool, and end after five minutes without work or with
:func:`shutdown_workers`.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..exceptions import WorkerDiedError
from ._executor import MessageHandler, TrialExecutor
from ._futures import LinkedFuture
from ._hub import SocketHub
from ._remote import TrialLink

__all__ = ["ProcessPoolTrialExecutor", "shutdown_workers"]

log = logging.getLogger("tunewidgets")

#: Seconds an idle worker process is kept for a later search.
IDLE_TIMEOUT = 300.0
#: Idle workers kept at most.
MAX_IDLE = 32


def describe_death(exc: BaseException) -> str:
    """A one-line reason for a worker that died, from loky's message.

    Parameters
    ----------
    exc : BaseException
        loky's ``TerminatedWorkerError``.

    Returns
    -------
    str
    """
    codes = re.search(r"exit codes of the workers are \{(.*?)\}", str(exc))
    code = f" (exit code {codes.group(1)})" if codes and codes.group(1) else ""
    return (
        f"worker died: the process running this trial ended unexpectedly{code}, e.g. a crash, "
        "os._exit, or the system killing it for lack of memory"
    )


class _Worker:
    """One worker process: a one-process loky pool, so its death takes only its own trial."""

    def __init__(self) -> None:
        from joblib.externals.loky import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=1, timeout=IDLE_TIMEOUT)
        self.running: set[Future[Any]] = set()
        self.broken = False
        self.idle_since = time.monotonic()

    def kill(self) -> None:
        self.broken = True
        try:
            self.pool.shutdown(wait=False, kill_workers=True)
        except Exception:
            log.debug("tunewidgets: could not kill a worker process", exc_info=True)


class _WorkerCache:
    """Idle workers kept for the next search; each ends after ``IDLE_TIMEOUT`` unused."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self) -> _Worker | None:
        with self._lock:
            self._expire()
            return self._idle.pop() if self._idle else None

    def give(self, worker: _Worker) -> None:
        worker.idle_since = time.monotonic()
        with self._lock:
            self._expire()
            if len(self._idle) < MAX_IDLE:
                self._idle.append(worker)
                return
        worker.pool.shutdown(wait=False)

    def clear(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def _expire(self) -> None:
        now = time.monotonic()
        for worker in [w for w in self._idle if now - w.idle_since > IDLE_TIMEOUT]:
            self._idle.remove(worker)
            worker.pool.shutdown(wait=False)

    def __len__(self) -> int:
        return len(self._idle)


_CACHE = _WorkerCache()
atexit.register(_CACHE.clear)


def shutdown_workers() -> None:
    """End the idle worker processes kept for reuse by later ``n_jobs > 1`` searches.

    Searches start new ones as needed. Call it after editing a module that an
    objective imports: idle workers keep the version they imported.

    Examples
    --------
    >>> from tunewidgets.runner import shutdown_workers
    >>> shutdown_workers()
    """
    _CACHE.clear()


@dataclass(frozen=True)
class _SocketLink(TrialLink):
    """The line to a :class:`SocketHub` of the runner's process (this machine only)."""

    address: tuple[str, int]
    authkey: bytes

    def connect(self, number: int, prune: bool = False) -> Any:
        from ._hub import SocketEnd

        return SocketEnd(self.address, self.authkey)


class ProcessPoolTrialExecutor(TrialExecutor):
    """Run trials in ``n`` local worker processes.

    Parameters
    ----------
    n : int
        Number of worker processes (trials at once).
    reuse : bool, default=True
        Take idle workers left by an earlier search, and leave healthy ones for
        the next (they end after five minutes unused).

    Notes
    -----
    The objective travels to the workers with each trial (cloudpickle), its
    data included. A trial whose process dies fails with ``"worker died:
    ..."``; its worker is replaced. Reports reach the runner live through a
    local socket when :meth:`link` was opened.
    """

    remote = True

    def __init__(self, n: int, *, reuse: bool = True) -> None:
        self.max_workers = int(n)
        self.reuse = bool(reuse)
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._hub: SocketHub | None = None
        self._closed = False

    def _pick(self) -> _Worker:
        """An idle worker of ours, else a new (or cached) one, else the least busy."""
        for worker in self._workers:
            if not worker.running:
                return worker
        if len(self._workers) < self.max_workers:
            worker = (_CACHE.take() if self.reuse else None) or _Worker()
            self._workers.append(worker)
            return worker
        return min(self._workers, key=lambda w: len(w.running))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            if self._closed:
                raise RuntimeError("This executor has been shut down.")
            for attempt in range(2):
                worker = self._pick()
                try:
                    source = worker.pool.submit(fn, *args, **kwargs)
                    break
                except RuntimeError:  # its process died while idle: loky broke that pool
                    self._workers.remove(worker)
                    worker.kill()
                    if attempt:
                        raise
            worker.running.add(source)
        future = LinkedFuture(source.cancel)
        future._worker = worker  # type: ignore[attr-defined]
        source.add_done_callback(partial(self._done, worker, future))
        return future

    def _done(self, worker: _Worker, future: LinkedFuture, source: Future[Any]) -> None:
        with self._lock:
            worker.running.discard(source)
        if source.cancelled():
            future.abandon()
            return
        exc = source.exception()
        if isinstance(exc, BrokenProcessPool):
            self._retire(worker)
            if type(exc).__name__ == "TerminatedWorkerError":
                exc = WorkerDiedError(describe_death(exc))
        future.settle(None if exc is not None else source.result(), exc)

    def _retire(self, worker: _Worker) -> None:
        """Drop a broken worker; the next submit starts a fresh one."""
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        worker.kill()

    def link(self, handler: MessageHandler) -> TrialLink | None:
        if self._hub is None:
            self._hub = SocketHub(handler)
        return _SocketLink(self._hub.address, self._hub.authkey)

    def abandon(self, future: Future[Any]) -> None:
        if future.cancel() or future.done():
            return
        worker = getattr(future, "_worker", None)
        if isinstance(future, LinkedFuture):
            future.abandon()
        if worker is not None:
            self._retire(worker)

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
            running = {id(w): list(w.running) for w in workers}
        for worker in workers:
            busy = [f for f in running[id(worker)] if not f.done()]
            if cancel:
                busy = [f for f in busy if not f.cancel()]
                if busy:
                    worker.kill()
                    continue
            elif busy:
                wait_futures(busy)
            if worker.broken:
                continue
            if self.reuse:
                _CACHE.give(worker)
            else:
                worker.pool.shutdown(wait=True)
        if self._hub is not None:
            self._hub.close()
            self._hub = None

    def describe(self) -> str:
        return f"{self.max_workers} local processes"
