from __future__ import annotations

import pytest

from tunewidgets.runner import RunnerState
from tunewidgets.widgets import Controls

from .helpers import shown


def test_settings_of_each_strategy():
    controls = Controls(n_trials=20, strategy="bayes", strategy_options={"acquisition": "ucb"})
    assert controls.settings()["strategy_options"] == {"acquisition": "ucb"}
    controls.strategy.value = "grid"
    controls.resolution.value = 3
    assert controls.settings()["strategy_options"] == {"resolution": 3}
    controls.strategy.value = "evolution"
    assert controls.settings()["strategy_options"] == {"population_size": 10}
    assert controls.settings()["n_trials"] == 20


def test_every_acquisition_of_the_bayesian_search_is_offered():
    from tunewidgets.strategies._bayes import _CHOICES

    controls = Controls(n_trials=20, strategy="bayes")
    offered = [value for _, value in controls.acquisition.options]
    assert sorted(offered) == sorted(_CHOICES)
    for name in _CHOICES:
        controls.acquisition.value = name
        assert controls.settings()["strategy_options"]["acquisition"] == name


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "n_trials",
            "0",
            r"'n_trials' parameter of Dashboard must be an int in the range [1, inf)",
        ),
        ("n_trials", "many", "n_trials: 'many' is not a number"),
        ("timeout", "-3", "'timeout' parameter of Dashboard must be a finite number"),
        ("timeout", "soon", "timeout: 'soon' is not a number"),
        ("n_jobs", 0, "'n_jobs' parameter of Dashboard must be -1"),
        ("scoring", "acuracy", "Unknown scoring 'acuracy'. Did you mean 'accuracy'"),
        ("cv", 1, "'cv' parameter of Dashboard must be an int in the range [2"),
        ("seed", "1.5", "seed must be a whole number"),
    ],
)
def test_invalid_fields_are_shown_inline(field, value, message):
    controls = Controls()
    getattr(controls, field).value = value
    assert not controls.valid
    assert message in shown(controls._errors[field])
    with pytest.raises(ValueError, match="Invalid settings"):
        controls.settings()


def test_strategy_option_errors():
    controls = Controls(strategy="grid")
    controls.resolution.value = 1
    assert not controls.valid
    controls.strategy.value = "random"  # the grid's option no longer applies
    assert controls.valid


def test_buttons_follow_the_runner_state():
    controls = Controls()
    enabled = lambda: {name for name, b in controls.buttons.items() if not b.disabled}
    controls.show_state(None, can_start=True)
    assert enabled() == {"start", "step"}
    controls.show_state(None, can_start=False)
    assert enabled() == set()
    controls.show_state(RunnerState.RUNNING, can_start=True)
    assert enabled() == {"pause", "step", "stop"}
    controls.show_state(RunnerState.PAUSED, can_start=True)
    assert enabled() == {"start", "resume", "step", "stop"}  # Start goes on, as Resume
    controls.show_state(RunnerState.STOPPING, can_start=True)
    assert enabled() == set()
    controls.show_state(RunnerState.FINISHED, can_start=True, continuing=True)
    assert enabled() == {"start", "step"}
    assert controls.start_button.description == "Continue"


def test_progress_label():
    controls = Controls()
    controls.show_progress(12, 60, 0.9733, 12.0, 48.0)
    assert controls.progress.value == 12
    assert controls.progress.max == 60
    text = controls.progress_label.value
    assert "<b class='tw-done'>12</b>/60 trials" in text
    assert "best <b>0.9733</b>" in text
    assert "elapsed 0:12" in text
    assert "ETA 0:48" in text


def test_no_trial_limit_needs_a_timeout():
    controls = Controls(n_trials=None)
    assert controls.n_trials.value == ""
    assert not controls.valid
    assert "n_trials" not in controls.values()
    with pytest.raises(ValueError, match="needs a budget: give n_trials"):
        controls.settings()
    controls.timeout.value = "30"
    assert controls.valid
    assert controls.settings()["n_trials"] is None
    assert controls.settings()["timeout"] == 30.0
    controls.n_trials.value = "2.5"
    assert not controls.valid
    controls.n_trials.value = "12"
    assert controls.settings()["n_trials"] == 12
