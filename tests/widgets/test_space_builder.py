"""SpaceBuilder without a browser: set widget values as a user would, read the space."""

from __future__ import annotations

import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.widgets import SpaceBuilder, default_parameter

from .helpers import shown


@pytest.fixture
def builder(mixed_space):
    return SpaceBuilder(mixed_space, estimator=SVC())


def test_shows_the_space_it_was_given(builder, mixed_space):
    assert builder.space == mixed_space
    assert builder.valid
    assert set(builder.rows) == set(mixed_space.names)
    c = builder.rows["C"]
    assert (c.low.value, c.high.value, c.log_scale.value) == ("0.001", "1000", True)
    # a log row's slider runs over exponents
    assert c.slider.value == pytest.approx((-3.0, 3.0))


def test_typing_bounds_changes_the_space(builder):
    builder.rows["C"].low.value = "0.1"
    builder.rows["degree"].high.value = "4"
    space = builder.space
    assert space["C"] == tw.Float(0.1, 1000.0, log=True)
    assert space["degree"] == tw.Int(2, 4)
    assert builder.rows["C"].slider.value[0] == pytest.approx(-1.0)


def test_moving_the_slider_updates_the_text_in_real_values(builder):
    builder.rows["C"].slider.value = (-2.0, 1.0)
    assert builder.rows["C"].low.value == "0.01"
    assert builder.rows["C"].high.value == "10"
    assert builder.space["C"] == tw.Float(0.01, 10.0, log=True)


@pytest.mark.parametrize(
    ("row", "field", "text", "message"),
    [
        ("C", "low", "5000", "'low' must be < 'high'"),
        ("C", "low", "abc", "low of 'C': 'abc' is not a number"),
        ("degree", "high", "3.5", "high of 'degree' must be a whole number"),
        ("C", "low", "-1", "log=True needs 'low' > 0"),
    ],
)
def test_invalid_input_is_shown_inline_and_not_clamped(builder, row, field, text, message):
    getattr(builder.rows[row], field).value = text
    assert not builder.valid
    assert message in shown(builder.rows[row].error)
    assert getattr(builder.rows[row], field).value == text  # never silently clamped
    with pytest.raises(ValueError, match="The search space is not valid"):
        _ = builder.space
    getattr(builder.rows[row], field).value = {"low": "0.01", "high": "4"}[field]
    assert builder.valid
    assert builder.rows[row].error.value == ""


def test_log_toggle(builder):
    gamma = builder.rows["gamma"]
    gamma.log_scale.value = False
    assert builder.space["gamma"] == tw.Float(1e-4, 1.0)
    assert gamma.slider.value == pytest.approx((1e-4, 1.0))


def test_categorical_rows(builder):
    kernel = builder.rows["kernel"]
    kernel.select.value = (0,)
    assert builder.space["kernel"] == tw.Categorical(["rbf"])
    kernel.select.value = ()
    assert not builder.valid
    assert "Choose at least one value for 'kernel'" in shown(kernel.error)
    kernel.add.value = "linear"
    assert builder.valid
    assert builder.space["kernel"] == tw.Categorical(["linear"])


def test_add_and_remove_parameters_from_the_estimator(builder):
    assert "tol" in builder._add_name.options
    assert "C" not in builder._add_name.options
    builder._add_name.value = "tol"
    builder._add_button.click()
    assert builder.space["tol"] == tw.Float(1e-5, 1e-1, log=True)
    builder.rows["tol"].remove.click()
    assert "tol" not in builder.space
    builder._add_name.value = "no_such_param"
    builder._add_button.click()
    assert "'no_such_param' is not a parameter of SVC" in shown(builder._add_error)
    assert "no_such_param" not in builder.rows
    assert builder.valid


def test_the_objective_check_is_shown_for_the_whole_space():
    def check(space):
        if "x" in space:
            raise ValueError("x is not allowed")

    builder = SpaceBuilder(tw.SearchSpace({"y": tw.Float(0, 1)}), check=check)
    assert builder.valid
    builder.add_parameter("x", tw.Float(0, 1))
    assert not builder.valid
    assert "x is not allowed" in shown(builder.space_error)


def test_an_empty_space_is_invalid():
    builder = SpaceBuilder(tw.SearchSpace({"y": tw.Float(0, 1)}))
    builder.remove_parameter("y")
    assert not builder.valid
    assert "Add at least one parameter" in shown(builder.space_error)


def test_set_space_proposes_a_narrower_space(builder, mixed_space):
    narrow = tw.SearchSpace(
        {
            "C": tw.Float(1.0, 100.0, log=True),
            "gamma": tw.Float(1e-3, 1e-1, log=True),
            "kernel": tw.Categorical(["rbf"]),
            "degree": tw.Int(3, 4),
        }
    )
    builder.set_space(narrow)
    assert builder.space == narrow
    builder.set_space(mixed_space)
    assert builder.space == mixed_space


def test_default_parameters_from_current_values():
    assert default_parameter(1.0) == tw.Float(0.01, 100.0, log=True)
    assert default_parameter(100) == tw.Int(25, 400, log=True)
    assert default_parameter(True) == tw.Categorical([True, False])
    assert default_parameter("auto") == tw.Categorical(["auto"])
    assert default_parameter(object()) is None


def test_estimator_parameters_offered_for_a_forest():
    builder = SpaceBuilder(
        tw.infer_space(RandomForestClassifier()), estimator=RandomForestClassifier()
    )
    assert "n_estimators" not in builder._add_name.options
    assert "min_samples_split" in builder._add_name.options


def test_a_proposed_space_is_kept_exact_though_shown_rounded(builder):
    narrow = tw.SearchSpace(
        {
            "C": tw.Float(0.0257262873556111, 1.62705630018927, log=True),
            "gamma": tw.Float(1e-3, 1e-1, log=True),
            "kernel": tw.Categorical(["rbf"]),
            "degree": tw.Int(3, 4),
        }
    )
    builder.set_space(narrow)
    assert builder.rows["C"].low.value == "0.02573"
    assert builder.space == narrow
    builder.rows["C"].low.value = "0.03"  # a typed value is taken as typed
    assert builder.space["C"].low == 0.03
