"""TuneSearchCV speaks scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw

IRIS = load_iris(return_X_y=True)


def test_cv_results_have_scikit_learns_keys():
    X, y = IRIS
    ours = tw.TuneSearchCV(
        SVC(),
        {"C": tw.Float(0.1, 10.0, log=True), "kernel": tw.Categorical(["rbf", "linear"])},
        strategy="random",
        n_iter=4,
        cv=3,
        random_state=0,
    ).fit(X, y)
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
    search = tw.TuneSearchCV(
        LogisticRegression(max_iter=1000),
        {"C": tw.Float(1e-2, 1e2, log=True)},
        n_iter=6,
        cv=3,
        random_state=0,
    ).fit(X, y)
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
    search = tw.TuneSearchCV(
        SVC(), {"C": tw.Float(0.1, 1.0)}, n_iter=2, cv=3, refit=False, strategy="random"
    ).fit(X, y)
    assert not hasattr(search, "best_estimator_")
    assert not hasattr(search, "predict")  # as scikit-learn's searches
    with pytest.raises(AttributeError, match="has no attribute 'predict'") as info:
        search.predict(X)
    assert "`refit=False`. predict is available only after refitting" in str(info.value.__cause__)


def test_usable_inside_a_pipeline_and_cross_validation():
    X, y = load_breast_cancer(return_X_y=True)
    search = tw.TuneSearchCV(
        LogisticRegression(max_iter=2000),
        {"C": tw.Float(1e-3, 1e2, log=True)},
        strategy="random",
        n_iter=3,
        cv=3,
        random_state=0,
    )
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
    search = tw.TuneSearchCV(
        Ridge(),
        {"alpha": tw.Float(1e-3, 1e3, log=True)},
        n_iter=5,
        cv=3,
        scoring="r2",
        strategy="random",
    ).fit(X, y)
    assert search.best_score_ > 0.9


def test_all_configurations_failing_says_why():
    X, y = IRIS
    from sklearn.exceptions import FitFailedWarning

    X = X.copy()
    X[0, 0] = float("nan")
    search = tw.TuneSearchCV(SVC(), {"C": tw.Float(1.0, 2.0)}, strategy="random", n_iter=3, cv=3)
    # as GridSearchCV: the fits on folds that hold the NaN fail (the others fail to score),
    # every candidate scores nan, and the refit on all the data raises the error itself
    with (
        pytest.warns(FitFailedWarning, match=r"(?s)6 fits failed out of a total of 9.*NaN"),
        pytest.raises(ValueError, match="Input X contains NaN"),
    ):
        search.fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"]).all()


def test_a_value_the_estimator_refuses_fails_its_fits_as_in_scikit_learn():
    # tune checks values before any fit; TuneSearchCV, as GridSearchCV, scores them error_score
    X, y = IRIS
    with pytest.raises(ValueError, match=r"(?s)All the 9 fits failed.*'C' parameter of SVC"):
        tw.TuneSearchCV(SVC(), {"C": tw.Float(-2.0, -1.0)}, strategy="random", n_iter=3, cv=3).fit(
            X, y
        )


def test_bad_arguments_are_refused_at_fit():
    X, y = IRIS
    with pytest.raises(ValueError, match="'n_iter' parameter of TuneSearchCV must be an int"):
        tw.TuneSearchCV(SVC(), {"C": tw.Float(0.1, 1.0)}, n_iter=0).fit(X, y)


# -- the same as scikit-learn's searches ---------------------------------------------
def _without_times(results):
    return {k: v for k, v in results.items() if not k.endswith("_time")}


def test_grid_is_gridsearchcv_exactly():
    from sklearn.model_selection import GridSearchCV

    X, y = load_breast_cancer(return_X_y=True)
    grid = [
        {"kernel": ["rbf"], "C": [0.1, 10], "gamma": [1e-3, 1e-2]},
        {"kernel": ["linear"], "C": [0.1, 1.0]},
    ]
    kwargs = {
        "cv": 3,
        "scoring": ["accuracy", "roc_auc"],
        "refit": "roc_auc",
        "return_train_score": True,
    }
    ours = tw.TuneSearchCV(SVC(), param_grid=grid, strategy="grid", **kwargs).fit(X[:200], y[:200])
    theirs = GridSearchCV(SVC(), grid, **kwargs).fit(X[:200], y[:200])
    np.testing.assert_equal(_without_times(ours.cv_results_), _without_times(theirs.cv_results_))
    for key in ("best_index_", "best_score_", "best_params_", "n_splits_", "multimetric_"):
        assert getattr(ours, key) == getattr(theirs, key), key
    assert ours.score(X[200:], y[200:]) == theirs.score(X[200:], y[200:])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_random_is_randomizedsearchcv_exactly(n_jobs):
    from scipy import stats
    from sklearn.model_selection import RandomizedSearchCV

    X, y = IRIS
    distributions = [
        {"C": stats.loguniform(1e-2, 1e2), "kernel": ["rbf", "sigmoid"]},
        {"C": stats.expon(scale=3), "kernel": ["linear"]},
    ]
    kwargs = {"n_iter": 7, "cv": 3, "random_state": 4}
    ours = tw.TuneSearchCV(
        SVC(), param_distributions=distributions, strategy="random", n_jobs=n_jobs, **kwargs
    ).fit(X, y)
    theirs = RandomizedSearchCV(SVC(), distributions, **kwargs).fit(X, y)
    np.testing.assert_equal(_without_times(ours.cv_results_), _without_times(theirs.cv_results_))
    assert ours.best_params_ == theirs.best_params_
    for name in ("best_index_", "best_score_"):
        assert type(getattr(ours, name)) is type(getattr(theirs, name)), name


def test_a_grid_is_tried_whole_and_a_short_budget_is_said():
    X, y = IRIS
    grid = {"C": list(np.logspace(-2, 2, 12)), "kernel": ["rbf", "linear"]}
    search = tw.TuneSearchCV(SVC(), param_grid=grid, strategy="grid", cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 24  # n_iter does not cut a grid short
    short = tw.TuneSearchCV(SVC(), param_grid=grid, strategy="grid", n_iter=5, cv=3)
    with pytest.warns(UserWarning, match="n_iter=5 stops the grid of 24 points early"):
        short.fit(X, y)
    assert len(short.cv_results_["params"]) == 5


def test_the_default_bayes_strategy_searches_distributions():
    from scipy import stats

    X, y = IRIS
    search = tw.TuneSearchCV(
        SVC(), param_distributions={"C": stats.expon(scale=5)}, n_iter=6, cv=3, random_state=0
    ).fit(X, y)
    assert search.cv_results_["param_C"].dtype.kind == "f"
    assert search.study_.settings["strategy"] == "bayes"
    assert search.best_score_ > 0.9


def test_verbose_says_how_many_fits(capsys):
    X, y = IRIS
    tw.TuneSearchCV(SVC(), param_grid={"C": [1, 10]}, strategy="grid", cv=3, verbose=1).fit(X, y)
    assert "Fitting 3 folds for each of 2 candidates, totalling 6 fits" in capsys.readouterr().out


def test_best_estimator_is_the_fitted_estimator_even_if_fit_returns_none():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class ReturnsNothing(ClassifierMixin, BaseEstimator):
        def __init__(self, c=1):
            self.c = c

        def fit(self, X, y):
            self.classes_ = np.unique(y)

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    X, y = IRIS
    search = tw.TuneSearchCV(ReturnsNothing(), param_grid={"c": [1, 2]}, strategy="grid", cv=3).fit(
        X, y
    )
    assert isinstance(search.best_estimator_, ReturnsNothing)
    assert hasattr(search.best_estimator_, "classes_")


def test_score_before_fit_is_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        tw.TuneSearchCV(SVC(), {"C": [1.0]}).score(*IRIS)


def test_names_set_params_accepts_are_accepted():
    X, y = IRIS
    pipe = Pipeline([("scale", StandardScaler()), ("model", None)])
    grid = {"model": [SVC()], "model__C": [0.5, 2.0]}  # model__C exists once model is set
    search = tw.TuneSearchCV(pipe, param_grid=grid, strategy="grid", cv=3, scoring="accuracy")
    assert search.fit(X, y).best_estimator_.named_steps["model"].C in (0.5, 2.0)
    with pytest.raises(ValueError, match="'model__Cx' is not a parameter"):
        tw.TuneSearchCV(
            pipe,
            param_grid={"model": [SVC()], "model__Cx": [1]},
            strategy="grid",
            cv=3,
            scoring="accuracy",
        ).fit(X, y)


def test_error_score_raise_raises_the_error_itself_in_workers_too():
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = IRIS
    for n_jobs in (1, 2):
        search = tw.TuneSearchCV(
            SVC(),
            param_grid={"C": [-1.0]},
            strategy="grid",
            cv=3,
            error_score="raise",
            n_jobs=n_jobs,
        )
        with pytest.raises(InvalidParameterError, match="'C' parameter of SVC"):
            search.fit(X, y)


# -- a new study on every fit (issue 11, item 8) ---------------------------------------
def _stored_search(path, name, **kwargs):
    """A random search of SVC's C on 3 folds, stored in ``path`` under ``name``."""
    return tw.TuneSearchCV(
        SVC(),
        {"C": tw.Float(0.1, 10.0, log=True)},
        strategy="random",
        cv=3,
        random_state=0,
        storage=path,
        study_name=name,
        **kwargs,
    )


def test_every_fit_starts_a_new_study(tmp_path):
    X, y = IRIS
    path = tmp_path / "cv.db"
    search = _stored_search(path, "svc", n_iter=3)
    first = search.fit(X, y).study_.name
    assert len(search.cv_results_["params"]) == 3
    second = search.fit(X, y).study_.name
    assert len(search.cv_results_["params"]) == 3  # not 6: nothing carried over
    assert first != second and first.startswith("svc-") and second.startswith("svc-")
    assert {s.name for s in tw.list_studies(path)} == {first, second}


def test_nested_cross_validation_never_shares_trials(tmp_path):
    from sklearn.model_selection import cross_validate

    X, y = IRIS
    inner = _stored_search(tmp_path / "nested.db", "inner", n_iter=2)
    outer = cross_validate(inner, X, y, cv=3, return_estimator=True)
    sizes = [len(e.cv_results_["params"]) for e in outer["estimator"]]
    assert sizes == [2, 2, 2]  # each outer fold searched on its own training rows only
    assert len({e.study_.name for e in outer["estimator"]}) == 3


def test_continuing_a_study_is_asked_for(tmp_path):
    X, y = IRIS
    search = _stored_search(tmp_path / "c.db", "svc", n_iter=3, continue_study=True)
    search.fit(X, y)
    search.fit(X, y)
    assert search.study_.name == "svc"
    assert len(search.cv_results_["params"]) == 6


# -- Ctrl-C ------------------------------------------------------------------------
def test_ctrl_c_is_raised_after_the_finished_trials_are_kept():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class Interrupting(ClassifierMixin, BaseEstimator):
        calls = 0

        def __init__(self, c=1):
            self.c = c

        def fit(self, X, y):
            type(self).calls += 1
            if self.c == 3:
                raise KeyboardInterrupt
            self.classes_ = np.unique(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    X, y = IRIS
    search = tw.TuneSearchCV(Interrupting(), param_grid={"c": [1, 2, 3, 4]}, strategy="grid", cv=3)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    states = [t.state for t in search.study_.trials]
    assert states[:2] == [tw.TrialState.COMPLETE, tw.TrialState.COMPLETE]
    assert len(states) == 3  # the interrupted trial is recorded; the fourth never started


@pytest.mark.parametrize("strategy", ["grid", "random", "bayes", "evolution"])
def test_a_budget_larger_than_the_space_is_said(strategy):
    X, y = IRIS
    search = tw.TuneSearchCV(SVC(), {"C": [0.5, 1.0, 2.0]}, strategy=strategy, n_iter=5, cv=3)
    with pytest.warns(UserWarning, match=r"(grid has 3 points|space of parameters 3 is smaller)"):
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 3


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_random_draws_with_replacement_past_a_small_integer_range(n_jobs):
    # randint(1, 5) holds 4 values: ParameterSampler still draws n_iter=10 candidates
    # (with replacement), and every one is scored
    import warnings

    from scipy import stats
    from sklearn.model_selection import RandomizedSearchCV
    from sklearn.neighbors import KNeighborsClassifier

    X, y = IRIS
    distributions = {"n_neighbors": stats.randint(1, 5), "weights": ["uniform", "distance"]}
    kwargs = {"n_iter": 12, "cv": 3, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "smaller than n_iter" and no failed fits
        ours = tw.TuneSearchCV(
            KNeighborsClassifier(),
            param_distributions=distributions,
            strategy="random",
            n_jobs=n_jobs,
            error_score="raise",
            **kwargs,
        ).fit(X, y)
    theirs = RandomizedSearchCV(KNeighborsClassifier(), distributions, **kwargs).fit(X, y)
    assert len(ours.cv_results_["params"]) == 12
    np.testing.assert_equal(_without_times(ours.cv_results_), _without_times(theirs.cv_results_))
    assert ours.best_params_ == theirs.best_params_


def test_an_unknown_strategy_is_refused_before_any_warning():
    import warnings

    X, y = IRIS
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="bogus"):
            tw.TuneSearchCV(SVC(), {"C": [1.0, 2.0]}, strategy="bogus", n_iter=5).fit(X, y)


def test_continuing_a_study_of_object_choices_refits_with_the_objects(tmp_path):
    grid = {"class_weight": [{0: 1, 1: 5, 2: 1}, {0: 1, 1: 1, 2: 9}], "C": [1.0]}
    kwargs = {
        "param_grid": grid,
        "strategy": "grid",
        "cv": 3,
        "storage": tmp_path / "cw.db",
        "study_name": "cw",
        "continue_study": True,
    }
    with pytest.warns(UserWarning, match="stops the grid"):
        tw.TuneSearchCV(LogisticRegression(max_iter=300), n_iter=1, **kwargs).fit(*IRIS)
    search = tw.TuneSearchCV(LogisticRegression(max_iter=300), **kwargs).fit(*IRIS)
    assert search.cv_results_["params"] == [
        {"C": 1.0, "class_weight": {0: 1, 1: 5, 2: 1}},
        {"C": 1.0, "class_weight": {0: 1, 1: 1, 2: 9}},
    ]
    assert isinstance(search.best_params_["class_weight"], dict)
    assert isinstance(search.best_estimator_.class_weight, dict)


def test_nan_as_a_choice_searches_an_imputer_as_gridsearchcv_does(tmp_path):
    from sklearn.impute import SimpleImputer

    X, y = IRIS
    X = X.copy()
    X[::7, 1] = np.nan
    pipe = make_pipeline(SimpleImputer(), LogisticRegression(max_iter=500))
    grid = {
        "simpleimputer__missing_values": [np.nan],
        "simpleimputer__strategy": ["mean", "median"],
    }
    ours = tw.TuneSearchCV(
        pipe, param_grid=grid, strategy="grid", cv=3, storage=tmp_path / "n.db"
    ).fit(X, y)
    theirs = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert ours.best_score_ == theirs.best_score_
    assert np.isnan(ours.best_params_["simpleimputer__missing_values"])
    stored = tw.Study.load(tmp_path / "n.db", ours.study_.name).trials
    assert all(np.isnan(t.params["simpleimputer__missing_values"]) for t in stored)
