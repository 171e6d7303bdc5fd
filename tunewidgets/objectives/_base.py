"""What one trial runs: the objective protocol, and any callable as an objective."""

from __future__ import annotations

import inspect
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..exceptions import TrialPruned
from ..space import SearchSpace

__all__ = [
    "FunctionObjective",
    "Objective",
    "ObjectiveResult",
    "Reporter",
    "TrialPruned",
    "as_objective",
]


@runtime_checkable
class Reporter(Protocol):
    """What an objective receives to report progress within one trial.

    An objective that accepts a second argument gets one: it may report a value
    per step (e.g. per epoch) with :meth:`report`, and ask :meth:`should_prune`
    whether the pruner wants the trial stopped.
    """

    number: int
    params: dict[str, Any]

    def report(self, value: float, step: int) -> None:
        """Record the value reached at ``step`` (higher is better).

        Parameters
        ----------
        value : float
            The intermediate value, e.g. this epoch's validation accuracy.
        step : int
            The step, e.g. the epoch number (from 0 or 1, increasing).
        """

    def should_prune(self) -> bool:
        """Whether the pruner wants this trial stopped (then raise :class:`TrialPruned`).

        Returns
        -------
        bool
        """


class _NullReporter:
    """Reporter used when nothing listens: reports are kept, nothing is pruned."""

    def __init__(self, number: int = 0, params: dict[str, Any] | None = None) -> None:
        self.number = number
        self.params = params or {}
        self.values: dict[int, float] = {}

    def report(self, value: float, step: int) -> None:
        self.values[int(step)] = float(value)

    def should_prune(self) -> bool:
        return False


@dataclass
class ObjectiveResult:
    """What a trial produced: its score and the details worth keeping.

    Parameters
    ----------
    score : float
        The value to maximize.
    score_std : float or None, default=None
        Its standard deviation across folds or repeats, where known.
    info : dict, default={}
        JSON-ready details (per-fold scores, fit time, ...), stored with the trial.
    """

    score: float
    score_std: float | None = None
    info: dict[str, Any] = field(default_factory=dict)


class Objective(ABC):
    """What one trial runs: ``objective(params, reporter) -> ObjectiveResult or float``.

    Subclasses are :class:`SklearnObjective` (cross-validation),
    ``KerasObjective`` (training with per-epoch reports) and
    :class:`FunctionObjective` (any callable). The runner calls
    :meth:`check_space` before the search starts, so a misnamed parameter
    fails at once rather than in every trial.
    """

    #: Whether the objective reports intermediate values (learning curves).
    reports_intermediate: bool = False

    #: The scikit-learn estimator it tunes, for objectives that tune one (else None):
    #: its space can be inferred, and the best configuration refitted.
    estimator: Any = None

    @abstractmethod
    def __call__(self, params: dict[str, Any], reporter: Reporter) -> ObjectiveResult | float:
        """Evaluate one configuration.

        Parameters
        ----------
        params : dict
            The configuration.
        reporter : Reporter
            Where to report intermediate values and ask about pruning.

        Returns
        -------
        ObjectiveResult or float
        """

    def check_space(self, space: SearchSpace) -> None:  # noqa: B027 - optional hook
        """Raise ``ValueError`` if the space does not fit this objective.

        Parameters
        ----------
        space : SearchSpace
            The space about to be searched.
        """

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description, stored in the study's settings and shown in reports.

        Returns
        -------
        dict
        """
        return {"kind": type(self).__name__}

    @property
    def label(self) -> str:
        """A short name for the objective, used to name studies."""
        return type(self).__name__.removesuffix("Objective").lower() or "objective"


def _accepts_reporter(func: Callable[..., Any]) -> bool:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return False
    positional = [
        p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in sig.parameters.values())
    return len(positional) >= 2 or varargs


def coerce_result(value: Any) -> ObjectiveResult:
    """Turn what an objective returned into an :class:`ObjectiveResult`.

    Parameters
    ----------
    value : float, ObjectiveResult or dict
        A number; a result; or a dict with a ``"score"`` key (an optional
        ``"score_std"``, everything else kept as info).

    Returns
    -------
    ObjectiveResult

    Raises
    ------
    ValueError
        If the value is not a finite number (the trial is then recorded as failed
        with this message).
    """
    if isinstance(value, ObjectiveResult):
        result = value
    elif isinstance(value, Mapping) and "score" in value:
        info = {k: v for k, v in value.items() if k not in ("score", "score_std")}
        result = ObjectiveResult(value["score"], value.get("score_std"), info)
    else:
        result = ObjectiveResult(value)
    score = result.score
    if hasattr(score, "item") and getattr(score, "size", 1) == 1:
        score = score.item()
    if isinstance(score, bool) or not isinstance(score, numbers.Real):
        raise ValueError(
            f"The objective must return a number (higher is better). It returned {score!r} "
            f"of type {type(score).__name__}."
        )
    if not math.isfinite(score):
        raise ValueError(f"The objective returned {score!r}, which is not a finite number.")
    result.score = float(score)
    if result.score_std is not None:
        result.score_std = float(result.score_std)
    return result


class FunctionObjective(Objective):
    """Any callable as an objective: ``func(params) -> float`` (maximized).

    Parameters
    ----------
    func : callable
        ``func(params)`` or, to report intermediate values and be pruned,
        ``func(params, trial)`` where ``trial`` is a :class:`Reporter`. It may
        return a float, an :class:`ObjectiveResult`, or a dict with a
        ``"score"`` key.

    Raises
    ------
    ValueError
        If ``func`` is not callable.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> objective = tw.FunctionObjective(lambda p: -(p["x"] - 1) ** 2)
    >>> objective({"x": 3.0}, None)
    -4.0
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        if not callable(func):
            raise ValueError(
                "An objective must be callable as objective(params) -> float, or be a "
                f"scikit-learn estimator. Got {func!r} of type {type(func).__name__}."
            )
        self.func = func
        self.reports_intermediate = _accepts_reporter(func)

    def __call__(self, params: dict[str, Any], reporter: Reporter) -> Any:
        if self.reports_intermediate:
            return self.func(params, reporter)
        return self.func(params)

    def describe(self) -> dict[str, Any]:
        return {"kind": "function", "name": self.label}

    @property
    def label(self) -> str:
        name = getattr(self.func, "__name__", type(self.func).__name__)
        return "objective" if name == "<lambda>" else name


def as_objective(obj: Any) -> Objective:
    """Wrap a callable as an :class:`Objective` (objectives are returned as is).

    Parameters
    ----------
    obj : Objective or callable

    Returns
    -------
    Objective
    """
    if isinstance(obj, Objective):
        return obj
    return FunctionObjective(obj)
