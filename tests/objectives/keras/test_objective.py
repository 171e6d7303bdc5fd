"""KerasObjective: per-epoch reports, pruning, tuned resources, through the runner and storage."""

from __future__ import annotations

import threading

import pytest

import tunewidgets as tw

pytest.importorskip("keras")

from .conftest import build_model

SPACE = tw.SearchSpace({"lr": tw.Float(1e-3, 3e-2, log=True), "units": tw.Int(8, 24)})


class PruneAt:
    """A reporter whose pruner says stop at a given step."""

    def __init__(self, step: int) -> None:
        self.number, self.params, self.step = 0, {}, step
        self.values: dict[int, float] = {}

    def report(self, value: float, step: int) -> None:
        self.values[step] = value

    def should_prune(self) -> bool:
        return max(self.values) >= self.step


def test_reports_every_epoch_and_stores_them(objective, tmp_path):
    db = tmp_path / "keras.db"
    study = tw.tune(objective, SPACE, n_trials=2, storage=str(db), study_name="k")
    for trial in study.trials:
        assert trial.state is tw.TrialState.COMPLETE
        assert sorted(trial.intermediate_values) == [1, 2, 3, 4]
        assert all(0.0 <= v <= 1.0 for v in trial.intermediate_values.values())
        assert trial.score == trial.intermediate_values[4]
        assert trial.info["history"]["val_accuracy"][-1] == pytest.approx(trial.score)
        assert trial.info["epochs"] == 4
    reloaded = tw.Study.load(str(db), name="k")
    assert [t.intermediate_values for t in reloaded.trials] == [
        t.intermediate_values for t in study.trials
    ]
    frame = reloaded.intermediate_dataframe()
    assert len(frame) == 8 and set(frame["step"]) == {1, 2, 3, 4}


def test_a_pruned_trial_stops_training_after_that_epoch(objective):
    reporter = PruneAt(2)
    with pytest.raises(tw.TrialPruned, match="after epoch 2 of 4"):
        objective({"lr": 1e-2, "units": 8}, reporter)
    assert sorted(reporter.values) == [1, 2]


def test_the_median_pruner_stops_a_deliberately_bad_trial_early(digits):
    X, y = digits
    objective = tw.KerasObjective(build_model, X, y, epochs=6, batch_size=64)
    space = tw.SearchSpace({"lr": tw.Categorical([2e-2, 1e-6])})  # a good rate, then a hopeless one
    study = tw.tune(
        objective,
        space,
        strategy=tw.GridSearch(space),
        n_trials=2,
        storage=None,
        pruner=tw.MedianPruner(n_startup_trials=1, n_warmup_steps=1),
    )
    good, bad = study.trials
    assert good.state is tw.TrialState.COMPLETE and len(good.intermediate_values) == 6
    assert bad.state is tw.TrialState.PRUNED
    assert len(bad.intermediate_values) == 2  # warm-up of one epoch, pruned at the second
    assert bad.score == bad.intermediate_values[2]


def test_min_mode_reports_the_negated_loss(digits):
    X, y = digits
    objective = tw.KerasObjective(
        build_model, X, y, epochs=2, batch_size=64, monitor="val_loss", mode="min"
    )
    result = objective({"lr": 1e-2}, PruneAt(99))
    losses = result.info["history"]["val_loss"]
    assert result.score == pytest.approx(-losses[-1])
    assert result.score < 0


def test_epochs_and_batch_size_can_be_tuned(objective):
    space = tw.SearchSpace({"epochs": tw.Int(1, 3), "batch_size": tw.Categorical([32, 128])})
    study = tw.tune(objective, space, n_trials=2, storage=None)
    for trial in study.trials:
        assert len(trial.intermediate_values) == trial.params["epochs"]


def test_the_same_configuration_trains_the_same_way(objective):
    first = objective({"lr": 1e-2, "units": 12}, None)
    second = objective({"lr": 1e-2, "units": 12}, None)
    assert first.info["history"] == second.info["history"]


def test_runs_headless_through_the_runner_with_live_reports(objective):
    study = tw.Study(SPACE, storage=None)
    events: list[tw.Event] = []
    finished = threading.Event()

    def receive(batch: list[tw.Event]) -> None:
        events.extend(batch)
        if any(e.kind is tw.EventKind.SEARCH_FINISHED for e in batch):
            finished.set()

    runner = tw.Runner(
        study,
        objective,
        tw.RandomSearch(SPACE, seed=0),
        n_trials=3,
        pruner=tw.SuccessiveHalvingPruner(min_resource=1, reduction_factor=2),
    )
    runner.subscribe(receive)
    runner.start()
    assert runner.join(120) and finished.wait(20)
    reported = [e for e in events if e.kind is tw.EventKind.TRIAL_REPORTED]
    assert len(reported) == sum(len(t.intermediate_values) for t in study.trials)
    assert {t.state for t in study.trials} <= {tw.TrialState.COMPLETE, tw.TrialState.PRUNED}
    assert study.trials[0].state is tw.TrialState.COMPLETE  # the first has no one to lose to


def test_the_objective_survives_cloudpickle(objective):
    cloudpickle = pytest.importorskip("cloudpickle")
    copy = cloudpickle.loads(cloudpickle.dumps(objective))
    result = copy({"lr": 1e-2, "units": 8}, None)
    assert result.info["epochs"] == 4


def test_describe_is_json_ready(objective):
    import json

    described = json.loads(json.dumps(objective.describe()))
    assert described["kind"] == "keras" and described["build_model"] == "build_model"
    assert objective.label == "keras"
