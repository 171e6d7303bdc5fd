"""A search's budgets and stop rules, and the counters they read.

No thread and no clock of its own: the runner tells a :class:`Budget` what
happened (a trial started, a trial finished, another process found a better
score) and asks it, before each new trial, whether one may start
(:meth:`Budget.reason`), passing the running time it keeps.
"""

from __future__ import annotations

from typing import Any

from .._trial import Trial, TrialState
from .._validation import check_int, check_real

__all__ = ["Budget", "check_budgets", "check_pruner"]


def check_budgets(
    owner: str,
    *,
    n_trials: Any = None,
    timeout: Any = None,
    target: Any = None,
    patience: Any = None,
    max_consecutive_failures: Any = 5,
) -> dict[str, Any]:
    """Validate a search's budgets; return them as plain numbers.

    Parameters
    ----------
    owner : str
        Who receives them, for messages.
    n_trials, timeout, target, patience, max_consecutive_failures
        As for :class:`Runner`.

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        Naming the budget, what is allowed and what was received.
    """
    return {
        "n_trials": check_int(n_trials, "n_trials", owner=owner, low=1, allow_none=True),
        "timeout": check_real(
            timeout, "timeout", owner=owner, low=0.0, low_inclusive=False, allow_none=True
        ),
        "target": check_real(target, "target", owner=owner, allow_none=True),
        "patience": check_int(patience, "patience", owner=owner, low=1, allow_none=True),
        "max_consecutive_failures": check_int(
            max_consecutive_failures,
            "max_consecutive_failures",
            owner=owner,
            low=1,
            allow_none=True,
        ),
    }


def check_pruner(pruner: Any, owner: str) -> Any:
    """Check that ``pruner`` is None or has ``should_prune(trial, trials)``.

    Parameters
    ----------
    pruner : object or None
    owner : str
        Who receives it, for messages.

    Returns
    -------
    object or None
        The pruner.

    Raises
    ------
    ValueError
        If it has no ``should_prune`` method.
    """
    if pruner is not None and not callable(getattr(pruner, "should_prune", None)):
        raise ValueError(
            f"{owner}: 'pruner' must have a should_prune(trial, trials) method, such as "
            f"tw.MedianPruner(). Got {pruner!r}."
        )
    return pruner


class Budget:
    """The budgets of one search and the counts that decide when it ends.

    Parameters
    ----------
    n_trials, timeout, target, patience, max_consecutive_failures
        As for :class:`Runner`, already checked by :func:`check_budgets`.

    Attributes
    ----------
    n_started, n_finished, n_failed : int
        Trials of this search started, finished, and finished as failed.
    first_error : str or None
        The error of this search's first failed trial.
    best : float or None
        The best score known (this search's, the study's before it, and other
        processes' sharing the study).

    Examples
    --------
    >>> from tunewidgets.runner import Budget
    >>> budget = Budget(n_trials=10, patience=2)
    >>> budget.best = 0.5
    >>> budget.reason(elapsed=0.0) is None
    True
    >>> budget.since_improvement = 2
    >>> budget.reason(elapsed=0.0)
    'no improvement in 2 trials'
    """

    def __init__(
        self,
        *,
        n_trials: int | None = None,
        timeout: float | None = None,
        target: float | None = None,
        patience: int | None = None,
        max_consecutive_failures: int | None = 5,
    ) -> None:
        self.n_trials = n_trials
        self.timeout = timeout
        self.target = target
        self.patience = patience
        self.max_consecutive_failures = max_consecutive_failures
        self.n_started = 0
        self.n_finished = 0
        self.n_failed = 0
        self.first_error: str | None = None
        self.best: float | None = None
        self.failures_in_row = 0
        self.since_improvement = 0

    def started(self) -> None:
        """Count a trial started."""
        self.n_started += 1

    def finished(self, trial: Trial) -> None:
        """Count a trial of this search finished.

        Parameters
        ----------
        trial : Trial
            As recorded: complete, pruned or failed.
        """
        self.n_finished += 1
        if trial.state is TrialState.FAILED:
            self.failures_in_row += 1
            self.n_failed += 1
            if self.first_error is None:
                self.first_error = trial.error or "unknown error"
        else:
            self.failures_in_row = 0
        if trial.has_score and (self.best is None or trial.score > self.best):  # type: ignore[operator]
            self.best = trial.score
            self.since_improvement = 0
        else:
            self.since_improvement += 1

    def learned(self, trial: Trial) -> None:
        """Take the score of a trial another process finished (it counts towards ``target``).

        Parameters
        ----------
        trial : Trial
            A finished trial of another process.
        """
        if trial.has_score and (self.best is None or trial.score > self.best):  # type: ignore[operator]
            self.best = trial.score

    def reason(self, elapsed: float) -> str | None:
        """Why no new trial may start, or None while the budgets allow one.

        Parameters
        ----------
        elapsed : float
            Seconds the search has been running (paused time not counted).

        Returns
        -------
        str or None
            The first rule that holds: ``"n_trials reached"``, ``"timeout reached"``,
            ``"target reached"``, ``"no improvement in N trials"``, ``"N failed
            trials in a row"``.
        """
        if self.n_trials is not None and self.n_started >= self.n_trials:
            return "n_trials reached"
        if self.timeout is not None and elapsed >= self.timeout:
            return "timeout reached"
        if self.target is not None and self.best is not None and self.best >= self.target:
            return "target reached"
        if self.patience is not None and self.since_improvement >= self.patience:
            return f"no improvement in {self.patience} trials"
        limit = self.max_consecutive_failures
        if limit is not None and self.failures_in_row >= limit:
            return f"{limit} failed trials in a row"
        return None

    @property
    def failure_summary(self) -> str | None:
        """What to tell the user when every trial this search finished has failed, else None."""
        if self.n_finished == 0 or self.n_failed < self.n_finished:
            return None
        trials = "The trial" if self.n_finished == 1 else f"All {self.n_finished} trials"
        return f"{trials} of this search failed. The first error: {self.first_error}"
