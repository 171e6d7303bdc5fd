"""A Bayesmark-style grid of tuning problems and standard synthetic functions.

The models and their spaces follow the Bayesmark suite (decision tree, random
forest, SVM, MLP with adam and with sgd, AdaBoost, k-neighbours, lasso, linear and
logistic regression), on the data sets bundled with scikit-learn (iris, wine,
breast cancer, digits, diabetes), with Bayesmark's metrics: accuracy or log loss
for classifiers, mean squared or absolute error for regressors (all negated where
needed, so higher is better). As in Bayesmark, some spaces hold parameters that
hardly matter. A few Bayesmark spaces gain a categorical (the split criterion of
a tree, k-neighbours' weighting), so that every kind of parameter is exercised.
To keep thousands of evaluations affordable on two cores, ensembles and networks
are small (random forests of 10 trees, as in Bayesmark; at most 40 boosting rounds;
networks stop after 25 epochs, or earlier on their
validation score) and cross-validation has 3 folds.

The synthetic functions (Branin with an integer and a categorical, Hartmann-6,
Ackley and Levy with integer dimensions) are negated, so their maxima are the
functions' known minima with the sign flipped.

Each problem belongs to one half: ``"dev"``, on which defaults are chosen, or
``"held-out"``, reported on its own. The halves were fixed before any default
was tuned: the same model appears in both where it has two data sets, and each
half has two synthetic functions.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import datasets
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import tunewidgets as tw

__all__ = ["SUITE", "SuiteProblem"]

F, I, C = tw.Float, tw.Int, tw.Categorical  # noqa: E741 (short names keep the spaces legible)


@dataclass(frozen=True)
class SuiteProblem:
    """A problem of the suite: a space and an objective ``params -> score`` (maximized)."""

    name: str
    description: str
    space: tw.SearchSpace
    half: str
    objective: Callable[[dict[str, Any]], float]

    def evaluate(self, params: dict[str, Any]) -> float:
        value = float(self.objective(params))
        return value if math.isfinite(value) else float("nan")


# -- data and cross-validation -------------------------------------------------------------
CLASSIFICATION = ("iris", "wine", "breast_cancer", "digits")
METRICS = {
    "acc": "accuracy",
    "nll": "neg_log_loss",
    "mse": "neg_mean_squared_error",
    "mae": "neg_mean_absolute_error",
}


@functools.cache
def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    loader = getattr(datasets, f"load_{name}")
    X, y = loader(return_X_y=True)
    return X.astype(float), y


def _cv_score(model: Any, data: str, metric: str) -> float:
    X, y = _load(data)
    if data in CLASSIFICATION:
        cv = StratifiedKFold(3, shuffle=True, random_state=0)
    else:
        cv = KFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        for category in (ConvergenceWarning, RuntimeWarning, UserWarning, FutureWarning):
            warnings.simplefilter("ignore", category)
        scores = cross_val_score(model, X, y, cv=cv, scoring=METRICS[metric], error_score=np.nan)
    return float(np.mean(scores))


def _scaled(model: Any, regression: bool) -> Any:
    pipeline = make_pipeline(StandardScaler(), model)
    if regression:
        return TransformedTargetRegressor(pipeline, transformer=StandardScaler())
    return pipeline


# -- models (Bayesmark's spaces) ---------------------------------------------------------------
def _dt(p: dict[str, Any], regression: bool) -> Any:
    cls = DecisionTreeRegressor if regression else DecisionTreeClassifier
    criterion = p["criterion"]
    if regression:
        criterion = {"gini": "squared_error", "entropy": "absolute_error"}[criterion]
    return cls(
        max_depth=p["max_depth"],
        min_samples_split=p["min_samples_split"],
        min_samples_leaf=p["min_samples_leaf"],
        min_weight_fraction_leaf=p["min_weight_fraction_leaf"],
        max_features=p["max_features"],
        min_impurity_decrease=p["min_impurity_decrease"],
        criterion=criterion,
        random_state=0,
    )


DT_SPACE = tw.SearchSpace(
    {
        "max_depth": I(1, 15),
        "min_samples_split": F(0.01, 0.99),
        "min_samples_leaf": F(0.01, 0.49),
        "min_weight_fraction_leaf": F(0.01, 0.49),
        "max_features": F(0.01, 0.99),
        "min_impurity_decrease": F(0.0, 0.5),
        "criterion": C(["gini", "entropy"]),
    }
)


def _rf(p: dict[str, Any], regression: bool) -> Any:
    cls = RandomForestRegressor if regression else RandomForestClassifier
    return cls(
        n_estimators=10,
        max_depth=p["max_depth"],
        max_features=p["max_features"],
        min_samples_split=p["min_samples_split"],
        min_samples_leaf=p["min_samples_leaf"],
        min_weight_fraction_leaf=p["min_weight_fraction_leaf"],
        random_state=0,
        n_jobs=1,
    )


RF_SPACE = tw.SearchSpace(
    {
        "max_depth": I(1, 15),
        "max_features": F(0.01, 0.99),
        "min_samples_split": F(0.01, 0.99),
        "min_samples_leaf": F(0.01, 0.49),
        "min_weight_fraction_leaf": F(0.01, 0.49),
    }
)


def _svm(p: dict[str, Any], regression: bool) -> Any:
    if regression:
        return _scaled(SVR(C=p["C"], gamma=p["gamma"], tol=p["tol"], max_iter=5000), True)
    return _scaled(
        SVC(C=p["C"], gamma=p["gamma"], tol=p["tol"], probability=True, random_state=0), False
    )


SVM_SPACE = tw.SearchSpace(
    {"C": F(1.0, 1e3, log=True), "gamma": F(1e-4, 1e-1, log=True), "tol": F(1e-5, 1e-1, log=True)}
)


def _mlp(p: dict[str, Any], regression: bool, solver: str) -> Any:
    cls = MLPRegressor if regression else MLPClassifier
    extra = (
        {"beta_1": p["beta_1"], "beta_2": p["beta_2"], "epsilon": p["epsilon"]}
        if solver == "adam"
        else {"power_t": p["power_t"], "momentum": p["momentum"], "learning_rate": "invscaling"}
    )
    model = cls(
        hidden_layer_sizes=(p["hidden_layer_sizes"],),
        alpha=p["alpha"],
        batch_size=p["batch_size"],
        learning_rate_init=p["learning_rate_init"],
        tol=p["tol"],
        validation_fraction=p["validation_fraction"],
        early_stopping=True,
        max_iter=25,
        solver=solver,
        random_state=0,
        **extra,
    )
    return _scaled(model, regression)


_MLP_COMMON = {
    "hidden_layer_sizes": I(50, 200),
    "alpha": F(1e-5, 1e1, log=True),
    "batch_size": I(16, 250),
    "learning_rate_init": F(1e-5, 1e-1, log=True),
    "tol": F(1e-5, 1e-1, log=True),
    "validation_fraction": F(0.1, 0.9),
}
MLP_ADAM_SPACE = tw.SearchSpace(
    {
        **_MLP_COMMON,
        "beta_1": F(0.5, 0.99),
        "beta_2": F(0.9, 1.0 - 1e-6),
        "epsilon": F(1e-9, 1e-6, log=True),
    }
)
MLP_SGD_SPACE = tw.SearchSpace({**_MLP_COMMON, "power_t": F(0.1, 0.9), "momentum": F(0.001, 0.999)})


def _ada(p: dict[str, Any], regression: bool) -> Any:
    cls = AdaBoostRegressor if regression else AdaBoostClassifier
    return cls(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"], random_state=0)


ADA_SPACE = tw.SearchSpace({"n_estimators": I(10, 40), "learning_rate": F(1e-4, 1e1, log=True)})


def _knn(p: dict[str, Any], regression: bool) -> Any:
    cls = KNeighborsRegressor if regression else KNeighborsClassifier
    model = cls(n_neighbors=p["n_neighbors"], p=p["p"], weights=p["weights"])
    return _scaled(model, regression)


KNN_SPACE = tw.SearchSpace(
    {"n_neighbors": I(1, 25), "p": I(1, 4), "weights": C(["uniform", "distance"])}
)


def _lasso(p: dict[str, Any], regression: bool) -> Any:
    if regression:
        return _scaled(Lasso(alpha=1.0 / p["C"], max_iter=2000), True)
    model = LogisticRegression(
        C=p["C"],
        l1_ratio=1.0,
        solver="liblinear",
        intercept_scaling=p["intercept_scaling"],
        max_iter=200,
    )
    return _scaled(model, False)


def _linear(p: dict[str, Any], regression: bool) -> Any:
    if regression:
        return _scaled(Ridge(alpha=1.0 / p["C"], solver=p["solver"]), True)
    model = LogisticRegression(
        C=p["C"], solver="liblinear", intercept_scaling=p["intercept_scaling"], max_iter=200
    )
    return _scaled(model, False)


LINEAR_CLF_SPACE = tw.SearchSpace(
    {"C": F(1e-2, 1e2, log=True), "intercept_scaling": F(1e-2, 1e2, log=True)}
)
LASSO_REG_SPACE = tw.SearchSpace({"C": F(1e-2, 1e2, log=True)})
RIDGE_SPACE = tw.SearchSpace(
    {"C": F(1e-2, 1e2, log=True), "solver": C(["svd", "cholesky", "lsqr", "sag"])}
)

MODELS: dict[str, tuple[Callable[..., Any], tw.SearchSpace, tw.SearchSpace]] = {
    # name: (builder(params, regression), classification space, regression space)
    "dt": (_dt, DT_SPACE, DT_SPACE),
    "rf": (_rf, RF_SPACE, RF_SPACE),
    "svm": (_svm, SVM_SPACE, SVM_SPACE),
    "mlpadam": (functools.partial(_mlp, solver="adam"), MLP_ADAM_SPACE, MLP_ADAM_SPACE),
    "mlpsgd": (functools.partial(_mlp, solver="sgd"), MLP_SGD_SPACE, MLP_SGD_SPACE),
    "ada": (_ada, ADA_SPACE, ADA_SPACE),
    "knn": (_knn, KNN_SPACE, KNN_SPACE),
    "lasso": (_lasso, LINEAR_CLF_SPACE, LASSO_REG_SPACE),
    "linear": (_linear, LINEAR_CLF_SPACE, RIDGE_SPACE),
}


def _model_problem(model: str, data: str, metric: str, half: str) -> SuiteProblem:
    builder, clf_space, reg_space = MODELS[model]
    regression = data not in CLASSIFICATION

    def objective(params: dict[str, Any]) -> float:
        return _cv_score(builder(params, regression), data, metric)

    return SuiteProblem(
        f"{model}_{data}_{metric}",
        f"{model} on {data}, {metric}, 3-fold CV",
        reg_space if regression else clf_space,
        half,
        objective,
    )


# -- synthetic functions (negated: maximized) ------------------------------------------------
def _branin_cat(p: dict[str, Any]) -> float:
    x, y = p["x"], float(p["y"])
    a, b, c, r, s, t = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi, 6.0, 10.0, 1 / (8 * np.pi)
    value = a * (y - b * x**2 + c * x - r) ** 2 + s * (1 - t) * np.cos(x) + s
    return -(value + {"a": 0.0, "b": 1.0, "c": 10.0}[p["shift"]])


_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def _hartmann6(p: dict[str, Any]) -> float:
    x = np.array([p[f"x{i}"] for i in range(6)])
    return float(np.sum(_H6_ALPHA * np.exp(-np.sum(_H6_A * (x - _H6_P) ** 2, axis=1))))


def _ackley_int(p: dict[str, Any]) -> float:
    x = np.array([p["i0"], p["i1"], p["i2"], p["x0"], p["x1"]], dtype=float)
    d = len(x)
    value = (
        -20 * np.exp(-0.2 * np.sqrt(np.sum(x**2) / d))
        - np.exp(np.sum(np.cos(2 * np.pi * x)) / d)
        + 20
        + np.e
    )
    return -float(value)


def _levy_int(p: dict[str, Any]) -> float:
    x = np.array([p["i0"], p["i1"], p["i2"], p["x0"], p["x1"], p["x2"]], dtype=float)
    w = 1 + (x - 1) / 4
    value = (
        np.sin(np.pi * w[0]) ** 2
        + np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2))
        + (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2)
    )
    return -float(value)


def _synthetic() -> list[SuiteProblem]:
    return [
        SuiteProblem(
            "branin_int_cat",
            "Branin, y an integer, plus a categorical offset (0, 1 or 10)",
            tw.SearchSpace({"x": F(-5.0, 10.0), "y": I(0, 15), "shift": C(["a", "b", "c"])}),
            "dev",
            _branin_cat,
        ),
        SuiteProblem(
            "ackley_int",
            "Ackley in 5-D: 3 integers in [-10, 15], 2 floats in [-10, 15]",
            tw.SearchSpace(
                {
                    **{f"i{i}": I(-10, 15) for i in range(3)},
                    **{f"x{i}": F(-10.0, 15.0) for i in range(2)},
                }
            ),
            "dev",
            _ackley_int,
        ),
        SuiteProblem(
            "hartmann6",
            "Hartmann-6 on [0, 1]^6",
            tw.SearchSpace({f"x{i}": F(0.0, 1.0) for i in range(6)}),
            "held-out",
            _hartmann6,
        ),
        SuiteProblem(
            "levy_int",
            "Levy in 6-D: 3 integers in [-10, 10], 3 floats in [-10, 10]",
            tw.SearchSpace(
                {
                    **{f"i{i}": I(-10, 10) for i in range(3)},
                    **{f"x{i}": F(-10.0, 10.0) for i in range(3)},
                }
            ),
            "held-out",
            _levy_int,
        ),
    ]


# (model, data set, metric, half): each model's data sets split between the halves.
GRID = [
    ("dt", "wine", "acc", "dev"),
    ("dt", "diabetes", "mae", "held-out"),
    ("rf", "breast_cancer", "nll", "dev"),
    ("rf", "diabetes", "mse", "held-out"),
    ("svm", "wine", "acc", "dev"),
    ("svm", "diabetes", "mse", "held-out"),
    ("mlpadam", "iris", "nll", "dev"),
    ("mlpadam", "diabetes", "mse", "held-out"),
    ("mlpsgd", "breast_cancer", "nll", "dev"),
    ("mlpsgd", "wine", "acc", "held-out"),
    ("ada", "diabetes", "mae", "dev"),
    ("ada", "wine", "acc", "held-out"),
    ("knn", "wine", "acc", "dev"),
    ("knn", "diabetes", "mse", "held-out"),
    ("lasso", "diabetes", "mae", "dev"),
    ("lasso", "breast_cancer", "acc", "held-out"),
    ("linear", "diabetes", "mse", "dev"),
    ("linear", "breast_cancer", "nll", "held-out"),
    ("rf", "iris", "acc", "dev"),
    ("svm", "breast_cancer", "nll", "held-out"),
    ("knn", "iris", "nll", "dev"),
    ("dt", "digits", "nll", "held-out"),
]

SUITE: dict[str, SuiteProblem] = {
    p.name: p for p in [_model_problem(*row) for row in GRID] + _synthetic()
}
