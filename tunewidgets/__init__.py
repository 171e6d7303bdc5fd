"""tunewidgets: interactive hyperparameter tuning in Jupyter.

Define a search space, run grid, random, Bayesian or evolutionary search against
a scikit-learn estimator, a Keras model or any function, and watch it live. The
same engine runs headless: ``tw.tune(...)`` returns a Study kept in SQLite.

``tunewidgets.__all__`` holds what a notebook user types. The rest is public in
the subpackages: ``tunewidgets.space``, ``.strategies``, ``.objectives``,
``.pruners``, ``.runner``, ``.study``, ``.storage``, ``.plots``, ``.widgets``,
``.report`` and ``.exceptions`` (the layers of the README's Architecture section).
"""

from importlib.metadata import PackageNotFoundError, version

from ._search_cv import TuneSearchCV
from ._tune import tune
from .objectives import IncrementalObjective, KerasObjective, TrialPruned
from .pruners import MedianPruner, SuccessiveHalvingPruner
from .runner import Runner
from .space import Categorical, Float, Int, SearchSpace, infer_space, narrow_space
from .strategies import (
    BayesianSearch,
    EvolutionarySearch,
    GridSearch,
    OptunaSearch,
    RandomSearch,
)
from .study import Study, Trial, TrialState, list_studies

try:  # the version is written once, in pyproject.toml
    __version__ = version("tunewidgets")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

# Names loaded on first use: the views (they import ipywidgets and plotly, so that
# the headless engine starts fast), and the public names whose home is a
# subpackage, still reachable as ``tw.<name>`` for code written against them.
_ELSEWHERE = {
    "Dashboard": "tunewidgets.widgets",
    "Race": "tunewidgets.widgets",
    "SpaceBuilder": "tunewidgets.widgets",
    "Controls": "tunewidgets.widgets",
    "plots": "tunewidgets.plots",
    "widgets": "tunewidgets.widgets",
    "report": "tunewidgets.report",
    "exceptions": "tunewidgets.exceptions",
    "Distribution": "tunewidgets.space",
    "Label": "tunewidgets.space",
    "Parameter": "tunewidgets.space",
    "as_parameter": "tunewidgets.space",
    "known_estimators": "tunewidgets.space",
    "Strategy": "tunewidgets.strategies",
    "GPSurrogate": "tunewidgets.strategies",
    "available_strategies": "tunewidgets.strategies",
    "make_strategy": "tunewidgets.strategies",
    "Objective": "tunewidgets.objectives",
    "FunctionObjective": "tunewidgets.objectives",
    "SklearnObjective": "tunewidgets.objectives",
    "ObjectiveResult": "tunewidgets.objectives",
    "Reporter": "tunewidgets.objectives",
    "Pruner": "tunewidgets.pruners",
    "Event": "tunewidgets.runner",
    "EventKind": "tunewidgets.runner",
    "RunnerState": "tunewidgets.runner",
    "TrialExecutor": "tunewidgets.runner",
    "StudySummary": "tunewidgets.storage",
    "RunnerStateError": "tunewidgets.exceptions",
    "SearchComplete": "tunewidgets.exceptions",
    "StudyNotFoundError": "tunewidgets.exceptions",
    "TrialsFailedWarning": "tunewidgets.exceptions",
}


def __getattr__(name: str) -> object:
    if name in _ELSEWHERE:
        import importlib

        module = importlib.import_module(_ELSEWHERE[name])
        return module if module.__name__.endswith("." + name) else getattr(module, name)
    raise AttributeError(f"module 'tunewidgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_ELSEWHERE})


__all__ = [
    "BayesianSearch",
    "Categorical",
    "Dashboard",
    "EvolutionarySearch",
    "Float",
    "GridSearch",
    "IncrementalObjective",
    "Int",
    "KerasObjective",
    "MedianPruner",
    "OptunaSearch",
    "Race",
    "RandomSearch",
    "Runner",
    "SearchSpace",
    "SpaceBuilder",
    "Study",
    "SuccessiveHalvingPruner",
    "Trial",
    "TrialPruned",
    "TrialState",
    "TuneSearchCV",
    "infer_space",
    "list_studies",
    "narrow_space",
    "tune",
]
