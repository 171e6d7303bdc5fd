"""Where trials run: in the runner's thread, in local processes, or on a Dask cluster.

The runner owns every executor. Each hands back ``concurrent.futures.Future``
objects whose result is an :class:`Outcome`, and says what went wrong in terms
the runner can act on: :class:`WorkerDiedError` fails one trial and the search
goes on; :class:`ExecutorLostError` ends the search, keeping what finished.
This module holds the base class and the in-thread executor; the others
(``_pool.py``, ``_dask.py``) derive from it, and ``_factory.py`` chooses one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._remote import TrialLink

__all__ = ["InThreadExecutor", "MessageHandler", "TrialExecutor"]

#: A handler of messages from remote trials; for a report it returns the prune decision.
MessageHandler = Callable[[tuple[Any, ...]], "bool | None"]


class TrialExecutor(ABC):
    """Runs trials and hands back futures.

    Subclass it to run trials somewhere else; pass an instance as ``executor``.

    Attributes
    ----------
    max_workers : int
        How many trials may run at once (the runner never has more in flight).
    remote : bool
        Whether trials run outside this process: they are then sent as
        ``remote_evaluate(objective, params, number, capture, link, prune)``,
        their output is captured there, and their reports travel back through
        :meth:`link`.
    """

    max_workers: int = 1
    remote: bool = False

    @abstractmethod
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn(*args, **kwargs)``; return a future of its result.

        Parameters
        ----------
        fn : callable
            What to run.
        *args, **kwargs
            Its arguments.

        Returns
        -------
        concurrent.futures.Future
            Its ``cancel()`` succeeds only for work that has not started.

        Raises
        ------
        ExecutorLostError
            If trials can no longer be run at all.
        """

    def link(self, handler: MessageHandler) -> TrialLink | None:
        """Open a line for live messages from remote trials.

        Parameters
        ----------
        handler : callable
            Called, from a thread of the executor, with ``("started", number)``
            and ``("report", number, step, value)``; for a report it returns
            the prune decision (None when the search has no pruner).

        Returns
        -------
        TrialLink or None
            What trials use to send messages (picklable), or None: then
            intermediate values come back with each trial's outcome only.
        """
        return None

    def abandon(self, future: Future[Any]) -> None:
        """Give up on a trial that may be running (``stop(cancel=True)``).

        Parameters
        ----------
        future : concurrent.futures.Future
            A future from :meth:`submit`. Executors that can stop running work
            (a local worker process is ended) do so; the default only cancels
            work that has not started.
        """
        future.cancel()

    def shutdown(self, cancel: bool = False) -> None:  # noqa: B027 - optional hook
        """Release the workers.

        Parameters
        ----------
        cancel : bool, default=False
            Cancel trials that have not started, and stop running ones where
            the executor can.
        """

    def describe(self) -> str:
        """A short description for settings and reports.

        Returns
        -------
        str
        """
        return type(self).__name__


class InThreadExecutor(TrialExecutor):
    """Run each trial right away in the runner's thread (``n_jobs=1``)."""

    max_workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def describe(self) -> str:
        return "in-thread"
