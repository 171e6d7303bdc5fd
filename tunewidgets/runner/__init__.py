"""The runner: the background thread that drives a search, and where trials run."""

from ._evaluate import Outcome, evaluate
from ._events import Event, EventKind, RunnerState
from ._executors import InThreadExecutor, TrialExecutor, check_n_jobs, make_executor
from ._runner import Runner, RunnerStateError, check_budgets, check_pruner

__all__ = [
    "Event",
    "EventKind",
    "InThreadExecutor",
    "Outcome",
    "Runner",
    "RunnerState",
    "RunnerStateError",
    "TrialExecutor",
    "check_budgets",
    "check_n_jobs",
    "check_pruner",
    "evaluate",
    "make_executor",
]
