"""The runner's own overhead per trial: everything but the objective and the strategy's ask.

For each trial, the time from its start to the next trial's start, minus the
next ask, is what the runner spends: recording the trial (one SQLite commit),
capturing output, telling the strategy, emitting events and looping.

    .venv/bin/python benchmarks/bench_runner.py --trials 1000
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import tunewidgets as tw

SPACE = tw.SearchSpace(
    {
        "x": tw.Float(1e-3, 1.0, log=True),
        "n": tw.Int(1, 100),
        "k": tw.Categorical(["a", "b", "c"]),
    }
)


def trivial(params):
    return params["x"]


def overhead_ms(storage, n_trials: int, subscribers: int) -> dict:
    study = tw.Study(SPACE, storage=storage)
    runner = tw.Runner(study, trivial, tw.RandomSearch(SPACE, seed=0), n_trials=n_trials)
    for _ in range(subscribers):
        runner.subscribe(lambda events: None)
    start = time.perf_counter()
    runner.run()
    wall = time.perf_counter() - start
    trials = study.trials
    starts = np.array([t.started.timestamp() for t in trials])
    asks = np.array([t.ask_time for t in trials])
    per_trial = (np.diff(starts) - asks[1:]) * 1e3
    return {
        "median_ms": float(np.median(per_trial)),
        "p90_ms": float(np.percentile(per_trial, 90)),
        "mean_ms": float(per_trial.mean()),
        "wall_s": wall,
        "trials": len(trials),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/runner.json")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "SQLite (default)": lambda i: Path(tmp) / f"bench-{i}.db",
            "in memory (storage=None)": lambda i: None,
        }
        for label, make in cases.items():
            runs = [overhead_ms(make(i), args.trials, subscribers=1) for i in range(args.repeats)]
            rows[label] = {
                key: statistics.median(run[key] for run in runs)
                for key in runs[0]
                if key != "trials"
            }
    machine = platform.processor() or platform.machine()
    print(
        f"Runner overhead per trial, {args.trials} trials of a trivial objective, "
        f"median of {args.repeats} runs ({machine})\n"
    )
    print("| storage | median (ms) | p90 (ms) | mean (ms) | wall (s) |")
    print("|---|---:|---:|---:|---:|")
    for label, row in rows.items():
        print(
            f"| {label} | {row['median_ms']:.3f} | {row['p90_ms']:.3f} | "
            f"{row['mean_ms']:.3f} | {row['wall_s']:.2f} |"
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"trials": args.trials, "results": rows}, indent=2))


if __name__ == "__main__":
    main()
