"""A Ctrl-C while a finished trial is recorded: it lands in memory and in storage, or in neither."""

from __future__ import annotations

import signal

import pytest

import tunewidgets as tw
from tunewidgets._interrupts import interrupts_deferred


@pytest.fixture(autouse=True)
def ctrl_c_as_in_a_terminal():
    """Python's own SIGINT handler, even if the test run was started with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_inside_the_block_is_raised_after_it():
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        signal.raise_signal(signal.SIGINT)
        done.append("the rest of the block ran")
    assert done == ["the rest of the block ran"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_a_ctrl_c_nothing_is_raised():
    with interrupts_deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_during_the_storage_write_keeps_memory_and_file_in_step(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    study = tw.Study(tw.SearchSpace({"x": tw.Float(0, 1)}), storage=path, name="s")
    storage = study._storage
    save = storage.save_trial

    def interrupted_save(name, trial, **kwargs):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C half-way through recording
        save(name, trial, **kwargs)

    monkeypatch.setattr(storage, "save_trial", interrupted_save)
    trial = study._start_trial({"x": 0.5})
    with pytest.raises(KeyboardInterrupt):
        study._finish_trial(trial.with_changes(state=tw.TrialState.COMPLETE, score=0.5))
    assert [t.state for t in study.trials] == [tw.TrialState.COMPLETE]
    assert [t.score for t in tw.Study.load(path, "s").trials] == [0.5]


def test_ctrl_c_while_a_trial_is_collected_by_tune_loses_nothing(tmp_path, monkeypatch):
    """Whenever the KeyboardInterrupt lands, the returned study equals the stored one."""
    from tunewidgets.runner import _runner

    collect = _runner.Runner._collect
    calls = []

    def interrupted_collect(self, trial, future, in_flight):
        calls.append(trial.number)
        if len(calls) == 3:
            signal.raise_signal(signal.SIGINT)
        collect(self, trial, future, in_flight)

    monkeypatch.setattr(_runner.Runner, "_collect", interrupted_collect)
    path = tmp_path / "t.db"
    study = tw.tune(
        lambda p: p["x"],
        tw.SearchSpace({"x": tw.Float(0, 1)}),
        strategy="random",
        n_trials=50,
        storage=path,
        study_name="t",
        progress=False,
        seed=0,
    )
    stored = tw.Study.load(path, "t").trials
    assert len(study.trials) == len(stored) == 3
    assert [t.state for t in stored] == [tw.TrialState.COMPLETE] * 3
