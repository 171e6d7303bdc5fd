"""Strategies by name: ``strategy="bayes"`` in ``tune``, the Dashboard and ``TuneSearchCV``."""

from __future__ import annotations

from typing import Any

from .._imports import is_available
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
    cls = STRATEGIES[_ALIASES.get(strategy, strategy)]
    if cls is GridSearch:
        return GridSearch(space, seed=seed, **options)
    return cls(space, seed=seed, **options)
