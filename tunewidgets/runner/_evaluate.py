"""Run one trial's objective and turn whatever happens into an ``Outcome``."""

from __future__ import annotations

import copy
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from ..objectives import Objective, ObjectiveResult, Reporter, TrialPruned, coerce_result
from ..study import TrialState
from ._capture import capture_output

__all__ = ["Outcome", "evaluate"]


@dataclass
class Outcome:
    """How a trial ended: plain data, picklable, so it can come back from a worker.

    Parameters
    ----------
    state : TrialState
        Complete, failed or pruned.
    score, score_std : float or None
        The result, where there is one.
    error : str or None
        ``"ExceptionType: message"`` for a failure.
    output : str
        What the trial printed.
    info : dict
        Details from the objective (per-fold scores, ...), and the traceback of a failure.
    intermediate_values : dict of int to float
        Values reported during the trial (filled by out-of-process executors).
    elapsed : float
        Seconds the objective ran.
    """

    state: TrialState
    score: float | None = None
    score_std: float | None = None
    error: str | None = None
    output: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    intermediate_values: dict[int, float] = field(default_factory=dict)
    elapsed: float = 0.0


def _copy(params: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``params`` for the objective (deep where the values allow it)."""
    try:
        return copy.deepcopy(params)
    except Exception:  # a value that cannot be copied: at least the dict is the objective's own
        return dict(params)


def _details(raw: Any) -> dict[str, Any]:
    """The info of what an objective returned, if it was a result with details."""
    if isinstance(raw, ObjectiveResult):
        return dict(raw.info)
    if isinstance(raw, dict) and "score" in raw:
        return {k: v for k, v in raw.items() if k not in ("score", "score_std")}
    return {}


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def evaluate(
    objective: Objective,
    params: dict[str, Any],
    reporter: Reporter,
    *,
    capture: bool = True,
    last_value: Any = None,
) -> Outcome:
    """Run ``objective(params, reporter)``; never raises but for ``KeyboardInterrupt``.

    Parameters
    ----------
    objective : Objective
        What to run.
    params : dict
        The configuration. The objective receives a copy: whatever it does to
        the dict changes neither what is stored nor what the strategy is told.
    reporter : Reporter
        Receives intermediate values.
    capture : bool, default=True
        Capture what the objective prints into ``Outcome.output``.
    last_value : callable, optional
        Returns the last reported value, used as a pruned trial's score.

    Returns
    -------
    Outcome
        Complete with a score; failed with the error when the objective raised
        or returned something that is not a finite number (a result's details
        are kept: a cross-validation whose folds failed keeps each fold's
        error); pruned when it raised :class:`TrialPruned`.
    """
    start = time.perf_counter()
    raw: Any = None
    with capture_output(capture) as buffer:
        try:
            raw = objective(_copy(params), reporter)
            result = coerce_result(raw)
        except TrialPruned:
            value = last_value() if last_value is not None else None
            return Outcome(
                TrialState.PRUNED,
                score=value,
                output=buffer.getvalue(),
                elapsed=time.perf_counter() - start,
            )
        except (Exception, SystemExit) as exc:  # sys.exit() in an objective ends its trial only
            return Outcome(
                TrialState.FAILED,
                error=_describe(exc),
                output=buffer.getvalue(),
                # a result that is no score (nan) keeps its details: per-fold scores, errors
                info={**_details(raw), "traceback": traceback.format_exc()},
                elapsed=time.perf_counter() - start,
            )
    return Outcome(
        TrialState.COMPLETE,
        score=result.score,
        score_std=result.score_std,
        output=buffer.getvalue(),
        info=dict(result.info),
        elapsed=time.perf_counter() - start,
    )
