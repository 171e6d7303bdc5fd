"""The stop rules, without a thread: a Budget told what happened, asked whether to go on."""

import pytest

from tunewidgets.runner import Budget
from tunewidgets.study import Trial, TrialState


def finished(score=None, state=TrialState.COMPLETE, error=None, number=0):
    return Trial(number=number, params={"x": 0.0}, state=state, score=score, error=error)


def test_no_budget_never_stops():
    budget = Budget(max_consecutive_failures=None)
    for i in range(100):
        budget.started()
        budget.finished(finished(score=float(i)))
    assert budget.reason(elapsed=1e9) is None


def test_n_trials_counts_started_trials():
    budget = Budget(n_trials=2)
    budget.started()
    assert budget.reason(0.0) is None
    budget.started()
    assert budget.reason(0.0) == "n_trials reached"


def test_timeout_reads_the_elapsed_time_it_is_given():
    budget = Budget(timeout=5.0)
    assert budget.reason(elapsed=4.99) is None
    assert budget.reason(elapsed=5.0) == "timeout reached"


def test_target_counts_scores_learned_from_other_processes():
    budget = Budget(target=0.9)
    budget.finished(finished(score=0.5))
    assert budget.reason(0.0) is None
    budget.learned(finished(score=0.95))
    assert budget.best == 0.95
    assert budget.reason(0.0) == "target reached"
    assert budget.n_finished == 1  # another process's trial is not this search's


def test_patience_resets_on_a_new_best():
    budget = Budget(patience=2)
    budget.finished(finished(score=0.5))
    budget.finished(finished(score=0.4))
    assert budget.reason(0.0) is None
    budget.finished(finished(score=0.6))  # a new best
    budget.finished(finished(score=0.1))
    assert budget.reason(0.0) is None
    budget.finished(finished(state=TrialState.FAILED, error="boom"))
    assert budget.reason(0.0) == "no improvement in 2 trials"


def test_failures_in_a_row_reset_on_success_and_the_first_error_is_kept():
    budget = Budget(max_consecutive_failures=2)
    budget.finished(finished(state=TrialState.FAILED, error="first"))
    budget.finished(finished(score=0.1))
    budget.finished(finished(state=TrialState.FAILED, error="second"))
    assert budget.reason(0.0) is None
    budget.finished(finished(state=TrialState.FAILED, error=None))
    assert budget.reason(0.0) == "2 failed trials in a row"
    assert (budget.n_finished, budget.n_failed, budget.first_error) == (4, 3, "first")


@pytest.mark.parametrize(("n_failed", "expected"), [(0, None), (1, "The trial"), (3, "All 3")])
def test_failure_summary_only_when_every_trial_failed(n_failed, expected):
    budget = Budget()
    for _ in range(n_failed):
        budget.finished(finished(state=TrialState.FAILED, error="boom"))
    summary = budget.failure_summary
    if expected is None:
        assert summary is None
    else:
        assert summary.startswith(expected)
        assert summary.endswith("The first error: boom")
    budget.finished(finished(score=1.0))
    assert budget.failure_summary is None


def test_the_rules_are_asked_in_order():
    budget = Budget(n_trials=1, timeout=1.0, target=0.0, patience=1, max_consecutive_failures=1)
    budget.started()
    budget.finished(finished(state=TrialState.FAILED, error="x"))
    assert budget.reason(elapsed=2.0) == "n_trials reached"
