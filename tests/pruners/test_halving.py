"""SuccessiveHalvingPruner (ASHA) on synthetic learning curves."""

from __future__ import annotations

import pytest

import tunewidgets as tw

from .helpers import FAILED, PRUNED, RUNNING, decide, trial


def test_rungs_grow_geometrically_from_the_minimum_resource():
    pruner = tw.SuccessiveHalvingPruner(min_resource=2, reduction_factor=2)
    assert [pruner.rung_of(s) for s in range(1, 10)] == [None, 2, 2, 4, 4, 4, 4, 8, 8]


def test_only_the_top_fraction_at_a_rung_goes_on():
    others = [trial(i, [v]) for i, v in enumerate([0.1, 0.2, 0.3, 0.4, 0.5])]  # with it, 6: top 2
    pruner = tw.SuccessiveHalvingPruner(reduction_factor=3)
    assert decide(pruner, others, [0.35])  # 3rd of 6
    assert not decide(pruner, others, [0.45])  # 2nd of 6
    assert not decide(pruner, others, [0.4])  # a tie for 2nd goes on


def test_between_rungs_nothing_is_pruned():
    others = [trial(i, [0.9, 0.9, 0.9]) for i in range(5)]
    pruner = tw.SuccessiveHalvingPruner(reduction_factor=3)  # rungs 1, 3, 9
    assert decide(pruner, others, [0.1])
    assert not decide(pruner, others, [0.95, 0.1])  # step 2: no rung
    assert decide(pruner, others, [0.95, 0.1, 0.1])  # step 3: a rung


def test_a_report_that_jumps_past_a_rung_is_judged_there():
    others = [trial(i, {5: 0.9}) for i in range(3)]
    pruner = tw.SuccessiveHalvingPruner(min_resource=4, reduction_factor=2)
    assert decide(pruner, others, {2: 0.5, 6: 0.5})  # crossed rung 4 at step 6
    assert not decide(pruner, others, {2: 0.5, 6: 0.5, 7: 0.1})  # rung 4 already judged


def test_every_state_but_failed_competes():
    others = [trial(0, [0.9], PRUNED), trial(1, [0.9], RUNNING), trial(2, [0.9], FAILED)]
    pruner = tw.SuccessiveHalvingPruner(reduction_factor=2)
    assert decide(pruner, others, [0.5])  # 3 at the rung: only the best goes on
    assert not decide(pruner, [others[2]], [0.5])  # a failed trial is no rival


def test_the_first_trial_always_goes_on():
    assert not decide(tw.SuccessiveHalvingPruner(), [], [0.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_resource": 0}, r"'min_resource' parameter of SuccessiveHalvingPruner .* \[1, inf\)"),
        ({"reduction_factor": 1}, r"'reduction_factor' parameter .* \[2, inf\)"),
    ],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.SuccessiveHalvingPruner(**kwargs)
