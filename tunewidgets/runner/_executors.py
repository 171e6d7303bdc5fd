"""Where trials run: in the runner's thread, or (parallel) elsewhere.

The runner owns every executor. Each hands back ``concurrent.futures.Future``
objects whose result is an :class:`Outcome`.
"""

from __future__ import annotations

import numbers
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

__all__ = ["InThreadExecutor", "TrialExecutor", "check_n_jobs", "make_executor"]


class TrialExecutor(ABC):
    """Runs trials and hands back futures.

    Attributes
    ----------
    max_workers : int
        How many trials may run at once.
    remote : bool
        Whether trials run outside this process (their reports travel back
        through the executor, and their output is captured there).
    """

    max_workers: int = 1
    remote: bool = False

    @abstractmethod
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn(*args, **kwargs)``; return a future of its result.

        Parameters
        ----------
        fn : callable
        *args, **kwargs
            Its arguments.

        Returns
        -------
        concurrent.futures.Future
        """

    def shutdown(self, cancel: bool = False) -> None:  # noqa: B027 - optional hook
        """Release the workers.

        Parameters
        ----------
        cancel : bool, default=False
            Cancel trials that have not started yet.
        """

    def describe(self) -> str:
        """A short description for settings and reports."""
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


def check_n_jobs(n_jobs: Any, owner: str = "tune") -> int:
    """Validate ``n_jobs`` and resolve ``-1`` to the number of CPUs.

    Parameters
    ----------
    n_jobs : int
        1 (sequential), k >= 2 (k local processes) or -1 (one per CPU).
    owner : str, default="tune"
        Who receives it, for the message.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For 0, values below -1, and non-integers.
    """
    if (
        isinstance(n_jobs, bool)
        or not isinstance(n_jobs, numbers.Integral)
        or n_jobs == 0
        or n_jobs < -1
    ):
        raise ValueError(
            f"The 'n_jobs' parameter of {owner} must be -1 (one trial per CPU) or an int >= 1. "
            f"Got {n_jobs!r} instead."
        )
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def make_executor(n_jobs: int = 1, executor: Any = None, owner: str = "tune") -> TrialExecutor:
    """The executor for ``n_jobs`` and ``executor`` arguments.

    Parameters
    ----------
    n_jobs : int, default=1
        Trials at once on this machine.
    executor : TrialExecutor, optional
        A ready-made executor, used as is.
    owner : str, default="tune"
        Who receives the arguments, for messages.

    Returns
    -------
    TrialExecutor

    Raises
    ------
    ValueError
        For an invalid ``n_jobs`` or an executor of an unknown kind.
    """
    n = check_n_jobs(n_jobs, owner)
    if executor is not None:
        if isinstance(executor, TrialExecutor):
            return executor
        raise ValueError(
            f"The 'executor' parameter of {owner} must be a dask.distributed.Client or a "
            f"tunewidgets TrialExecutor. Got {type(executor).__name__} instead."
        )
    if n == 1:
        return InThreadExecutor()
    from ._pool import ProcessPoolTrialExecutor

    return ProcessPoolTrialExecutor(n)
