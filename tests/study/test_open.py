"""A study's space (and objective) changes only on request; best_* count trials valid in it."""

from __future__ import annotations

import pytest
from sklearn.datasets import load_iris
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.study import open_study

IRIS = load_iris(return_X_y=True)
SVC_SPACE = tw.SearchSpace({"C": tw.Float(1e-2, 1e2, log=True), "kernel": ["rbf", "linear"]})
KNN_SPACE = tw.SearchSpace({"n_neighbors": tw.Int(1, 15)})


def _svc_study(path, n=4):
    return tw.tune(
        SVC(),
        SVC_SPACE,
        *IRIS,
        strategy="random",
        n_trials=n,
        cv=3,
        storage=path,
        study_name="iris",
        progress=False,
        seed=0,
    )


def test_continuing_with_another_space_and_estimator_is_refused_naming_the_differences(tmp_path):
    path = tmp_path / "s.db"
    _svc_study(path)
    with pytest.raises(ValueError) as refused:
        tw.tune(
            KNeighborsClassifier(),
            KNN_SPACE,
            *IRIS,
            n_trials=2,
            cv=3,
            storage=path,
            study_name="iris",
            progress=False,
        )
    message = str(refused.value)
    assert f"Study 'iris' in {str(path)!r} was searched with a different space" in message
    assert "no longer searched: 'C', 'kernel'" in message
    assert "new: 'n_neighbors' (Int(1, 15))" in message
    assert "the estimator was 'SVC()', now 'KNeighborsClassifier()'" in message
    assert "Its 4 trials were not drawn from this search's space" in message
    assert "pass change_space=True; or choose another study_name" in message
    stored = tw.Study.load(path, "iris")  # nothing changed
    assert stored.space == SVC_SPACE and len(stored.trials) == 4


def test_a_changed_range_is_named(tmp_path):
    path = tmp_path / "s.db"
    _svc_study(path)
    wider = tw.SearchSpace({"C": tw.Float(1e-3, 1e3, log=True), "kernel": ["rbf", "linear"]})
    with pytest.raises(
        ValueError,
        match=r"'C' was Float\(0.01, 100.0, log=True\), now "
        r"Float\(0.001, 1000.0, log=True\)",
    ):
        tw.tune(
            SVC(), wider, *IRIS, n_trials=1, cv=3, storage=path, study_name="iris", progress=False
        )


def test_another_estimator_on_the_same_space_is_refused(tmp_path):
    path = tmp_path / "s.db"
    _svc_study(path)
    with pytest.raises(ValueError, match=r"the estimator was 'SVC\(\)', now 'SVC\(degree=2\)'"):
        tw.tune(
            SVC(degree=2),
            SVC_SPACE,
            *IRIS,
            n_trials=1,
            cv=3,
            storage=path,
            study_name="iris",
            progress=False,
        )
    with pytest.raises(ValueError, match=r"the scoring was None, now 'f1_macro'"):
        tw.tune(
            SVC(),
            SVC_SPACE,
            *IRIS,
            n_trials=1,
            cv=3,
            scoring="f1_macro",
            storage=path,
            study_name="iris",
            progress=False,
        )


def test_the_same_search_continues_and_parameter_order_does_not_matter(tmp_path):
    path = tmp_path / "s.db"
    _svc_study(path)
    reordered = tw.SearchSpace({"kernel": ["rbf", "linear"], "C": tw.Float(1e-2, 1e2, log=True)})
    study = tw.tune(
        SVC(),
        reordered,
        *IRIS,
        strategy="random",
        n_trials=2,
        cv=3,
        storage=path,
        study_name="iris",
        progress=False,
        seed=1,
    )
    assert len(study.trials) == 6


def test_an_asked_for_change_continues_and_best_counts_only_valid_trials(tmp_path):
    path = tmp_path / "s.db"
    svc = _svc_study(path)
    study = tw.tune(
        KNeighborsClassifier(),
        KNN_SPACE,
        *IRIS,
        strategy="random",
        n_trials=3,
        cv=3,
        storage=path,
        study_name="iris",
        progress=False,
        seed=0,
        change_space=True,
    )
    assert len(study.trials) == 7
    assert study.space == KNN_SPACE
    assert [t.space for t in study.trials] == [SVC_SPACE] * 4 + [KNN_SPACE] * 3
    assert set(study.best_params) == {"n_neighbors"}  # never an SVC trial, whatever its score
    assert study.best_trial.number >= 4
    model = study.refit_best(*IRIS)  # the failure: Invalid parameter 'C' for KNN
    assert isinstance(model, KNeighborsClassifier)
    loaded = tw.Study.load(path, "iris")
    assert loaded.best_trial == study.best_trial
    assert [t.space for t in loaded.trials] == [SVC_SPACE] * 4 + [KNN_SPACE] * 3
    assert loaded.trials[:4] == svc.trials[:4]
    assert not loaded.is_valid(loaded.trials[0]) and loaded.is_valid(loaded.trials[4])


def test_set_space_is_the_explicit_request_and_narrowing_keeps_valid_trials_best():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    study = tw.tune(
        lambda p: p["x"], space, strategy="grid", n_trials=5, storage=None, progress=False
    )
    assert study.best_params == {"x": 1.0}
    study.set_space(tw.SearchSpace({"x": tw.Float(0.0, 0.6)}))
    assert study.best_params == {"x": 0.5}  # 0.75 and 1.0 lie outside the narrowed space
    assert len(study.trials) == 5  # every trial kept


def test_open_study_refuses_a_different_space_for_a_study_object_too():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    study = tw.Study(space)
    other = tw.SearchSpace({"y": tw.Float(0.0, 1.0)})
    with pytest.raises(
        ValueError,
        match=r"The study .* given was searched .*no longer searched: "
        r"'x'; new: 'y'",
    ):
        open_study(other, study=study)
    assert open_study(other, study=study, change_space=True) is study
    assert study.space == other
    with pytest.raises(ValueError, match="'change_space' must be True or False. Got 'yes'"):
        open_study(space, study=study, change_space="yes")


def test_two_opens_of_a_new_name_share_one_study(tmp_path):
    path = tmp_path / "s.db"
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    first = open_study(space, storage=path, study_name="new")
    second = open_study(space, storage=path, study_name="new")
    assert first.name == second.name == "new"
    assert tw.list_studies(path)[0].name == "new" and len(tw.list_studies(path)) == 1
    generated = open_study(space, storage=path, label="svc")
    assert generated.name.startswith("svc-") and generated.name != "new"


def test_continuing_with_the_objects_gives_the_stored_trials_their_objects_back(tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    from tunewidgets.space import Label

    path = tmp_path / "o.db"
    pipe = Pipeline([("sc", StandardScaler()), ("lr", LogisticRegression(max_iter=300))])
    space = {
        "sc": [StandardScaler(), MinMaxScaler()],
        "lr__class_weight": [None, {0: 1, 1: 5, 2: 1}],
    }
    tw.tune(
        pipe,
        space,
        *IRIS,
        strategy="grid",
        n_trials=4,
        cv=3,
        storage=path,
        study_name="o",
        progress=False,
    )
    stored = tw.Study.load(path, "o")
    assert any(isinstance(v, Label) for t in stored.trials for v in t.params.values())
    fresh = {
        "sc": [StandardScaler(), MinMaxScaler()],
        "lr__class_weight": [None, {0: 1, 1: 5, 2: 1}],
    }
    study = open_study(tw.SearchSpace(fresh), storage=path, study_name="o")
    for trial in study.trials:
        assert not any(isinstance(v, Label) for v in trial.params.values())
        assert type(trial.params["sc"]) in (StandardScaler, MinMaxScaler)
    best = study.refit_best(*IRIS, estimator=pipe)  # the objects, not their labels
    assert type(best.named_steps["sc"]) in (StandardScaler, MinMaxScaler)
