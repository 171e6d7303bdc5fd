"""Several processes run one study: every trial kept, numbers unique, strategies told the others'."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

import tunewidgets as tw
from tunewidgets.study import open_study

WAIT = 120
SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})

WRITER = textwrap.dedent(
    """
    import os, sys, time
    import tunewidgets as tw

    path, go, seed, n_trials, strategy = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b"])})
    print("ready", flush=True)
    while not os.path.exists(go):  # every writer starts at the same moment
        time.sleep(0.001)
    study = tw.tune(lambda p: p["x"] + (p["k"] == "b"), space, strategy=strategy, n_trials=n_trials,
                    storage=path, study_name="same", progress=False, seed=seed)
    mine = study.trials
    print("done", len(mine), flush=True)
    """
)


def _run_writers(tmp_path, n_writers, n_trials, strategy="random"):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    path, go = tmp_path / "shared.db", tmp_path / "go"
    command = [sys.executable, str(script), str(path), str(go)]
    procs = [
        subprocess.Popen(
            [*command, str(seed), str(n_trials), strategy],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(n_writers)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.write_text("")
    results = [proc.communicate(timeout=WAIT) for proc in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err, err
    return path, [int(out.split()[-1]) for out, _ in results]


@pytest.mark.parametrize("n_writers", [2, 4])
def test_processes_writing_one_study_keep_every_trial_with_unique_numbers(tmp_path, n_writers):
    n_trials = 30
    path, seen = _run_writers(tmp_path, n_writers, n_trials)
    study = tw.Study.load(path, "same")
    numbers = [t.number for t in study.trials]
    assert len(study.trials) == n_writers * n_trials  # none overwritten
    assert numbers == list(range(n_writers * n_trials))  # unique, and none skipped
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials)
    assert all(t.space == SPACE for t in study.trials)
    # each process held its own trials and those of the others that had landed
    assert all(n >= n_trials for n in seen)
    assert max(seen) > n_trials
    assert [s.n_trials for s in tw.list_studies(path)] == [n_writers * n_trials]


def test_two_bayesian_searches_share_one_study(tmp_path):
    path, _ = _run_writers(tmp_path, 2, 8, strategy="bayes")
    study = tw.Study.load(path, "same")
    assert [t.number for t in study.trials] == list(range(16))
    configs = {(round(t.params["x"], 9), t.params["k"]) for t in study.trials}
    assert len(configs) == 16


class Recording(tw.RandomSearch):
    """A random search that logs what it is told and when it asks."""

    def __init__(self, space, seed):
        super().__init__(space, seed=seed)
        self.log = []

    def ask(self):
        self.log.append(("ask", None))
        return super().ask()

    def tell(self, params, score):
        self.log.append(("tell", params["x"]))
        super().tell(params, score)


def test_a_strategy_is_told_the_other_process_trials_before_each_ask(tmp_path):
    """Two views of one stored study (two connections, as two processes have) take turns."""
    path = tmp_path / "s.db"
    first = open_study(SPACE, storage=path, study_name="s")
    second = open_study(SPACE, storage=path, study_name="s")
    assert first is not second

    def objective(params):
        return params["x"]

    tw.Runner(first, objective, tw.RandomSearch(SPACE, seed=0), n_trials=3).run()
    landed = [{t.params["x"] for t in first.trials}]

    def interleaved(params):  # while the second process runs a trial, the first adds one
        tw.Runner(
            first, objective, tw.RandomSearch(SPACE, seed=len(first.trials)), n_trials=1
        ).run()
        landed.append({t.params["x"] for t in first.trials if t.params != params})
        return params["x"]

    strategy = Recording(SPACE, seed=1)
    tw.Runner(second, interleaved, strategy, n_trials=3).run()
    asks = [i for i, (kind, _) in enumerate(strategy.log) if kind == "ask"]
    assert len(asks) == 3
    for k, at in enumerate(asks):
        told = {x for kind, x in strategy.log[:at] if kind == "tell"}
        assert landed[k] <= told, f"ask {k} came before the other process's trials were told"
    both = tw.Study.load(path, "s")
    assert [t.number for t in both.trials] == list(range(9))
    second.sync()
    assert len(second.trials) == 9  # the second view holds every trial too


@pytest.mark.parametrize("returning", [True, False], ids=["returning", "sqlite-before-3.35"])
def test_numbers_are_taken_from_the_file_not_from_memory(tmp_path, monkeypatch, returning):
    from tunewidgets.storage import _sqlite

    monkeypatch.setattr(_sqlite, "_RETURNING", returning)
    path = tmp_path / "s.db"
    a = open_study(SPACE, storage=path, study_name="s")
    b = open_study(SPACE, storage=path, study_name="s")
    ta = a._start_trial({"x": 0.1, "k": "a"})
    tb = b._start_trial({"x": 0.2, "k": "a"})
    assert (ta.number, tb.number) == (0, 1)
    b._finish_trial(tb.with_changes(state=tw.TrialState.COMPLETE, score=0.2))
    a._finish_trial(ta.with_changes(state=tw.TrialState.COMPLETE, score=0.1))
    assert [t.number for t in a.sync()] == [1]
    assert [t.number for t in a.trials] == [0, 1]
    assert [t.number for t in tw.Study.load(path, "s").trials] == [0, 1]
    # and under contention: two connections taking numbers from two threads at once
    c = open_study(SPACE, storage=path, study_name="s")
    taken = {"a": [], "c": []}

    def take(study, key):
        for _ in range(100):
            taken[key].append(study._storage.claim_number("s"))

    threads = [
        threading.Thread(target=take, args=(a, "a")),
        threading.Thread(target=take, args=(c, "c")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken["a"] + taken["c"]) == list(range(2, 202))
