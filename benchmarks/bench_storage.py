"""Shared study files: throughput and lost trials with several writers, and the per-trial write.

Part ``writers``: 1, 2 and 4 processes run ``tw.tune`` on one stored study at
once (a trivial objective, RandomSearch, the default output capture), each
for ``--trials`` trials. Throughput is every trial stored over the wall time
from the first writer's start to the last one's end; lost trials are those a
writer ran that the file does not hold; CPU per trial is the CPU time of every
writer's search over the trials stored (less sensitive to a busy machine).

Part ``write``: the per-trial cost of recording in one process: claiming a
number and writing the finished trial (``Study._start_trial`` then
``Study._finish_trial``), against the same in memory.

Run it on another tunewidgets (e.g. the code before a change) by putting that
package first on PYTHONPATH; the writers inherit it:

    .venv/bin/python benchmarks/bench_storage.py --label after
    git archive <commit> tunewidgets | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/bench_storage.py --label before
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from runinfo import run_info  # beside this script, so on sys.path

import tunewidgets as tw

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b", "c"])})

WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    import tunewidgets as tw

    path, go = sys.argv[1], sys.argv[2]
    seed, n_trials, pause = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", "b", "c"])})

    def objective(params):
        if pause:
            time.sleep(pause)
        return params["x"]

    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.0005)
    start, cpu = time.time(), time.process_time()
    error = None
    try:
        tw.tune(objective, space, strategy="random", n_trials=n_trials, storage=path,
                study_name="bench", progress=False, seed=seed)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    end, cpu = time.time(), time.process_time() - cpu
    print(json.dumps({"start": start, "end": end, "cpu": cpu, "error": error}), flush=True)
    """
)


def run_writers(n_writers: int, n_trials: int, pause: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path, go = Path(folder) / "shared.db", Path(folder) / "go"
        tw.Study(SPACE, name="bench", storage=path)  # created first: old versions race on it
        script = Path(folder) / "writer.py"
        script.write_text(WRITER)
        command = [sys.executable, str(script), str(path), str(go)]
        procs = [
            subprocess.Popen(
                [*command, str(seed), str(n_trials), str(pause)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for seed in range(n_writers)
        ]
        for proc in procs:
            line = proc.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError(proc.stderr.read())
        go.write_text("")
        reports = []
        for proc in procs:
            out, err = proc.communicate(timeout=1800)
            if proc.returncode != 0:
                raise RuntimeError(err)
            reports.append(json.loads(out.strip().splitlines()[-1]))
        stored = tw.Study.load(path, "bench").trials
    numbers = [t.number for t in stored]
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    ran = n_writers * n_trials
    return {
        "writers": n_writers,
        "pause_s": pause,
        "trials_run": ran,
        "trials_stored": len(stored),
        "lost": ran - len(stored),
        "numbers_unique": len(set(numbers)) == len(numbers),
        "wall_s": round(wall, 3),
        "stored_per_s": round(len(stored) / wall, 1),
        # CPU of every writer per trial stored: what sharing costs, whatever else runs
        "cpu_ms_per_trial": round(sum(r["cpu"] for r in reports) / max(len(stored), 1) * 1e3, 3),
        "errors": [r["error"] for r in reports if r["error"]],
    }


def write_cost(n_trials: int, storage: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        study = tw.Study(SPACE, name="w", storage=Path(folder) / "w.db" if storage else None)
        times = []
        cpu = time.thread_time()
        for i in range(n_trials):
            params = {"x": (i % 97) / 97, "k": "abc"[i % 3]}
            t0 = time.perf_counter()
            trial = study._start_trial(params, ask_time=0.0001, info={"strategy": {"n": i}})
            study._finish_trial(
                trial.with_changes(
                    state=tw.TrialState.COMPLETE,
                    score=params["x"],
                    output="a line of output\n",
                    info={**trial.info, "fold_scores": [0.9, 0.91, 0.92]},
                )
            )
            times.append(time.perf_counter() - t0)
        cpu = time.thread_time() - cpu
    times_us = sorted(t * 1e6 for t in times)
    return {
        "storage": "sqlite" if storage else "memory",
        "trials": n_trials,
        "median_us": round(statistics.median(times_us), 1),
        "p90_us": round(times_us[int(0.9 * len(times_us))], 1),
        "mean_us": round(statistics.fmean(times_us), 1),
        "cpu_us": round(cpu / n_trials * 1e6, 1),  # less sensitive to a busy machine
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["writers", "write", "all"], default="all")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--trials", type=int, default=300, help="trials per writer")
    parser.add_argument(
        "--pause", type=float, nargs="+", default=[0.0, 0.005], help="seconds each objective sleeps"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-trials", type=int, default=2000)
    parser.add_argument("--label", default="after")
    parser.add_argument("--out", default="benchmarks/results/storage.json")
    args = parser.parse_args()
    results: dict = {"label": args.label, "tunewidgets": tw.__file__, "writers": [], "write": []}
    if args.part in ("writers", "all"):
        for pause in args.pause:
            for n in args.writers:
                for repeat in range(args.repeats):
                    result = run_writers(n, args.trials, pause)
                    result["repeat"] = repeat
                    result["load_1min"] = round(os.getloadavg()[0], 2)
                    print(json.dumps(result), flush=True)
                    results["writers"].append(result)
    if args.part in ("write", "all"):
        for storage in (True, False):
            for _ in range(args.repeats):
                result = write_cost(args.write_trials, storage)
                print(json.dumps(result), flush=True)
                results["write"].append(result)
    results["run"] = run_info(tunewidgets=getattr(tw, "__version__", "?"))
    out = Path(args.out)
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[args.label] = results
    out.write_text(json.dumps(existing, indent=1) + "\n")


if __name__ == "__main__":
    main()
