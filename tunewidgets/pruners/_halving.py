"""Asynchronous successive halving (ASHA)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .._validation import check_int
from ..study import TrialState
from ._base import Pruner

if TYPE_CHECKING:
    from ..study import Trial

__all__ = ["SuccessiveHalvingPruner"]


def _value_at(values: Mapping[int, float], rung: int) -> float | None:
    """The value at the first step at or past ``rung``; None if the trial stopped before it."""
    steps = [s for s in values if s >= rung]
    return values[min(steps)] if steps else None


class SuccessiveHalvingPruner(Pruner):
    """Asynchronous successive halving: at each rung, only the top ``1/reduction_factor`` go on.

    Rungs are at steps ``min_resource * reduction_factor**k`` (k = 0, 1, ...):
    with the defaults, after epochs 1, 3, 9, 27, ... When a trial reaches a
    rung, its value there is ranked among the values every other trial had
    there (running, complete or pruned, failed ones excepted), and it goes on
    only if it is among the best ``max(1, n // reduction_factor)`` of the
    ``n`` trials at that rung, itself included. Between rungs it is never
    pruned.

    Parameters
    ----------
    min_resource : int, default=1
        The first rung: the steps (e.g. epochs) every trial gets before its
        first decision.
    reduction_factor : int, default=3
        How selective each rung is, and how far apart rungs are (>= 2).

    Raises
    ------
    ValueError
        If ``min_resource`` < 1 or ``reduction_factor`` < 2.

    See Also
    --------
    Pruner : the interface, and how strategies treat pruned trials.
    MedianPruner : a gentler rule that waits for completed trials.

    Notes
    -----
    ASHA (Li et al., "A System for Massively Parallel Hyperparameter Tuning",
    MLSys 2020) pauses trials at a rung and resumes the best later; a trial
    here cannot be paused, so, as in Optuna's ``SuccessiveHalvingPruner``, a
    trial is judged against the trials that reached the rung before it. While
    fewer than ``reduction_factor`` trials have reached a rung, only one
    that beats (or ties) all of them goes on: the first trials are judged
    hard, so early results decide a lot. Steps are expected to count the
    resource used, e.g. epochs from 1, as :class:`KerasObjective` reports.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> earlier = [
    ...     tw.Trial(number=i, params={}, state=tw.TrialState.COMPLETE,
    ...              intermediate_values={1: v, 2: v, 3: v})
    ...     for i, v in enumerate([0.2, 0.4, 0.6, 0.8, 0.9])
    ... ]
    >>> pruner = tw.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    >>> new = tw.Trial(number=5, params={}, intermediate_values={1: 0.7})
    >>> pruner.should_prune(new, [*earlier, new])   # 3rd of 6 at rung 1: only 2 go on
    True
    >>> new = tw.Trial(number=5, params={}, intermediate_values={1: 0.85})
    >>> pruner.should_prune(new, [*earlier, new])
    False
    """

    def __init__(self, min_resource: int = 1, reduction_factor: int = 3) -> None:
        owner = "SuccessiveHalvingPruner"
        self.min_resource: int = check_int(  # type: ignore[assignment]
            min_resource, "min_resource", owner=owner, low=1
        )
        self.reduction_factor: int = check_int(  # type: ignore[assignment]
            reduction_factor, "reduction_factor", owner=owner, low=2
        )

    def rung_of(self, step: int) -> int | None:
        """The highest rung at or below ``step``.

        Parameters
        ----------
        step : int
            A step (resource used so far).

        Returns
        -------
        int or None
            None before the first rung.

        Examples
        --------
        >>> import tunewidgets as tw
        >>> [tw.SuccessiveHalvingPruner().rung_of(s) for s in (0, 1, 2, 3, 8, 9)]
        [None, 1, 1, 3, 3, 9]
        """
        rung = self.min_resource
        if step < rung:
            return None
        while rung * self.reduction_factor <= step:
            rung *= self.reduction_factor
        return rung

    def should_prune(self, trial: Trial, trials: Sequence[Trial]) -> bool:
        """Whether ``trial``, having just reached a rung, is outside its top fraction.

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
        if not values:
            return False
        step = max(values)
        rung = self.rung_of(step)
        earlier = [s for s in values if s < step]
        if rung is None or (earlier and max(earlier) >= rung):
            return False  # no rung crossed by this report
        mine = values[step]
        competing = [
            _value_at(t.intermediate_values, rung)
            for t in trials
            if t.number != trial.number and t.state is not TrialState.FAILED
        ]
        competing = [v for v in competing if v is not None]
        kept = max(1, (len(competing) + 1) // self.reduction_factor)
        better = sum(v > mine for v in competing)
        return better >= kept
