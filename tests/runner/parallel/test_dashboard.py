"""The live dashboard with a local process pool and with a Dask cluster."""

from __future__ import annotations

import pytest

import tunewidgets as tw
from tunewidgets.runner import RunnerState

from .objectives import SPACE, WAIT, score


@pytest.mark.parametrize("where", ["pool", "dask"])
def test_dashboard_runs_trials_elsewhere_and_draws_them(where, request):
    kwargs = {"n_jobs": 2} if where == "pool" else {"executor": request.getfixturevalue("client")}
    dash = tw.Dashboard(
        objective=score,
        space=SPACE,
        strategy="bayes",
        n_trials=8,
        seed=0,
        storage=None,
        display=False,
        **kwargs,
    )
    dash.controls.start_button.click()
    dash.wait(WAIT * 4)
    assert dash.runner.state is RunnerState.FINISHED
    trials = dash.study.trials
    assert len(trials) == 8
    assert all(t.state is tw.TrialState.COMPLETE and SPACE.contains(t.params) for t in trials)
    assert len(dash.views[0].figure.data[0].dimensions[0].values) == 8
    assert "8 trials" in dash.status_text
    assert not dash.controls.start_button.disabled
