"""One BLAS thread for the surrogate's small linear algebra.

A Gaussian process of a few hundred trials multiplies and factors matrices of a
few hundred rows: a second BLAS thread gains little there, while OpenBLAS's
worker threads keep spinning after each call and take a core from whatever else
runs — trials in worker processes, the notebook's own cell. Measured on two
cores with two trials running in worker processes: 20 asks took 0.3 s instead of
1.0 s, and the runner's process used 1.0 s of CPU instead of 3.0 s.

How, for OpenBLAS (the BLAS of numpy's and scipy's wheels), found through the
libraries :mod:`threadpoolctl` (a scikit-learn dependency) has located:

- built with pthreads (the wheels), the thread count is process-wide. Calls
  overlap across threads (a search's runner, a plot in the notebook), so they
  are counted: the first sets one thread, the last restores the count it found.
  (threadpoolctl's own limiter cannot be used from a search's thread: only the
  first thread that set a limit may change it again.) Meanwhile other BLAS calls
  of the process run on one thread too; an ask lasts milliseconds.
- built with OpenMP, the count is per thread: each call sets and restores its own.

With any other BLAS the work runs with the threads it has.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["one_blas_thread"]

log = logging.getLogger("tunewidgets")

Setter = Callable[[int], Any]

_lock = threading.Lock()
_found: tuple[list[Setter], list[Setter]] | None = None  # (process-wide, per-thread)
_users = 0
_restore: list[tuple[Setter, int]] = []


def _symbol(lib: Any, name: str) -> Any:
    for prefix, suffix in itertools.product(("", "scipy_"), ("", "64_", "_64")):
        function = getattr(lib.dynlib, f"{prefix}{name}{suffix}", None)
        if function is not None:
            return function
    return None


def _setters() -> tuple[list[Setter], list[Setter]]:
    """``openblas_set_num_threads_local`` of every OpenBLAS loaded, by threading layer.

    That function returns the count it replaces. Must be called with ``_lock`` held.
    """
    global _found
    if _found is None:
        _found = ([], [])
        try:
            from threadpoolctl import ThreadpoolController

            for lib in ThreadpoolController().lib_controllers:
                if lib.internal_api != "openblas":
                    continue
                setter = _symbol(lib, "openblas_set_num_threads_local")
                if setter is None:  # OpenBLAS before 0.3.26
                    continue
                layer = getattr(lib, "threading_layer", None)
                if layer == "pthreads":
                    _found[0].append(setter)
                elif layer == "openmp":
                    _found[1].append(setter)
        except Exception:  # no harm done: the work runs with the threads it has
            log.debug("tunewidgets: could not find OpenBLAS's thread limit", exc_info=True)
    return _found


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with OpenBLAS limited to one thread (re-entrant, thread-safe)."""
    global _users
    with _lock:
        shared, own = _setters()
        if _users == 0:
            _restore[:] = [(setter, int(setter(1))) for setter in shared]
        _users += 1
    previous = [(setter, int(setter(1))) for setter in own]
    try:
        yield
    finally:
        for setter, value in previous:
            setter(value)
        with _lock:
            _users -= 1
            if _users == 0:
                for setter, value in _restore:
                    setter(value)
                _restore.clear()
