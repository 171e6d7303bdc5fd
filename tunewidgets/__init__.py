"""tunewidgets: interactive hyperparameter tuning in Jupyter.

Define a search space, run grid, random, Bayesian or evolutionary search against
a scikit-learn estimator, a Keras model or any function, and watch it live. The
same engine runs headless: ``tw.tune(...)`` returns a Study kept in SQLite.
"""

from ._search_cv import TuneSearchCV
from ._tune import tune
from .objectives import (
    FunctionObjective,
    Objective,
    ObjectiveResult,
    Reporter,
    SklearnObjective,
    TrialPruned,
)
from .runner import Event, EventKind, Runner, RunnerState, RunnerStateError, TrialExecutor
from .space import Categorical, Float, Int, Parameter, SearchSpace
from .spaces import infer_space, known_estimators
from .storage import StudyNotFoundError, StudySummary
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
from .study import Study, Trial, TrialState, list_studies

__version__ = "0.1.0"

__all__ = [
    "BayesianSearch",
    "Categorical",
    "Event",
    "EventKind",
    "EvolutionarySearch",
    "Float",
    "FunctionObjective",
    "GPSurrogate",
    "GridSearch",
    "Int",
    "Objective",
    "ObjectiveResult",
    "OptunaSearch",
    "Parameter",
    "RandomSearch",
    "Reporter",
    "Runner",
    "RunnerState",
    "RunnerStateError",
    "SearchComplete",
    "SearchSpace",
    "SklearnObjective",
    "Strategy",
    "Study",
    "StudyNotFoundError",
    "StudySummary",
    "Trial",
    "TrialExecutor",
    "TrialPruned",
    "TrialState",
    "TuneSearchCV",
    "__version__",
    "available_strategies",
    "infer_space",
    "known_estimators",
    "list_studies",
    "make_strategy",
    "tune",
]
