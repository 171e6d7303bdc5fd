"""Budgets, failures, captured output and events of the runner."""

from __future__ import annotations

import math
import threading
import time
import warnings

import pytest

import tunewidgets as tw
from tunewidgets.runner import EventKind

from .helpers import SPACE, WAIT, Gate


def counter_objective():
    calls = []

    def objective(params):
        calls.append(params)
        return float(len(calls))

    return objective


def test_target_stops_the_search(make_runner):
    runner = make_runner(counter_objective(), n_trials=100, target=4.0)
    runner.run()
    assert runner.finish_reason == "target reached"
    assert runner.study.best_score == 4.0
    assert len(runner.study.trials) == 4


def test_patience_stops_a_search_that_does_not_improve(make_runner):
    runner = make_runner(lambda p: 1.0, n_trials=100, patience=3)
    runner.run()
    assert runner.finish_reason == "no improvement in 3 trials"
    assert len(runner.study.trials) == 4  # the first sets the best, three more fail to beat it


def test_timeout_stops_starting_new_trials(make_runner):
    def slow(params):
        time.sleep(0.02)
        return params["x"]

    runner = make_runner(slow, n_trials=10_000, timeout=0.2)
    runner.run()
    assert runner.finish_reason == "timeout reached"
    assert 1 <= len(runner.study.trials) < 10_000
    assert all(t.state is tw.TrialState.COMPLETE for t in runner.study.trials)


def test_grid_exhaustion_ends_the_search(make_runner):
    space = tw.SearchSpace({"n": tw.Int(1, 3)})
    study = tw.Study(space)
    runner = make_runner(lambda p: p["n"], study=study, strategy=tw.GridSearch(space), n_trials=50)
    runner.run()
    assert runner.finish_reason == "search complete"
    assert [t.params["n"] for t in study.trials] == [1, 2, 3]


def test_a_failing_trial_is_recorded_and_the_search_goes_on(make_runner):
    def sometimes(params):
        if params["x"] > 0.5:
            raise RuntimeError(f"x={params['x']:.2f} is too large")
        return params["x"]

    runner = make_runner(sometimes, n_trials=20, max_consecutive_failures=None)
    runner.run()
    trials = runner.study.trials
    failed = [t for t in trials if t.state is tw.TrialState.FAILED]
    assert len(trials) == 20
    assert 0 < len(failed) < 20
    assert all(t.error.startswith("RuntimeError: x=") for t in failed)
    assert all("Traceback" in t.info["traceback"] for t in failed)
    assert all(t.score is None for t in failed)
    assert runner.study.best_score <= 0.5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "returned nan, which is not a finite number"),
        (math.inf, "returned inf"),
        ("high", "must return a number"),
        (None, "must return a number"),
    ],
)
def test_nan_and_non_numbers_fail_the_trial(make_runner, value, message):
    runner = make_runner(lambda p: value, n_trials=10)
    runner.run()
    assert runner.finish_reason == "5 failed trials in a row"
    trials = runner.study.trials
    assert len(trials) == 5
    assert all(message in t.error for t in trials)


def test_consecutive_failures_reset_on_success(make_runner):
    outcomes = iter([1, None, None, 1, None, None, 1, None, None, None])
    runner = make_runner(lambda p: next(outcomes), n_trials=20, max_consecutive_failures=3)
    runner.run()
    assert runner.finish_reason == "3 failed trials in a row"
    assert len(runner.study.trials) == 10


def test_output_is_captured_with_the_trial(make_runner, capsys):
    def chatty(params):
        print("hello from trial")
        import sys

        print("to stderr", file=sys.stderr)
        warnings.warn(f"careful {params['x']:.3f}", UserWarning, stacklevel=1)
        return params["x"]

    runner = make_runner(chatty, n_trials=3)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        runner.run()
    out, err = capsys.readouterr()
    assert "hello from trial" not in out
    assert "to stderr" not in err
    first = runner.study.trials[0]
    assert "hello from trial" in first.output
    assert "to stderr" in first.output
    assert "UserWarning: careful" in first.output


def test_main_thread_output_is_not_captured_while_a_trial_runs(make_runner, capsys):
    gate = Gate()
    runner = make_runner(gate, n_trials=1)
    runner.start()
    gate.wait_entered()
    print("the notebook keeps printing")
    gate.release()
    assert runner.join(WAIT)
    assert "the notebook keeps printing" in capsys.readouterr().out
    assert "notebook" not in runner.study.trials[0].output


def test_capture_can_be_turned_off(make_runner, capsys):
    runner = make_runner(lambda p: print("visible") or 1.0, n_trials=1, capture_output=False)
    runner.run()
    assert "visible" in capsys.readouterr().out


def test_ask_time_and_strategy_notes_are_recorded(make_runner):
    study = tw.Study(SPACE)
    runner = make_runner(study=study, strategy=tw.BayesianSearch(SPACE, seed=0), n_trials=6)
    runner.run()
    trials = study.trials
    assert all(t.ask_time > 0 for t in trials)
    assert trials[0].info["strategy"]["phase"] == "initial design"
    assert trials[-1].info["strategy"]["phase"] == "model"


def test_events_arrive_in_order(make_runner):
    received = []
    runner = make_runner(n_trials=4)
    runner.subscribe(received.extend)
    runner.run()
    kinds = [e.kind for e in received]
    assert kinds[0] is EventKind.SEARCH_STARTED
    assert kinds[-1] is EventKind.SEARCH_FINISHED
    assert received[-1].reason == "n_trials reached"
    assert kinds.count(EventKind.TRIAL_STARTED) == kinds.count(EventKind.TRIAL_FINISHED) == 4
    finished = [e.trial for e in received if e.kind is EventKind.TRIAL_FINISHED]
    assert [t.number for t in finished] == [0, 1, 2, 3]
    assert all(t.state is tw.TrialState.COMPLETE for t in finished)


def test_a_slow_subscriber_does_not_stall_the_search(make_runner):
    unblock = threading.Event()
    seen = []

    def slow(events):
        seen.extend(events)
        unblock.wait(WAIT)

    runner = make_runner(n_trials=30)
    runner.subscribe(slow)
    runner.start()
    assert runner.join(WAIT), "the search waited for its subscriber"
    assert len(runner.study.trials) == 30
    unblock.set()


def test_throttled_subscribers_get_batches_and_the_last_events(make_runner):
    calls = []
    runner = make_runner(n_trials=25)
    runner.subscribe(calls.append, min_interval=3600)
    runner.run()
    assert len(calls) <= 2  # the first batch at once, the rest when the search ends
    events = [e for batch in calls for e in batch]
    assert events[-1].kind is EventKind.SEARCH_FINISHED
    assert sum(e.kind is EventKind.TRIAL_FINISHED for e in events) == 25


def test_a_broken_subscriber_is_logged_and_the_search_goes_on(make_runner, caplog):
    def broken(events):
        raise ValueError("view bug")

    runner = make_runner(n_trials=3)
    runner.subscribe(broken)
    runner.run()
    assert len(runner.study.trials) == 3
    assert "an event subscriber raised" in caplog.text


def test_unsubscribe(make_runner):
    received = []
    runner = make_runner(n_trials=3)
    unsubscribe = runner.subscribe(received.extend)
    unsubscribe()
    runner.run()
    assert received == []


def test_a_strategy_error_ends_the_search_with_its_reason(make_runner):
    class Broken(tw.RandomSearch):
        def _ask(self):
            if self.n_told >= 2:
                raise ZeroDivisionError("strategy bug")
            return super()._ask()

    runner = make_runner(strategy=Broken(SPACE, seed=0), n_trials=10)
    runner.run()
    assert runner.finish_reason == "error: ZeroDivisionError: strategy bug"
    assert isinstance(runner.error, ZeroDivisionError)
    assert len(runner.study.trials) == 2


def test_a_resumed_study_primes_the_strategy(make_runner):
    study = tw.Study(SPACE)
    make_runner(study=study, n_trials=5).run()
    strategy = tw.BayesianSearch(SPACE, seed=1)
    make_runner(study=study, strategy=strategy, n_trials=2).run()
    assert strategy.n_told == 7
    assert [t.number for t in study.trials] == list(range(7))


def test_keyboard_interrupt_keeps_what_finished(make_runner):
    calls = []

    def objective(params):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return 1.0

    runner = make_runner(objective, n_trials=10)
    runner.run()
    assert runner.finish_reason == "interrupted"
    states = [t.state for t in runner.study.trials]
    assert states == [tw.TrialState.COMPLETE] * 2 + [tw.TrialState.FAILED]
    assert "KeyboardInterrupt" in runner.study.trials[-1].error


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_trials": 0}, r"'n_trials' parameter of Runner must be an int in the range \[1, inf\)"),
        ({"n_trials": 2.5}, "'n_trials' parameter of Runner must be an int"),
        (
            {"timeout": -1},
            r"'timeout' parameter of Runner must be a finite number in the range \(0",
        ),
        ({"target": math.nan}, "'target'"),
        ({"patience": 0}, "'patience'"),
        ({"max_consecutive_failures": 0}, "'max_consecutive_failures'"),
        (
            {"n_jobs": 0},
            r"'n_jobs' parameter of Runner must be -1 \(one trial per CPU\) or an int >= 1",
        ),
        ({"n_jobs": -2}, "'n_jobs'"),
        (
            {"executor": "threads"},
            "'executor' parameter of Runner must be a dask.distributed.Client",
        ),
        ({"pruner": object()}, "'pruner' must have a should_prune"),
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(kwargs, message):
    study = tw.Study(SPACE)
    with pytest.raises(ValueError, match=message):
        tw.Runner(study, lambda p: 1.0, tw.RandomSearch(SPACE), **kwargs)
    assert threading.active_count() >= 1
    assert study.trials == []


def test_strategy_must_match_the_study_space():
    other = tw.SearchSpace({"y": tw.Float(0, 1)})
    with pytest.raises(ValueError, match="built on the study's search space"):
        tw.Runner(tw.Study(SPACE), lambda p: 1.0, tw.RandomSearch(other))
