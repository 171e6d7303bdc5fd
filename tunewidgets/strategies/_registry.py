"""Strategies by name: ``strategy="bayes"`` in ``tune``, the Dashboard and ``TuneSearchCV``."""

from __future__ import annotations

import inspect
from typing import Any

from .._imports import is_available
from .._validation import check_int
from ..space import SearchSpace
from ._base import Strategy
from ._bayes import BayesianSearch
from ._evolution import EvolutionarySearch
from ._grid import GridSearch
from ._optuna import OptunaSearch
from ._random import RandomSearch

__all__ = ["STRATEGIES", "available_strategies", "make_strategy"]

#: Strategy classes by the names users type.
STRATEGIES: dict[str, type[Strategy]] = {
    "grid": GridSearch,
    "random": RandomSearch,
    "bayes": BayesianSearch,
    "evolution": EvolutionarySearch,
    "tpe": OptunaSearch,
}

_ALIASES = {"bayesian": "bayes", "gp": "bayes", "evolutionary": "evolution", "ga": "evolution"}


def available_strategies() -> list[str]:
    """Names accepted by :func:`make_strategy` in this environment.

    Returns
    -------
    list of str
        ``"tpe"`` is listed only where Optuna is installed.
    """
    return [name for name in STRATEGIES if name != "tpe" or is_available("optuna")]


def make_strategy(
    strategy: str | Strategy, space: SearchSpace, *, seed: int | None = None, **options: Any
) -> Strategy:
    """Build a strategy from its name, or check a ready-made one.

    Parameters
    ----------
    strategy : str or Strategy
        ``"grid"``, ``"random"``, ``"bayes"``, ``"evolution"`` or (with Optuna)
        ``"tpe"``; or a strategy instance, returned as is.
    space : SearchSpace
        The space to search.
    seed : int, optional
        Passed to the strategy (a grid ignores it unless shuffled).
    **options
        Strategy-specific options, e.g. ``acquisition="ucb"`` or ``resolution=4``.

    Returns
    -------
    Strategy

    Raises
    ------
    ValueError
        For an unknown name, or an instance built on a different space.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> tw.make_strategy("bayes", space, seed=0, acquisition="ucb").acquisition
    'ucb'
    """
    if isinstance(strategy, Strategy):
        if seed is not None:
            raise ValueError(
                f"A seed goes with a strategy name; the ready-made {type(strategy).__name__} "
                "has its own: build it with seed=..., or pass its name with seed=."
            )
        if options:
            raise ValueError(
                f"Strategy options {sorted(options)!r} can only be given with a strategy name, "
                f"not with a ready-made {type(strategy).__name__}."
            )
        if strategy.space != space:
            raise ValueError(
                f"The {type(strategy).__name__} was built on a different search space than the "
                "one given; build it on the same space."
            )
        return strategy
    if not isinstance(strategy, str) or _ALIASES.get(strategy, strategy) not in STRATEGIES:
        raise ValueError(
            f"Unknown strategy {strategy!r}. Choose one of {available_strategies()!r} "
            "or pass a tw.Strategy instance."
        )
    name = _ALIASES.get(strategy, strategy)
    cls = STRATEGIES[name]
    if seed is not None:
        check_int(seed, "seed", owner=f"the {name!r} strategy", low=0)
    allowed = _options(cls)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        listed = ", ".join(repr(o) for o in allowed) if allowed else "none"
        raise ValueError(
            f"Unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"for the {name!r} strategy ({cls.__name__}). Its options are: {listed}."
        )
    return cls(space, seed=seed, **options)


def _options(cls: type[Strategy]) -> list[str]:
    """The keyword options a strategy class takes besides ``space`` and ``seed``."""
    parameters = inspect.signature(cls.__init__).parameters
    return [
        name
        for name, p in parameters.items()
        if name not in ("self", "space", "seed")
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
