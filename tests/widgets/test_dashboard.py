"""The Dashboard without a browser: construct, click, check runner state and figure data."""

from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.runner import RunnerState

from .helpers import shown

WAIT = 60
IRIS = load_iris(return_X_y=True)
SPACE = tw.SearchSpace({"C": tw.Float(1e-2, 1e2, log=True), "gamma": tw.Float(1e-3, 1.0, log=True)})


@pytest.fixture
def dashboards():
    made = []

    def make(*args, **kwargs):
        kwargs.setdefault("storage", None)
        kwargs.setdefault("display", False)
        dash = tw.Dashboard(*args, **kwargs)
        made.append(dash)
        return dash

    yield make
    for dash in made:
        if dash.runner is not None:
            dash.runner.stop()
            dash.runner.join(WAIT)


def trace_types(figure):
    return [t.type for t in figure.data]


def test_renders_an_empty_study(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE, cv=3)
    assert dash.study.trials == []
    assert "ready" in dash.status_text
    assert dash.controls.start_button.description == "Start"
    assert not dash.controls.start_button.disabled
    assert dash.controls.pause_button.disabled
    for view in dash.views:
        view.redraw(dash._snapshot())  # no exception on 0 trials


def test_start_runs_the_search_and_the_plots_fill(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE, cv=3, n_trials=6, strategy="random", seed=0)
    dash.controls.start_button.click()
    dash.wait(WAIT)
    assert dash.runner.state is RunnerState.FINISHED
    assert len(dash.study.trials) == 6
    assert "6 trials" in dash.status_text
    assert "finished: n_trials reached" in dash.status_text
    parallel = dash.views[0].figure
    assert trace_types(parallel) == ["parcoords"]
    assert len(parallel.data[0].dimensions[0].values) == 6
    convergence = dash.views[1].figure
    assert sum(0 if t.y is None else len(t.y) for t in convergence.data) >= 6
    assert "best score" in dash.best.summary.value
    assert dash.best.code.value.startswith("model = SVC().set_params(**{'C': ")
    assert dash.controls.start_button.description == "Continue"


def test_pause_step_resume_stop_by_clicking(dashboards):
    def slow(p):  # slow enough that the budget cannot run out between two clicks
        time.sleep(0.02)
        return -abs(p["x"] - 0.2)

    dash = dashboards(
        objective=slow,
        space=tw.SearchSpace({"x": tw.Float(0, 1)}),
        n_trials=100_000,
        strategy="random",
    )
    c = dash.controls
    c.step_button.click()
    assert dash.runner.wait(WAIT) is RunnerState.PAUSED
    assert len(dash.study.trials) == 1
    dash.refresh()
    assert not c.resume_button.disabled and c.pause_button.disabled
    c.step_button.click()
    dash.runner.wait(WAIT)
    assert len(dash.study.trials) == 2
    c.resume_button.click()
    assert dash.runner.state is RunnerState.RUNNING
    c.pause_button.click()
    assert dash.runner.wait(WAIT) is RunnerState.PAUSED
    c.stop_button.click()
    assert dash.runner.join(WAIT)
    dash.refresh()
    assert not c.start_button.disabled
    assert c.stop_button.disabled


def test_invalid_space_disables_start_and_says_why(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE, cv=3)
    dash.builder.rows["C"].low.value = "500"
    assert dash.controls.start_button.disabled
    assert "'low' must be < 'high'" in shown(dash.builder.rows["C"].error)
    with pytest.raises(ValueError, match="The search space is not valid"):
        dash.start()
    dash.builder.rows["C"].low.value = "0.5"
    assert not dash.controls.start_button.disabled


def test_invalid_settings_disable_start(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE)
    dash.controls.scoring.value = "acuracy"
    assert dash.controls.start_button.disabled
    dash.controls.scoring.value = "accuracy"
    assert not dash.controls.start_button.disabled


def test_no_trial_limit_waits_for_a_timeout_then_runs_until_it(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE, n_trials=None)
    assert dash.controls.n_trials.value == ""
    assert dash.controls.start_button.disabled  # no budget yet: said next to the field
    dash.controls.timeout.value = "0.5"
    assert not dash.controls.start_button.disabled
    dash.start()
    dash.runner.join(WAIT)
    dash.refresh()
    assert dash.runner.n_trials is None
    assert "timeout reached" in dash.status_text
    assert len(dash.study.trials) >= 1


def test_a_click_that_fails_shows_the_message_not_a_traceback(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE)
    dash.builder.rows["C"].low.value = "500"
    dash._clicked("start")
    assert "The search space is not valid" in shown(dash.message)


def test_failed_and_running_trials_are_shown(dashboards):
    def sometimes(params):
        if params["x"] > 0.5:
            raise ValueError("too big")
        print("hello")
        return params["x"]

    dash = dashboards(
        objective=sometimes,
        space=tw.SearchSpace({"x": tw.Float(0, 1)}),
        n_trials=12,
        strategy="random",
        seed=0,
    )
    dash.start()
    dash.wait(WAIT)
    failed = [t for t in dash.study.trials if t.state is tw.TrialState.FAILED]
    assert failed
    assert f"{len(failed)} failed" in dash.status_text
    dash.result_tabs.selected_index = 2
    dash.detail.show(failed[0].number)
    assert "ValueError: too big" in shown(dash.detail.html)
    complete = next(t for t in dash.study.trials if t.state is tw.TrialState.COMPLETE)
    dash.detail.show(complete.number)
    assert "hello" in shown(dash.detail.html)
    assert "tw-failed" in dash.table.html.value


def test_narrow_to_the_top_and_continue_keeps_the_study(dashboards):
    space = tw.SearchSpace({"x": tw.Float(0.0, 10.0), "y": tw.Float(0.0, 10.0)})
    dash = dashboards(
        objective=lambda p: -((p["x"] - 7) ** 2) - (p["y"] - 2) ** 2,
        space=space,
        n_trials=20,
        strategy="random",
        seed=0,
    )
    dash.start()
    dash.wait(WAIT)
    study = dash.study
    dash.views[0].narrow_top.click()
    narrowed = dash.builder.space
    assert narrowed["x"].low > 0.0 or narrowed["x"].high < 10.0
    assert "press Continue" in shown(dash.message)
    dash.controls.n_trials.value = "5"
    dash.controls.start_button.click()
    dash.wait(WAIT)
    assert dash.study is study
    assert len(study.trials) == 25
    assert study.space == narrowed
    assert all(narrowed.contains(t.params) for t in study.trials[20:])


def test_brushed_ranges_propose_a_space(dashboards):
    space = tw.SearchSpace({"x": tw.Float(0.0, 10.0), "k": tw.Categorical(["a", "b", "c"])})
    dash = dashboards(
        objective=lambda p: p["x"], space=space, n_trials=10, strategy="random", seed=0
    )
    dash.start()
    dash.wait(WAIT)
    figure = dash.views[0].figure
    labels = [d.label for d in figure.data[0].dimensions]
    # what the browser sends when the user drags along the x axis
    figure.plotly_restyle({f"dimensions[{labels.index('x')}].constraintrange": [[2.0, 6.0]]}, [0])
    dash.views[0].narrow_brushed.click()
    assert dash.builder.space["x"].low == pytest.approx(2.0)
    assert dash.builder.space["x"].high == pytest.approx(6.0)


def test_reattach_to_a_stored_study_after_a_restart(tmp_path, dashboards):
    path = tmp_path / "s.db"
    tw.tune(
        SVC(),
        SPACE,
        *IRIS,
        cv=3,
        n_trials=5,
        strategy="random",
        storage=path,
        study_name="svc",
        progress=False,
    )
    study = tw.Study.load(path, "svc")
    dash = dashboards(SVC(), *IRIS, study=study, cv=3, n_trials=3)
    assert len(dash.views[0].figure.data[0].dimensions[0].values) == 5
    assert dash.controls.start_button.description == "Continue"
    dash.start()
    dash.wait(WAIT)
    assert len(tw.Study.load(path, "svc").trials) == 8


def test_a_reloaded_study_needs_its_objective_again(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(lambda p: p["C"], SPACE, n_trials=2, storage=path, study_name="f", progress=False)
    with pytest.raises(ValueError, match="holds no objective"):
        tw.Dashboard(study=tw.Study.load(path, "f"), display=False)


def test_surrogate_and_search_path_views_for_bayes(dashboards):
    dash = dashboards(SVC(), *IRIS, space=SPACE, cv=3, n_trials=7, strategy="bayes", seed=0)
    dash.start()
    dash.wait(WAIT)
    dash.plot_tabs.selected_index = 2
    assert "contour" in trace_types(dash.views[2].figure)
    dash.plot_tabs.selected_index = 3
    assert len(dash.views[3].figure.data) >= 3  # band, mean, trials, acquisition, next point


def test_the_kernel_stays_free_while_a_search_runs(dashboards):
    import threading

    release = threading.Event()

    def slow(params):
        release.wait(WAIT)
        return params["x"]

    dash = dashboards(objective=slow, space=tw.SearchSpace({"x": tw.Float(0, 1)}), n_trials=3)
    dash.start()
    # this "cell" runs at once, while the trial is in flight
    assert dash.runner.state is RunnerState.RUNNING
    assert np.sum([1, 2]) == 3
    release.set()
    dash.wait(WAIT)
    assert len(dash.study.trials) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs something to tune"),
        ({"objective": lambda p: 1.0}, "'space' is required"),
        ({"objective": lambda p: 1.0, "space": SPACE, "strategy": "annealing"}, "Unknown strategy"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tw.Dashboard(display=False, storage=None, **kwargs)


def test_estimator_and_objective_are_exclusive():
    with pytest.raises(ValueError, match="not both"):
        tw.Dashboard(SVC(), *IRIS, objective=lambda p: 1.0, display=False, storage=None)


def test_learning_curves_tab_for_objectives_that_report(dashboards):
    def curve(params, trial):
        value = 0.0
        for epoch in range(5):
            value = params["x"] * (1 - 0.5**epoch)
            trial.report(value, epoch)
            if trial.should_prune():
                raise tw.TrialPruned()
        return value

    dash = dashboards(
        objective=curve,
        space=tw.SearchSpace({"x": tw.Float(0, 1)}),
        n_trials=8,
        strategy="random",
        seed=0,
        pruner=tw.MedianPruner(n_startup_trials=2),
    )
    titles = [dash.plot_tabs.get_title(i) for i in range(len(dash.views))]
    assert titles[-1] == "Learning curves"
    dash.start()
    dash.wait(WAIT)
    dash.plot_tabs.selected_index = len(dash.views) - 1
    figure = dash.views[-1].figure
    assert sum(0 if t.y is None else len(t.y) for t in figure.data) >= 8 * 2


def test_the_status_gives_the_best_score_with_its_fold_std(dashboards):
    study = tw.tune(
        SVC(),
        SPACE,
        *IRIS,
        strategy="random",
        n_trials=3,
        cv=3,
        progress=False,
        storage=None,
        seed=0,
    )
    dash = dashboards(SVC(), *IRIS, study=study)  # cv: the study's 3 folds, not the default 5
    best = study.best_trial
    assert f"best {best.score:.4g} ± {best.score_std:.2g} (trial {best.number})" in dash.status_text
    assert dash.plan.objective.n_splits == 3


def test_a_dashboard_works_after_every_widget_was_closed(dashboards):
    import ipywidgets

    dashboards(objective=lambda p: -((p["C"] - 1.0) ** 2), space=SPACE, n_trials=2)
    ipywidgets.Widget.close_all()  # what "restart the widgets" code in a notebook does
    dash = dashboards(objective=lambda p: -((p["C"] - 1.0) ** 2), space=SPACE, n_trials=2)
    dash.start()
    dash.wait(WAIT)
    assert "2 trials" in dash.status_text
