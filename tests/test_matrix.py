"""The matrix users bring: every estimator with an inferred space, times every entry point.

Each estimator family that :func:`tw.infer_space` knows (classifier and
regressor), the meta-estimators (bagging, boosting, voting, stacking), a
pipeline and a ColumnTransformer pipeline on a DataFrame with a categorical
column, each run through ``tune``, the ``Dashboard``, ``Race`` and
``TuneSearchCV`` with the space inferred. A search of an inferred space must
search exactly that space, and none of its trials may fail.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn import ensemble, linear_model, neighbors, neural_network, svm, tree
from sklearn.base import clone, is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes, load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import tunewidgets as tw

pytestmark = pytest.mark.slow

N_TRIALS = 2
CV = 2


def _classification():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _regression():
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:150], y[:150]
    return StandardScaler().fit_transform(X), y


def _frame_with_a_category():
    X, y = load_iris(return_X_y=True)
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    frame["colour"] = np.array(["red", "green", "blue"])[np.arange(len(frame)) % 3]
    return frame, y


_META = {
    "Pipeline",
    "BaggingClassifier",
    "BaggingRegressor",
    "AdaBoostClassifier",
    "AdaBoostRegressor",
    "VotingClassifier",
    "VotingRegressor",
    "StackingClassifier",
    "StackingRegressor",
}


def _plain_estimators():
    """One instance of every class :func:`tw.known_estimators` names that is not a meta-estimator."""
    modules = [ensemble, linear_model, neighbors, neural_network, svm, tree]
    out = {}
    for name in tw.known_estimators():
        if name in _META:
            continue
        for module in modules:
            cls = getattr(module, name, None)
            if cls is not None:
                out[name] = cls()
    return out


def _cases():
    cases = dict(_plain_estimators())
    cases.update(
        {
            "BaggingClassifier": ensemble.BaggingClassifier(n_estimators=5),
            "BaggingClassifier(SVC)": ensemble.BaggingClassifier(svm.SVC()),
            "BaggingRegressor": ensemble.BaggingRegressor(),
            "AdaBoostClassifier": ensemble.AdaBoostClassifier(),
            "AdaBoostRegressor": ensemble.AdaBoostRegressor(),
            "VotingClassifier": ensemble.VotingClassifier(
                [("lr", linear_model.LogisticRegression()), ("dt", tree.DecisionTreeClassifier())]
            ),
            "VotingRegressor": ensemble.VotingRegressor(
                [("ridge", linear_model.Ridge()), ("knn", neighbors.KNeighborsRegressor())]
            ),
            "StackingClassifier": ensemble.StackingClassifier(
                [("svc", svm.SVC()), ("knn", neighbors.KNeighborsClassifier())],
                final_estimator=linear_model.LogisticRegression(),
                cv=2,
            ),
            "StackingRegressor": ensemble.StackingRegressor(
                [("lasso", linear_model.Lasso()), ("dt", tree.DecisionTreeRegressor())], cv=2
            ),
            "Pipeline": make_pipeline(StandardScaler(), svm.SVC()),
            "ColumnTransformer pipeline": make_pipeline(
                ColumnTransformer(
                    [
                        ("num", StandardScaler(), ["sl", "sw", "pl", "pw"]),
                        ("cat", OneHotEncoder(), ["colour"]),
                    ]
                ),
                linear_model.LogisticRegression(),
            ),
        }
    )
    return cases


CASES = _cases()


def _data(name, estimator):
    if name == "ColumnTransformer pipeline":
        return _frame_with_a_category()
    return _classification() if is_classifier(estimator) else _regression()


def _every_known_estimator_is_in_the_matrix():
    covered = {type(e).__name__ for e in CASES.values()}
    return set(tw.known_estimators()) - covered


def test_the_matrix_covers_every_known_estimator():
    assert _every_known_estimator_is_in_the_matrix() == set()


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request):
    name = request.param
    estimator = clone(CASES[name])
    X, y = _data(name, estimator)
    return estimator, X, y


def _inferred(estimator):
    """The space inferred for the data of the matrix (each fit sees half of the 150 samples)."""
    return tw.infer_space(estimator, n_samples=150 // CV)


def _assert_no_failed(study):
    failed = [(t.params, t.error) for t in study.trials if t.state is tw.TrialState.FAILED]
    assert not failed, failed


def test_tune_searches_the_inferred_space_without_a_failed_trial(case):
    estimator, X, y = case
    with warnings.catch_warnings():
        warnings.simplefilter("error", tw.TrialsFailedWarning)
        study = tw.tune(
            estimator,
            None,
            X,
            y,
            strategy="random",
            n_trials=N_TRIALS,
            cv=CV,
            seed=0,
            storage=None,
            progress=False,
        )
    assert study.space == _inferred(estimator)
    assert len(study.trials) == N_TRIALS
    _assert_no_failed(study)
    assert study.best_score is not None
    study.refit_best(X, y)


def test_dashboard_runs_the_inferred_space(case):
    estimator, X, y = case
    dash = tw.Dashboard(
        estimator,
        X,
        y,
        strategy="random",
        n_trials=N_TRIALS,
        cv=CV,
        seed=0,
        storage=None,
        display=False,
    )
    assert dash.study.space == _inferred(estimator)
    dash.start()
    dash.wait(timeout=300)
    assert dash.runner.state is tw.RunnerState.FINISHED
    assert sum(t.state is tw.TrialState.COMPLETE for t in dash.study.trials) >= 1
    _assert_no_failed(dash.study)
    assert "failed" not in dash.status_text


def test_race_runs_the_inferred_space(case):
    estimator, X, y = case
    race = tw.Race(
        estimator, X, y, strategies=["random", "bayes"], n_trials=N_TRIALS, cv=CV, display=False
    )
    assert race.space == _inferred(estimator)
    race.start()
    race.wait(timeout=300)
    results = race.results()
    assert results["trials"].tolist() == [N_TRIALS, N_TRIALS]
    assert results["best_score"].notna().all()
    for study in race.studies.values():
        _assert_no_failed(study)


def test_tune_search_cv_searches_the_inferred_space(case):
    estimator, X, y = case
    search = tw.TuneSearchCV(
        estimator, None, strategy="random", n_iter=N_TRIALS, cv=CV, random_state=0
    )
    search.fit(X, y)
    assert search.study_.space == _inferred(estimator)
    assert set(search.best_params_) == set(_inferred(estimator).names)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert len(search.predict(X)) == len(y)


# -- every inferred bound and choice is valid on the installed scikit-learn ------------------
def _values(param):
    if isinstance(param, tw.Categorical):
        return list(param.choices)
    return [param.low, param.high]


def _leaf(estimator, name):
    """The estimator that owns parameter ``name`` (``a__b__c``: ``a``'s ``b``), and its own name."""
    *path, own = name.split("__")
    for step in path:
        estimator = estimator.get_params(deep=True)[step]
    return estimator, own


def test_every_inferred_bound_and_choice_meets_the_declared_constraints(case):
    from sklearn.utils._param_validation import (
        InvalidParameterError,
        validate_parameter_constraints,
    )

    estimator, _, _ = case
    for name, param in _inferred(estimator).items():
        owner, own = _leaf(estimator, name)
        constraints = getattr(type(owner), "_parameter_constraints", {})
        assert own in constraints, f"{type(owner).__name__} declares no constraint for {own!r}"
        for value in _values(param):
            try:
                validate_parameter_constraints(
                    {own: constraints[own]}, {own: value}, caller_name=type(owner).__name__
                )
            except InvalidParameterError as exc:
                pytest.fail(f"{name}={value!r}: {exc}")


def test_every_inferred_bound_and_choice_fits_without_a_deprecation(case):
    estimator, X, y = case
    for name, param in _inferred(estimator).items():
        for value in _values(param):
            with warnings.catch_warnings():
                warnings.simplefilter("error", FutureWarning)
                warnings.simplefilter("error", DeprecationWarning)
                warnings.filterwarnings("ignore", category=UserWarning)
                try:
                    clone(estimator).set_params(**{name: value}).fit(X, y)
                except (FutureWarning, DeprecationWarning, ValueError, TypeError) as exc:
                    pytest.fail(f"{name}={value!r}: {type(exc).__name__}: {exc}")
