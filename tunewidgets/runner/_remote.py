"""The function a worker process runs for one trial."""

from __future__ import annotations

from typing import Any

from ..objectives import Objective
from ..objectives._base import _NullReporter
from ._evaluate import Outcome, evaluate

__all__ = ["remote_evaluate"]


def remote_evaluate(
    objective: Objective, params: dict[str, Any], number: int, capture: bool
) -> Outcome:
    """Evaluate one trial in a worker; intermediate values travel back in the outcome.

    Parameters
    ----------
    objective : Objective
        What to run.
    params : dict
        The configuration.
    number : int
        The trial's number.
    capture : bool
        Capture what the trial prints.

    Returns
    -------
    Outcome
    """
    reporter = _NullReporter(number, params)

    def last_value() -> float | None:
        return reporter.values[max(reporter.values)] if reporter.values else None

    outcome = evaluate(objective, params, reporter, capture=capture, last_value=last_value)
    outcome.intermediate_values = dict(reporter.values)
    return outcome
