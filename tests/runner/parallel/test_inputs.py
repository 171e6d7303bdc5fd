"""Bad n_jobs and executor arguments: refused with a message, before anything starts."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import tunewidgets as tw
from tunewidgets.runner import ExecutorLostError, check_executor, is_dask_client

from .objectives import SPACE, score

N_JOBS = r"'n_jobs' parameter of tune must be -1 \(one trial per CPU\) or an int >= 1"
EXECUTOR = (
    r"'executor' parameter of tune must be a dask\.distributed\.Client or a tunewidgets "
    r"TrialExecutor \(or None"
)


def run(**kwargs):
    return tw.tune(score, SPACE, strategy="random", n_trials=2, progress=False, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_jobs": 0}, N_JOBS + r"\. Got 0 instead"),
        ({"n_jobs": -2}, N_JOBS + r"\. Got -2 instead"),
        ({"n_jobs": 1.5}, N_JOBS + r"\. Got 1\.5 instead"),
        ({"n_jobs": True}, N_JOBS + r"\. Got True instead"),
        ({"executor": "processes"}, EXECUTOR + r".*Got str instead"),
        ({"executor": ThreadPoolExecutor(1)}, EXECUTOR + r".*Got ThreadPoolExecutor instead"),
        ({"n_jobs": 2, "executor": tw.runner.InThreadExecutor()}, "not both. Got n_jobs=2"),
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(kwargs, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=message):
        run(**kwargs)
    assert list(tmp_path.iterdir()) == []  # no study file was created


def test_a_dask_cluster_object_gets_a_hint():
    class LocalCluster:  # what a Dask cluster looks like from here
        scheduler_address = "tcp://127.0.0.1:8786"

    with pytest.raises(ValueError, match=r"pass a client of it: Client\(cluster\)"):
        check_executor(LocalCluster())


def test_a_closed_client_is_refused_and_the_study_keeps_what_it_had(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "s.db"
    run(storage=path, study_name="s")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        client = distributed.Client(cluster)
        assert is_dask_client(client)
        client.close()
        with pytest.raises(ExecutorLostError, match=r"the Dask client is not connected"):
            run(storage=path, study_name="s", executor=client)
    study = tw.Study.load(path, name="s")
    assert len(study.trials) == 2
    assert all(t.state is tw.TrialState.COMPLETE for t in study.trials)


def test_import_tunewidgets_does_not_import_dask():
    code = (
        "import sys, tunewidgets, tunewidgets.runner;"
        "assert not {'dask', 'distributed'} & set(sys.modules), 'dask was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
