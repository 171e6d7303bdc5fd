"""MedianPruner on synthetic learning curves."""

from __future__ import annotations

import pytest

import tunewidgets as tw

from .helpers import FAILED, PRUNED, RUNNING, decide, trial

DONE = [trial(i, [v, v + 0.1, v + 0.2]) for i, v in enumerate([0.3, 0.5, 0.7])]  # medians .5 .6 .7


def test_below_the_median_is_pruned_above_is_not():
    pruner = tw.MedianPruner(n_startup_trials=3)
    assert decide(pruner, DONE, [0.4])
    assert not decide(pruner, DONE, [0.6])
    assert decide(pruner, DONE, [0.55, 0.58])  # step 2: best so far 0.58 < median 0.6
    assert not decide(pruner, DONE, [0.5, 0.6])  # equal to the median is not worse


def test_the_best_value_so_far_is_compared_not_the_latest():
    pruner = tw.MedianPruner(n_startup_trials=1)
    assert not decide(pruner, DONE, [0.8, 0.2])  # one bad epoch after a good one


def test_startup_trials_must_complete_first():
    pruner = tw.MedianPruner(n_startup_trials=4)
    assert not decide(pruner, DONE, [0.0])
    assert decide(tw.MedianPruner(n_startup_trials=3), DONE, [0.0])


def test_only_completed_trials_form_the_median():
    others = [
        *DONE,
        trial(3, [0.0, 0.0], PRUNED),
        trial(4, [0.0], FAILED),
        trial(5, [0.0], RUNNING),
    ]
    pruner = tw.MedianPruner(n_startup_trials=3)
    assert decide(pruner, others, [0.45])  # median of the three complete ones is 0.5
    assert not decide(tw.MedianPruner(n_startup_trials=4), others, [0.0])


def test_warmup_steps_are_never_pruned():
    pruner = tw.MedianPruner(n_startup_trials=1, n_warmup_steps=2)
    assert not decide(pruner, DONE, [0.0])
    assert not decide(pruner, DONE, [0.0, 0.0])
    assert decide(pruner, DONE, [0.0, 0.0, 0.0])


def test_trials_that_did_not_reach_the_step_are_not_compared():
    short = [trial(i, [0.9]) for i in range(3)]  # reached step 1 only
    pruner = tw.MedianPruner(n_startup_trials=1)
    assert decide(pruner, short, [0.5])
    assert not decide(pruner, short, [0.5, 0.5])  # no one to compare with at step 2


def test_uneven_steps_compare_by_best_up_to_the_step():
    others = [trial(0, {10: 0.5, 20: 0.6}), trial(1, {10: 0.7, 20: 0.8})]
    pruner = tw.MedianPruner(n_startup_trials=2)
    assert decide(pruner, others, {15: 0.55})  # median up to 15 is (0.5 + 0.7) / 2
    assert not decide(pruner, others, {15: 0.65})


def test_no_reports_no_trials():
    pruner = tw.MedianPruner(n_startup_trials=0)
    assert not decide(pruner, [], [0.1])
    assert not decide(pruner, DONE, {})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_startup_trials": -1}, r"'n_startup_trials' parameter of MedianPruner must be an int"),
        ({"n_warmup_steps": 1.5}, r"'n_warmup_steps' parameter of MedianPruner must be an int"),
    ],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.MedianPruner(**kwargs)


def test_repr():
    assert repr(tw.MedianPruner(2, 1)) == "MedianPruner(n_startup_trials=2, n_warmup_steps=1)"
