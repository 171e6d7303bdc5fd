"""Keras pruning: epochs spent and best validation accuracy, with and without a pruner.

The same 30-trial random search (same seed, so the same configurations; each
trial seeded by KerasObjective, so the same training up to where it is pruned)
of a small dense network on scikit-learn's digits, run once per pruner.
Target: with pruning, at most 60% of the epochs of the search without, and a
best validation accuracy within 1 point of it.

    KERAS_BACKEND=jax .venv/bin/python benchmarks/bench_keras.py --trials 30 --epochs 20
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np
from sklearn.datasets import load_digits

import tunewidgets as tw

SPACE = tw.SearchSpace(
    {
        "learning_rate": tw.Float(1e-4, 1e-1, log=True),
        "units": tw.Int(8, 128, log=True),
        "dropout": tw.Float(0.0, 0.5),
        "batch_size": tw.Categorical([16, 32, 64, 128]),
    }
)

PRUNERS = {
    "none": lambda: None,
    "median": lambda: tw.MedianPruner(n_startup_trials=5, n_warmup_steps=2),
    "halving": lambda: tw.SuccessiveHalvingPruner(min_resource=2, reduction_factor=3),
}


def build_model(params):
    import keras

    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(params["units"], activation="relu"),
            keras.layers.Dropout(params["dropout"]),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(params["learning_rate"]),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def digits(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(X))  # Keras validates on the last 20%
    return (X[order] / 16.0).astype("float32"), y[order].astype("int32")


def run(pruner_name: str, n_trials: int, epochs: int, seed: int) -> dict:
    X, y = digits(seed)
    objective = tw.KerasObjective(build_model, X, y, epochs=epochs, seed=seed)
    start = time.perf_counter()
    study = tw.tune(
        objective,
        SPACE,
        strategy=tw.RandomSearch(SPACE, seed=seed),
        n_trials=n_trials,
        pruner=PRUNERS[pruner_name](),
        storage=None,
        max_consecutive_failures=None,
        progress=False,
    )
    wall = time.perf_counter() - start
    trials = study.trials
    return {
        "pruner": pruner_name,
        "trials": len(trials),
        "pruned": sum(t.state is tw.TrialState.PRUNED for t in trials),
        "failed": sum(t.state is tw.TrialState.FAILED for t in trials),
        "epochs": sum(len(t.intermediate_values) for t in trials),
        "budget": n_trials * epochs,
        "best_val_accuracy": study.best_score,
        "best_trial": study.best_trial.number if study.best_trial else None,
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pruners", default="none,median,halving")
    parser.add_argument("--out", default="benchmarks/results/keras.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    results = [run(name, args.trials, args.epochs, args.seed) for name in args.pruners.split(",")]
    base = next((r for r in results if r["pruner"] == "none"), None)
    print("| pruner | pruned | epochs | of no pruning | best val. accuracy | wall (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        share = f"{r['epochs'] / base['epochs']:.0%}" if base else "-"
        print(
            f"| {r['pruner']} | {r['pruned']}/{r['trials']} | {r['epochs']} | {share} | "
            f"{r['best_val_accuracy']:.4f} | {r['wall_s']:.0f} |"
        )
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "keras_backend": os.environ["KERAS_BACKEND"],
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "args": vars(args),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
