"""Synthetic trials: learning curves as plain data, no training."""

from __future__ import annotations

import tunewidgets as tw

COMPLETE, PRUNED, FAILED, RUNNING = (
    tw.TrialState.COMPLETE,
    tw.TrialState.PRUNED,
    tw.TrialState.FAILED,
    tw.TrialState.RUNNING,
)


def trial(number: int, curve: list[float] | dict[int, float], state=COMPLETE) -> tw.Trial:
    """A trial whose intermediate values are ``curve`` (a list: steps 1, 2, ...)."""
    values = curve if isinstance(curve, dict) else {i + 1: v for i, v in enumerate(curve)}
    return tw.Trial(number=number, params={}, state=state, intermediate_values=values)


def decide(pruner: tw.Pruner, others: list[tw.Trial], curve, number: int = 99) -> bool:
    """Whether ``pruner`` stops a running trial with ``curve``, given ``others``."""
    current = trial(number, curve, RUNNING)
    return pruner.should_prune(current, [*others, current])
