"""Search spaces inferred for common scikit-learn estimators.

A starting point for exploration (and the Dashboard's one-line setup): ranges
that cover what practitioners usually try, on log scales where values span
orders of magnitude. Narrow them once the first trials show where the good
region is: :func:`narrow_space` proposes a space around the best trials.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_int, check_real
from .space import Categorical, Distribution, Float, Int, Parameter, SearchSpace
from .study import RESERVED_COLUMNS

__all__ = ["infer_space", "known_estimators", "narrow_parameter", "narrow_space"]

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
    return {k: v for k, v in rule(est, n_samples).items() if k.split("__", 1)[0] not in fixed
            or "__" in k}  # fmt: skip


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


def param_column(trials: pd.DataFrame, name: str) -> str | None:
    """The column of ``study.trials_dataframe()`` holding parameter ``name``, if any.

    Parameters
    ----------
    trials : pandas.DataFrame
        The trials.
    name : str
        A parameter's name in the space.

    Returns
    -------
    str or None
        ``name``, or ``"param_" + name`` where ``name`` is a reserved column.
    """
    column = f"param_{name}" if name in RESERVED_COLUMNS else name
    return column if column in trials.columns else None


def narrow_parameter(param: Parameter, values: Any, *, margin: float = 0.1) -> Parameter:
    """The part of ``param``'s domain that covers ``values``, padded by ``margin``.

    Parameters
    ----------
    param : Parameter
        The domain to narrow.
    values : array-like
        Values in the parameter's own units (choices for a categorical); missing
        ones and, for a categorical, values that are not choices are ignored.
    margin : float, default=0.1
        As for :func:`narrow_space`.

    Returns
    -------
    Parameter
        Of the same kind, never outside ``param``; ``param`` itself when no value
        is usable.
    """
    if isinstance(param, Categorical):
        seen = {param.index(v) for v in pd.Series(values, dtype=object)
                if v is not pd.NA and param.contains(v)}  # fmt: skip
        return Categorical([c for i, c in enumerate(param.choices) if i in seen]) if seen else param
    array = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    array = array[np.isfinite(array)]
    if param.log:  # type: ignore[attr-defined]
        array = array[array > 0]
    if not array.size:
        return param
    if isinstance(param, Distribution):  # narrowed to a uniform range over the values seen
        low, high = float(param.low), float(param.high)
        if param.discrete:
            return _narrow_numeric(Int(math.floor(low), math.ceil(high)), array, margin)
        return _narrow_numeric(Float(min(low, array.min()), max(high, array.max())), array, margin)
    return _narrow_numeric(param, array, margin)  # type: ignore[arg-type]


def _narrow_numeric(param: Float | Int, values: np.ndarray, margin: float) -> Parameter:
    values = np.clip(values, param.low, param.high)
    low, high = float(values.min()), float(values.max())
    scale = math.log if param.log else float
    unscale = math.exp if param.log else float
    lo, hi = scale(low), scale(high)
    if hi > lo:
        pad = margin * (hi - lo)
    else:  # all values equal: pad by a share of the whole range (a Float needs a width)
        share = max(margin, 0.05) if isinstance(param, Float) else margin
        pad = share * (scale(param.high) - scale(param.low))
    if pad > 0:
        low = max(unscale(lo - pad), param.low)
        high = min(unscale(hi + pad), param.high)
    if isinstance(param, Float):
        return Float(low, high, log=param.log) if low < high else param
    low_int, high_int = max(math.floor(low), param.low), min(math.ceil(high), param.high)
    if low_int == high_int:  # an Int needs two values: take the neighbour inside the range
        low_int, high_int = (
            (low_int, low_int + 1) if high_int < param.high else (low_int - 1, low_int)
        )
    return Int(int(low_int), int(high_int), log=param.log)


def narrow_space(
    space: SearchSpace,
    trials: Any,
    top_fraction: float = 0.2,
    *,
    margin: float = 0.1,
) -> SearchSpace:
    """A narrower space around the best complete trials, to continue a search there.

    Parameters
    ----------
    space : SearchSpace
        The space searched so far.
    trials : pandas.DataFrame or Study
        ``study.trials_dataframe()`` (or the Study itself): a ``score`` and a
        ``state`` column and one column per parameter.
    top_fraction : float, default=0.2
        Fraction of the complete trials to cover, the best first (at least one
        trial is always kept).
    margin : float, default=0.1
        Padding on each side of a numeric range, as a fraction of the top trials'
        span in the parameter's own scale. When they all share one value, the
        padding is ``margin`` of the whole range instead (at least 5% for a
        ``Float``, which needs a width; an ``Int`` keeps a neighbour).

    Returns
    -------
    SearchSpace
        The same parameters, in the same order: each numeric range shrunk to the
        top trials' values (log-scaled ones in log scale) plus the margin, never
        outside the original bounds; integer bounds rounded outwards (an ``Int``
        keeps at least two values); a categorical keeps the choices seen among the
        top trials. A parameter the top trials hold no value for keeps its domain.

    Raises
    ------
    ValueError
        If ``top_fraction`` is not in ``(0, 1]``, ``margin`` is negative, or there
        is no complete trial with a score.

    See Also
    --------
    tunewidgets.plots.parallel_ranges_to_space : narrow to ranges brushed on a plot.

    Notes
    -----
    Trials recorded before an earlier narrowing may lie outside ``space``: their
    values are clipped to it, so the result always fits inside ``space`` and a
    search continued in it keeps the same Study.

    Examples
    --------
    >>> import pandas as pd
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"lr": tw.Float(1e-4, 1.0, log=True), "depth": tw.Int(1, 10)})
    >>> trials = pd.DataFrame({
    ...     "lr": [1e-4, 1e-3, 1e-2, 1e-1],
    ...     "depth": [1, 3, 4, 9],
    ...     "score": [0.1, 0.8, 0.9, 0.2],
    ...     "state": "complete",
    ... })
    >>> tw.narrow_space(space, trials, top_fraction=0.5, margin=0.0)
    SearchSpace({
        'lr': Float(0.001, 0.01, log=True),
        'depth': Int(3, 4),
    })
    """
    owner = "narrow_space"
    top_fraction = check_real(top_fraction, "top_fraction", owner=owner, low=0.0, high=1.0,
                              low_inclusive=False)  # fmt: skip
    margin = check_real(margin, "margin", owner=owner, low=0.0)
    if hasattr(trials, "trials_dataframe"):
        trials = trials.trials_dataframe()
    if not isinstance(trials, pd.DataFrame):
        raise ValueError(
            "The 'trials' parameter of narrow_space must be a pandas DataFrame "
            f"(study.trials_dataframe()) or a Study. Got {type(trials).__name__} instead."
        )
    scores = np.full(len(trials), np.nan)
    if {"score", "state"} <= set(trials.columns):
        complete = (trials["state"] == "complete").to_numpy(dtype=bool)
        values = pd.to_numeric(trials["score"], errors="coerce").to_numpy(dtype=float)
        scores = np.where(complete, values, np.nan)
    n_complete = int(np.isfinite(scores).sum())
    if n_complete == 0:
        raise ValueError(
            "narrow_space needs at least one complete trial with a score to narrow around; "
            f"got {len(trials)} trial(s) and none complete. Run a few trials first."
        )
    n_top = max(1, math.ceil(top_fraction * n_complete - 1e-9))
    order = np.argsort(np.where(np.isfinite(scores), -scores, np.inf), kind="stable")
    top = trials.iloc[order[:n_top]]
    if len(space.branches) > 1:
        return _narrow_branches(space, top, margin)
    params: dict[str, Parameter] = {}
    for name, param in space.items():
        column = param_column(top, name)
        params[name] = (
            param if column is None else narrow_parameter(param, top[column], margin=margin)
        )
    return SearchSpace(params)


def _in_branch(branch: SearchSpace, frame: pd.DataFrame) -> np.ndarray:
    """Rows of ``frame`` that are configurations of ``branch``."""
    columns = {name: param_column(frame, name) for name in branch}
    if any(column is None for column in columns.values()):
        return np.zeros(len(frame), dtype=bool)
    inside = []
    for _, row in frame.iterrows():
        values = {name: row[column] for name, column in columns.items()}
        if any(v is pd.NA or (isinstance(v, float) and math.isnan(v)) for v in values.values()):
            inside.append(False)
            continue
        plain = {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}
        inside.append(branch.contains(plain))
    return np.array(inside, dtype=bool)


def _narrow_branches(space: SearchSpace, top: pd.DataFrame, margin: float) -> SearchSpace:
    """Each branch narrowed around its own top trials; branches without one are dropped."""
    kept = []
    for branch in space.branches:
        rows = top[_in_branch(branch, top)] if len(branch) else top.iloc[:0]
        if not len(rows) and len(branch):
            continue
        kept.append(
            {
                name: narrow_parameter(param, rows[param_column(rows, name)], margin=margin)
                for name, param in branch.items()
            }
        )
    return SearchSpace(kept) if kept else space
