"""How long each plot function takes on a 10,000-trial study: the dashboard's redraw budget.

A 5-parameter mixed space (two log floats, a categorical, an int, a log int);
10,000 trials with 5% failed, 10% pruned and 2 running; 10 reported steps per
trial for the learning curves (about 93,000 rows); a Bayesian surrogate fitted to
100 of the trials (a GP's usual size). Each function is timed in-process, in CPU
time (wall clock) and CPU time of the process (as a kernel spends it), as the
median of ``--repeats`` calls after one warm-up call; the first call of the
process (plotly loading its validators) is reported apart.

    .venv/bin/python benchmarks/bench_plots.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

import tunewidgets as tw
from tunewidgets import plots

SPACE = tw.SearchSpace(
    {
        "C": tw.Float(1e-3, 1e3, log=True),
        "gamma": tw.Float(1e-4, 1.0, log=True),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
        "degree": tw.Int(2, 5),
        "n_estimators": tw.Int(10, 300, log=True),
    }
)


def score_of(p: dict) -> float:
    value = -((np.log10(p["C"]) - 1) ** 2) - 0.5 * (np.log10(p["gamma"]) + 2) ** 2
    return float(value + (0.5 if p["kernel"] == "rbf" else 0.0))


def make_study(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A trials DataFrame shaped like ``Study.trials_dataframe()`` and its curves."""
    rng = np.random.default_rng(seed)
    params = SPACE.sample(rng, n)
    u = rng.random(n)
    states = np.where(u < 0.05, "failed", np.where(u < 0.15, "pruned", "complete"))
    states[-2:] = "running"
    scores = np.array([score_of(p) for p in params])
    scores = np.where(
        states == "complete", scores, np.where(states == "pruned", scores - 1, np.nan)
    )
    trials = pd.DataFrame(params)
    trials.insert(0, "number", np.arange(n))
    trials["score"], trials["score_std"], trials["state"] = scores, np.nan, states
    trials["started"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.arange(n), "s")
    trials["duration"], trials["ask_time"], trials["error"] = 0.1, 0.001, None
    steps = np.where(states == "pruned", 3, 10)
    numbers = np.repeat(np.arange(n), steps)
    step = np.concatenate([np.arange(k) for k in steps])
    top = np.repeat(rng.random(n), steps)
    curves = pd.DataFrame(
        {
            "number": numbers,
            "step": step,
            "value": top * (1 - np.exp(-(step + 1) / 3)),
            "state": np.repeat(states, steps),
        }
    )
    return trials, curves


def fitted_surrogate(trials: pd.DataFrame, n: int = 100) -> tw.GPSurrogate:
    search = tw.BayesianSearch(SPACE, seed=0)
    for _, row in trials.iloc[:n].iterrows():
        params = SPACE.check(
            {k: row[k].item() if hasattr(row[k], "item") else row[k] for k in SPACE.names}
        )
        search.tell(params, row["score"] if row["state"] == "complete" else None)
    return search.surrogate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    trials, curves = make_study(args.trials)
    surrogate = fitted_surrogate(trials)
    calls = {
        "plot_parallel_coordinates": lambda: plots.plot_parallel_coordinates(trials, SPACE),
        "… top_fraction=0.2": lambda: plots.plot_parallel_coordinates(
            trials, SPACE, top_fraction=0.2
        ),
        "plot_convergence": lambda: plots.plot_convergence(trials),
        "… race of 3 studies": lambda: plots.plot_convergence(
            {"grid": trials, "random": trials, "bayes": trials}
        ),
        "plot_search_path": lambda: plots.plot_search_path(trials, SPACE, "C", "gamma"),
        "… with surrogate contour": lambda: plots.plot_search_path(
            trials, SPACE, "C", "gamma", surrogate=surrogate
        ),
        "plot_surrogate": lambda: plots.plot_surrogate(trials, SPACE, surrogate, "C"),
        "plot_importance": lambda: plots.plot_importance(trials, SPACE),
        "plot_learning_curves": lambda: plots.plot_learning_curves(curves, trials=trials),
    }
    start = time.process_time()
    plots.plot_convergence(trials)
    first = time.process_time() - start
    print(f"first call in the process (plotly loading): {first * 1000:.0f} ms")
    print("| function | wall, median (ms) | CPU, median (ms) |\n|---|---:|---:|")
    medians = {}
    for name, call in calls.items():
        call()
        wall, cpu = [], []
        for _ in range(args.repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        medians[name] = (statistics.median(wall) * 1000, statistics.median(cpu) * 1000)
        print(f"| {name} | {medians[name][0]:.1f} | {medians[name][1]:.1f} |")
    redraw = [
        "plot_parallel_coordinates",
        "plot_convergence",
        "… with surrogate contour",
        "plot_surrogate",
        "plot_importance",
        "plot_learning_curves",
    ]
    wall_total = sum(medians[name][0] for name in redraw)
    cpu_total = sum(medians[name][1] for name in redraw)
    print(
        f"| **every plot once** (search path with contour) | **{wall_total:.0f}** | "
        f"**{cpu_total:.0f}** |"
    )


if __name__ == "__main__":
    main()
