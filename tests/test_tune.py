"""tune(): headless searches on bundled data sets, resume, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris, load_wine
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw

IRIS = load_iris(return_X_y=True)


def quiet(**kwargs):
    return {"storage": None, "progress": False, **kwargs}


def test_tune_an_svc_on_iris():
    X, y = IRIS
    space = tw.SearchSpace(
        {
            "C": tw.Float(1e-3, 1e3, log=True),
            "gamma": tw.Float(1e-4, 1.0, log=True),
            "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
            "degree": tw.Int(2, 5),
        }
    )
    study = tw.tune(
        SVC(),
        space,
        X,
        y,
        strategy="bayes",
        n_trials=12,
        cv=3,
        scoring="accuracy",
        seed=0,
        **quiet(),
    )
    assert len(study.trials) == 12
    assert study.best_score > 0.9
    best = study.best_trial
    assert best.score_std is not None
    assert len(best.info["fold_scores"]) == 3
    assert len(best.info["fit_time"]) == 3
    frame = study.trials_dataframe()
    assert {"C", "gamma", "kernel", "degree", "score", "score_std"} <= set(frame.columns)


def test_pipeline_parameters_and_a_regression_scorer():
    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), Ridge())
    space = tw.SearchSpace({"ridge__alpha": tw.Float(1e-3, 1e3, log=True)})
    study = tw.tune(
        pipe,
        space,
        X,
        y,
        strategy="random",
        n_trials=5,
        cv=KFold(3, shuffle=True, random_state=0),
        scoring="r2",
        **quiet(),
    )
    assert 0.3 < study.best_score < 0.6
    assert study.refit_best(X, y).named_steps["ridge"].alpha == study.best_params["ridge__alpha"]


def test_space_is_inferred_for_common_estimators():
    X, y = load_wine(return_X_y=True)
    study = tw.tune(
        make_pipeline(StandardScaler(), KNeighborsClassifier()),
        None,
        X,
        y,
        strategy="random",
        n_trials=4,
        cv=3,
        **quiet(),
    )
    assert set(study.space.names) == {
        "kneighborsclassifier__n_neighbors",
        "kneighborsclassifier__weights",
        "kneighborsclassifier__p",
    }
    assert study.best_score > 0.8


def test_callable_objective():
    space = tw.SearchSpace({"x": tw.Float(-2.0, 2.0)})
    study = tw.tune(
        lambda p: -((p["x"] - 1) ** 2), space, strategy="bayes", n_trials=15, seed=0, **quiet()
    )
    assert abs(study.best_params["x"] - 1) < 0.1


def test_an_invalid_configuration_fails_its_trial_only():
    X, y = IRIS
    space = tw.SearchSpace({"n_neighbors": tw.Int(1, 500)})  # > n_samples of a fold fails
    study = tw.tune(
        KNeighborsClassifier(),
        space,
        X,
        y,
        strategy="grid",
        strategy_options={"resolution": 3},
        cv=3,
        **quiet(),
    )
    states = {t.params["n_neighbors"]: t.state for t in study.trials}
    assert states[1] is tw.TrialState.COMPLETE
    assert states[500] is tw.TrialState.FAILED
    assert "n_neighbors" in study.trial(2).error or "n_samples" in study.trial(2).error


STRATEGIES = ["grid", "random", "bayes", "evolution", "tpe"]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_resume_continues_where_the_search_stopped(tmp_path, strategy):
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b", "c"])})
    path = tmp_path / "s.db"
    kwargs = dict(strategy=strategy, storage=path, study_name="resumable", seed=0, progress=False)
    if strategy == "grid":
        kwargs["strategy_options"] = {"resolution": 4}

    def f(p):
        return p["x"] + (p["k"] == "b")

    first = tw.tune(f, space, n_trials=6, **kwargs)
    assert len(first.trials) == 6
    resumed = tw.tune(f, space, n_trials=6, **kwargs)
    trials = resumed.trials
    assert [t.number for t in trials] == list(range(12))
    configs = [(round(t.params["x"], 9), t.params["k"]) for t in trials]
    assert len(set(configs)) == 12, "a resumed search repeated a configuration"
    if strategy == "grid":
        continuous = [tuple(p.values()) for p in list(space.grid(4))[:12]]
        assert [(t.params["x"], t.params["k"]) for t in trials] == continuous


def test_continue_a_study_object_with_a_narrower_space():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    study = tw.tune(lambda p: p["x"], space, strategy="random", n_trials=8, **quiet())
    narrow = tw.SearchSpace({"x": tw.Float(0.5, 1.0)})
    with pytest.raises(ValueError, match=r"'x' was Float\(0.0, 1.0\), now Float\(0.5, 1.0\)"):
        tw.tune(lambda p: p["x"], narrow, strategy="bayes", n_trials=4, study=study, progress=False)
    assert study.space == space
    again = tw.tune(
        lambda p: p["x"],
        narrow,
        strategy="bayes",
        n_trials=4,
        study=study,
        progress=False,
        change_space=True,
    )
    assert again is study
    assert study.space == narrow
    assert len(study.trials) == 12
    assert all(t.params["x"] >= 0.5 for t in study.trials[8:])


X_SHORT = np.zeros((10, 2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, *IRIS, strategy="hyperband", **quiet()),
            r"Unknown strategy 'hyperband'. Choose one of \['grid', 'random', 'bayes'",
        ),
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, *IRIS, scoring="acuracy", **quiet()),
            r"Unknown scoring 'acuracy'. Did you mean 'accuracy'",
        ),
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, X_SHORT, IRIS[1], **quiet()),
            "X and y must have the same number of samples: X has 10, y has 150",
        ),
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, *IRIS, n_trials=0, **quiet()),
            r"'n_trials' parameter of tune must be an int in the range \[1, inf\) or None. Got 0",
        ),
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, *IRIS, timeout=-5, **quiet()),
            "'timeout' parameter of tune must be a finite number",
        ),
        (
            lambda: tw.tune(SVC(), {"Cc": tw.Float(0.1, 1)}, *IRIS, **quiet()),
            r"'Cc' is not a parameter of SVC. Did you mean 'C'\?",
        ),
        (
            lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, **quiet()),
            "tuning an estimator needs the data",
        ),
        (
            lambda: tw.tune(lambda p: 1.0, {"C": tw.Float(0.1, 1)}, *IRIS, **quiet()),
            "X and y are used only to tune a scikit-learn estimator",
        ),
        (lambda: tw.tune(lambda p: 1.0, None, **quiet()), "'space' is required"),
        (lambda: tw.tune(42, {"C": tw.Float(0.1, 1)}, **quiet()), "must be callable"),
        (lambda: tw.tune(SVC(), {"C": tw.Float(0.1, 1)}, *IRIS, cv=1, **quiet()), "'cv' parameter"),
        (
            lambda: tw.tune(lambda p: 1.0, {"C": tw.Float(0.1, 1)}, n_trials=None, **quiet()),
            "tune needs a budget",
        ),
        (lambda: tw.tune(lambda p: 1.0, {"C": tw.Float(0.1, 1)}, n_jobs=0, **quiet()), "'n_jobs'"),
    ],
)
def test_bad_input_is_refused_before_anything_runs(call, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=message):
        call()
    assert list(tmp_path.iterdir()) == []  # no study file was created


def test_bad_input_leaves_no_study_in_an_existing_file(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(lambda p: 1.0, {"x": tw.Float(0, 1)}, n_trials=1, storage=path, progress=False)
    with pytest.raises(ValueError):
        tw.tune(lambda p: 1.0, {"x": tw.Float(0, 1)}, n_trials=-1, storage=path, progress=False)
    assert len(tw.list_studies(path)) == 1


def test_progress_bar_reports_trials_and_best(capsys):
    tw.tune(
        lambda p: p["x"],
        {"x": tw.Float(0, 1)},
        strategy="random",
        n_trials=3,
        storage=None,
        progress=True,
    )
    err = capsys.readouterr().err
    assert "3/3" in err
    assert "best=" in err
