"""Optimizer overhead: how long a user waits on ``ask()`` + ``tell()``, up to 10,000 trials.

Each optimizer is told *n* observations of a cheap synthetic objective on a
5-dimensional mixed space (two log floats, an int, a log int and a 3-way
categorical), as a resumed study would tell it, and then runs ``--window``
sequential trials, each ``ask()`` + ``tell()`` timed. The first ask after the
observations re-fits everything a model has (for BayesianSearch: the kernel's
hyperparameters), so each window holds one full re-fit: the median is what a
user usually waits, the max includes that re-fit.

Usage::

    .venv/bin/python benchmarks/bench_overhead.py
    .venv/bin/python benchmarks/bench_overhead.py --sizes 200,2000 --seeds 1 --optimizers bayes

Timings depend on the machine's load: run it on a quiet machine, several times,
and report the load (it is recorded). Raw timings go to
``benchmarks/results/overhead.json`` (or ``--out``), the table is printed and
written beside it as ``overhead.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from runinfo import run_info  # beside this script, so on sys.path

import tunewidgets as tw

RESULTS = Path(__file__).resolve().parent / "results"

SPACE = tw.SearchSpace(
    {
        "C": tw.Float(1e-3, 1e3, log=True),
        "gamma": tw.Float(1e-4, 1.0, log=True),
        "degree": tw.Int(1, 8),
        "n_estimators": tw.Int(1, 512, log=True),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
    }
)


def objective(p: dict[str, Any]) -> float:
    """A smooth, multi-modal stand-in for a cross-validated score (maximized)."""
    c, g = math.log10(p["C"]), math.log10(p["gamma"])
    score = -0.1 * (c - 1.0) ** 2 - 0.2 * (g + 2.0) ** 2
    score += 0.3 * math.cos(math.log(p["n_estimators"])) - 0.05 * abs(p["degree"] - 3)
    return score + {"rbf": 0.5, "poly": 0.2, "sigmoid": 0.0}[p["kernel"]]


def _optuna(seed: int, kind: str) -> tw.Strategy:
    import optuna

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    samplers = {"tpe": optuna.samplers.TPESampler, "gp": optuna.samplers.GPSampler}
    return tw.OptunaSearch(SPACE, sampler=samplers[kind](seed=seed))


OPTIMIZERS: dict[str, Callable[[int], tw.Strategy]] = {
    "bayes": lambda seed: tw.BayesianSearch(SPACE, seed=seed),
    "optuna-tpe": lambda seed: _optuna(seed, "tpe"),
    "optuna-gp": lambda seed: _optuna(seed, "gp"),
}
# Beyond these sizes a peer takes minutes per window: left out.
MAX_SIZE = {"optuna-gp": 500, "optuna-tpe": 2000}


def time_window(optimizer: str, seed: int, n: int, window: int) -> list[float]:
    """Seconds of ask + tell for ``window`` sequential trials after ``n`` observations."""
    strategy = OPTIMIZERS[optimizer](seed)
    rng = np.random.default_rng(1000 + seed)
    for params in SPACE.sample(rng, n):
        strategy.tell(params, objective(params))
    times = []
    for _ in range(window):
        start = time.perf_counter()
        params = strategy.ask()
        asked = time.perf_counter()
        score = objective(params)
        told = time.perf_counter()
        strategy.tell(params, score)
        times.append(asked - start + time.perf_counter() - told)
    return times


def table(data: dict[str, Any]) -> str:
    meta = data["meta"]
    sizes, window = meta["sizes"], meta["window"]
    lines = [
        f"Milliseconds of ask() + tell() on a 5-dimensional mixed space, over the {window} "
        f"trials after n observations x {len(meta['seeds'])} seeds: median / max.",
        "",
        "| optimizer | " + " | ".join(f"n = {n:,}" for n in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    for optimizer, by_size in data["times"].items():
        cells = []
        for n in sizes:
            runs = by_size.get(str(n))
            if not runs:
                cells.append("-")
                continue
            pooled = 1000 * np.concatenate([np.asarray(t) for t in runs])
            cells.append(f"{np.median(pooled):.0f} / {pooled.max():.0f}")
        lines.append(f"| {optimizer} | " + " | ".join(cells) + " |")
    lines += ["", f"Load average (1 min) during the run: {meta['load']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16,64,200,500,1000,2000,10000")
    parser.add_argument("--window", type=int, default=20, help="trials timed per size")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--optimizers", default=",".join(OPTIMIZERS))
    parser.add_argument("--out", type=Path, default=RESULTS / "overhead.json")
    parser.add_argument("--report", type=Path, help="only print the table of a results file")
    args = parser.parse_args(argv)
    if args.report:
        print(table(json.loads(args.report.read_text())))
        return
    sizes = [int(n) for n in args.sizes.split(",")]
    optimizers = args.optimizers.split(",")
    unknown = [o for o in optimizers if o not in OPTIMIZERS]
    if unknown:
        parser.error(f"unknown optimizer {unknown[0]!r}; choose from {', '.join(OPTIMIZERS)}")
    started = time.perf_counter()
    times: dict[str, dict[str, list[list[float]]]] = {}
    loads = []
    for optimizer in optimizers:
        for n in sizes:
            if n > MAX_SIZE.get(optimizer, math.inf):
                continue
            for seed in range(args.seeds):
                loads.append(os.getloadavg()[0])
                window = time_window(optimizer, seed, n, args.window)
                times.setdefault(optimizer, {}).setdefault(str(n), []).append(window)
                print(
                    f"[{time.perf_counter() - started:5.0f}s] {optimizer} n={n} seed {seed}: "
                    f"median {1000 * np.median(window):.0f} ms, max {1000 * max(window):.0f} ms",
                    file=sys.stderr,
                    flush=True,
                )
    import optuna

    meta = {
        **run_info(tunewidgets=tw.__version__, optuna=optuna.__version__),
        "space": repr(SPACE),
        "sizes": sizes,
        "window": args.window,
        "seeds": list(range(args.seeds)),
        "load": f"{min(loads):.1f} to {max(loads):.1f}",
        "wall_s": round(time.perf_counter() - started, 1),
    }
    data = {"meta": meta, "times": times}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data))
    report = table(data)
    args.out.with_suffix(".md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
