"""The runner: the background thread that drives a search, and where trials run."""

from ._dask import DaskTrialExecutor
from ._evaluate import Outcome, evaluate
from ._events import Event, EventKind, RunnerState
from ._executors import (
    ExecutorLostError,
    InThreadExecutor,
    TrialExecutor,
    WorkerDiedError,
    check_executor,
    check_n_jobs,
    is_dask_client,
    make_executor,
)
from ._pool import ProcessPoolTrialExecutor, shutdown_workers
from ._runner import Runner, RunnerStateError, check_budgets, check_pruner
from ._watch import StudyWatcher

__all__ = [
    "DaskTrialExecutor",
    "Event",
    "EventKind",
    "ExecutorLostError",
    "InThreadExecutor",
    "Outcome",
    "ProcessPoolTrialExecutor",
    "Runner",
    "RunnerState",
    "RunnerStateError",
    "StudyWatcher",
    "TrialExecutor",
    "WorkerDiedError",
    "check_budgets",
    "check_executor",
    "check_n_jobs",
    "check_pruner",
    "evaluate",
    "is_dask_client",
    "make_executor",
    "shutdown_workers",
]
