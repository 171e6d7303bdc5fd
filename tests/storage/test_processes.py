"""Other processes: a concurrent reader, a killed writer, Ctrl-C."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

import tunewidgets as tw

from ..signals import python_in_a_terminal

WAIT = 60

WRITER = textwrap.dedent(
    """
    import os, sys, time
    import tunewidgets as tw

    path, name, log, n_trials, pause = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})

    def objective(params):
        time.sleep(pause)
        return params["x"]

    def record(events):  # trial_finished is emitted after the trial is committed
        with open(log, "a") as fh:
            for e in events:
                if e.kind is tw.EventKind.TRIAL_FINISHED:
                    fh.write(f"{e.trial.number}\\n")
            fh.flush()
            os.fsync(fh.fileno())

    study = tw.Study(space, name=name, storage=path)
    runner = tw.Runner(study, objective, tw.RandomSearch(space, seed=0), n_trials=n_trials)
    runner.subscribe(record)
    print("started", flush=True)
    runner.run()
    print("finished", runner.finish_reason, len(study.trials), flush=True)
    """
)


def _start_writer(tmp_path, n_trials, pause):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    path, log = tmp_path / "shared.db", tmp_path / "finished.log"
    log.write_text("")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path), "live", str(log), str(n_trials), str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "started", proc.stderr.read()
    return proc, path, log


def _wait_for_trials(path, n):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            if len(tw.Study.load(path, "live").trials) >= n:
                return
        except (FileNotFoundError, KeyError):
            pass
        time.sleep(0.01)
    raise AssertionError(f"the writer never reached {n} trials")


def _wait_for_lines(log, n):
    deadline = time.monotonic() + WAIT
    while len(log.read_text().split()) < n:
        assert time.monotonic() < deadline, f"the writer never logged {n} trials"
        time.sleep(0.01)


def test_a_reader_in_another_process_never_sees_a_locked_database(tmp_path):
    proc, path, _ = _start_writer(tmp_path, n_trials=300, pause=0.0)
    reads, errors = 0, []
    while proc.poll() is None:
        try:
            study = tw.Study.load(path, "live")
            tw.list_studies(path)
            assert all(t.state.is_finished for t in study.trials)
            reads += 1
        except (FileNotFoundError, KeyError):
            continue  # the writer has not created the study yet
        except Exception as exc:  # "database is locked" would land here
            errors.append(repr(exc))
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    assert "locked" not in err
    assert errors == []
    assert reads > 0
    assert out.strip() == "finished n_trials reached 300"
    assert len(tw.Study.load(path, "live").trials) == 300


def test_sigkill_mid_search_loses_nothing_that_finished(tmp_path):
    proc, path, log = _start_writer(tmp_path, n_trials=10_000, pause=0.01)
    _wait_for_trials(path, 20)
    _wait_for_lines(log, 20)  # the log is written after the commit, from the event thread
    proc.send_signal(signal.SIGKILL)
    proc.wait(WAIT)
    committed = {int(line) for line in log.read_text().split()}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    study = tw.Study.load(path, "live")
    stored = {t.number for t in study.trials}
    assert len(committed) >= 20
    assert committed <= stored
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials)
    assert sorted(stored) == list(range(len(stored)))
    # and the search continues where it stopped
    resumed = tw.tune(
        lambda p: p["x"],
        study.space,
        strategy="random",
        n_trials=5,
        storage=path,
        study_name="live",
        progress=False,
        seed=1,
    )
    assert len(resumed.trials) == len(stored) + 5


@pytest.mark.skipif(os.name != "posix", reason="SIGINT delivery")
def test_ctrl_c_stops_tune_cleanly(tmp_path):
    script = tmp_path / "interrupt.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            import tunewidgets as tw
            space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
            def objective(params):
                time.sleep(0.02)
                return params["x"]
            print("go", flush=True)
            study = tw.tune(objective, space, strategy="random", n_trials=100_000,
                            storage=sys.argv[1], study_name="ctrl-c", progress=False)
            print("returned", len(study.trials), flush=True)
            """
        )
    )
    path = tmp_path / "c.db"
    with python_in_a_terminal(script, str(path)) as proc:
        assert proc.stdout.readline().strip() == "go"
        _wait_for_trials_named(path, "ctrl-c", 5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err
        assert "search interrupted" in err
    kept = int(out.split()[-1])
    study = tw.Study.load(path, "ctrl-c")
    assert len(study.trials) == kept >= 5
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials[:-1])
    last = study.trials[-1]  # interrupted mid-trial (most likely) or between two trials
    assert last.state is tw.TrialState.COMPLETE or "KeyboardInterrupt" in last.error


def _wait_for_trials_named(path, name, n):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            if len(tw.Study.load(path, name).trials) >= n:
                return
        except (FileNotFoundError, KeyError, ValueError):
            pass
        time.sleep(0.02)
    raise AssertionError("no trials")
