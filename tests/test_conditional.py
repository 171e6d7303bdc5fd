"""Conditional spaces through every entry point: tune, TuneSearchCV, the Dashboard, a study file."""

from __future__ import annotations

import json
import sqlite3

import pytest
from scipy import stats
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw

STRATEGIES = ["grid", "random", "bayes", "evolution", "tpe"]
X, Y = make_classification(n_samples=80, n_features=5, random_state=0)

SVM = tw.SearchSpace(
    [
        {"kernel": ["rbf"], "C": tw.Float(1e-2, 1e2, log=True), "gamma": stats.loguniform(1e-3, 1)},
        {"kernel": ["poly"], "C": tw.Float(1e-2, 1e2, log=True), "degree": [2, 3]},
        {"kernel": ["linear"], "C": stats.expon(scale=2.0)},
    ]
)


def _options(name: str) -> dict:
    if name == "grid":
        return {"resolution": 2}
    if name == "bayes":
        return {"n_initial": 4, "n_candidates": 100}
    return {}


def _in_one_branch(space: tw.SearchSpace, params: dict) -> bool:
    branch = space.branches[space.branch_index(params)]
    return set(params) == set(branch)


def peak(params: dict) -> float:
    """Best in the 'b' branch at y=3; the 'a' branch tops out lower."""
    if params["kind"] == "a":
        return -((params["x"] - 0.2) ** 2)
    return 1.0 - abs(params["y"] - 3) / 10


FUNCTION_SPACE = tw.SearchSpace(
    [
        {"kind": ["a"], "x": tw.Float(0.0, 1.0)},
        {"kind": ["b"], "y": tw.Int(0, 6)},
    ]
)


@pytest.mark.parametrize("name", STRATEGIES)
def test_tune_searches_branches_with_every_strategy(name):
    study = tw.tune(
        peak,
        FUNCTION_SPACE,
        strategy=name,
        n_trials=14,
        storage=None,
        progress=False,
        seed=1,
        strategy_options=_options(name),
    )
    trials = study.trials
    assert trials and all(_in_one_branch(FUNCTION_SPACE, t.params) for t in trials)
    assert {t.params["kind"] for t in trials} == {"a", "b"}  # both branches are tried
    frame = study.trials_dataframe()
    a = frame["kind"] == "a"
    assert frame.loc[a, "y"].isna().all() and frame.loc[~a, "x"].isna().all()
    if name != "grid":
        assert study.best_params["kind"] == "b"


@pytest.mark.parametrize("name", STRATEGIES)
def test_tune_an_estimator_over_branches(name):
    study = tw.tune(
        SVC(),
        SVM,
        X,
        Y,
        strategy=name,
        n_trials=6,
        cv=3,
        storage=None,
        progress=False,
        seed=0,
        strategy_options=_options(name),
    )
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials)
    assert all(_in_one_branch(SVM, t.params) for t in study.trials)
    model = study.refit_best(X, Y)
    assert model.kernel == study.best_params["kernel"]


@pytest.mark.parametrize("name", STRATEGIES)
def test_tunesearchcv_over_branches_with_every_strategy(name):
    grid = [
        {"svc__kernel": ["rbf"], "svc__gamma": [0.01, 0.1], "scale": [StandardScaler()]},
        {"svc__kernel": ["poly"], "svc__degree": [2, 3], "scale": [MinMaxScaler(), None]},
    ]
    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    search = tw.TuneSearchCV(
        pipe,
        grid,
        strategy=name,
        n_iter=6,
        cv=3,
        random_state=0,
        strategy_options=_options(name) or None,
    )
    search.fit(X, Y)
    results = search.cv_results_
    n = len(results["params"])
    assert n == 6
    for i, params in enumerate(results["params"]):
        poly = params["svc__kernel"] == "poly"
        assert results["param_svc__degree"].mask[i] == (not poly)
        assert results["param_svc__gamma"].mask[i] == poly
    # estimator-valued choices are cloned: neither the grid's objects nor cv_results_'s are fitted
    assert not hasattr(grid[0]["scale"][0], "mean_")
    assert search.best_estimator_.named_steps["svc"].kernel == search.best_params_["svc__kernel"]


def test_grid_over_branches_tries_every_point_once():
    search = tw.TuneSearchCV(
        SVC(),
        param_grid=[{"kernel": ["rbf"], "C": [1, 10]}, {"kernel": ["linear"], "C": [1, 10, 100]}],
        strategy="grid",
        cv=3,
    ).fit(X, Y)
    assert [(p["kernel"], p["C"]) for p in search.cv_results_["params"]] == [
        ("rbf", 1),
        ("rbf", 10),
        ("linear", 1),
        ("linear", 10),
        ("linear", 100),
    ]


def test_estimator_choices_survive_a_study_file(tmp_path):
    path = tmp_path / "models.db"
    space = tw.SearchSpace(
        [
            {"model": [LogisticRegression(max_iter=500)], "model__C": tw.Float(0.01, 10, log=True)},
            {"model": [SVC(kernel="linear"), SVC(kernel="rbf")]},
        ]
    )
    pipe = Pipeline([("model", LogisticRegression())])
    study = tw.tune(
        pipe,
        space,
        X,
        Y,
        strategy="random",
        n_trials=6,
        cv=3,
        storage=path,
        study_name="models",
        progress=False,
        seed=3,
    )
    with sqlite3.connect(path) as connection:
        stored_params = [
            json.loads(row[0]) for row in connection.execute("SELECT params FROM trials")
        ]
    labels = {p["model"] for p in stored_params}
    assert labels <= {"LogisticRegression(max_iter=500)", "SVC(kernel='linear')", "SVC()"}
    loaded = tw.Study.load(path, "models")
    stored = [t.params["model"] for t in loaded.trials]
    assert all(isinstance(v, tw.Label) for v in stored)
    assert [str(v) for v in stored] == [
        tw.Categorical([t.params["model"]]).labels[0] for t in study.trials
    ]
    assert loaded.trials_dataframe()["model"].map(str).tolist() == [str(v) for v in stored]
    best = loaded.best_params["model"]
    if isinstance(best, tw.Label):
        with pytest.raises(ValueError, match="stored by their labels"):
            loaded.refit_best(X, Y, estimator=pipe)
    # the same space again: the labels find their objects, and the search continues
    again = tw.tune(
        pipe,
        space,
        X,
        Y,
        strategy="random",
        n_trials=2,
        cv=3,
        storage=path,
        study_name="models",
        progress=False,
        seed=4,
    )
    assert len(again.trials) == 8
    loaded.set_space(space)
    assert not isinstance(loaded.best_params["model"], tw.Label)
    assert loaded.refit_best(X, Y, estimator=pipe).score(X, Y) > 0.5


def test_dashboard_runs_a_space_of_branches():
    X, y = load_iris(return_X_y=True)
    dash = tw.Dashboard(
        SVC(), X, y, space=SVM, strategy="random", n_trials=4, cv=3, storage=None, display=False
    )
    dash.start()
    assert dash.runner.join(timeout=120)
    assert len(dash.study.trials) == 4
    assert all(_in_one_branch(SVM, t.params) for t in dash.study.trials)


def test_tune_takes_a_plain_list_of_dicts():
    study = tw.tune(
        peak,
        [{"kind": ["a"], "x": tw.Float(0.0, 1.0)}, {"kind": ["b"], "y": [1, 3]}],
        strategy="grid",
        storage=None,
        progress=False,
        strategy_options={"resolution": 2},
    )
    assert len(study.trials) == 4 and len(study.space.branches) == 2
