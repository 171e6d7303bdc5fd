"""Pruners in a search: curves reported by any objective, pruned trials recorded and told."""

from __future__ import annotations

import pytest

import tunewidgets as tw

SPACE = tw.SearchSpace({"rate": tw.Float(0.0, 1.0)})


def curve(params, trial):
    """A learning curve that rises at ``rate`` per step, for 10 steps."""
    value = 0.0
    for step in range(1, 11):
        value = params["rate"] * step / 10
        trial.report(value, step)
        if trial.should_prune():
            raise tw.TrialPruned()
    return value


class Recording(tw.RandomSearch):
    """Random search that remembers what it is told."""

    def __init__(self, space, seed=0):
        super().__init__(space, seed=seed)
        self.told = []

    def tell(self, params, score):
        self.told.append(score)
        super().tell(params, score)


@pytest.mark.parametrize(
    "pruner",
    [tw.MedianPruner(n_startup_trials=2, n_warmup_steps=1), tw.SuccessiveHalvingPruner()],
    ids=["median", "halving"],
)
def test_poor_trials_stop_early_and_the_strategy_is_told_their_last_value(pruner):
    strategy = Recording(SPACE, seed=1)
    study = tw.Study(SPACE, storage=None)
    tw.Runner(study, curve, strategy, n_trials=20, pruner=pruner).run()
    pruned = [t for t in study.trials if t.state is tw.TrialState.PRUNED]
    assert pruned, "nothing was pruned"
    for t in pruned:
        assert len(t.intermediate_values) < 10
        assert t.score == t.intermediate_values[max(t.intermediate_values)]
    assert strategy.told == [t.score for t in study.trials]
    best = max(study.trials, key=lambda t: t.params["rate"])
    assert best.state is tw.TrialState.COMPLETE  # the best curve is never cut


def test_without_a_pruner_every_trial_runs_to_the_end():
    study = tw.tune(curve, SPACE, n_trials=5, storage=None)
    assert all(len(t.intermediate_values) == 10 for t in study.trials)


def test_pruned_trials_and_their_curves_are_stored(tmp_path):
    db = str(tmp_path / "p.db")
    # seeded random search: its trials are not in rising order, so some are pruned
    study = tw.tune(
        curve,
        SPACE,
        strategy="random",
        seed=0,
        n_trials=8,
        storage=db,
        study_name="s",
        pruner=tw.MedianPruner(n_startup_trials=1),
    )
    reloaded = tw.Study.load(db, name="s")
    assert [(t.state, t.intermediate_values) for t in reloaded.trials] == [
        (t.state, t.intermediate_values) for t in study.trials
    ]
    assert any(t.state is tw.TrialState.PRUNED for t in reloaded.trials)


def test_a_custom_pruner_follows_the_documented_interface():
    class AfterThree(tw.Pruner):
        def should_prune(self, trial, trials):
            return max(trial.intermediate_values) >= 3

    study = tw.tune(curve, SPACE, n_trials=2, storage=None, pruner=AfterThree())
    assert [sorted(t.intermediate_values) for t in study.trials] == [[1, 2, 3]] * 2


def test_a_pruner_must_be_abstract_until_it_decides():
    with pytest.raises(TypeError):
        tw.Pruner()
