"""Tuning problems for the optimizer-quality benchmark.

Each problem is a scikit-learn estimator on a data set bundled with
scikit-learn, a mixed search space of 3 to 6 parameters (log floats, ints,
categoricals) and a 3-fold cross-validated score, maximized. Every evaluation is
deterministic (fixed folds, fixed ``random_state``) and cheap (tens of
milliseconds on one core), so a benchmark can afford thousands of them.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import datasets
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import ElasticNet, LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    PolynomialFeatures,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)
from sklearn.svm import SVR

import tunewidgets as tw

__all__ = ["PROBLEMS", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One tuning problem: a space and an objective ``params -> score`` (maximized)."""

    name: str
    description: str
    space: tw.SearchSpace
    build: Callable[[dict[str, Any]], Any]
    data: str
    scoring: str

    def evaluate(self, params: dict[str, Any]) -> float:
        X, y = _load(self.data)
        classification = self.data != "diabetes"
        cv = (
            StratifiedKFold(3, shuffle=True, random_state=0)
            if classification
            else KFold(3, shuffle=True, random_state=0)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", UserWarning)
            scores = cross_val_score(
                self.build(params), X, y, cv=cv, scoring=self.scoring, error_score=np.nan
            )
        value = float(np.mean(scores))
        return value if np.isfinite(value) else float("nan")


@functools.cache
def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    loader = {
        "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine,
        "diabetes": datasets.load_diabetes,
    }[name]
    return loader(return_X_y=True)


def _svr(p: dict[str, Any]) -> Any:
    svr = SVR(
        C=p["C"],
        gamma=p["gamma"],
        epsilon=p["epsilon"],
        kernel=p["kernel"],
        degree=p["degree"],
        max_iter=20000,
    )
    model = make_pipeline(StandardScaler(), svr)
    return TransformedTargetRegressor(model, transformer=StandardScaler())


def _logreg(p: dict[str, Any]) -> Any:
    scaler = {
        "standard": StandardScaler(),
        "quantile": QuantileTransformer(n_quantiles=100),
        "robust": RobustScaler(),
    }[p["scaler"]]
    model = LogisticRegression(C=p["C"], class_weight=p["class_weight"], max_iter=300)
    return make_pipeline(scaler, SelectKBest(f_classif, k=p["k_features"]), model)


def _extra_trees(p: dict[str, Any]) -> Any:
    return ExtraTreesClassifier(
        n_estimators=p["n_estimators"],
        max_depth=p["max_depth"],
        min_samples_leaf=p["min_samples_leaf"],
        max_features=p["max_features"],
        criterion=p["criterion"],
        random_state=0,
        n_jobs=1,
    )


def _hgb(p: dict[str, Any]) -> Any:
    return HistGradientBoostingRegressor(
        max_iter=30,
        learning_rate=p["learning_rate"],
        max_leaf_nodes=p["max_leaf_nodes"],
        min_samples_leaf=p["min_samples_leaf"],
        l2_regularization=p["l2_regularization"],
        max_features=p["max_features"],
        early_stopping=False,
        random_state=0,
    )


def _knn(p: dict[str, Any]) -> Any:
    scaler = {"none": "passthrough", "standard": StandardScaler(), "minmax": MinMaxScaler()}
    model = KNeighborsClassifier(n_neighbors=p["n_neighbors"], weights=p["weights"], p=p["p"])
    return make_pipeline(scaler[p["scaler"]], model)


def _mlp(p: dict[str, Any]) -> Any:
    model = MLPClassifier(
        hidden_layer_sizes=(p["width"],) * p["layers"],
        activation=p["activation"],
        alpha=p["alpha"],
        learning_rate_init=p["learning_rate_init"],
        max_iter=40,
        batch_size=64,
        random_state=0,
    )
    return make_pipeline(StandardScaler(), model)


def _elasticnet(p: dict[str, Any]) -> Any:
    model = ElasticNet(alpha=p["alpha"], l1_ratio=p["l1_ratio"], max_iter=1000, tol=1e-3)
    return make_pipeline(PolynomialFeatures(p["degree"]), StandardScaler(), model)


PROBLEMS: dict[str, Problem] = {
    p.name: p
    for p in [
        Problem(
            "svr_diabetes",
            "SVR on diabetes, R²",
            tw.SearchSpace(
                {
                    "C": tw.Float(1e-2, 1e3, log=True),
                    "gamma": tw.Float(1e-4, 1.0, log=True),
                    "epsilon": tw.Float(1e-3, 1.0, log=True),
                    "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
                    "degree": tw.Int(2, 4),
                }
            ),
            _svr,
            "diabetes",
            "r2",
        ),
        Problem(
            "logreg_breast_cancer",
            "LogisticRegression on breast_cancer, log loss",
            tw.SearchSpace(
                {
                    "C": tw.Float(1e-4, 1e4, log=True),
                    "class_weight": tw.Categorical([None, "balanced"]),
                    "k_features": tw.Int(1, 30, log=True),
                    "scaler": tw.Categorical(["standard", "robust", "quantile"]),
                }
            ),
            _logreg,
            "breast_cancer",
            "neg_log_loss",
        ),
        Problem(
            "extratrees_wine",
            "ExtraTrees on wine, log loss",
            tw.SearchSpace(
                {
                    "n_estimators": tw.Int(4, 40, log=True),
                    "max_depth": tw.Int(1, 12),
                    "min_samples_leaf": tw.Int(1, 32, log=True),
                    "max_features": tw.Float(0.05, 1.0),
                    "criterion": tw.Categorical(["gini", "entropy", "log_loss"]),
                }
            ),
            _extra_trees,
            "wine",
            "neg_log_loss",
        ),
        Problem(
            "hgb_diabetes",
            "HistGradientBoosting (30 iterations) on diabetes, R²",
            tw.SearchSpace(
                {
                    "learning_rate": tw.Float(1e-3, 1.0, log=True),
                    "max_leaf_nodes": tw.Int(2, 64, log=True),
                    "min_samples_leaf": tw.Int(1, 100, log=True),
                    "l2_regularization": tw.Float(1e-4, 100.0, log=True),
                    "max_features": tw.Float(0.1, 1.0),
                }
            ),
            _hgb,
            "diabetes",
            "r2",
        ),
        Problem(
            "knn_breast_cancer",
            "KNeighbors on breast_cancer, ROC AUC",
            tw.SearchSpace(
                {
                    "n_neighbors": tw.Int(1, 64, log=True),
                    "weights": tw.Categorical(["uniform", "distance"]),
                    "p": tw.Int(1, 2),
                    "scaler": tw.Categorical(["none", "standard", "minmax"]),
                }
            ),
            _knn,
            "breast_cancer",
            "roc_auc",
        ),
        Problem(
            "mlp_wine",
            "MLP (40 epochs) on wine, log loss",
            tw.SearchSpace(
                {
                    "width": tw.Int(2, 128, log=True),
                    "layers": tw.Int(1, 2),
                    "activation": tw.Categorical(["relu", "tanh", "logistic"]),
                    "alpha": tw.Float(1e-6, 10.0, log=True),
                    "learning_rate_init": tw.Float(1e-4, 0.3, log=True),
                }
            ),
            _mlp,
            "wine",
            "neg_log_loss",
        ),
        Problem(
            "elasticnet_diabetes",
            "Polynomial features + ElasticNet on diabetes, R²",
            tw.SearchSpace(
                {
                    "degree": tw.Int(1, 3),
                    "alpha": tw.Float(1e-4, 10.0, log=True),
                    "l1_ratio": tw.Float(0.0, 1.0),
                }
            ),
            _elasticnet,
            "diabetes",
            "r2",
        ),
    ]
}
