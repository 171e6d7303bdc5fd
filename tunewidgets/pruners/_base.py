"""The pruner interface: from a trial's reports so far, decide whether it should stop."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..study import Trial

__all__ = ["Pruner", "best_up_to"]


class Pruner(ABC):
    """Decide from a trial's intermediate values whether to stop it early.

    Subclass it and implement :meth:`should_prune`; pass an instance as
    ``pruner=`` to :func:`tune`, :class:`Runner` or the Dashboard.

    See Also
    --------
    MedianPruner : stops trials below the median of completed ones.
    SuccessiveHalvingPruner : keeps the top ``1 / reduction_factor`` at each rung (ASHA).

    Notes
    -----
    The lifecycle of one report, for an objective ``objective(params, trial)``
    (a :class:`KerasObjective` does this once per epoch):

    1. The objective calls ``trial.report(value, step)``. Values follow the
       score's convention: **higher is better** (an objective minimizing a loss
       reports its negative). Steps are integers that grow during a trial, e.g.
       the number of epochs trained so far.
    2. The runner records the value in ``trial.intermediate_values`` and calls
       ``pruner.should_prune(trial, trials)`` at once, with the trial as it is
       now and every trial of the study (running ones included).
    3. The objective calls ``trial.should_prune()``, which returns that
       decision; if True, it stops and raises :class:`TrialPruned`.
    4. The trial is recorded as ``pruned``, with its last reported value as its
       score, and the strategy is told that score like any other. A pruned
       trial therefore counts as a (usually poor) result where it stopped:
       Bayesian and evolutionary searches learn to avoid its region, grid and
       random searches ignore scores anyway. Trials that fail are told
       ``None`` and never serve as a comparison.

    ``should_prune`` runs in the runner's thread while the trial waits, so it
    should be quick. The pruners here keep no state: each decision is a
    function of the trials alone, so a resumed or reloaded study prunes the
    same way.

    Examples
    --------
    A pruner that stops any trial whose value falls below a threshold:

    >>> import tunewidgets as tw
    >>> class Threshold(tw.Pruner):
    ...     def __init__(self, low):
    ...         self.low = low
    ...
    ...     def should_prune(self, trial, trials):
    ...         values = trial.intermediate_values
    ...         return values[max(values)] < self.low
    >>> trial = tw.Trial(number=0, params={}, intermediate_values={1: 0.2})
    >>> Threshold(0.5).should_prune(trial, [trial])
    True
    """

    @abstractmethod
    def should_prune(self, trial: Trial, trials: Sequence[Trial]) -> bool:
        """Whether ``trial`` should stop now, given its reports and the other trials.

        Parameters
        ----------
        trial : Trial
            The trial that just reported; its ``intermediate_values`` hold every
            value reported so far, the latest at the highest step.
        trials : sequence of Trial
            All trials of the study, ``trial`` among them (with any state).

        Returns
        -------
        bool
            True to stop the trial.
        """

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


def best_up_to(values: Mapping[int, float], step: int) -> float | None:
    """The best (highest) value reported at a step up to ``step``, if the trial got that far.

    Parameters
    ----------
    values : mapping of int to float
        A trial's intermediate values.
    step : int
        The step to compare at.

    Returns
    -------
    float or None
        None when the trial never reported at ``step`` or beyond.
    """
    if not values or max(values) < step:
        return None
    reached = [v for s, v in values.items() if s <= step]
    return max(reached) if reached else None
