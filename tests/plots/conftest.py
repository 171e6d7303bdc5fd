"""Trials DataFrames shaped like ``Study.trials_dataframe()``, seeded and of any size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tunewidgets as tw

MIXED = tw.SearchSpace(
    {
        "C": tw.Float(1e-3, 1e3, log=True),
        "gamma": tw.Float(1e-4, 1.0, log=True),
        "kernel": tw.Categorical(["rbf", "poly", "sigmoid"]),
        "degree": tw.Int(2, 5),
        "n_estimators": tw.Int(10, 300, log=True),
    }
)


def score_of(params: dict) -> float:
    """A smooth score with its optimum at C=10, gamma=1e-2, kernel='rbf'."""
    value = -((np.log10(params["C"]) - 1) ** 2) - 0.5 * (np.log10(params["gamma"]) + 2) ** 2
    return float(value + (0.5 if params["kernel"] == "rbf" else 0.0))


def make_trials(
    n: int,
    space: tw.SearchSpace = MIXED,
    *,
    seed: int = 0,
    failed: float = 0.0,
    pruned: float = 0.0,
    running: int = 0,
) -> pd.DataFrame:
    """``n`` trials sampled from ``space``: a share failed or pruned, the last ``running``."""
    rng = np.random.default_rng(seed)
    params = space.sample(rng, n) if n else []
    rows = []
    for number, p in enumerate(params):
        state = "complete"
        u = rng.random()
        if u < failed:
            state = "failed"
        elif u < failed + pruned:
            state = "pruned"
        if number >= n - running:
            state = "running"
        score = score_of(p) if set(p) >= {"C", "gamma", "kernel"} else float(rng.random())
        if state == "pruned":
            score -= 1.0
        rows.append(
            {
                "number": number,
                **p,
                "score": score if state in ("complete", "pruned") else np.nan,
                "score_std": np.nan,
                "state": state,
                "started": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(seconds=number),
                "duration": 0.1 if state != "running" else np.nan,
                "ask_time": 0.001,
                "error": "ValueError: boom" if state == "failed" else None,
            }
        )
    columns = [
        "number",
        *space.names,
        "score",
        "score_std",
        "state",
        "started",
        "duration",
        "ask_time",
        "error",
    ]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype({"score": float, "score_std": float, "duration": float})


def make_curves(trials: pd.DataFrame, steps: int = 10, seed: int = 0) -> pd.DataFrame:
    """Per-step values for ``trials`` (pruned ones stop early), like ``intermediate_dataframe``."""
    rng = np.random.default_rng(seed)
    rows = []
    for number, state in zip(trials["number"], trials["state"], strict=True):
        top = rng.random()
        n_steps = 3 if state == "pruned" else steps
        for step in range(n_steps):
            rows.append((number, step, top * (1 - np.exp(-(step + 1) / 3)), state))
    frame = pd.DataFrame(rows, columns=["number", "step", "value", "state"])
    return frame.astype({"number": int, "step": int, "value": float, "state": str})


@pytest.fixture
def space() -> tw.SearchSpace:
    return MIXED


@pytest.fixture(scope="session")
def many() -> pd.DataFrame:
    """10,000 trials: 5% failed, 10% pruned, 2 running."""
    return make_trials(10_000, failed=0.05, pruned=0.1, running=2, seed=1)


def fitted_search(space: tw.SearchSpace = MIXED, n: int = 12, seed: int = 0):
    """A BayesianSearch told ``n`` trials of ``score_of``, and the trials as a DataFrame."""
    search = tw.BayesianSearch(space, seed=seed, n_initial=5)
    rows = []
    for number in range(n):
        params = search.ask()
        score = score_of(params)
        search.tell(params, score)
        rows.append({"number": number, **params, "score": score, "state": "complete"})
    return search, pd.DataFrame(rows)


@pytest.fixture(scope="session")
def bayes():
    """(BayesianSearch after 12 trials, their DataFrame): its surrogate has a next point."""
    return fitted_search()
