"""Choosing where trials run: ``n_jobs`` and ``executor`` checked, and the executor made."""

from __future__ import annotations

import numbers
import os
from typing import Any

from ._dask import DaskTrialExecutor, check_client
from ._executor import InThreadExecutor, TrialExecutor
from ._pool import ProcessPoolTrialExecutor

__all__ = ["check_executor", "check_n_jobs", "is_dask_client", "make_executor"]


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


def is_dask_client(obj: Any) -> bool:
    """Whether ``obj`` is a ``dask.distributed.Client``, without importing Dask.

    Parameters
    ----------
    obj : object

    Returns
    -------
    bool
    """
    return any(
        cls.__name__ == "Client" and cls.__module__.split(".")[0] == "distributed"
        for cls in type(obj).__mro__
    )


def check_executor(executor: Any, n_jobs: Any = 1, owner: str = "tune") -> None:
    """Check ``executor`` (and that ``n_jobs`` is not given with it) before anything starts.

    A Dask Client must be connected: a cluster that cannot be reached is
    reported here, before a study is opened or a trial started.

    Parameters
    ----------
    executor : dask.distributed.Client, TrialExecutor or None
        Where trials run; None runs them on this machine, as ``n_jobs`` says.
    n_jobs : int, default=1
        Must stay 1 when an executor is given.
    owner : str, default="tune"
        Who receives the arguments, for messages.

    Raises
    ------
    ValueError
        For an executor of an unknown kind, or ``n_jobs`` given with one.
    ExecutorLostError
        For a Dask Client whose cluster cannot be reached.
    ImportError
        For a Dask Client when ``distributed`` cannot be imported.
    """
    if executor is None or isinstance(executor, TrialExecutor):
        pass
    elif is_dask_client(executor):
        check_client(executor, owner)
    else:
        hint = ""
        if hasattr(executor, "scheduler_address"):
            hint = " For a Dask cluster object, pass a client of it: Client(cluster)."
        raise ValueError(
            f"The 'executor' parameter of {owner} must be a dask.distributed.Client or a "
            f"tunewidgets TrialExecutor (or None, to run trials on this machine as 'n_jobs' "
            f"says). Got {type(executor).__name__} instead.{hint}"
        )
    if executor is not None and not (isinstance(n_jobs, numbers.Integral) and n_jobs == 1):
        raise ValueError(
            f"{owner}: give either 'n_jobs' (trials in local processes) or 'executor' (where "
            f"trials run, e.g. a Dask cluster), not both. Got n_jobs={n_jobs!r} with an executor."
        )


def make_executor(n_jobs: int = 1, executor: Any = None, owner: str = "tune") -> TrialExecutor:
    """The executor for ``n_jobs`` and ``executor`` arguments.

    Parameters
    ----------
    n_jobs : int, default=1
        Trials at once on this machine: 1 in the runner's thread, k > 1 in k
        local worker processes, -1 one per CPU.
    executor : dask.distributed.Client or TrialExecutor, optional
        Where trials run instead: a Dask cluster (through a connected Client,
        which stays the caller's), or a ready-made executor, used as is.
    owner : str, default="tune"
        Who receives the arguments, for messages.

    Returns
    -------
    TrialExecutor

    Raises
    ------
    ValueError
        For an invalid ``n_jobs``, an executor of an unknown kind, or both given.
    ExecutorLostError
        For a Dask Client whose cluster cannot be reached.
    """
    n = check_n_jobs(n_jobs, owner)
    check_executor(executor, n_jobs, owner)
    if isinstance(executor, TrialExecutor):
        return executor
    if executor is not None:
        return DaskTrialExecutor(executor)
    if n == 1:
        return InThreadExecutor()

    return ProcessPoolTrialExecutor(n)
