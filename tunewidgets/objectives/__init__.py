"""Objectives: what one trial runs (scikit-learn cross-validation, Keras, any callable)."""

from ._base import (
    FunctionObjective,
    Objective,
    ObjectiveResult,
    Reporter,
    TrialPruned,
    as_objective,
    coerce_result,
)
from ._incremental import IncrementalObjective
from ._keras import KerasObjective
from ._sklearn import SklearnObjective, check_estimator_params, is_estimator

__all__ = [
    "FunctionObjective",
    "IncrementalObjective",
    "KerasObjective",
    "Objective",
    "ObjectiveResult",
    "Reporter",
    "SklearnObjective",
    "TrialPruned",
    "as_objective",
    "check_estimator_params",
    "coerce_result",
    "is_estimator",
]
