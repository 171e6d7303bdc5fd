"""IncrementalObjective: a partial_fit estimator reports a validation score per epoch."""

from __future__ import annotations

import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.svm import SVC

import tunewidgets as tw


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_reports_each_epoch_and_scores_the_last(digits):
    X, y = digits
    objective = tw.IncrementalObjective(SGDClassifier(random_state=0), X, y, epochs=4)
    study = tw.tune(objective, {"alpha": tw.Float(1e-5, 1e-2, log=True)}, n_trials=2, storage=None)
    for trial in study.trials:
        assert sorted(trial.intermediate_values) == [1, 2, 3, 4]
        assert trial.score == trial.intermediate_values[4] == trial.info["scores"][-1]


def test_pruning_stops_a_hopeless_configuration(digits):
    X, y = digits
    objective = tw.IncrementalObjective(SGDClassifier(random_state=0), X, y, epochs=8)
    space = tw.SearchSpace(
        {"alpha": tw.Categorical([1e-4, 10.0])}
    )  # good, then far too regularized
    study = tw.tune(
        objective,
        space,
        strategy=tw.GridSearch(space),
        n_trials=2,
        storage=None,
        pruner=tw.MedianPruner(n_startup_trials=1, n_warmup_steps=1),
    )
    good, bad = study.trials
    assert good.state is tw.TrialState.COMPLETE and len(good.intermediate_values) == 8
    assert bad.state is tw.TrialState.PRUNED and len(bad.intermediate_values) == 2


def test_epochs_can_be_tuned_and_runs_are_repeatable(digits):
    X, y = digits
    objective = tw.IncrementalObjective(SGDRegressor(random_state=0), X, y.astype(float))
    first = objective({"epochs": 3, "alpha": 1e-3}, None)
    assert first.info["epochs"] == 3 and len(first.info["scores"]) == 3
    assert objective({"epochs": 3, "alpha": 1e-3}, None).info == first.info


def test_validation_data_and_scoring(digits):
    X, y = digits
    objective = tw.IncrementalObjective(
        SGDClassifier(random_state=0),
        X[:1000],
        y[:1000],
        validation_data=(X[1000:], y[1000:]),
        scoring="balanced_accuracy",
        epochs=2,
    )
    assert objective.describe()["n_validation"] == len(X) - 1000
    assert 0.0 < objective({}, None).score <= 1.0


def test_bad_input(digits):
    X, y = digits
    with pytest.raises(ValueError, match="needs a scikit-learn estimator with partial_fit"):
        tw.IncrementalObjective(SVC(), X, y)
    with pytest.raises(ValueError, match="same number of samples. Got 1797 and 10"):
        tw.IncrementalObjective(SGDClassifier(), X, y[:10])
    with pytest.raises(ValueError, match=r"'validation_split' .* range \(0.0, 1.0\)"):
        tw.IncrementalObjective(SGDClassifier(), X, y, validation_split=0.0)
    with pytest.raises(ValueError, match="'alpah' is not a parameter of SGDClassifier"):
        tw.tune(
            tw.IncrementalObjective(SGDClassifier(), X, y),
            {"alpah": tw.Float(0.1, 1.0)},
            n_trials=1,
            storage=None,
        )
