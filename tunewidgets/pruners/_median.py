"""The median stopping rule."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._validation import check_int
from ..study import TrialState
from ._base import Pruner, best_up_to

if TYPE_CHECKING:
    from ..study import Trial

__all__ = ["MedianPruner"]


class MedianPruner(Pruner):
    """Stop a trial that is worse, at its current step, than the median of completed trials.

    At a report at step ``k``, the best value the trial has reached up to
    ``k`` is compared with the median of the same quantity over the completed
    trials that got to step ``k``; the trial is pruned if it is strictly below.

    Parameters
    ----------
    n_startup_trials : int, default=5
        No trial is pruned until this many trials have completed: the median
        needs a few full learning curves to mean something.
    n_warmup_steps : int, default=0
        The first ``n_warmup_steps`` reports of every trial are never pruned
        on (e.g. 2 lets every Keras trial train at least 3 epochs before a
        decision): early values are noisy.

    Raises
    ------
    ValueError
        If either argument is not an int >= 0.

    See Also
    --------
    Pruner : the interface, and how strategies treat pruned trials.
    SuccessiveHalvingPruner : a more aggressive, rung-based rule.

    Notes
    -----
    Only completed trials form the median (as in Optuna's ``MedianPruner``
    and the median stopping rule of Google Vizier): pruned trials are, by
    construction, the worse ones, and counting them would lower the bar.
    Comparing best-so-far values rather than the value at exactly step ``k``
    keeps one noisy epoch from pruning a good trial, and lets trials that
    report at different steps be compared.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> done = [
    ...     tw.Trial(number=i, params={}, state=tw.TrialState.COMPLETE,
    ...              intermediate_values={1: v, 2: v + 0.1})
    ...     for i, v in enumerate([0.5, 0.6, 0.7])
    ... ]
    >>> pruner = tw.MedianPruner(n_startup_trials=3)
    >>> poor = tw.Trial(number=3, params={}, intermediate_values={1: 0.55, 2: 0.58})
    >>> pruner.should_prune(poor, [*done, poor])   # median at step 2 is 0.7
    True
    >>> good = tw.Trial(number=3, params={}, intermediate_values={1: 0.65, 2: 0.75})
    >>> pruner.should_prune(good, [*done, good])
    False
    """

    def __init__(self, n_startup_trials: int = 5, n_warmup_steps: int = 0) -> None:
        owner = "MedianPruner"
        self.n_startup_trials: int = check_int(  # type: ignore[assignment]
            n_startup_trials, "n_startup_trials", owner=owner, low=0
        )
        self.n_warmup_steps: int = check_int(  # type: ignore[assignment]
            n_warmup_steps, "n_warmup_steps", owner=owner, low=0
        )

    def should_prune(self, trial: Trial, trials: Sequence[Trial]) -> bool:
        """Whether ``trial``'s best value so far is below the completed trials' median.

        Parameters
        ----------
        trial : Trial
            The trial that just reported.
        trials : sequence of Trial
            All trials of the study.

        Returns
        -------
        bool
        """
        values = trial.intermediate_values
        if len(values) <= self.n_warmup_steps:
            return False
        completed = [
            t for t in trials if t.state is TrialState.COMPLETE and t.number != trial.number
        ]
        if not completed or len(completed) < self.n_startup_trials:
            return False
        step = max(values)
        others = [best_up_to(t.intermediate_values, step) for t in completed]
        reached = [v for v in others if v is not None]
        if not reached:
            return False
        mine = best_up_to(values, step)
        return mine is not None and mine < statistics.median(reached)
