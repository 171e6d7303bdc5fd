"""Bad models fail their own trial with a message that says what was wrong; bad arguments fail at once."""

from __future__ import annotations

import re

import numpy as np
import pytest

import tunewidgets as tw

from .conftest import build_model

pytest.importorskip("keras")


def raising(params):
    return 1 / 0


def uncompiled(params):
    import keras

    return keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])


def not_a_model(params):
    return "a model, honestly"


def no_such_metric(params):
    return build_model(params)  # logs accuracy and loss, not auc


CASES = {
    "raises": (raising, "val_accuracy", r"build_model\(params\) raised ZeroDivisionError"),
    "uncompiled": (uncompiled, "val_accuracy", "returned a model that is not compiled"),
    "not a model": (not_a_model, "val_accuracy", "must return a compiled keras.Model. Got str"),
    "no metric": (
        no_such_metric,
        "val_auc",
        "monitor='val_auc' is not a metric this model logs; it logs 'accuracy', 'loss'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_model_fails_its_trial_and_the_search_goes_on(case, digits):
    build, monitor, message = CASES[case]
    X, y = digits
    bad = tw.KerasObjective(build, X, y, epochs=2, batch_size=128, monitor=monitor)
    good = tw.KerasObjective(build_model, X, y, epochs=2, batch_size=128)

    def objective(params, trial):  # the first trial has the bad model, the next a good one
        chosen = bad if params["which"] == "bad" else good
        return chosen(params, trial)

    space = tw.SearchSpace({"which": tw.Categorical(["bad", "good"])})
    study = tw.tune(objective, space, strategy=tw.GridSearch(space), n_trials=2, storage=None)
    failed, passed = study.trials
    assert failed.state is tw.TrialState.FAILED
    assert re.search(message, failed.error or ""), failed.error
    assert passed.state is tw.TrialState.COMPLETE


def test_a_diverging_model_fails_with_a_hint(digits):
    X, y = digits
    X = X.copy()
    X[0, 0] = np.nan  # nan in, nan loss out
    objective = tw.KerasObjective(
        build_model, X, y, epochs=2, monitor="val_loss", mode="min", validation_split=0.99
    )
    with pytest.raises(ValueError, match="training diverged"):
        objective({"lr": 1e-2}, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"mode": "max", "monitor": "val_loss"},
            "is a loss, which is better lower: pass mode='min'",
        ),
        (
            {"mode": "best"},
            r"The 'mode' parameter of KerasObjective must be one of \{'max', 'min'\}",
        ),
        ({"validation_split": 0.0}, "needs validation data. Give validation_data or a"),
        ({"validation_split": 1.0}, r"'validation_split' .* range \[0.0, 1.0\). Got 1.0"),
        (
            {"epochs": 0},
            r"The 'epochs' parameter of KerasObjective must be an int in the range \[1",
        ),
        ({"batch_size": 2.5}, "The 'batch_size' parameter of KerasObjective must be an int"),
        ({"fit_kwargs": {"epochs": 3}}, "'fit_kwargs' may not set 'epochs'"),
        ({"validation_data": np.zeros(3)}, "'validation_data' must be a tuple"),
        ({"monitor": ""}, "'monitor' must be the name of a logged metric"),
    ],
)
def test_invalid_arguments_are_refused_at_once(digits, kwargs, message):
    X, y = digits
    with pytest.raises(ValueError, match=message):
        tw.KerasObjective(build_model, X, y, **kwargs)


def test_data_is_checked(digits):
    X, y = digits
    with pytest.raises(ValueError, match="x has 400, y has 399"):
        tw.KerasObjective(build_model, X, y[:-1])
    with pytest.raises(ValueError, match="'build_model' must be a function"):
        tw.KerasObjective("model.keras", X, y)


@pytest.mark.parametrize("param", [tw.Float(1.0, 10.0), tw.Int(0, 3), tw.Categorical([32, "64"])])
def test_tuned_epochs_must_be_positive_integers(objective, param):
    with pytest.raises(ValueError, match="'epochs' must take positive integers"):
        tw.tune(objective, {"epochs": param}, n_trials=1, storage=None)
