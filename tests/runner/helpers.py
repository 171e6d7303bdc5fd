"""Objectives that let a test hold a trial in flight, without sleeping."""

from __future__ import annotations

import threading

import tunewidgets as tw

WAIT = 20  # seconds before a test gives up waiting: a hang, not a timing


class Gate:
    """An objective that waits for the test to let each trial finish."""

    def __init__(self) -> None:
        self._release = threading.Semaphore(0)
        self._entered = threading.Semaphore(0)
        self.calls = 0

    def __call__(self, params: dict) -> float:
        self.calls += 1
        self._entered.release()
        if not self._release.acquire(timeout=WAIT):
            raise TimeoutError("the test never released this trial")
        return float(params["x"])

    def wait_entered(self) -> None:
        assert self._entered.acquire(timeout=WAIT), "no trial started"

    def release(self, n: int = 1) -> None:
        for _ in range(n):
            self._release.release()


SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
