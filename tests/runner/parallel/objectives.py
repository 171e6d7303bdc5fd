"""Objectives for the parallel tests: picklable, and able to wait for the test across processes."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tunewidgets as tw

WAIT = 30  # seconds before a test gives up waiting: a hang, not a timing

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})
GRID = tw.SearchSpace({"n": tw.Int(0, 5)})


def grid() -> tw.GridSearch:
    """Every n of GRID, in order: 0, 1, ..., 5."""
    return tw.GridSearch(GRID, resolution=6)


def score(params: dict) -> float:
    return params["x"] + (params["k"] == "a")


class Dies:
    """Ends its own process (``os._exit`` or SIGKILL) in the trial with ``n == at``."""

    def __init__(self, at: int, how: str) -> None:
        self.at = at
        self.how = how

    def __call__(self, params: dict) -> float:
        if params["n"] == self.at:
            if self.how == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return float(params["n"])


def curve(params: dict, trial) -> float:
    """Reports six steps; stops when the pruner says so."""
    for step in range(6):
        trial.report(params["n"] + step / 10, step)
        if trial.should_prune():
            raise tw.TrialPruned()
    return float(params["n"])


class PruneOddAt:
    """A pruner: odd trials are pruned once they report step ``at``."""

    def __init__(self, at: int) -> None:
        self.at = at

    def should_prune(self, trial, trials) -> bool:
        return trial.params["n"] % 2 == 1 and max(trial.intermediate_values) >= self.at


class FileGate:
    """Each trial says it started with a file, then waits for the test to release it."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)

    def __call__(self, params: dict) -> float:
        n = params.get("n", -1)
        name = f"started-{os.getpid()}-{time.monotonic_ns()}"
        Path(self.folder, name).write_text(f"{n} {os.getpid()}")
        deadline = time.monotonic() + WAIT
        while not Path(self.folder, "release").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never released this trial")
            time.sleep(0.01)
        return float(n)

    def _started(self) -> list[tuple[int, int]]:
        found = [p.read_text().split() for p in Path(self.folder).glob("started-*")]
        return [(int(n), int(pid)) for n, pid in found if pid]

    def started(self) -> list[int]:
        """The ``n`` of every trial that started, sorted."""
        return sorted(n for n, _ in self._started())

    def pids(self) -> list[int]:
        return [pid for _, pid in self._started()]

    def release(self) -> None:
        Path(self.folder, "release").touch()


class Rendezvous:
    """Each trial waits until ``k`` trials have started: they run at once, in k workers."""

    def __init__(self, folder: Path, k: int) -> None:
        self.folder = str(folder)
        self.k = k

    def __call__(self, params: dict) -> float:
        Path(self.folder, f"started-{os.getpid()}-{time.monotonic_ns()}").touch()
        wait_until(lambda: len(list(Path(self.folder).glob("started-*"))) >= self.k, "others")
        return 1.0


def wait_until(condition, what: str) -> None:
    """Poll ``condition`` until it holds (a hang fails the test, no timing is asserted)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


@contextlib.contextmanager
def local_cluster(n_workers: int) -> Iterator[tuple[Any, Any]]:
    """A Dask LocalCluster of ``n_workers`` processes (1 thread each) and its client.

    ``allowed-failures: 0``: Dask fails a task at the first worker death instead
    of running it again on another worker.
    """
    import dask
    import distributed

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield cluster, client


def check_a_runner_in_a_background_thread(path: Path, **where: Any) -> None:
    """A Runner started in its own thread with trials elsewhere (``n_jobs`` or ``executor``):
    it finishes, says so to subscribers, and stores every trial once, inside the space."""
    study = tw.Study(SPACE, storage=path)
    runner = tw.Runner(study, score, tw.BayesianSearch(SPACE, seed=0), n_trials=6, **where)
    finished = threading.Event()
    runner.subscribe(
        lambda events: (
            any(e.kind is tw.EventKind.SEARCH_FINISHED for e in events) and finished.set()
        )
    )
    runner.start()
    assert runner.join(2 * WAIT)
    assert finished.wait(2 * WAIT)
    assert runner.finish_reason == "n_trials reached"
    stored = tw.Study.load(path, name=study.name)
    assert sorted(t.number for t in stored.trials) == list(range(6))  # each recorded once
    assert all(SPACE.contains(t.params) for t in stored.trials)
