"""A Dashboard shows the trials another process writes to its study, as they land."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import tunewidgets as tw

WAIT = 60
SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})

OTHER_PROCESS = textwrap.dedent(
    """
    import sys
    import tunewidgets as tw

    def f(params):
        return params["x"]

    tw.tune(f, tw.SearchSpace({"x": tw.Float(0.0, 1.0)}), strategy="random", n_trials=4,
            storage=sys.argv[1], study_name="shared", progress=False, seed=1)
    """
)


def f(params):
    return params["x"]


def _wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


def test_trials_of_another_process_appear_and_the_dashboard_continues_with_them(tmp_path):
    path = tmp_path / "s.db"
    dash = tw.Dashboard(
        objective=f,
        space=SPACE,
        strategy="random",
        storage=path,
        study_name="shared",
        display=False,
    )
    assert "0 trials" in dash.status_text
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(path)],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 0, done.stderr
    _wait_for(lambda: len(dash.study.trials) == 4, "the other process's trials in the study")
    _wait_for(lambda: "4 trials" in dash.status_text, "the dashboard redrawn with them")
    assert len(dash._frame()) == 4  # the table and plots draw from this frame
    dash.step()
    dash.wait(WAIT)
    assert [t.number for t in dash.study.trials] == [0, 1, 2, 3, 4]
    assert "5 trials" in dash.status_text
    assert [t.number for t in tw.Study.load(path, "shared").trials] == [0, 1, 2, 3, 4]
    dash.stop()


def test_a_dashboard_continues_a_stored_study_with_another_space_only_on_request(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(f, SPACE, strategy="random", n_trials=2, storage=path, study_name="d", progress=False)
    other = tw.SearchSpace({"x": tw.Float(0.0, 0.5)})
    with pytest.raises(
        ValueError,
        match=r"'x' was Float\(0.0, 1.0\), now Float\(0.0, 0.5\).*"
        "change_space=True",
    ):
        tw.Dashboard(objective=f, space=other, storage=path, study_name="d", display=False)
    dash = tw.Dashboard(
        objective=f, space=other, storage=path, study_name="d", display=False, change_space=True
    )
    assert dash.study.space == other and len(dash.study.trials) == 2
    assert tw.Study.load(path, "d").space == other
