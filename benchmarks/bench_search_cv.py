"""TuneSearchCV(strategy="random") against RandomizedSearchCV: same candidates, same folds.

Both searches get the same estimator, ``param_distributions``, ``n_iter``, ``cv``
and ``random_state``, so they fit exactly the same candidates on the same folds
(checked on every run: ``cv_results_["params"]`` and the test scores must be
equal). What differs is the machinery around the fits: scikit-learn's joblib
loop, or tunewidgets' runner, study (in memory or SQLite) and strategy. The
wall-time ratio and the extra milliseconds per candidate are that machinery's
cost. Runs alternate between the two, after one warm-up of each (imports,
worker processes), and the machine's load is recorded around every run. With
``n_jobs=1`` both run in this process, so their CPU-time ratio is also
recorded: it does not depend on what else the machine's cores are doing.

    .venv/bin/python benchmarks/bench_search_cv.py --repeats 5
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import sklearn
from runinfo import run_info
from scipy import stats
from sklearn.datasets import load_diabetes, load_digits
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import RandomizedSearchCV
from sklearn.svm import SVC

import tunewidgets as tw

WORKLOADS = {
    # next to nothing to fit: the difference is the machinery's cost per candidate
    "dummy_diabetes": (
        DummyRegressor(),
        load_diabetes,
        {"quantile": stats.uniform(0, 1), "strategy": ["mean", "median", "quantile"]},
    ),
    # a fast fit (about 1 ms): the machinery's cost shows most
    "ridge_diabetes": (Ridge(), load_diabetes, {"alpha": stats.loguniform(1e-4, 1e3)}),
    # a typical small fit (about 10 ms): an SVC on 800 of the digits
    "svc_digits": (
        SVC(),
        lambda return_X_y: tuple(a[:800] for a in load_digits(return_X_y=True)),
        {"C": stats.loguniform(1e-2, 1e2), "gamma": stats.loguniform(1e-4, 1e-2)},
    ),
}


def _load() -> float:
    return os.getloadavg()[0]


def run(kind: str, workload: str, n_iter: int, n_jobs: int, storage: str | None) -> dict:
    estimator, data, distributions = WORKLOADS[workload]
    X, y = data(return_X_y=True)
    common = {"n_iter": n_iter, "cv": 5, "random_state": 0, "n_jobs": n_jobs}
    if kind == "sklearn":
        search = RandomizedSearchCV(estimator, distributions, **common)
    else:
        search = tw.TuneSearchCV(
            estimator,
            param_distributions=distributions,
            strategy="random",
            storage=storage,
            study_name="bench",
            **common,
        )
    before = _load()
    cpu = time.process_time()
    start = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - start
    gap = None
    if kind != "sklearn" and n_jobs == 1:  # the runner's own time between two trials
        trials = search.study_.trials
        gaps = [(b.started - a.ended).total_seconds() for a, b in itertools.pairwise(trials)]
        gap = statistics.median(gaps) * 1e3
    return {
        "wall_s": wall,
        "gap_ms": gap,
        "cpu_s": time.process_time() - cpu,  # this process only: all of it with n_jobs=1
        "load_before": before,
        "load_after": _load(),
        "params": search.cv_results_["params"],
        "scores": search.cv_results_["mean_test_score"].tolist(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS))
    parser.add_argument("--n-jobs", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--out", default="benchmarks/results/search_cv.json")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for workload in args.workloads:
            for n_jobs in args.n_jobs:
                for storage_name in ("none", "sqlite"):
                    storage = None if storage_name == "none" else str(Path(folder) / "s.db")
                    run("sklearn", workload, args.n_iter, n_jobs, None)  # warm-up
                    run("tunewidgets", workload, args.n_iter, n_jobs, storage)
                    theirs, ours = [], []
                    for _ in range(args.repeats):
                        a = run("sklearn", workload, args.n_iter, n_jobs, None)
                        b = run("tunewidgets", workload, args.n_iter, n_jobs, storage)
                        same = a["params"] == b["params"]
                        if not same or not np.allclose(a["scores"], b["scores"]):
                            raise SystemExit(f"{workload}: not the same candidates or scores")
                        theirs.append(a)
                        ours.append(b)
                    t = statistics.median(r["wall_s"] for r in theirs)
                    o = statistics.median(r["wall_s"] for r in ours)
                    loads = [r[k] for r in theirs + ours for k in ("load_before", "load_after")]
                    row = {
                        "workload": workload,
                        "n_jobs": n_jobs,
                        "storage": storage_name,
                        "n_iter": args.n_iter,
                        "repeats": args.repeats,
                        "sklearn_s": t,
                        "tunewidgets_s": o,
                        "ratio": o / t,
                        "ratios": [
                            b["wall_s"] / a["wall_s"] for a, b in zip(theirs, ours, strict=True)
                        ],
                        "overhead_ms_per_candidate": (o - t) / args.n_iter * 1e3,
                        # with n_jobs=1 everything runs in this process: CPU time is what
                        # each search cost, whatever else the machine's cores were doing
                        "runner_gap_ms": statistics.median(r["gap_ms"] for r in ours)
                        if n_jobs == 1
                        else None,
                        "cpu_ratio": statistics.median(r["cpu_s"] for r in ours)
                        / statistics.median(r["cpu_s"] for r in theirs)
                        if n_jobs == 1
                        else None,
                        "load_1min": [min(loads), max(loads)],
                    }
                    rows.append(row)
                    print(
                        f"{workload:15s} n_jobs={n_jobs} storage={storage_name:6s} "
                        f"sklearn {t:6.2f}s  tunewidgets {o:6.2f}s  ratio {o / t:5.3f}  "
                        f"{row['overhead_ms_per_candidate']:+7.1f} ms/candidate  "
                        f"cpu ratio {row['cpu_ratio'] or float('nan'):5.3f}  "
                        f"runner gap {row['runner_gap_ms'] or float('nan'):.2f} ms  "
                        f"load {min(loads):.2f}-{max(loads):.2f}",
                        flush=True,
                    )
    out = {
        "info": run_info(tunewidgets=tw.__version__, scikit_learn=sklearn.__version__),
        "rows": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
