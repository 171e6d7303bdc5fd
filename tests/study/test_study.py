from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

import tunewidgets as tw

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})


def _study_with(outcomes):
    study = tw.Study(SPACE)
    for i, score in enumerate(outcomes):
        trial = study._start_trial({"x": i / 10, "k": "a"})
        if score is None:
            trial = trial.with_changes(state=tw.TrialState.FAILED, error="ValueError: bad")
        else:
            trial = trial.with_changes(state=tw.TrialState.COMPLETE, score=score)
        study._finish_trial(trial)
    return study


def test_empty_study():
    study = tw.Study(SPACE)
    assert study.best_trial is None
    assert study.best_params is None
    assert study.best_score is None
    frame = study.trials_dataframe()
    assert list(frame.columns) == [
        "number",
        "x",
        "k",
        "score",
        "score_std",
        "state",
        "started",
        "duration",
        "ask_time",
        "error",
    ]
    assert len(frame) == 0


def test_best_ignores_failures_and_takes_the_earliest_tie():
    study = _study_with([0.5, None, 0.9, 0.9, None])
    assert study.best_trial.number == 2
    assert study.best_score == 0.9
    assert study.best_params == {"x": 0.2, "k": "a"}


def test_trials_dataframe():
    study = _study_with([0.5, None, 0.9])
    frame = study.trials_dataframe()
    assert frame["number"].tolist() == [0, 1, 2]
    assert frame["state"].tolist() == ["complete", "failed", "complete"]
    assert math.isnan(frame["score"][1])
    assert frame["error"][1] == "ValueError: bad"
    assert pd.api.types.is_datetime64_any_dtype(frame["started"])
    assert (frame["duration"] >= 0).all()


def test_param_names_that_clash_with_columns_are_prefixed():
    space = tw.SearchSpace({"score": tw.Float(0, 1)})
    study = tw.Study(space)
    study._finish_trial(
        study._start_trial({"score": 0.3}).with_changes(state=tw.TrialState.COMPLETE, score=1.0)
    )
    frame = study.trials_dataframe()
    assert frame["param_score"].tolist() == [0.3]
    assert frame["score"].tolist() == [1.0]


def test_trials_are_snapshots():
    study = _study_with([0.1])
    snapshot = study.trials
    study._finish_trial(
        study._start_trial({"x": 0.5, "k": "b"}).with_changes(state=tw.TrialState.COMPLETE, score=1)
    )
    assert len(snapshot) == 1
    assert len(study.trials) == 2
    with pytest.raises(AttributeError):
        snapshot[0].score = 3.0  # trials are immutable


def test_refit_best():
    X, y = load_iris(return_X_y=True)
    space = tw.SearchSpace({"C": tw.Float(1e-3, 1e2, log=True)})
    study = tw.tune(
        LogisticRegression(max_iter=1000),
        space,
        X,
        y,
        strategy="random",
        n_trials=4,
        cv=3,
        storage=None,
        progress=False,
        seed=0,
    )
    model = study.refit_best(X, y)
    assert study.best_params["C"] == model.C
    assert model.score(X, y) > 0.9


def test_refit_best_needs_an_estimator_after_load(tmp_path):
    X, y = load_iris(return_X_y=True)
    space = tw.SearchSpace({"C": tw.Float(1e-3, 1e2, log=True)})
    path = tmp_path / "s.db"
    tw.tune(
        LogisticRegression(max_iter=1000),
        space,
        X,
        y,
        strategy="random",
        n_trials=2,
        cv=3,
        storage=path,
        study_name="lr",
        progress=False,
    )
    loaded = tw.Study.load(path, "lr")
    with pytest.raises(ValueError, match=r"holds no estimator .*estimator=MyEstimator\(\)"):
        loaded.refit_best(X, y)
    model = loaded.refit_best(X, y, estimator=LogisticRegression(max_iter=1000))
    assert np.isclose(model.C, loaded.best_params["C"])


def test_refit_best_with_no_complete_trial():
    study = _study_with([None])
    with pytest.raises(ValueError, match="no complete trial"):
        study.refit_best([[0]], [0], estimator=LogisticRegression())


def test_trial_json_round_trip():
    study = _study_with([0.5])
    trial = study.trials[0].with_changes(intermediate_values={1: 0.2, 2: 0.4}, info={"a": [1]})
    assert tw.Trial.from_json(trial.to_json()) == trial


def test_bad_storage_argument():
    with pytest.raises(ValueError, match="'storage' parameter must be a path to a SQLite file"):
        tw.Study(SPACE, storage=42)


def test_intermediate_dataframe():
    study = tw.Study(SPACE)
    assert list(study.intermediate_dataframe().columns) == ["number", "step", "value", "state"]
    trial = study._start_trial({"x": 0.1, "k": "a"})
    study._report(trial.number, 1, 0.5)
    study._report(trial.number, 0, 0.25)
    frame = study.intermediate_dataframe()
    assert frame[["step", "value"]].values.tolist() == [[0, 0.25], [1, 0.5]]
    assert frame["state"].tolist() == ["running", "running"]
