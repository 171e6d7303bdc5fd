"""The SpaceBuilder shows and edits a space of branches."""

from __future__ import annotations

from scipy import stats
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import SVC

import tunewidgets as tw

BRANCHES = tw.SearchSpace(
    [
        {"kernel": ["rbf"], "gamma": tw.Float(1e-4, 1.0, log=True), "C": stats.expon(scale=2)},
        {"kernel": ["poly"], "degree": tw.Int(2, 5)},
        {},
    ]
)


def test_each_branch_gets_its_own_rows_and_the_space_round_trips():
    builder = tw.SpaceBuilder(BRANCHES, estimator=SVC())
    assert [list(rows) for rows in builder.branch_rows] == [
        ["kernel", "gamma", "C"],
        ["kernel", "degree"],
        [],
    ]
    assert builder.valid
    assert builder.space == BRANCHES
    headers = [box.children[0].children[0].value for box in builder._rows_box.children]
    assert "branch 1" in headers[0] and "no parameters" in headers[2]
    assert builder._branch_pick.layout.display is None  # the Add button says which branch


def test_edits_go_to_the_branch_picked():
    builder = tw.SpaceBuilder(BRANCHES, estimator=SVC())
    builder._branch_pick.value = 1
    builder.add_parameter("coef0", tw.Float(0.0, 1.0))
    builder.branch_rows[1]["degree"].high.value = "3"
    space = builder.space
    assert space.branches[1] == tw.SearchSpace(
        {"kernel": ["poly"], "degree": tw.Int(2, 3), "coef0": tw.Float(0.0, 1.0)}
    )
    assert "coef0" not in space.branches[0]


def test_an_invalid_row_of_any_branch_disables_start():
    builder = tw.SpaceBuilder(BRANCHES, estimator=SVC())
    builder.branch_rows[1]["degree"].low.value = "9"
    assert not builder.valid
    assert "degree" in builder.errors


def test_branches_are_added_and_removed():
    builder = tw.SpaceBuilder(tw.SearchSpace({"C": tw.Float(0.1, 10.0)}), estimator=SVC())
    assert builder._branch_pick.layout.display == "none"
    builder.add_branch()
    builder.add_parameter("kernel", tw.Categorical(["linear"]))
    space = builder.space
    assert len(space.branches) == 2 and space.branches[1].names == ["kernel"]
    builder.remove_branch(0)
    assert builder.space == tw.SearchSpace({"kernel": ["linear"]})


def test_estimator_choices_are_shown_by_label():
    space = tw.SearchSpace({"model": [LogisticRegression(C=2), Ridge()]})
    builder = tw.SpaceBuilder(space)
    options = [text for text, _ in builder.rows["model"].select.options]
    assert options == ["LogisticRegression(C=2)", "Ridge()"]
    assert builder.space == space


def test_set_space_switches_between_flat_and_branched():
    builder = tw.SpaceBuilder(tw.SearchSpace({"C": tw.Float(0.1, 10.0)}))
    builder.set_space(BRANCHES)
    assert len(builder.branch_rows) == 3 and builder.space == BRANCHES
    builder.set_space(tw.SearchSpace({"C": tw.Float(1.0, 2.0)}))
    assert builder.space == tw.SearchSpace({"C": tw.Float(1.0, 2.0)})
