"""The runner: the background thread that drives a search, and where trials run."""

from ..exceptions import ExecutorLostError, RunnerStateError, WorkerDiedError
from ._budget import Budget, check_budgets, check_pruner
from ._dask import DaskTrialExecutor
from ._evaluate import Outcome, evaluate
from ._events import Event, EventKind, RunnerState
from ._executor import InThreadExecutor, TrialExecutor
from ._factory import check_executor, check_n_jobs, is_dask_client, make_executor
from ._pool import ProcessPoolTrialExecutor, shutdown_workers
from ._runner import Runner
from ._watch import StudyWatcher

__all__ = [
    "Budget",
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
