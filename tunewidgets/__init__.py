"""tunewidgets: interactive hyperparameter tuning in Jupyter.

Define a search space, run grid, random, Bayesian or evolutionary search against
a scikit-learn estimator, a Keras model or any function, and watch it live. The
same engine runs headless: ``tw.tune(...)`` returns a Study kept in SQLite.
"""

from ._search_cv import TuneSearchCV
from ._tune import TrialsFailedWarning, tune
from .objectives import (
    FunctionObjective,
    IncrementalObjective,
    KerasObjective,
    Objective,
    ObjectiveResult,
    Reporter,
    SklearnObjective,
    TrialPruned,
)
from .pruners import MedianPruner, Pruner, SuccessiveHalvingPruner
from .runner import Event, EventKind, Runner, RunnerState, RunnerStateError, TrialExecutor
from .space import (
    Categorical,
    Distribution,
    Float,
    Int,
    Label,
    Parameter,
    SearchSpace,
    as_parameter,
    infer_space,
    known_estimators,
    narrow_space,
)
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

# The views import ipywidgets and plotly: loaded on first use, so that the
# headless engine (scripts, workers, tests) starts fast.
_LAZY = {
    "Dashboard": "tunewidgets.widgets",
    "Race": "tunewidgets.widgets",
    "SpaceBuilder": "tunewidgets.widgets",
    "Controls": "tunewidgets.widgets",
    "plots": "tunewidgets.plots",
    "widgets": "tunewidgets.widgets",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return module if module.__name__.endswith(name) else getattr(module, name)
    raise AttributeError(f"module 'tunewidgets' has no attribute {name!r}")


__all__ = [
    "BayesianSearch",
    "Categorical",
    "Controls",
    "Dashboard",
    "Distribution",
    "Event",
    "EventKind",
    "EvolutionarySearch",
    "Float",
    "FunctionObjective",
    "GPSurrogate",
    "GridSearch",
    "IncrementalObjective",
    "Int",
    "KerasObjective",
    "Label",
    "MedianPruner",
    "Objective",
    "ObjectiveResult",
    "OptunaSearch",
    "Parameter",
    "Pruner",
    "Race",
    "RandomSearch",
    "Reporter",
    "Runner",
    "RunnerState",
    "RunnerStateError",
    "SearchComplete",
    "SearchSpace",
    "SklearnObjective",
    "SpaceBuilder",
    "Strategy",
    "Study",
    "StudyNotFoundError",
    "StudySummary",
    "SuccessiveHalvingPruner",
    "Trial",
    "TrialExecutor",
    "TrialPruned",
    "TrialState",
    "TrialsFailedWarning",
    "TuneSearchCV",
    "__version__",
    "as_parameter",
    "available_strategies",
    "infer_space",
    "known_estimators",
    "list_studies",
    "make_strategy",
    "narrow_space",
    "tune",
]
