"""Optimizer overhead: how long a user waits on ``ask()`` + ``tell()``.

Each optimizer runs a sequential search on a 5-dimensional mixed space (two log
floats, a float, an int and a 3-way categorical) against a cheap synthetic
objective, and every ``ask()`` + ``tell()`` is timed. The time "at n
observations" is taken over the ``--window`` trials asked when the optimizer had
already been told n, n + 1, ... results, pooled over seeds: its median is what a
user usually waits, its mean includes the occasional full re-fit.

Usage::

    .venv/bin/python benchmarks/bench_overhead.py
    .venv/bin/python benchmarks/bench_overhead.py --sizes 16,64 --seeds 1 --optimizers bayes

Run it on an otherwise idle machine; it uses the default thread settings of
numpy and torch, as a notebook would. Raw timings go to
``benchmarks/results/overhead.json`` (or ``--out``), the table is printed and
written beside it as ``overhead.md``.
"""

from __future__ import annotations

import argparse
import json
import math
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
        "l1_ratio": tw.Float(0.0, 1.0),
        "degree": tw.Int(1, 8),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
    }
)


def objective(p: dict[str, Any]) -> float:
    """A smooth, multi-modal stand-in for a cross-validated score (maximized)."""
    c, g = math.log10(p["C"]), math.log10(p["gamma"])
    score = -0.1 * (c - 1.0) ** 2 - 0.2 * (g + 2.0) ** 2 + 0.3 * math.cos(3.0 * p["l1_ratio"])
    score += {"rbf": 0.5, "poly": 0.2, "sigmoid": 0.0}[p["kernel"]] - 0.05 * abs(p["degree"] - 3)
    return score


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


def time_search(optimizer: str, seed: int, n_trials: int) -> list[float]:
    """Seconds of ask + tell for each of ``n_trials`` sequential trials."""
    strategy = OPTIMIZERS[optimizer](seed)
    times = []
    for _ in range(n_trials):
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
        f"Seconds of ask() + tell() on a 5-dimensional mixed space, over the {window} trials "
        f"after n observations x {len(meta['seeds'])} seeds: median (mean).",
        "",
        "| optimizer | " + " | ".join(f"n = {n}" for n in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    for optimizer, runs in data["times"].items():
        cells = []
        for n in sizes:
            pooled = np.concatenate([np.asarray(t[n : n + window]) for t in runs])
            cells.append(f"{np.median(pooled):.4f} ({np.mean(pooled):.4f})")
        lines.append(f"| {optimizer} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16,64,100,200", help="observation counts")
    parser.add_argument("--window", type=int, default=8, help="trials timed per size")
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
    n_trials = max(sizes) + args.window
    started = time.perf_counter()
    times: dict[str, list[list[float]]] = {}
    for optimizer in optimizers:
        for seed in range(args.seeds):
            times.setdefault(optimizer, []).append(time_search(optimizer, seed, n_trials))
            print(
                f"[{time.perf_counter() - started:5.0f}s] {optimizer} seed {seed} done",
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
        "wall_s": round(time.perf_counter() - started, 1),
    }
    data = {"meta": meta, "times": times}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1))
    report = table(data)
    args.out.with_suffix(".md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
