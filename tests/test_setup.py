"""One setup path: every entry point turns its arguments into a search the same way."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets._setup import plan_search

X, Y = load_iris(return_X_y=True)
SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})


def _quiet(**kwargs):
    return {"storage": None, "progress": False, **kwargs}


# -- the objective gets a copy of its params -------------------------------------------
def _mutating(params):
    x = params.pop("x")
    params["added"] = object()
    return -((x - 0.5) ** 2)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_objective_that_changes_its_params_changes_nothing_stored(n_jobs):
    study = tw.tune(
        _mutating, SPACE, strategy="random", n_trials=4, seed=0, n_jobs=n_jobs, **_quiet()
    )
    assert [t.state for t in study.trials] == [tw.TrialState.COMPLETE] * 4
    assert all(set(t.params) == {"x"} for t in study.trials)


# -- a search whose every trial failed says so -------------------------------------------
def _nan_data():
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    return X_nan


def test_tune_warns_when_every_trial_failed_naming_the_first_error():
    with pytest.warns(tw.TrialsFailedWarning, match=r"All 3 trials .* failed.*NaN"):
        study = tw.tune(
            SVC(),
            {"C": tw.Float(0.1, 10.0)},
            _nan_data(),
            Y,
            strategy="random",
            n_trials=3,
            cv=3,
            **_quiet(),
        )
    assert study.best_score is None


def test_tune_does_not_warn_when_a_trial_completed():
    def sometimes(params):
        if params["x"] < 0.5:
            raise ValueError("low")
        return params["x"]

    with warnings.catch_warnings():
        warnings.simplefilter("error", tw.TrialsFailedWarning)
        tw.tune(sometimes, SPACE, strategy="grid", n_trials=5, **_quiet())


def test_dashboard_and_race_show_that_every_trial_failed():
    dash = tw.Dashboard(
        SVC(),
        _nan_data(),
        Y,
        space={"C": tw.Float(0.1, 10.0)},
        n_trials=2,
        cv=3,
        strategy="random",
        storage=None,
        display=False,
    )
    dash.start()
    dash.wait(timeout=60)
    assert "All 2 trials of this search failed" in dash.status_text
    assert "NaN" in dash.status_text
    race = tw.Race(
        SVC(),
        _nan_data(),
        Y,
        space={"C": tw.Float(0.1, 10.0)},
        n_trials=2,
        cv=3,
        strategies=["random"],
        display=False,
    )
    race.start()
    race.wait(timeout=60)
    assert "random: All 2 trials of this search failed" in race.summary.value


# -- the same folds for every trial ------------------------------------------------------
def _fold_scores(study):
    return [t.info["fold_scores"] for t in study.trials]


def test_a_shuffling_splitter_without_a_seed_scores_every_trial_on_the_same_folds():
    from sklearn.dummy import DummyClassifier

    # two configurations that predict alike: their fold scores depend on the folds only
    # (exactly: no solver whose last digits vary with the BLAS threads in use)
    space = {"strategy": tw.Categorical(["most_frequent", "prior"])}
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=90)  # unbalanced folds: each fold's score differs
    study = tw.tune(
        DummyClassifier(),
        space,
        np.zeros((90, 1)),
        y,
        strategy="grid",
        n_trials=2,
        cv=KFold(5, shuffle=True),
        **_quiet(),
    )
    first, second = _fold_scores(study)
    assert len(set(first)) > 1  # the folds differ, so the same scores mean the same folds
    assert first == second


def test_a_one_shot_iterable_of_splits_scores_every_trial():
    splits = iter(KFold(3, shuffle=True, random_state=0).split(X))
    study = tw.tune(
        LogisticRegression(max_iter=500),
        {"C": tw.Float(0.1, 10.0)},
        X,
        Y,
        strategy="random",
        n_trials=3,
        cv=splits,
        seed=0,
        **_quiet(),
    )
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials)
    assert all(len(scores) == 3 for scores in _fold_scores(study))


def test_a_splitter_that_cannot_split_the_data_is_refused_before_the_search():
    with pytest.raises(ValueError, match="cannot split"):
        plan_search(SVC(), {"C": tw.Float(0.1, 1.0)}, X[:4], Y[:4], cv=KFold(5), storage=None)


# -- spaces from the estimator the user passed ---------------------------------------------
@pytest.mark.parametrize(
    ("estimator", "names"),
    [
        (
            RandomForestClassifier(),
            ["n_estimators", "max_depth", "min_samples_leaf", "max_features"],
        ),
        (BaggingClassifier(), ["n_estimators", "max_samples", "max_features"]),
        (
            BaggingClassifier(SVC()),
            [
                "n_estimators",
                "max_samples",
                "max_features",
                "estimator__C",
                "estimator__gamma",
                "estimator__kernel",
            ],
        ),
        (
            AdaBoostClassifier(LogisticRegression()),
            ["n_estimators", "learning_rate", "estimator__C", "estimator__class_weight"],
        ),
    ],
)
def test_the_space_is_inferred_from_the_estimator_passed_not_its_base(estimator, names):
    plan = plan_search(estimator, None, X, Y, storage=None)
    assert plan.space.names == names


def test_an_estimator_with_nothing_known_asks_for_a_space():
    from sklearn.naive_bayes import GaussianNB

    with pytest.raises(ValueError, match="No search space is known for GaussianNB"):
        tw.tune(GaussianNB(), None, X, Y, **_quiet())


def test_a_function_without_a_space_is_told_that_spaces_are_inferred_for_estimators_only():
    with pytest.raises(ValueError, match="'space' is required for a function objective"):
        tw.tune(lambda p: 1.0, None, **_quiet())


def test_a_forest_tunes_and_dashboards_its_own_space():
    study = tw.tune(
        RandomForestClassifier(),
        None,
        X,
        Y,
        strategy="random",
        n_trials=2,
        cv=2,
        seed=0,
        **_quiet(),
    )
    assert "n_estimators" in study.best_params
    dash = tw.Dashboard(RandomForestClassifier(), X, Y, storage=None, display=False)
    assert dash.study.space.names[0] == "n_estimators"


def test_knn_neighbours_are_kept_within_the_samples_each_fit_sees():
    from sklearn.neighbors import KNeighborsClassifier

    plan = plan_search(KNeighborsClassifier(), None, X[::3], Y[::3], cv=2, storage=None)
    assert plan.space["n_neighbors"].high <= 25 // 4 + 1


# -- validated once, before anything is opened ---------------------------------------------
def test_bad_arguments_create_no_study_file(tmp_path):
    path = tmp_path / "s.db"
    for bad in [
        {"n_trials": 0},
        {"strategy": "nope"},
        {"n_jobs": 0},
        {"pruner": object()},
        {"strategy_options": {"acquisition": "nope"}},
    ]:
        with pytest.raises(ValueError):
            tw.tune(lambda p: p["x"], SPACE, storage=path, progress=False, **bad)
    assert not path.exists()


def test_a_used_strategy_instance_is_refused():
    strategy = tw.RandomSearch(SPACE, seed=0)
    strategy.tell(strategy.ask(), 1.0)
    with pytest.raises(ValueError, match="already been told 1"):
        tw.tune(lambda p: p["x"], SPACE, strategy=strategy, **_quiet())


def test_a_plan_replaced_keeps_its_folds_unless_cv_changes():
    plan = plan_search(
        SVC(), {"C": tw.Float(0.1, 1.0)}, X, Y, cv=KFold(3, shuffle=True), storage=None
    )
    same = plan.replace(n_trials=3, strategy="random")
    assert same.objective is plan.objective
    other = plan.replace(cv=4)
    assert other.objective.n_splits == 4
    with pytest.raises(ValueError, match="cannot change"):
        plan.replace(X=X)


def test_the_plan_records_its_settings_through_public_study_methods():
    plan = plan_search(lambda p: p["x"], SPACE, strategy="random", n_trials=2, seed=3, storage=None)
    study = plan.open_study()
    plan.runner(study).run()
    assert study.settings["strategy"] == "random"
    assert study.settings["seed"] == 3
    assert study.settings["n_trials"] == 2


# -- one rule for an existing study name ---------------------------------------------------
def test_every_entry_point_continues_a_stored_study_of_that_name(tmp_path):
    path = tmp_path / "s.db"
    space = {"C": tw.Float(0.1, 10.0, log=True)}
    kwargs = {"storage": path, "study_name": "svc"}
    tw.tune(SVC(), space, X, Y, strategy="random", n_trials=2, cv=3, progress=False, **kwargs)
    dash = tw.Dashboard(
        SVC(), X, Y, space=space, n_trials=2, cv=3, strategy="random", display=False, **kwargs
    )
    assert len(dash.study.trials) == 2
    dash.start()
    dash.wait(timeout=60)
    again = tw.Dashboard(SVC(), X, Y, space=space, cv=3, display=False, **kwargs)
    assert len(again.study.trials) == 4
    assert len(tw.Study.load(path, "svc").trials) == 4


def test_other_folds_or_other_data_do_not_continue_a_study_in_silence(tmp_path):
    from sklearn.model_selection import KFold

    path = tmp_path / "s.db"
    space = {"C": tw.Float(0.1, 10.0, log=True)}
    kwargs = {"storage": path, "study_name": "svc", "progress": False, "n_trials": 1}
    tw.tune(SVC(), space, X, Y, cv=3, **kwargs)
    tw.tune(SVC(), space, X, Y, cv=3, **kwargs)  # the same folds: it continues
    for cv, data in [(5, (X, Y)), (KFold(3, shuffle=True), (X, Y)), (3, (X[:100], Y[:100]))]:
        with pytest.raises(ValueError, match="the cross-validation was '3 folds"):
            tw.tune(SVC(), space, *data, cv=cv, **kwargs)
    with pytest.raises(ValueError, match="the number of samples was"):
        tw.TuneSearchCV(
            SVC(), space, n_iter=1, cv=3, storage=path, study_name="svc", continue_study=True
        ).fit(X[:100], Y[:100])
    assert len(tw.Study.load(path, "svc").trials) == 2


# -- the dashboard after a step --------------------------------------------------------------
def _slowish(params):
    return params["x"]


@pytest.mark.parametrize("then", ["start", "resume"])
def test_after_a_step_start_or_resume_goes_on_with_that_search(then):
    dash = tw.Dashboard(
        objective=_slowish, space=SPACE, strategy="random", n_trials=4, storage=None, display=False
    )
    dash.step()
    dash.wait(timeout=30)
    assert dash.runner.state is tw.RunnerState.PAUSED
    runner = dash.runner
    assert not dash.controls.start_button.disabled
    getattr(dash, then)()
    dash.wait(timeout=30)
    assert dash.runner is runner
    assert runner.state is tw.RunnerState.FINISHED
    assert len(dash.study.trials) == 4
    dash._clicked("start")  # finished: Start begins a new search, continuing the study
    dash.wait(timeout=30)
    assert len(dash.study.trials) == 8


# -- what an outside tester found ----------------------------------------------------------
def test_start_after_a_step_and_a_narrowed_space_searches_the_new_space():
    space = {"x": tw.Float(0.0, 1.0), "y": tw.Float(0.0, 1.0)}
    dash = tw.Dashboard(
        objective=lambda p: p["x"] + p["y"],
        space=space,
        strategy="random",
        n_trials=10,
        seed=0,
        storage=None,
        display=False,
    )
    dash.start()
    dash.wait(timeout=60)
    dash.step()
    dash.wait(timeout=60)
    assert dash.runner.state is tw.RunnerState.PAUSED
    narrowed = tw.narrow_space(dash.study.space, dash.study, top_fraction=0.2)
    dash._propose_space(narrowed, "the test")
    before = len(dash.study.trials)
    dash.start()
    dash.wait(timeout=60)
    new = dash.study.trials[before:]
    assert new and all(narrowed.contains(t.params) for t in new)
    assert dash.study.space == narrowed


@pytest.mark.parametrize(
    ("estimator", "names"),
    [
        (SVC(kernel="linear"), ["C"]),
        (LogisticRegression(penalty=None), ["class_weight"]),
        (
            RandomForestClassifier(n_estimators=500),
            ["max_depth", "min_samples_leaf", "max_features"],
        ),
    ],
)
def test_what_the_user_set_on_the_estimator_is_not_searched(estimator, names):
    assert tw.infer_space(estimator).names == names


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategy_options": {"foo": 1}}, "Unknown option 'foo' for the 'bayes' strategy"),
        (
            {"strategy": "random", "strategy_options": {"acquisition": "ucb"}},
            "options are: .n_iter.",
        ),
        ({"seed": -1}, "'seed' parameter .* must be an int in the range \\[0, inf\\)"),
        ({"study_name": ""}, "'study_name' must be a non-empty string"),
        ({"study_name": "a", "study": tw.Study(SPACE)}, "not both"),
    ],
)
def test_bad_setup_arguments_get_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.tune(lambda p: p["x"], SPACE, **_quiet(**kwargs))


def test_a_seed_with_a_strategy_instance_is_refused():
    with pytest.raises(ValueError, match="A seed goes with a strategy name"):
        tw.tune(
            lambda p: p["x"], SPACE, strategy=tw.RandomSearch(SPACE, seed=1), seed=5, **_quiet()
        )


def test_an_estimator_class_is_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"pass an estimator instance, SVC\(\), not the class"):
        tw.tune(SVC, {"C": tw.Float(0.1, 1.0)}, X, Y, **_quiet())


def test_groups_of_the_wrong_length_are_named():
    from sklearn.model_selection import GroupKFold

    with pytest.raises(ValueError, match="groups must give one group label per sample"):
        tw.tune(
            SVC(),
            {"C": tw.Float(0.1, 1.0)},
            X,
            Y,
            cv=GroupKFold(3),
            groups=np.arange(10),
            **_quiet(),
        )


def test_a_choice_the_estimator_refuses_is_caught_before_any_trial(tmp_path):
    path = tmp_path / "s.db"
    with pytest.raises(ValueError, match="'bogus' is not a valid value of 'kernel' for SVC"):
        tw.tune(
            SVC(), {"kernel": tw.Categorical(["rbf", "bogus"])}, X, Y, storage=path, progress=False
        )
    assert not path.exists()


def test_sys_exit_in_an_objective_fails_its_trial_only():
    def exits(params):
        if params["x"] < 0.5:
            raise SystemExit(3)
        return params["x"]

    study = tw.tune(exits, SPACE, strategy="grid", n_trials=5, **_quiet())
    states = [t.state for t in study.trials]
    assert tw.TrialState.FAILED in states and tw.TrialState.COMPLETE in states
    assert any(t.error == "SystemExit: 3" for t in study.trials)


def test_race_takes_names_only_and_says_when_every_trial_failed():
    with pytest.raises(ValueError, match="different strategy names"):
        tw.Race(
            objective=lambda p: p["x"],
            space=SPACE,
            strategies=[tw.RandomSearch(SPACE, seed=0)],
            display=False,
        )
    with pytest.raises(ValueError, match="different strategy names"):
        tw.Race(
            objective=lambda p: p["x"], space=SPACE, strategies=["random", "random"], display=False
        )
    race = tw.Race(
        SVC(),
        _nan_data(),
        Y,
        space={"C": tw.Float(0.1, 10.0)},
        n_trials=2,
        cv=3,
        strategies=["random", "grid"],
        display=False,
    )
    race.start()
    race.wait(timeout=60)
    assert race.results()["failed"].tolist() == [2, 2]


def test_a_splitter_given_in_code_is_not_replaced_from_the_cv_field():
    from sklearn.model_selection import GroupKFold

    groups = np.arange(len(Y)) % 5
    dash = tw.Dashboard(
        SVC(),
        X,
        Y,
        space={"C": tw.Float(0.1, 10.0)},
        cv=GroupKFold(3),
        groups=groups,
        n_trials=2,
        storage=None,
        display=False,
    )
    assert dash.controls.cv.value == 3
    assert dash.controls.cv.disabled
    dash.start()
    dash.wait(timeout=60)
    assert dash.controls.cv.disabled  # still, after the search
    assert "GroupKFold" in dash.study.settings["objective"]["cv"]


# -- a grid sized to its budget ------------------------------------------------------------
PLANE = tw.SearchSpace({"a": tw.Float(0.0, 1.0), "b": tw.Float(0.0, 1.0)})


def _plane(params):
    return -((params["a"] - 0.3) ** 2) - (params["b"] - 0.6) ** 2


@pytest.mark.parametrize(("n_trials", "side"), [(16, 4), (30, 5), (4, 2)])
def test_a_grid_is_the_finest_that_the_budget_holds(n_trials, side):
    study = tw.tune(_plane, PLANE, strategy="grid", n_trials=n_trials, **_quiet())
    assert len(study.trials) == side * side  # all of it, none cut off
    assert len({t.params["a"] for t in study.trials}) == side
    assert study.settings["strategy_options"]["resolution"] == side


def test_a_grid_too_big_for_the_budget_is_sampled_in_a_random_order():
    big = tw.SearchSpace({f"p{i}": tw.Float(0.0, 1.0) for i in range(6)})  # 2**6 = 64 points
    study = tw.tune(lambda p: p["p0"], big, strategy="grid", n_trials=10, seed=0, **_quiet())
    firsts = [t.params["p0"] for t in study.trials]
    assert len(study.trials) == 10 and len(set(firsts)) == 2  # both ends, not one corner


def test_a_resolution_given_is_kept_and_tunesearchcv_keeps_scikit_learns_grid():
    study = tw.tune(
        _plane,
        PLANE,
        strategy="grid",
        n_trials=30,
        strategy_options={"resolution": 3},
        **_quiet(),
    )
    assert len(study.trials) == 9
    plan = plan_search(_plane, PLANE, strategy="grid", n_trials=8, storage=None, size_grid=False)
    assert len(plan.new_strategy()) == 25  # GridSearch's default: 5 points a parameter
