"""Trials on a Dask cluster: a LocalCluster of 2 worker processes, started and closed here."""

from __future__ import annotations

import pytest

import tunewidgets as tw
from tunewidgets.runner import DaskTrialExecutor, ExecutorLostError

from .objectives import (
    GRID,
    SPACE,
    Dies,
    FileGate,
    PruneOddAt,
    check_a_runner_in_a_background_thread,
    curve,
    grid,
    local_cluster,
    score,
    wait_until,
)

pytest.importorskip("distributed")

WAIT = 60


def quiet(**kwargs):
    return {"storage": None, "progress": False, **kwargs}


def test_the_same_search_gives_the_same_trials_as_in_process(client):
    def run(**kwargs):
        study = tw.tune(score, SPACE, strategy="random", n_trials=8, seed=3, **quiet(**kwargs))
        return sorted((t.params["x"], t.params["k"], t.state, t.score) for t in study.trials)

    sequential, on_dask = run(), run(executor=client)
    assert on_dask == sequential
    assert all(SPACE.contains({"x": x, "k": k}) for x, k, _, _ in on_dask)


def test_trials_run_on_the_workers(client):
    study = tw.tune(score, SPACE, strategy="random", n_trials=4, executor=client, **quiet())
    worker_pids = set(client.run(__import__("os").getpid).values())
    ran_on = {int(t.info["worker"].rsplit(":", 1)[1]) for t in study.trials}
    assert ran_on <= worker_pids
    assert study.settings["executor"].startswith("Dask cluster at tcp://")


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_worker_that_dies_fails_only_its_trial(client, how):
    study = tw.tune(Dies(at=2, how=how), GRID, strategy=grid(), executor=client, **quiet())
    by_n = {t.params["n"]: t for t in study.trials}
    assert sorted(by_n) == [0, 1, 2, 3, 4, 5]  # the search went on
    assert by_n[2].state is tw.TrialState.FAILED
    assert by_n[2].error.startswith("worker died: the Dask worker running this trial died")
    assert all(by_n[n].state is tw.TrialState.COMPLETE for n in (0, 1, 3, 4, 5))


def test_reports_arrive_live_and_the_pruner_decides_in_the_workers(client):
    study = tw.Study(GRID)
    runner = tw.Runner(study, curve, grid(), executor=client, pruner=PruneOddAt(2))
    runner.run()
    for trial in study.trials:
        if trial.params["n"] % 2:
            assert trial.state is tw.TrialState.PRUNED
            assert sorted(trial.intermediate_values) == [0, 1, 2]
        else:
            assert trial.state is tw.TrialState.COMPLETE
            assert sorted(trial.intermediate_values) == [0, 1, 2, 3, 4, 5]


def test_stop_cancels_queued_trials_and_awaits_running_ones(client, tmp_path):
    gate = FileGate(tmp_path)
    study = tw.Study(GRID)
    executor = DaskTrialExecutor(client, max_workers=4)  # 2 trials wait in Dask's queue
    runner = tw.Runner(study, gate, grid(), executor=executor).start()
    try:
        wait_until(lambda: len(gate.started()) == 2 and study.n_trials == 4, "4 trials in flight")
        runner.stop()
        wait_until(lambda: study.n_trials == 2, "the queued trials to be cancelled")
        gate.release()
        assert runner.join(WAIT)
    finally:
        gate.release()
        runner.stop(wait=True, timeout=WAIT)
    assert runner.finish_reason == "stopped"
    assert sorted(t.params["n"] for t in study.trials) == gate.started()  # nothing else ran
    assert [t.state for t in study.trials] == [tw.TrialState.COMPLETE] * 2


def test_stop_cancel_gives_up_on_running_trials(client, tmp_path):
    gate = FileGate(tmp_path)
    study = tw.Study(GRID)
    runner = tw.Runner(study, gate, grid(), executor=client).start()
    try:
        wait_until(lambda: len(gate.started()) == 2, "two trials to start")
        runner.stop(cancel=True)
        assert runner.join(WAIT)
    finally:
        gate.release()  # the workers finish the abandoned tasks
    assert [t.state for t in study.trials] == [tw.TrialState.FAILED] * 2
    assert all(t.error.startswith("Cancelled: ") for t in study.trials)


def test_a_runner_started_in_a_background_thread(client, tmp_path):
    check_a_runner_in_a_background_thread(tmp_path / "s.db", executor=client)


def test_a_lost_cluster_ends_the_search_and_the_study_keeps_what_finished(tmp_path):
    gate = FileGate(tmp_path)
    path = tmp_path / "s.db"
    with local_cluster(1) as (cluster, client):
        study = tw.tune(
            score,
            SPACE,
            strategy="random",
            n_trials=3,
            executor=client,
            storage=path,
            study_name="s",
            progress=False,
        )
        runner = tw.Runner(study, gate, tw.RandomSearch(SPACE, seed=1), executor=client)
        runner.start()
        wait_until(lambda: len(gate.started()) == 1, "a trial to start")
        cluster.close()
        assert runner.join(WAIT)
    gate.release()
    assert isinstance(runner.error, ExecutorLostError)
    assert runner.finish_reason.startswith("error: ExecutorLostError: ")
    assert "cannot be reached" in str(runner.error)
    stored = tw.Study.load(path, name="s")
    assert len(stored.trials) == 3  # what it had; the cut-short trials are not recorded
    assert all(t.state is tw.TrialState.COMPLETE for t in stored.trials)
    assert all(t.state is not tw.TrialState.RUNNING for t in study.trials)


def test_a_trial_that_kills_its_worker_is_known_to_have_started(client):
    """Events are batched and die with their worker; the start is announced in a round trip."""
    from distributed import wait

    from tunewidgets.runner._remote import remote_evaluate

    executor = DaskTrialExecutor(client)
    link = executor.link(lambda message: None)
    try:
        objective = tw.FunctionObjective(Dies(at=0, how="kill"))
        task = client.submit(remote_evaluate, objective, {"n": 0}, 0, True, link, pure=False)
        wait(task, timeout=WAIT)
        assert task.status == "error"
        assert executor.has_started(0) is True  # so the runner never runs it again
        assert executor.has_started(1) is False  # a trial that never began
    finally:
        executor.shutdown()
