"""The exceptions and warnings of tunewidgets, in one place.

Every exception derives from :class:`TunewidgetsError`, and also keeps the
built-in base it has always had, so that both ``except tw.exceptions.TunewidgetsError``
and an existing ``except KeyError`` (or ``RuntimeError``, ...) catch it. A leaf
module: it imports nothing of tunewidgets. Each is also importable from the
subpackage that raises it (``tunewidgets.runner.RunnerStateError``, ...).
"""

from __future__ import annotations

__all__ = [
    "ExecutorLostError",
    "RunnerStateError",
    "SearchComplete",
    "StudyNotFoundError",
    "TrialPruned",
    "TrialsFailedWarning",
    "TunewidgetsError",
    "WorkerDiedError",
]


class TunewidgetsError(Exception):
    """The base of every exception tunewidgets raises on purpose.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> from tunewidgets.exceptions import TunewidgetsError
    >>> issubclass(tw.TrialPruned, TunewidgetsError)
    True
    """


class SearchComplete(TunewidgetsError):
    """Raised by :meth:`Strategy.ask` when the strategy has nothing left to propose.

    The runner treats it as the end of the search, with reason
    ``"search complete"``. :class:`GridSearch` raises it once every grid point
    has been asked; :class:`RandomSearch` and :class:`BayesianSearch` raise it
    once every configuration of a finite (all-integer and categorical) space has
    been tried.
    """


class TrialPruned(TunewidgetsError):
    """Raise inside an objective to stop a trial early because a pruner said so.

    The trial is recorded as pruned, with its last reported value as its score.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> def objective(params, trial):
    ...     for epoch in range(10):
    ...         value = params["x"] * epoch
    ...         trial.report(value, step=epoch)
    ...         if trial.should_prune():
    ...             raise tw.TrialPruned()
    ...     return value
    """


class StudyNotFoundError(TunewidgetsError, KeyError):
    """No study of that name in the file; the message lists those that exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class RunnerStateError(TunewidgetsError, RuntimeError):
    """A control was used in a state where it means nothing (e.g. pause before start)."""


class WorkerDiedError(TunewidgetsError, RuntimeError):
    """The process that ran a trial died (a crash, ``os._exit``, killed for memory).

    The runner records that trial as failed with this message and goes on; the
    executor replaces the worker.
    """


class ExecutorLostError(TunewidgetsError, ConnectionError):
    """The executor can no longer run trials (a Dask cluster that cannot be reached).

    The runner ends the search with this error; the Study keeps every trial
    that finished, and trials cut short are not recorded.
    """


class TrialsFailedWarning(UserWarning):
    """Every trial of a search failed: it has no best score. The message names the first error."""
