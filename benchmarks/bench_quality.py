"""Optimizer quality: best score found after 8, 16, 32 and 64 trials.

Every optimizer runs on every problem of ``problems.py`` with several seeds, one
(problem, seed, optimizer) job per process task. The best score so far is
normalized per problem and budget: 0 is random search's mean at that budget,
100 the best score any optimizer found on that problem in this run.

Usage::

    .venv/bin/python benchmarks/bench_quality.py                   # the full run
    .venv/bin/python benchmarks/bench_quality.py --seeds 2 --budget 16 \\
        --problems svc_digits,knn_breast_cancer --optimizers random,bayes-ei
    .venv/bin/python benchmarks/bench_quality.py --report benchmarks/results/quality.json
    .venv/bin/python benchmarks/bench_quality.py --resume       # after an interruption

Raw results (every score of every run, with timings) go to
``benchmarks/results/quality.json`` (or ``--out``); the markdown tables are
printed and written beside it as ``quality.md``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from problems import PROBLEMS  # beside this script, so on sys.path
from runinfo import run_info
from threadpoolctl import threadpool_limits

import tunewidgets as tw

RESULTS = Path(__file__).resolve().parent / "results"
BUDGETS = (8, 16, 32, 64)


def _optuna_search(space: tw.SearchSpace, seed: int, kind: str) -> tw.Strategy:
    import optuna

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    if kind == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed)
    else:
        import torch

        torch.set_num_threads(1)
        sampler = optuna.samplers.GPSampler(seed=seed)
    return tw.OptunaSearch(space, sampler=sampler)


OPTIMIZERS: dict[str, Callable[[tw.SearchSpace, int], tw.Strategy]] = {
    "random": lambda space, seed: tw.RandomSearch(space, seed=seed),
    "bayes-ei": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="ei"),
    "bayes-pi": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="pi"),
    "bayes-ucb": lambda space, seed: tw.BayesianSearch(space, seed=seed, acquisition="ucb"),
    "evolution": lambda space, seed: tw.EvolutionarySearch(space, seed=seed),
    "optuna-tpe": lambda space, seed: _optuna_search(space, seed, "tpe"),
    "optuna-gp": lambda space, seed: _optuna_search(space, seed, "gp"),
}
# Rough relative cost of a job, to start the slow ones first.
_COST = {"optuna-gp": 3.0, "bayes-ei": 1.5, "bayes-pi": 1.5, "bayes-ucb": 1.5}


def _one_thread() -> None:
    """Pool initializer: the worker processes, not BLAS or OpenMP threads, use the cores."""
    threadpool_limits(1)


def run_job(job: tuple[str, int, str, int]) -> dict[str, Any]:
    """One search: ``budget`` trials of ``optimizer`` on ``problem`` with ``seed``."""
    problem_name, seed, optimizer, budget = job
    problem = PROBLEMS[problem_name]
    strategy = OPTIMIZERS[optimizer](problem.space, seed)
    scores, overhead, evaluation = [], [], []
    for _ in range(budget):
        start = time.perf_counter()
        params = strategy.ask()
        middle = time.perf_counter()
        score = problem.evaluate(params)
        end = time.perf_counter()
        strategy.tell(params, score)
        overhead.append(middle - start + time.perf_counter() - end)
        evaluation.append(end - middle)
        scores.append(None if np.isnan(score) else score)
    return {
        "problem": problem_name,
        "seed": seed,
        "optimizer": optimizer,
        "scores": scores,
        "overhead_s": overhead,
        "evaluation_s": evaluation,
    }


# -- analysis ------------------------------------------------------------------------------
def best_so_far(scores: list[float | None]) -> np.ndarray:
    values = np.array([-np.inf if s is None else s for s in scores], dtype=float)
    return np.maximum.accumulate(values)


def normalized(runs: list[dict[str, Any]], budgets: tuple[int, ...]) -> dict[tuple, np.ndarray]:
    """``{(problem, optimizer, budget): normalized best-so-far per seed}``."""
    out: dict[tuple, np.ndarray] = {}
    for problem in sorted({r["problem"] for r in runs}):
        mine = [r for r in runs if r["problem"] == problem]
        top = max(float(best_so_far(r["scores"])[-1]) for r in mine)
        for b in budgets:
            randoms = [best_so_far(r["scores"])[b - 1] for r in mine if r["optimizer"] == "random"]
            if not randoms:
                return out  # nothing to normalize by: the raw tables only
            base = float(np.mean(randoms))
            span = top - base
            for optimizer in sorted({r["optimizer"] for r in mine}):
                runs_o = sorted(
                    (r for r in mine if r["optimizer"] == optimizer), key=lambda r: r["seed"]
                )
                best = np.array([best_so_far(r["scores"])[b - 1] for r in runs_o])
                out[problem, optimizer, b] = (
                    100.0 * (best - base) / span if span > 0 else np.zeros(len(best))
                )
    return out


def tables(data: dict[str, Any]) -> str:
    runs = data["runs"]
    meta = data["meta"]
    budgets = tuple(b for b in BUDGETS if b <= meta["budget"])
    optimizers = [o for o in OPTIMIZERS if any(r["optimizer"] == o for r in runs)]
    problems = [p for p in PROBLEMS if any(r["problem"] == p for r in runs)]
    norm = normalized(runs, budgets)
    lines = []
    if norm:
        lines += _normalized_tables(norm, meta, budgets, optimizers, problems)
    else:
        lines += ["(No 'random' runs: the normalized tables need them.)"]
    lines += _raw_tables(runs, optimizers, problems)
    return "\n".join(lines)


def _normalized_tables(
    norm: dict[tuple, np.ndarray],
    meta: dict[str, Any],
    budgets: tuple[int, ...],
    optimizers: list[str],
    problems: list[str],
) -> list[str]:
    lines = [
        f"Normalized best score (0 = random search's mean at that budget, 100 = best found by "
        f"any optimizer on the problem), mean over {len(problems)} problems x "
        f"{len(meta['seeds'])} seeds; ± is the standard error over seeds of the "
        "problem-averaged score.",
        "",
        "| optimizer | " + " | ".join(f"{b} trials" for b in budgets) + " |",
        "| --- |" + " ---: |" * len(budgets),
    ]
    for o in optimizers:
        cells = []
        for b in budgets:
            per_seed = np.mean([norm[p, o, b] for p in problems], axis=0)
            se = per_seed.std(ddof=1) / np.sqrt(len(per_seed)) if len(per_seed) > 1 else 0.0
            cells.append(f"{per_seed.mean():.1f} ± {se:.1f}")
        lines.append(f"| {o} | " + " | ".join(cells) + " |")

    lines += ["", "Mean rank among the optimizers (1 = best; ties share), per budget:", ""]
    lines += ["| optimizer | " + " | ".join(f"{b}" for b in budgets) + " |"]
    lines += ["| --- |" + " ---: |" * len(budgets)]
    ranks = {}
    for b in budgets:
        for p in problems:
            for s in range(len(meta["seeds"])):
                values = np.array([norm[p, o, b][s] for o in optimizers])
                order = (-values).argsort().argsort() + 1.0
                for v in np.unique(values):  # average ties
                    order[values == v] = order[values == v].mean()
                for o, r in zip(optimizers, order, strict=True):
                    ranks.setdefault((o, b), []).append(r)
    for o in optimizers:
        cells = [f"{np.mean(ranks[o, b]):.2f}" for b in budgets]
        lines.append(f"| {o} | " + " | ".join(cells) + " |")

    for b in [b for b in (16, 32) if b in budgets]:
        lines += ["", f"Per problem, normalized best score at {b} trials (mean over seeds):", ""]
        lines += ["| problem | " + " | ".join(optimizers) + " |"]
        lines += ["| --- |" + " ---: |" * len(optimizers)]
        for p in problems:
            lines.append(
                f"| {p} | " + " | ".join(f"{norm[p, o, b].mean():.0f}" for o in optimizers) + " |"
            )

    return lines


def _raw_tables(
    runs: list[dict[str, Any]], optimizers: list[str], problems: list[str]
) -> list[str]:
    lines = ["", "Raw best score per problem at the largest budget (mean over seeds):", ""]
    lines += ["| problem | best found | " + " | ".join(optimizers) + " |"]
    lines += ["| --- | ---: |" + " ---: |" * len(optimizers)]
    for p in problems:
        mine = [r for r in runs if r["problem"] == p]
        top = max(float(best_so_far(r["scores"])[-1]) for r in mine)
        cells = [
            np.mean([best_so_far(r["scores"])[-1] for r in mine if r["optimizer"] == o])
            for o in optimizers
        ]
        lines.append(f"| {p} | {top:.4f} | " + " | ".join(f"{c:.4f}" for c in cells) + " |")

    lines += ["", "Optimizer overhead: mean seconds of ask + tell per trial, over all runs:", ""]
    lines += ["| optimizer | overhead per trial (s) | evaluation per trial (s) |"]
    lines += ["| --- | ---: | ---: |"]
    for o in optimizers:
        mine = [r for r in runs if r["optimizer"] == o]
        over = np.mean([np.mean(r["overhead_s"]) for r in mine])
        ev = np.mean([np.mean(r["evaluation_s"]) for r in mine])
        lines.append(f"| {o} | {over:.4f} | {ev:.4f} |")
    return lines


# -- command line ---------------------------------------------------------------------------
def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=15, help="number of seeds (default 15)")
    parser.add_argument("--budget", type=int, default=64, help="trials per run (default 64)")
    parser.add_argument(
        "--problems", default=",".join(PROBLEMS), help="comma-separated (default: all)"
    )
    parser.add_argument(
        "--optimizers", default=",".join(OPTIMIZERS), help="comma-separated (default: all)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--out", type=Path, default=RESULTS / "quality.json")
    parser.add_argument("--report", type=Path, help="only print the tables of a results file")
    parser.add_argument(
        "--resume", action="store_true", help="skip the runs an interrupted run checkpointed"
    )
    args = parser.parse_args(argv)
    for kind, names, known in (
        ("problem", args.problems, PROBLEMS),
        ("optimizer", args.optimizers, OPTIMIZERS),
    ):
        unknown = [n for n in names.split(",") if n not in known]
        if unknown:
            parser.error(f"unknown {kind} {unknown[0]!r}; choose from {', '.join(known)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    if args.report:
        print(tables(json.loads(args.report.read_text())))
        return
    problems = args.problems.split(",")
    optimizers = args.optimizers.split(",")
    seeds = list(range(args.seeds))
    jobs = [(p, s, o, args.budget) for p in problems for s in seeds for o in optimizers]
    jobs.sort(key=lambda job: -_COST.get(job[2], 1.0))
    # Each finished run is appended to a checkpoint; --resume skips the runs it holds.
    checkpoint = args.out.with_suffix(".json.tmp")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs = []
    if args.resume and checkpoint.exists():
        done = [json.loads(line) for line in checkpoint.read_text().splitlines() if line]
        wanted = set(jobs)
        runs = [r for r in done if (r["problem"], r["seed"], r["optimizer"], args.budget) in wanted]
        finished = {(r["problem"], r["seed"], r["optimizer"], args.budget) for r in runs}
        jobs = [job for job in jobs if job not in finished]
    else:
        checkpoint.write_text("")
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers, initializer=_one_thread) as pool:
        for i, run in enumerate(pool.imap_unordered(run_job, jobs), start=1):
            runs.append(run)
            with checkpoint.open("a") as f:
                f.write(json.dumps(run) + "\n")
            print(
                f"[{i}/{len(jobs)} {time.perf_counter() - started:6.0f}s] {run['optimizer']} "
                f"{run['problem']} seed {run['seed']}: best {max(best_so_far(run['scores'])):.4f}",
                file=sys.stderr,
                flush=True,
            )
    import optuna
    import sklearn

    meta = {
        **run_info(
            tunewidgets=tw.__version__,
            optuna=optuna.__version__,
            **{"scikit-learn": sklearn.__version__},
            numpy=np.__version__,
        ),
        "workers": args.workers,
        "seeds": seeds,
        "budget": args.budget,
        "problems": {p: PROBLEMS[p].description for p in problems},
        "optimizers": optimizers,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    runs.sort(key=lambda r: (r["problem"], r["optimizer"], r["seed"]))
    data = {"meta": meta, "runs": runs}
    args.out.write_text(json.dumps(data, indent=1))
    report = tables(data)
    args.out.with_suffix(".md").write_text(report + "\n")
    print(report)
    print(f"\nwall time {meta['wall_s']:.0f} s; raw results in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
