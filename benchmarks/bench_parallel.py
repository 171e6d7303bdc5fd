"""Parallel trials: how much faster with n_jobs=2 and a 2-worker Dask LocalCluster, and
how well Bayesian search does when it asks for several points before results return.

Usage::

    .venv/bin/python benchmarks/bench_parallel.py                  # both parts
    .venv/bin/python benchmarks/bench_parallel.py --part speed --repeats 3
    .venv/bin/python benchmarks/bench_parallel.py --part quality --seeds 10

*Speed.* 20 trials of an SVC cross-validated on the 1,797 digits (``--cv`` folds, 15 by default:
about half a second of one core per trial; the median trial time is reported).
``RandomSearch(seed=0)``, so every run evaluates the same 20 configurations, and
the wall time of the whole ``tw.tune`` call is measured. n_jobs=1 runs in the
calling thread. n_jobs=2 is measured cold (the first search: two worker processes
start and import scikit-learn) and warm (later searches reuse the idle workers).
The Dask LocalCluster (2 worker processes, 1 thread each) is started once,
outside the timing (its start time is reported); its first search is cold (the
workers import scikit-learn), later ones warm. BayesianSearch is timed too: its
asks (a GP fit each) run in the runner while the workers compute.

*Quality.* Best score after 20 trials of BayesianSearch run sequentially and with
n_jobs=2 (two configurations asked before results return: the pending one is a
"constant liar"), on two cheap problems, several seeds. Normalized per problem as
in ``bench_quality.py``: 0 is RandomSearch's mean best after 20 trials, 100 the
best score any run found on that problem.

Before each part the script waits (up to ``--wait`` seconds) for the 1-minute
load average to fall below ``--max-load``; the load is recorded with every
number. Raw results go to ``benchmarks/results/parallel.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.runner import shutdown_workers

N_TRIALS = 20

SPEED_SPACE = tw.SearchSpace(
    {
        "C": tw.Float(1.0, 10.0, log=True),
        "gamma": tw.Float(1e-4, 1e-3, log=True),
    }
)


def load() -> float:
    return os.getloadavg()[0]


def wait_for_idle(max_load: float, patience: float) -> float:
    """Wait until the 1-minute load is below ``max_load`` (or give up); return it."""
    deadline = time.monotonic() + patience
    while load() >= max_load and time.monotonic() < deadline:
        time.sleep(10)
    return load()


# -- speed ---------------------------------------------------------------------------
def timed_search(strategy: str, cv: int, **where: Any) -> dict[str, Any]:
    X, y = load_digits(return_X_y=True)
    before = load()
    start = time.perf_counter()
    study = tw.tune(
        SVC(),
        SPEED_SPACE,
        X,
        y,
        strategy=strategy,
        n_trials=N_TRIALS,
        cv=cv,
        storage=None,
        progress=False,
        seed=0,
        **where,
    )
    wall = time.perf_counter() - start
    trials = study.trials
    assert len(trials) == N_TRIALS
    assert all(t.state is tw.TrialState.COMPLETE for t in trials)
    return {
        "wall_s": wall,
        "trial_s": statistics.median(t.duration for t in trials),
        "best": study.best_score,
        "load_before": before,
        "load_after": load(),
    }


def speed(args: argparse.Namespace) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    rows: dict[str, list[dict[str, Any]]] = {}

    def run(label: str, strategy: str, repeats: int, **where: Any) -> None:
        for _ in range(repeats):
            rows.setdefault(label, []).append(timed_search(strategy, args.cv, **where))
            print(f"  {label}: {rows[label][-1]['wall_s']:.2f} s", flush=True)

    run("n_jobs=1", "random", args.repeats)
    shutdown_workers()
    run("n_jobs=2, cold", "random", 1, n_jobs=2)
    run("n_jobs=2, warm", "random", args.repeats, n_jobs=2)
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        cluster_start = time.perf_counter() - start
        run("Dask LocalCluster, cold", "random", 1, executor=client)
        run("Dask LocalCluster, warm", "random", args.repeats, executor=client)
        run("bayes, Dask LocalCluster, warm", "bayes", args.repeats, executor=client)
    run("bayes, n_jobs=1", "bayes", args.repeats)
    run("bayes, n_jobs=2, warm", "bayes", args.repeats, n_jobs=2)
    shutdown_workers()
    return {"cluster_start_s": cluster_start, "rows": rows}


def speed_table(result: dict[str, Any]) -> str:
    rows = result["rows"]
    median = {label: statistics.median(r["wall_s"] for r in runs) for label, runs in rows.items()}
    lines = [
        "| strategy | where | runs | wall (s), median | speed-up | trial (s) | load 1-min |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, runs in rows.items():
        strategy = "bayes" if label.startswith("bayes, ") else "random"
        where = label.removeprefix("bayes, ")
        base = median["bayes, n_jobs=1" if strategy == "bayes" else "n_jobs=1"]
        loads = [x for r in runs for x in (r["load_before"], r["load_after"])]
        lines.append(
            f"| {strategy} | {where} | {len(runs)} | {median[label]:.2f} | "
            f"{base / median[label]:.2f}x | {statistics.median(r['trial_s'] for r in runs):.2f} | "
            f"{min(loads):.2f}-{max(loads):.2f} |"
        )
    lines.append("")
    lines.append(f"LocalCluster start (not in the timings): {result['cluster_start_s']:.1f} s.")
    return "\n".join(lines)


# -- quality -------------------------------------------------------------------------
def _digits_600() -> tuple[np.ndarray, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    rows = np.random.default_rng(0).permutation(len(y))[:600]
    return X[rows], y[rows]


PROBLEMS: dict[str, dict[str, Any]] = {
    "svc_digits": {
        "estimator": make_pipeline(StandardScaler(), SVC(max_iter=20000)),
        "space": tw.SearchSpace(
            {
                "svc__C": tw.Float(1e-3, 1e3, log=True),
                "svc__gamma": tw.Float(1e-5, 1.0, log=True),
                "svc__kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
                "svc__degree": tw.Int(2, 5),
            }
        ),
        "data": _digits_600,
        "scoring": "accuracy",
    },
    "logreg_breast_cancer": {
        "estimator": make_pipeline(StandardScaler(), LogisticRegression(max_iter=300)),
        "space": tw.SearchSpace(
            {
                "logisticregression__C": tw.Float(1e-4, 1e4, log=True),
                "logisticregression__class_weight": tw.Categorical([None, "balanced"]),
            }
        ),
        "data": lambda: load_breast_cancer(return_X_y=True),
        "scoring": "neg_log_loss",
    },
}


def best_score(problem: str, strategy: str, seed: int, n_jobs: int) -> float:
    spec = PROBLEMS[problem]
    X, y = spec["data"]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        study = tw.tune(
            spec["estimator"],
            spec["space"],
            X,
            y,
            strategy=strategy,
            n_trials=N_TRIALS,
            cv=3,
            scoring=spec["scoring"],
            n_jobs=n_jobs,
            storage=None,
            progress=False,
            seed=seed,
        )
    return float(study.best_score)


def quality(args: argparse.Namespace) -> dict[str, Any]:
    runs = []
    for problem in PROBLEMS:
        for seed in range(args.seeds):
            for label, strategy, n_jobs in [
                ("random", "random", 1),
                ("bayes, sequential", "bayes", 1),
                ("bayes, n_jobs=2", "bayes", 2),
            ]:
                before = load()
                score = best_score(problem, strategy, seed, n_jobs)
                runs.append(
                    {
                        "problem": problem,
                        "optimizer": label,
                        "seed": seed,
                        "best": score,
                        "load": (before, load()),
                    }
                )
            print(f"  {problem} seed {seed} done", flush=True)
    shutdown_workers()
    return {"runs": runs}


def normalized(runs: list[dict[str, Any]]) -> dict[tuple[str, str], np.ndarray]:
    out = {}
    for problem in PROBLEMS:
        mine = [r for r in runs if r["problem"] == problem]
        top = max(r["best"] for r in mine)
        base = float(np.mean([r["best"] for r in mine if r["optimizer"] == "random"]))
        for optimizer in sorted({r["optimizer"] for r in mine}):
            best = np.array(
                [
                    r["best"]
                    for r in sorted(mine, key=lambda r: r["seed"])
                    if r["optimizer"] == optimizer
                ]
            )
            out[problem, optimizer] = 100 * (best - base) / (top - base) if top > base else 0 * best
    return out


def quality_table(result: dict[str, Any]) -> str:
    norm = normalized(result["runs"])
    lines = [
        "| problem | random | bayes, sequential | bayes, n_jobs=2 | n_jobs=2 minus sequential |",
        "|---|---:|---:|---:|---:|",
    ]

    def fmt(values: np.ndarray) -> str:
        sem = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
        return f"{values.mean():.1f} ± {sem:.1f}"

    for problem in PROBLEMS:
        seq, par = norm[problem, "bayes, sequential"], norm[problem, "bayes, n_jobs=2"]
        lines.append(
            f"| {problem} | {fmt(norm[problem, 'random'])} | {fmt(seq)} | {fmt(par)} | "
            f"{fmt(par - seq)} |"
        )
    seq = np.concatenate([norm[p, "bayes, sequential"] for p in PROBLEMS])
    par = np.concatenate([norm[p, "bayes, n_jobs=2"] for p in PROBLEMS])
    rnd = np.concatenate([norm[p, "random"] for p in PROBLEMS])
    lines.append(f"| **all** | {fmt(rnd)} | {fmt(seq)} | {fmt(par)} | {fmt(par - seq)} |")
    loads = [x for r in result["runs"] for x in r["load"]]
    lines.append("")
    lines.append(
        f"Mean ± standard error over {len(seq) // len(PROBLEMS)} seeds; "
        f"load 1-min {min(loads):.2f}-{max(loads):.2f}."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["speed", "quality", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cv", type=int, default=15)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--max-load", type=float, default=0.5)
    parser.add_argument("--wait", type=float, default=600.0)
    parser.add_argument("--out", default="benchmarks/results/parallel.json")
    args = parser.parse_args()
    out = Path(args.out)
    data = json.loads(out.read_text()) if out.exists() else {}
    data["meta"] = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}",
        "tunewidgets": tw.__version__,
    }
    if args.part in ("speed", "both"):
        print(f"speed (load {wait_for_idle(args.max_load, args.wait):.2f})", flush=True)
        data["speed"] = speed(args)
        print(speed_table(data["speed"]), "\n", flush=True)
    if args.part in ("quality", "both"):
        print(f"quality (load {wait_for_idle(args.max_load, args.wait):.2f})", flush=True)
        data["quality"] = quality(args)
        print(quality_table(data["quality"]), flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, default=float))


if __name__ == "__main__":
    main()
