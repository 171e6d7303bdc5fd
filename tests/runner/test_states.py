"""Every control in every state of the runner."""

from __future__ import annotations

import pytest

import tunewidgets as tw
from tunewidgets.runner import RunnerState

from .helpers import WAIT, Gate


def _running(make_runner):
    gate = Gate()
    runner = make_runner(gate, n_trials=50)
    runner.start()
    gate.wait_entered()
    assert runner.state is RunnerState.RUNNING
    return runner, gate


def _paused(make_runner):
    runner, gate = _running(make_runner)
    runner.pause()
    gate.release()
    assert runner.wait(WAIT) is RunnerState.PAUSED
    return runner, gate


def _stopping(make_runner):
    runner, gate = _running(make_runner)
    runner.stop()
    assert runner.state is RunnerState.STOPPING
    return runner, gate


def _finished(make_runner):
    runner = make_runner(n_trials=2)
    runner.start()
    assert runner.join(WAIT)
    return runner, None


# -- idle -------------------------------------------------------------------------
def test_idle_start_runs_to_the_end(make_runner):
    runner = make_runner(n_trials=3)
    assert runner.state is RunnerState.IDLE
    assert runner.start() is runner
    assert runner.join(WAIT)
    assert runner.finish_reason == "n_trials reached"
    assert len(runner.study.trials) == 3


def test_idle_run_blocks_until_done(make_runner):
    runner = make_runner(n_trials=3)
    study = runner.run()
    assert runner.state is RunnerState.FINISHED
    assert len(study.trials) == 3


@pytest.mark.parametrize("control", ["pause", "resume"])
def test_idle_pause_and_resume_are_refused(make_runner, control):
    runner = make_runner(n_trials=3)
    with pytest.raises(tw.RunnerStateError, match=f"Cannot {control}: the search has not started"):
        getattr(runner, control)()
    assert runner.state is RunnerState.IDLE


def test_idle_step_runs_one_trial_then_pauses(make_runner):
    runner = make_runner(n_trials=10)
    runner.step()
    assert runner.wait(WAIT) is RunnerState.PAUSED
    assert len(runner.study.trials) == 1


def test_idle_stop_finishes_without_trials(make_runner):
    runner = make_runner(n_trials=10)
    runner.stop()
    assert runner.state is RunnerState.FINISHED
    assert runner.finish_reason == "stopped"
    assert runner.study.trials == []


# -- running ---------------------------------------------------------------------------
def test_running_start_is_refused(make_runner):
    runner, _ = _running(make_runner)
    with pytest.raises(tw.RunnerStateError, match="Cannot start: the search is running"):
        runner.start()
    with pytest.raises(tw.RunnerStateError, match="Cannot run"):
        runner.run()


def test_running_pause_lets_the_trial_in_flight_finish(make_runner):
    runner, gate = _running(make_runner)
    runner.pause()
    assert runner.state is RunnerState.PAUSED
    gate.release()
    assert runner.wait(WAIT) is RunnerState.PAUSED
    trials = runner.study.trials
    assert len(trials) == 1
    assert trials[0].state is tw.TrialState.COMPLETE


def test_running_resume_is_a_no_op(make_runner):
    runner, _ = _running(make_runner)
    runner.resume()
    assert runner.state is RunnerState.RUNNING


def test_running_step_pauses_after_the_trial_in_flight(make_runner):
    runner, gate = _running(make_runner)
    runner.step()
    gate.release()
    assert runner.wait(WAIT) is RunnerState.PAUSED
    assert len(runner.study.trials) == 1


def test_running_stop_finishes_the_trial_in_flight(make_runner):
    runner, gate = _running(make_runner)
    runner.stop()
    assert runner.state is RunnerState.STOPPING
    gate.release()
    assert runner.join(WAIT)
    assert runner.finish_reason == "stopped"
    assert [t.state for t in runner.study.trials] == [tw.TrialState.COMPLETE]


# -- paused ---------------------------------------------------------------------------
def test_paused_start_is_refused(make_runner):
    runner, _ = _paused(make_runner)
    with pytest.raises(tw.RunnerStateError, match="Cannot start: the search is paused"):
        runner.start()


def test_paused_pause_is_a_no_op(make_runner):
    runner, _ = _paused(make_runner)
    runner.pause()
    assert runner.state is RunnerState.PAUSED


def test_paused_resume_runs_again(make_runner):
    runner, gate = _paused(make_runner)
    runner.resume()
    gate.wait_entered()
    assert runner.state is RunnerState.RUNNING
    gate.release(100)
    assert runner.join(WAIT)
    assert len(runner.study.trials) == 50


def test_paused_step_runs_exactly_one_trial(make_runner):
    runner, gate = _paused(make_runner)
    for expected in (2, 3):
        runner.step()
        gate.wait_entered()
        gate.release()
        assert runner.wait(WAIT) is RunnerState.PAUSED
        assert len(runner.study.trials) == expected


def test_paused_stop_finishes(make_runner):
    runner, _ = _paused(make_runner)
    runner.stop()
    assert runner.join(WAIT)
    assert runner.finish_reason == "stopped"
    assert len(runner.study.trials) == 1


# -- stopping and finished ------------------------------------------------------------
@pytest.mark.parametrize("setup", [_stopping, _finished])
@pytest.mark.parametrize("control", ["start", "pause", "resume", "step"])
def test_stopping_and_finished_refuse_controls(make_runner, setup, control):
    runner, _ = setup(make_runner)
    with pytest.raises(tw.RunnerStateError, match=f"Cannot {control}"):
        getattr(runner, control)()


@pytest.mark.parametrize("setup", [_stopping, _finished])
def test_stopping_and_finished_stop_is_a_no_op(make_runner, setup):
    runner, gate = setup(make_runner)
    runner.stop()
    if gate is not None:
        gate.release()
    assert runner.join(WAIT)


def test_paused_time_does_not_count_towards_the_timeout(make_runner):
    runner, _ = _paused(make_runner)
    elapsed = runner.elapsed
    assert runner.elapsed == elapsed  # the clock stands still while paused
