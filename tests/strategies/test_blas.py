"""The surrogate's linear algebra runs on one BLAS thread, and the count is always restored."""

from __future__ import annotations

import threading

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import tunewidgets as tw
from tunewidgets.strategies import _bayes
from tunewidgets.strategies._blas import _symbol, one_blas_thread


def blas_threads() -> list[int]:
    """Threads of each OpenBLAS that can be limited per call (OpenBLAS 0.3.26 and later).

    An older OpenBLAS (numpy 1.24's, at the declared floor) has no per-call limit
    and keeps its threads; the strategy leaves it alone.
    """
    from threadpoolctl import ThreadpoolController

    return [
        lib.num_threads
        for lib in ThreadpoolController().lib_controllers
        if lib.internal_api == "openblas"
        and _symbol(lib, "openblas_set_num_threads_local") is not None
    ]


@pytest.fixture
def two():
    """OpenBLAS on two threads for the test (set from the main thread, then released)."""
    if not any(i.get("threading_layer") == "pthreads" for i in threadpool_info()):
        pytest.skip("no process-wide (pthreads) OpenBLAS here")
    if not blas_threads():
        pytest.skip("no OpenBLAS with a per-call thread limit (0.3.26 or later) here")
    with threadpool_limits(limits=2, user_api="blas"):
        yield blas_threads()


def in_a_thread(function):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", function()))
    thread.start()
    thread.join(60)
    return result["value"]


def test_a_search_thread_fits_the_gp_on_one_thread_and_restores_the_count(two, monkeypatch):
    seen = []
    fit = _bayes.fit_gp

    def spy(*args, **kwargs):
        seen.append(blas_threads())
        return fit(*args, **kwargs)

    monkeypatch.setattr(_bayes, "fit_gp", spy)
    space = tw.SearchSpace({"x": tw.Float(0, 1), "y": tw.Float(0, 1)})

    def search():
        strategy = tw.BayesianSearch(space, seed=0)
        for _ in range(6):
            params = strategy.ask()
            strategy.tell(params, -((params["x"] - 0.3) ** 2) - (params["y"] - 0.6) ** 2)
        strategy.surrogate.predict({"x": 0.5, "y": 0.5})
        return blas_threads()

    assert in_a_thread(search) == two
    assert seen and all(threads == [1] * len(two) for threads in seen)
    assert blas_threads() == two


def test_overlapping_users_in_two_threads_restore_the_count(two):
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with one_blas_thread():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    with one_blas_thread():
        thread.start()
        assert inside.wait(10)
        assert blas_threads() == [1] * len(two)
    assert blas_threads() == [1] * len(two)  # the other thread still computes
    leave.set()
    thread.join(10)
    assert blas_threads() == two
