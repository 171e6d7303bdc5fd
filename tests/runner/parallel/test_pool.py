"""Trials in local worker processes (n_jobs > 1)."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.runner import shutdown_workers

from ...signals import python_in_a_terminal
from .objectives import (
    GRID,
    SPACE,
    Dies,
    FileGate,
    PruneOddAt,
    Rendezvous,
    check_a_runner_in_a_background_thread,
    curve,
    grid,
    score,
    wait_until,
)

WAIT = 60


def quiet(**kwargs):
    return {"storage": None, "progress": False, **kwargs}


def test_trials_run_in_several_worker_processes():
    study = tw.tune(score, SPACE, strategy="random", n_trials=6, n_jobs=2, seed=0, **quiet())
    assert [t.state for t in study.trials] == [tw.TrialState.COMPLETE] * 6
    workers = {t.info["worker"] for t in study.trials}
    assert len(workers) == 2
    assert all(not w.endswith(f":{os.getpid()}") for w in workers)


def test_the_same_search_gives_the_same_trials_as_in_process():
    def run(n_jobs):
        study = tw.tune(
            score, SPACE, strategy="random", n_trials=8, n_jobs=n_jobs, seed=3, **quiet()
        )
        return sorted((t.params["x"], t.params["k"], t.state, t.score) for t in study.trials)

    sequential, parallel = run(1), run(2)
    assert parallel == sequential
    assert all(SPACE.contains({"x": x, "k": k}) for x, k, _, _ in parallel)


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_worker_that_dies_fails_only_its_trial(how):
    study = tw.tune(Dies(at=2, how=how), GRID, strategy=grid(), n_jobs=2, **quiet())
    by_n = {t.params["n"]: t for t in study.trials}
    assert sorted(by_n) == [0, 1, 2, 3, 4, 5]  # the search went on
    assert by_n[2].state is tw.TrialState.FAILED
    assert by_n[2].error.startswith("worker died: ")
    code = "EXIT(3)" if how == "exit" else "SIGKILL"
    assert code in by_n[2].error
    assert all(by_n[n].state is tw.TrialState.COMPLETE for n in (0, 1, 3, 4, 5))


def test_reports_arrive_live_and_the_pruner_decides_in_the_workers():
    study = tw.Study(GRID)
    runner = tw.Runner(study, curve, grid(), n_jobs=2, pruner=PruneOddAt(2))
    seen = []
    runner.subscribe(lambda events: seen.extend(events))
    runner.run()
    runner._events.close()  # deliver every event before looking at them
    for trial in study.trials:
        if trial.params["n"] % 2:
            assert trial.state is tw.TrialState.PRUNED
            assert sorted(trial.intermediate_values) == [0, 1, 2]  # pruned at the same step
        else:  # as in the runner's thread
            assert trial.state is tw.TrialState.COMPLETE
            assert sorted(trial.intermediate_values) == [0, 1, 2, 3, 4, 5]
    kinds = [(e.kind, e.trial.number) for e in seen if e.trial is not None]
    reported = [n for k, n in kinds if k is tw.EventKind.TRIAL_REPORTED]
    assert sorted(set(reported)) == [0, 1, 2, 3, 4, 5]
    for number in range(6):  # each trial's reports came before it finished
        first_report = kinds.index((tw.EventKind.TRIAL_REPORTED, number))
        assert first_report < kinds.index((tw.EventKind.TRIAL_FINISHED, number))


def test_stop_lets_running_trials_finish(tmp_path):
    gate = FileGate(tmp_path)
    study = tw.Study(GRID)
    runner = tw.Runner(study, gate, grid(), n_jobs=2).start()
    try:
        wait_until(lambda: len(gate.started()) == 2, "two trials to start")
        runner.stop()
        gate.release()
        assert runner.join(WAIT)
    finally:
        gate.release()
        runner.stop(wait=True, timeout=WAIT)
    assert runner.finish_reason == "stopped"
    assert [t.state for t in study.trials] == [tw.TrialState.COMPLETE] * 2
    assert sorted(t.params["n"] for t in study.trials) == gate.started()


def test_stop_cancel_ends_running_trials_and_their_processes(tmp_path):
    gate = FileGate(tmp_path)
    study = tw.Study(GRID)
    runner = tw.Runner(study, gate, grid(), n_jobs=2).start()
    try:
        wait_until(lambda: len(gate.started()) == 2, "two trials to start")
        runner.stop(cancel=True)
        assert runner.join(WAIT)
    finally:
        gate.release()
    assert [t.state for t in study.trials] == [tw.TrialState.FAILED] * 2
    assert all(t.error.startswith("Cancelled: ") for t in study.trials)
    for pid in gate.pids():
        wait_until(lambda pid=pid: not _alive(pid), f"worker process {pid} to end")


def test_a_runner_started_in_a_background_thread(tmp_path):
    check_a_runner_in_a_background_thread(tmp_path / "s.db", n_jobs=2)


def test_tune_search_cv_with_two_jobs():
    X, y = load_iris(return_X_y=True)
    space = {"C": tw.Float(1e-2, 1e2, log=True), "gamma": tw.Float(1e-3, 1.0, log=True)}
    kwargs = {"strategy": "random", "n_iter": 6, "cv": 3, "random_state": 0}
    one = tw.TuneSearchCV(SVC(), space, **kwargs).fit(X, y)
    two = tw.TuneSearchCV(SVC(), space, n_jobs=2, **kwargs).fit(X, y)
    assert len(two.cv_results_["params"]) == 6
    assert sorted(map(str, two.cv_results_["params"])) == sorted(
        map(str, one.cv_results_["params"])
    )
    assert two.best_score_ == pytest.approx(one.best_score_)
    assert two.predict(X[:3]).shape == (3,)


def test_an_objective_that_cannot_travel_is_refused_before_anything_starts():
    lock = threading.Lock()
    with pytest.raises(ValueError, match="the objective cannot be sent to worker processes"):
        tw.Runner(tw.Study(SPACE), lambda p: lock and 1.0, tw.RandomSearch(SPACE), n_jobs=2)


def test_idle_workers_serve_the_next_search_until_shut_down(tmp_path):
    def run(folder):
        folder.mkdir()
        return tw.tune(
            Rendezvous(folder, 2), SPACE, strategy="random", n_trials=2, n_jobs=2, **quiet()
        )

    first, second = run(tmp_path / "1"), run(tmp_path / "2")
    workers = {t.info["worker"] for t in first.trials}
    assert {t.info["worker"] for t in second.trials} == workers
    shutdown_workers()
    for worker in workers:
        pid = int(worker.rsplit(":", 1)[1])
        wait_until(lambda pid=pid: not _alive(pid), f"idle worker {pid} to end")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


INTERRUPTED = """
import sys, time
import tunewidgets as tw
space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
def objective(params):
    time.sleep(0.2)
    return params["x"]
print("go", flush=True)
study = tw.tune(objective, space, strategy="random", n_trials=100_000, n_jobs=2,
                storage=sys.argv[1], study_name="ctrl-c", progress=False)
print("returned", len(study.trials), flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group")
def test_ctrl_c_stops_a_parallel_search_cleanly(tmp_path):
    script, path = tmp_path / "interrupt.py", tmp_path / "c.db"
    script.write_text(INTERRUPTED)
    with python_in_a_terminal(script, str(path)) as proc:
        assert proc.stdout.readline().strip() == "go"

        def stored() -> int:
            try:
                return len(tw.Study.load(path, "ctrl-c").trials)
            except (FileNotFoundError, KeyError, ValueError):
                return 0

        wait_until(lambda: stored() >= 4, "4 trials to be stored")
        os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the workers get it too
        out, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err
        assert "search interrupted" in err
    study = tw.Study.load(path, "ctrl-c")
    assert len(study.trials) == int(out.split()[-1]) >= 4
    for trial in study.trials:
        assert trial.state is tw.TrialState.COMPLETE or "KeyboardInterrupt" in trial.error


def test_a_worker_that_died_while_idle_is_replaced(tmp_path):
    (tmp_path / "1").mkdir()
    first = tw.tune(
        Rendezvous(tmp_path / "1", 2), SPACE, strategy="random", n_trials=2, n_jobs=2, **quiet()
    )
    pids = [int(t.info["worker"].rsplit(":", 1)[1]) for t in first.trials]
    os.kill(pids[0], signal.SIGKILL)  # an idle worker, kept for the next search
    wait_until(lambda: not _alive(pids[0]), "the worker to die")
    second = tw.tune(score, SPACE, strategy="random", n_trials=4, n_jobs=2, **quiet())
    assert [t.state for t in second.trials] == [tw.TrialState.COMPLETE] * 4
