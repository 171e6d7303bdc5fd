"""Ask/tell search strategies: grid, random, Bayesian, evolutionary and Optuna's samplers."""

from ._acquisition import (
    ACQUISITIONS,
    expected_improvement,
    probability_of_improvement,
    upper_confidence_bound,
)
from ._base import SearchComplete, Strategy
from ._bayes import BayesianSearch
from ._evolution import EvolutionarySearch
from ._gp import GPSurrogate
from ._grid import GridSearch, budget_resolution
from ._optuna import OptunaSearch
from ._random import RandomSearch
from ._registry import STRATEGIES, available_strategies, make_strategy

__all__ = [
    "ACQUISITIONS",
    "STRATEGIES",
    "BayesianSearch",
    "EvolutionarySearch",
    "GPSurrogate",
    "GridSearch",
    "OptunaSearch",
    "RandomSearch",
    "SearchComplete",
    "Strategy",
    "available_strategies",
    "budget_resolution",
    "expected_improvement",
    "make_strategy",
    "probability_of_improvement",
    "upper_confidence_bound",
]
