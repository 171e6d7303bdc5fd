"""The live dashboard's costs: redraw time, slowdown of a search, and update latency.

1. Redraw: every plot, the table, the status of a 10,000-trial study
   (``Dashboard.refresh(all_views=True)``), median wall time of several calls.
2. Slowdown: 500 trials of a ~1 ms objective headless (``tw.tune``), then the
   same search in a Dashboard (started with its button, redrawing live); the ratio
   of wall times.
3. Latency: for every trial of a Dashboard search, the time from the trial's
   end to the end of the first redraw whose plots hold it.
4. Waits on a Bayesian search: a Dashboard reattached to a 5,000-trial study
   runs ``BayesianSearch`` (told all 5,000) for more trials of a 1 ms objective
   with the surrogate tab shown, so every redraw reads the search's model. Each
   read of the model by the dashboard is timed (it waits for an ask in progress,
   or fits the model itself), and so is every ask of the runner.

    .venv/bin/python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from bench_plots import SPACE, score_of  # the same study shape as the plots benchmark

import tunewidgets as tw


def one_ms(p: dict) -> float:
    end = time.perf_counter() + 0.001
    while time.perf_counter() < end:
        pass
    return score_of(p)


def big_study(n: int) -> tw.Study:
    study = tw.Study(SPACE)
    rng = np.random.default_rng(0)
    for i, params in enumerate(SPACE.sample(rng, n)):
        trial = study._start_trial(params, ask_time=0.001)
        if i % 20 == 0:
            done = trial.with_changes(state=tw.TrialState.FAILED, error="ValueError: bad")
        else:
            done = trial.with_changes(state=tw.TrialState.COMPLETE, score=score_of(params))
        study._finish_trial(done.with_changes(ended=trial.started + timedelta(seconds=0.1)))
    return study


def redraw(n: int, repeats: int) -> dict:
    study = big_study(n)
    dash = tw.Dashboard(objective=score_of, study=study, display=False, strategy="random")
    times = []
    for _ in range(repeats):
        study._version += 1  # as if a trial had finished: the DataFrame is rebuilt too
        start = time.perf_counter()
        dash.refresh(all_views=True)
        times.append(time.perf_counter() - start)
    return {"trials": n, "median_s": statistics.median(times), "max_s": max(times)}


def slowdown(n_trials: int) -> dict:
    start = time.perf_counter()
    tw.tune(
        one_ms, SPACE, strategy="random", n_trials=n_trials, storage=None, progress=False, seed=0
    )
    headless = time.perf_counter() - start

    dash = tw.Dashboard(
        objective=one_ms,
        space=SPACE,
        strategy="random",
        n_trials=n_trials,
        storage=None,
        display=False,
        seed=0,
    )
    drawn: list[tuple[float, int]] = []
    original = dash.refresh

    def timed_refresh(all_views: bool = False) -> None:
        original(all_views)
        drawn.append(
            (
                time.time(),
                len(dash.views[0].figure.data[0].dimensions[0].values)
                if dash.views[0].figure.data
                else 0,
            )
        )

    dash.refresh = timed_refresh  # type: ignore[method-assign]
    start = time.perf_counter()
    dash.controls.start_button.click()
    dash.runner.join()
    live = time.perf_counter() - start
    dash.wait()
    latencies = []
    for trial in dash.study.trials:
        ended = trial.ended.timestamp()
        shown = next((t for t, count in drawn if t >= ended and count > trial.number), None)
        if shown is not None:
            latencies.append(shown - ended)
    return {
        "trials": n_trials,
        "headless_s": headless,
        "dashboard_s": live,
        "ratio": live / headless,
        "redraws": len(drawn),
        "latency_median_s": statistics.median(latencies),
        "latency_max_s": max(latencies),
        "latency_measured": len(latencies),
    }


class TimedBayes(tw.BayesianSearch):
    """BayesianSearch that times every ask and every read of its model."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[float] = []
        self.asks: list[float] = []

    @property
    def surrogate(self):  # type: ignore[override]
        start = time.perf_counter()
        model = super().surrogate
        self.reads.append(time.perf_counter() - start)
        return model

    def ask(self) -> dict:
        start = time.perf_counter()
        params = super().ask()
        self.asks.append(time.perf_counter() - start)
        return params


def ask_waits(n: int, n_trials: int) -> dict:
    study = big_study(n)
    strategy = TimedBayes(SPACE, seed=0)
    dash = tw.Dashboard(
        objective=one_ms, study=study, strategy=strategy, n_trials=n_trials, display=False
    )
    titles = [view.title for view in dash.views]
    dash.plot_tabs.selected_index = titles.index("Surrogate")
    strategy.reads.clear()
    start = time.perf_counter()
    dash.controls.start_button.click()
    dash.runner.join()
    wall = time.perf_counter() - start
    dash.wait()
    reads, asks = strategy.reads, strategy.asks
    return {
        "trials_before": n,
        "trials": n_trials,
        "wall_s": wall,
        "model_reads": len(reads),
        "read_median_s": statistics.median(reads),
        "read_max_s": max(reads),
        "ask_median_s": statistics.median(asks),
        "ask_max_s": max(asks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--search-trials", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bayes-trials", type=int, default=5000)
    parser.add_argument("--bayes-search-trials", type=int, default=100)
    parser.add_argument("--only-bayes", action="store_true", help="only part 4")
    parser.add_argument("--out", default="benchmarks/results/dashboard.json")
    args = parser.parse_args()
    if args.only_bayes:
        results = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {}
        results["bayes_waits"] = _print_waits(
            ask_waits(args.bayes_trials, args.bayes_search_trials)
        )
        results["bayes_waits"]["load_1min"] = os.getloadavg()[0]
        Path(args.out).write_text(json.dumps(results, indent=2))
        return
    results = {"redraw": redraw(args.trials, args.repeats)}
    runs = [slowdown(args.search_trials) for _ in range(3)]
    results["slowdown"] = sorted(runs, key=lambda r: r["ratio"])[1] | {  # the median run
        "ratios": [round(r["ratio"], 3) for r in runs]
    }
    r, s = results["redraw"], results["slowdown"]
    print(
        f"Redraw of every view, {r['trials']} trials: median {r['median_s']:.3f} s, "
        f"max {r['max_s']:.3f} s"
    )
    print(
        f"{s['trials']} trials of a 1 ms objective: headless {s['headless_s']:.2f} s, with a "
        f"Dashboard {s['dashboard_s']:.2f} s (x{s['ratio']:.2f}; runs {s['ratios']}), "
        f"{s['redraws']} redraws"
    )
    print(
        f"Trial end -> plots hold it: median {s['latency_median_s']:.3f} s, "
        f"max {s['latency_max_s']:.3f} s over {s['latency_measured']} trials"
    )
    results["bayes_waits"] = _print_waits(ask_waits(args.bayes_trials, args.bayes_search_trials))
    results["load_1min"] = os.getloadavg()[0]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))


def _print_waits(w: dict) -> dict:
    print(
        f"BayesianSearch after {w['trials_before']} trials, {w['trials']} more in a Dashboard: "
        f"{w['model_reads']} reads of the model by the dashboard, median "
        f"{w['read_median_s'] * 1000:.0f} ms, max {w['read_max_s'] * 1000:.0f} ms; asks median "
        f"{w['ask_median_s'] * 1000:.0f} ms, max {w['ask_max_s'] * 1000:.0f} ms"
    )
    return w


if __name__ == "__main__":
    main()
