"""Search spaces inferred for common scikit-learn estimators.

A starting point for exploration (and the Dashboard's one-line setup): ranges
that cover what practitioners usually try, on log scales where values span
orders of magnitude. Narrow them once the first trials show where the good
region is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .space import Categorical, Float, Int, Parameter, SearchSpace

__all__ = ["infer_space", "known_estimators"]

Rule = Callable[[Any], dict[str, Parameter]]


def _svm(est: Any) -> dict[str, Parameter]:
    return {
        "C": Float(1e-3, 1e3, log=True),
        "gamma": Float(1e-4, 1e1, log=True),
        "kernel": Categorical(["rbf", "poly", "sigmoid"]),
    }


def _linear_svm(est: Any) -> dict[str, Parameter]:
    return {"C": Float(1e-4, 1e2, log=True)}


def _logistic(est: Any) -> dict[str, Parameter]:
    return {"C": Float(1e-4, 1e4, log=True), "class_weight": Categorical([None, "balanced"])}


def _forest(est: Any) -> dict[str, Parameter]:
    return {
        "n_estimators": Int(10, 300, log=True),
        "max_depth": Int(2, 32, log=True),
        "min_samples_leaf": Int(1, 20, log=True),
        "max_features": Float(0.1, 1.0),
    }


def _boosting(est: Any) -> dict[str, Parameter]:
    return {
        "learning_rate": Float(1e-3, 1.0, log=True),
        "n_estimators": Int(20, 300, log=True),
        "max_depth": Int(1, 8),
        "subsample": Float(0.5, 1.0),
    }


def _hist_boosting(est: Any) -> dict[str, Parameter]:
    return {
        "learning_rate": Float(1e-3, 1.0, log=True),
        "max_iter": Int(20, 300, log=True),
        "max_leaf_nodes": Int(4, 64, log=True),
        "min_samples_leaf": Int(2, 64, log=True),
        "l2_regularization": Float(1e-6, 10.0, log=True),
    }


def _neighbors(est: Any) -> dict[str, Parameter]:
    return {
        "n_neighbors": Int(1, 50, log=True),
        "weights": Categorical(["uniform", "distance"]),
        "p": Int(1, 2),
    }


def _tree(est: Any) -> dict[str, Parameter]:
    classifier = (
        getattr(est, "_estimator_type", None) == "classifier" or "Classifier" in type(est).__name__
    )
    criteria = ["gini", "entropy", "log_loss"] if classifier else [
        "squared_error", "absolute_error", "friedman_mse"
    ]  # fmt: skip
    return {
        "max_depth": Int(1, 30, log=True),
        "min_samples_leaf": Int(1, 50, log=True),
        "criterion": Categorical(criteria),
    }


def _mlp(est: Any) -> dict[str, Parameter]:
    return {
        "alpha": Float(1e-6, 1e-1, log=True),
        "learning_rate_init": Float(1e-4, 1e-1, log=True),
        "activation": Categorical(["relu", "tanh", "logistic"]),
    }


def _ridge(est: Any) -> dict[str, Parameter]:
    return {"alpha": Float(1e-4, 1e3, log=True)}


def _lasso(est: Any) -> dict[str, Parameter]:
    return {"alpha": Float(1e-5, 1e1, log=True)}


def _elastic_net(est: Any) -> dict[str, Parameter]:
    return {"alpha": Float(1e-5, 1e1, log=True), "l1_ratio": Float(0.0, 1.0)}


_RULES: dict[str, Rule] = {
    "SVC": _svm,
    "SVR": _svm,
    "NuSVC": _svm,
    "LinearSVC": _linear_svm,
    "LinearSVR": _linear_svm,
    "LogisticRegression": _logistic,
    "RandomForestClassifier": _forest,
    "RandomForestRegressor": _forest,
    "ExtraTreesClassifier": _forest,
    "ExtraTreesRegressor": _forest,
    "GradientBoostingClassifier": _boosting,
    "GradientBoostingRegressor": _boosting,
    "HistGradientBoostingClassifier": _hist_boosting,
    "HistGradientBoostingRegressor": _hist_boosting,
    "KNeighborsClassifier": _neighbors,
    "KNeighborsRegressor": _neighbors,
    "DecisionTreeClassifier": _tree,
    "DecisionTreeRegressor": _tree,
    "MLPClassifier": _mlp,
    "MLPRegressor": _mlp,
    "Ridge": _ridge,
    "RidgeClassifier": _ridge,
    "Lasso": _lasso,
    "ElasticNet": _elastic_net,
}


def known_estimators() -> list[str]:
    """Names of the estimator classes whose space can be inferred.

    Returns
    -------
    list of str
    """
    return sorted(_RULES)


def _rule_for(est: Any) -> Rule | None:
    for cls in type(est).__mro__:
        if cls.__name__ in _RULES:
            return _RULES[cls.__name__]
    return None


def infer_space(estimator: Any) -> SearchSpace:
    """A sensible search space for a common scikit-learn estimator or pipeline.

    Parameters
    ----------
    estimator : estimator
        One of :func:`known_estimators` (subclasses included), or a ``Pipeline``
        whose steps include such estimators: their parameters are named
        ``"step__param"``.

    Returns
    -------
    SearchSpace

    Raises
    ------
    ValueError
        If nothing in ``estimator`` is known; the message lists what is.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> import tunewidgets as tw
    >>> tw.infer_space(make_pipeline(StandardScaler(), SVC())).names
    ['svc__C', 'svc__gamma', 'svc__kernel']
    """
    params: dict[str, Parameter] = {}
    steps = getattr(estimator, "steps", None)
    if steps is not None:
        for name, step in steps:
            if step is None or step == "passthrough":
                continue
            rule = _rule_for(step)
            if rule is not None:
                params.update({f"{name}__{k}": v for k, v in rule(step).items()})
    else:
        rule = _rule_for(estimator)
        if rule is not None:
            params = rule(estimator)
    if not params:
        raise ValueError(
            f"No search space is known for {type(estimator).__name__}; pass space= "
            "explicitly, e.g. tw.SearchSpace({'alpha': tw.Float(1e-4, 1.0, log=True)}). "
            f"Spaces are inferred for: {', '.join(known_estimators())} (and pipelines of them)."
        )
    available = estimator.get_params(deep=True)
    return SearchSpace({k: v for k, v in params.items() if k in available})
