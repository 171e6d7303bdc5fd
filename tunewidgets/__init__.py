"""tunewidgets: interactive hyperparameter tuning in Jupyter.

Define a search space, run grid, random, Bayesian or evolutionary search against
a scikit-learn estimator, a Keras model or any function, and watch it live.
"""

from .space import Categorical, Float, Int, Parameter, SearchSpace
from .strategies import (
    BayesianSearch,
    EvolutionarySearch,
    GPSurrogate,
    GridSearch,
    OptunaSearch,
    RandomSearch,
    SearchComplete,
    Strategy,
    available_strategies,
    make_strategy,
)

__version__ = "0.1.0"

__all__ = [
    "BayesianSearch",
    "Categorical",
    "EvolutionarySearch",
    "Float",
    "GPSurrogate",
    "GridSearch",
    "Int",
    "OptunaSearch",
    "Parameter",
    "RandomSearch",
    "SearchComplete",
    "SearchSpace",
    "Strategy",
    "__version__",
    "available_strategies",
    "make_strategy",
]
