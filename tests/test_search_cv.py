"""TuneSearchCV speaks scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw

IRIS = load_iris(return_X_y=True)


def test_cv_results_have_scikit_learns_keys():
    X, y = IRIS
    ours = tw.TuneSearchCV(SVC(), {"C": tw.Float(0.1, 10.0, log=True),
                                   "kernel": tw.Categorical(["rbf", "linear"])},
                           strategy="random", n_iter=4, cv=3, random_state=0).fit(X, y)  # fmt: skip
    theirs = GridSearchCV(SVC(), {"C": [0.1, 10.0], "kernel": ["rbf", "linear"]}, cv=3).fit(X, y)
    assert set(ours.cv_results_) == set(theirs.cv_results_)
    results = ours.cv_results_
    assert isinstance(results["param_C"], np.ma.MaskedArray)
    assert len(results["params"]) == 4
    assert results["rank_test_score"].min() == 1
    assert ours.best_score_ == results["mean_test_score"].max()
    assert ours.best_params_ == results["params"][ours.best_index_]
    assert ours.n_splits_ == 3


def test_best_estimator_predict_and_score():
    X, y = IRIS
    search = tw.TuneSearchCV(LogisticRegression(max_iter=1000), {"C": tw.Float(1e-2, 1e2, log=True)},
                             n_iter=6, cv=3, random_state=0).fit(X, y)  # fmt: skip
    assert search.best_params_["C"] == search.best_estimator_.C
    assert (search.predict(X) == search.best_estimator_.predict(X)).all()
    assert search.predict_proba(X).shape == (150, 3)
    assert search.score(X, y) > 0.9
    assert list(search.classes_) == [0, 1, 2]
    assert search.n_features_in_ == 4
    assert isinstance(search.study_, tw.Study)
    assert len(search.study_.trials) == 6


def test_refit_false_has_no_estimator_to_predict_with():
    X, y = IRIS
    search = tw.TuneSearchCV(SVC(), {"C": tw.Float(0.1, 1.0)}, n_iter=2, cv=3, refit=False,
                             strategy="random").fit(X, y)  # fmt: skip
    assert not hasattr(search, "best_estimator_")
    assert not hasattr(search, "predict")  # as scikit-learn's searches
    with pytest.raises(AttributeError, match="has no attribute 'predict'") as info:
        search.predict(X)
    assert "`refit=False`. predict is available only after refitting" in str(info.value.__cause__)


def test_usable_inside_a_pipeline_and_cross_validation():
    X, y = load_breast_cancer(return_X_y=True)
    search = tw.TuneSearchCV(LogisticRegression(max_iter=2000), {"C": tw.Float(1e-3, 1e2, log=True)},
                             strategy="random", n_iter=3, cv=3, random_state=0)  # fmt: skip
    pipe = make_pipeline(StandardScaler(), search)
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.9


def test_same_seed_same_result():
    X, y = IRIS
    space = {"C": tw.Float(1e-2, 1e2, log=True)}
    a = tw.TuneSearchCV(SVC(), space, n_iter=6, cv=3, random_state=1).fit(X, y)
    b = tw.TuneSearchCV(SVC(), space, n_iter=6, cv=3, random_state=1).fit(X, y)
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = X @ [1.0, 2.0, 0.0] + rng.normal(scale=0.1, size=80)
    search = tw.TuneSearchCV(Ridge(), {"alpha": tw.Float(1e-3, 1e3, log=True)}, n_iter=5, cv=3,
                             scoring="r2", strategy="random").fit(X, y)  # fmt: skip
    assert search.best_score_ > 0.9


def test_all_configurations_failing_says_why():
    X, y = IRIS
    # scikit-learn's words: every fit of every candidate failed, and why
    with pytest.raises(ValueError, match=r"(?s)All the 9 fits failed.*'C' parameter of SVC"):
        tw.TuneSearchCV(SVC(), {"C": tw.Float(-2.0, -1.0)}, strategy="random", n_iter=3,
                        cv=3).fit(X, y)  # fmt: skip


def test_bad_arguments_are_refused_at_fit():
    X, y = IRIS
    with pytest.raises(ValueError, match="'n_iter' parameter of TuneSearchCV must be an int"):
        tw.TuneSearchCV(SVC(), {"C": tw.Float(0.1, 1.0)}, n_iter=0).fit(X, y)
