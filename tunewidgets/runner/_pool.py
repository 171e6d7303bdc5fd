"""Parallel trials in local worker processes (``n_jobs > 1``), on loky.

loky (the process pool that joblib and scikit-learn use) serializes the
objective with cloudpickle, so functions defined in a notebook work, and it
reports a worker that died instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from ._executors import TrialExecutor

__all__ = ["ProcessPoolTrialExecutor"]


class ProcessPoolTrialExecutor(TrialExecutor):
    """Run trials in ``n`` local worker processes.

    Parameters
    ----------
    n : int
        Number of worker processes (trials at once).
    """

    remote = True

    def __init__(self, n: int) -> None:
        from joblib.externals.loky import ProcessPoolExecutor

        self.max_workers = int(n)
        self._pool = ProcessPoolExecutor(max_workers=self.max_workers)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)

    def describe(self) -> str:
        return f"{self.max_workers} local processes"
