"""Search spaces inferred for common scikit-learn estimators.

A starting point for exploration (and the Dashboard's one-line setup): ranges
that cover what practitioners usually try, on log scales where values span
orders of magnitude. Narrow them once the first trials show where the good
region is: :func:`~tunewidgets.narrow_space` proposes a space around the best trials.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .._validation import check_int
from ._categorical import Categorical
from ._params import Float, Int, Parameter
from ._space import SearchSpace

__all__ = ["infer_space", "known_estimators"]

Rule = Callable[[Any, "int | None"], dict[str, Parameter]]


def _svm(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    params = {
        "C": Float(1e-3, 1e3, log=True),
        "gamma": Float(1e-4, 1e1, log=True),
        "kernel": Categorical(["rbf", "poly", "sigmoid"]),
    }
    if getattr(est, "kernel", "rbf") == "linear":
        del params["gamma"]  # a linear kernel has no gamma
    return params


def _nu_svm(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    # nu rather than C; no kernel choice: nu-SVC's poly kernel can run without end on
    # unscaled data, and its sigmoid kernel often fails (non-finite dual coefficients)
    params = {"nu": Float(0.05, 0.5), "gamma": Float(1e-4, 1e1, log=True)}
    if getattr(est, "kernel", "rbf") == "linear":
        del params["gamma"]
    return params


def _linear_svm(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {"C": Float(1e-4, 1e2, log=True)}


def _logistic(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    params = {"C": Float(1e-4, 1e4, log=True), "class_weight": Categorical([None, "balanced"])}
    if getattr(est, "penalty", "l2") in (None, "none"):
        del params["C"]  # without a penalty, C changes nothing
    return params


def _forest(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {
        "n_estimators": Int(10, 300, log=True),
        "max_depth": Int(2, 32, log=True),
        "min_samples_leaf": Int(1, 20, log=True),
        "max_features": Float(0.1, 1.0),
    }


def _boosting(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {
        "learning_rate": Float(1e-3, 1.0, log=True),
        "n_estimators": Int(20, 300, log=True),
        "max_depth": Int(1, 8),
        "subsample": Float(0.5, 1.0),
    }


def _hist_boosting(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {
        "learning_rate": Float(1e-3, 1.0, log=True),
        "max_iter": Int(20, 300, log=True),
        "max_leaf_nodes": Int(4, 64, log=True),
        "min_samples_leaf": Int(2, 64, log=True),
        "l2_regularization": Float(1e-6, 10.0, log=True),
    }


def _neighbors(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    # more neighbours than a quarter of the samples a fit sees is rarely useful, and more
    # than it sees fails: keep room for nested cross-validation and bagging's subsamples
    high = 50 if n_samples is None else max(2, min(50, n_samples // 4))
    params = {
        "n_neighbors": Int(1, high, log=True),
        "weights": Categorical(["uniform", "distance"]),
        "p": Int(1, 2),
    }
    if getattr(est, "metric", "minkowski") != "minkowski":
        del params["p"]  # p is the Minkowski metric's power
    return params


def _tree(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    classifier = (
        getattr(est, "_estimator_type", None) == "classifier" or "Classifier" in type(est).__name__
    )
    # "friedman_mse" is left out: scikit-learn 1.9 deprecates it for trees
    criteria = (
        ["gini", "entropy", "log_loss"] if classifier else ["squared_error", "absolute_error"]
    )
    return {
        "max_depth": Int(1, 30, log=True),
        "min_samples_leaf": Int(1, 50, log=True),
        "criterion": Categorical(criteria),
    }


def _mlp(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {
        "alpha": Float(1e-6, 1e-1, log=True),
        "learning_rate_init": Float(1e-4, 1e-1, log=True),
        "activation": Categorical(["relu", "tanh", "logistic"]),
    }


def _ridge(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {"alpha": Float(1e-4, 1e3, log=True)}


def _lasso(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {"alpha": Float(1e-5, 1e1, log=True)}


def _elastic_net(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {"alpha": Float(1e-5, 1e1, log=True), "l1_ratio": Float(0.0, 1.0)}


def _bagging(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    return {
        "n_estimators": Int(5, 100, log=True),
        "max_samples": Float(0.3, 1.0),
        "max_features": Float(0.3, 1.0),
        **_nested("estimator", getattr(est, "estimator", None), n_samples),
    }


def _adaboost(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {
        "n_estimators": Int(10, 300, log=True),
        "learning_rate": Float(1e-2, 2.0, log=True),
    }
    if "loss" in est.get_params(deep=False):  # AdaBoostRegressor
        params["loss"] = Categorical(["linear", "square", "exponential"])
    return {**params, **_nested("estimator", getattr(est, "estimator", None), n_samples)}


def _ensemble_of_named(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    """Voting and stacking: each named estimator's space, and a stacking's final estimator's."""
    params: dict[str, Parameter] = {}
    for name, member in getattr(est, "estimators", None) or []:
        params.update(_nested(name, member, n_samples))
    params.update(_nested("final_estimator", getattr(est, "final_estimator", None), n_samples))
    return params


def _pipeline(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for name, step in est.steps:
        params.update(_nested(name, step, n_samples))
    return params


_RULES: dict[str, Rule] = {
    "SVC": _svm,
    "SVR": _svm,
    "NuSVC": _nu_svm,
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

#: Meta-estimators: their own parameters, and those of the estimators they hold
#: (``estimator__...``, ``<name>__...``, ``final_estimator__...``).
_META_RULES: dict[str, Rule] = {
    "Pipeline": _pipeline,
    "BaggingClassifier": _bagging,
    "BaggingRegressor": _bagging,
    "AdaBoostClassifier": _adaboost,
    "AdaBoostRegressor": _adaboost,
    "VotingClassifier": _ensemble_of_named,
    "VotingRegressor": _ensemble_of_named,
    "StackingClassifier": _ensemble_of_named,
    "StackingRegressor": _ensemble_of_named,
}


def known_estimators() -> list[str]:
    """Names of the estimator classes whose space can be inferred.

    Returns
    -------
    list of str
        Plain estimators, and meta-estimators (pipelines, bagging, boosting,
        voting, stacking) whose space combines their own parameters with those
        of the known estimators they hold.
    """
    return sorted({*_RULES, *_META_RULES})


def _rule_for(est: Any) -> Rule | None:
    for cls in type(est).__mro__:
        if cls.__name__ in _RULES:
            return _RULES[cls.__name__]
        if cls.__name__ in _META_RULES:
            return _META_RULES[cls.__name__]
    return None


def _set_by_user(est: Any) -> set[str]:
    """Names of ``est``'s own parameters set away from their defaults (kept as set)."""
    try:
        signature = inspect.signature(type(est).__init__)
        current = est.get_params(deep=False)
    except (TypeError, ValueError, AttributeError):
        return set()
    changed = set()
    for name, parameter in signature.parameters.items():
        if parameter.default is inspect.Parameter.empty or name not in current:
            continue
        try:
            same = bool(current[name] == parameter.default)
        except Exception:  # arrays and the like: not a plain default
            same = False
        if not same:
            changed.add(name)
    return changed


def _infer(est: Any, n_samples: int | None) -> dict[str, Parameter]:
    """The inferred parameters of ``est``, nested ones included; empty when nothing is known.

    A parameter the user set on the estimator (away from its default) is kept as set:
    ``SVC(kernel="linear")`` searches ``C``, not the kernel.
    """
    rule = _rule_for(est)
    if rule is None:
        return {}
    fixed = _set_by_user(est)
    return {
        k: v
        for k, v in rule(est, n_samples).items()
        if k.split("__", 1)[0] not in fixed or "__" in k
    }


def _nested(prefix: str, est: Any, n_samples: int | None) -> dict[str, Parameter]:
    """The inferred space of an estimator held by another, its names prefixed ``prefix__``."""
    if est is None or isinstance(est, str) or not hasattr(est, "get_params"):
        return {}  # None, "drop", "passthrough": nothing to tune
    return {f"{prefix}__{k}": v for k, v in _infer(est, n_samples).items()}


def infer_space(estimator: Any, *, n_samples: int | None = None) -> SearchSpace:
    """A sensible search space for a common scikit-learn estimator, pipeline or ensemble.

    Parameters
    ----------
    estimator : estimator
        One of :func:`known_estimators` (subclasses included). A ``Pipeline``'s
        steps are named ``"step__param"``; a bagging or boosting ensemble gets
        its own parameters plus its base estimator's (``"estimator__param"``,
        when one is set); voting and stacking ensembles get each named
        estimator's (``"name__param"``) and a stacking's final estimator's.
    n_samples : int, optional
        How many samples each fit sees (the smallest training fold): bounds that
        depend on the data, such as k-neighbours' ``n_neighbors``, are kept to a
        quarter of it, so that no trial asks for more neighbours than there are
        samples (nested cross-validation and bagging's subsamples included).
        The search setup passes it when it infers a space.

    Returns
    -------
    SearchSpace
        Every bound and choice is valid for the installed scikit-learn (tested
        against each estimator's declared parameter constraints). Parameters
        you set on the estimator (away from their defaults) stay as you set
        them, and parameters that your settings make meaningless are left out:
        ``SVC(kernel="linear")`` searches ``C`` only.

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
    >>> from sklearn.ensemble import BaggingClassifier
    >>> tw.infer_space(BaggingClassifier(SVC())).names[3:]
    ['estimator__C', 'estimator__gamma', 'estimator__kernel']
    """
    if n_samples is not None:
        n_samples = check_int(n_samples, "n_samples", owner="infer_space", low=1)
    params = _infer(estimator, n_samples)
    available = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    params = {k: v for k, v in params.items() if k in available}
    if not params:
        steps = getattr(estimator, "steps", None)
        what = type(estimator).__name__
        if steps is not None:
            names = ", ".join(type(step).__name__ for _, step in steps if hasattr(step, "fit"))
            what = f"any step of this {what} ({names})"
        raise ValueError(
            f"No search space is known for {what}; pass space= "
            "explicitly, e.g. tw.SearchSpace({'alpha': tw.Float(1e-4, 1.0, log=True)}). "
            f"Spaces are inferred for: {', '.join(known_estimators())} (and pipelines and "
            "ensembles of them)."
        )
    return SearchSpace(params)
