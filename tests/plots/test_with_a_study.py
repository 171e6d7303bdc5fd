"""The plots read a real Study's DataFrames: complete, failed and pruned trials, curves."""

from __future__ import annotations

import math

import plotly.graph_objects as go

import tunewidgets as tw
from tunewidgets import plots

from .conftest import MIXED, score_of


def objective(params, trial):
    if params["degree"] == 5 and params["kernel"] == "poly":
        raise ValueError("degree 5 diverged")
    if params["kernel"] == "sigmoid" and params["degree"] == 4:
        return math.nan
    score = score_of(params)
    for step in range(4):
        trial.report(score * (1 - 0.5 ** (step + 1)), step)
        if params["degree"] == 2 and step == 1:
            raise tw.TrialPruned()
    return score


def test_a_study_with_every_state():
    study = tw.tune(objective, MIXED, strategy="random", n_trials=40, storage=None, seed=3)
    trials, curves = study.trials_dataframe(), study.intermediate_dataframe()
    states = set(trials["state"])
    assert {"complete", "failed", "pruned"} <= states
    figures = [
        plots.plot_parallel_coordinates(trials, MIXED, top_fraction=0.5),
        plots.plot_convergence(trials),
        plots.plot_convergence({"random": trials, "again": trials}),
        plots.plot_search_path(trials, MIXED, "C", "kernel"),
        plots.plot_importance(trials, MIXED),
        plots.plot_learning_curves(curves, trials=trials),
    ]
    assert all(isinstance(f, go.Figure) and f.data for f in figures)
    best = study.best_trial
    path_star = figures[3].data[-1]
    assert path_star.name == f"best: trial {best.number}"
    assert figures[-1].data[-1].name == f"best: trial {best.number}"
    narrowed = tw.narrow_space(MIXED, trials, top_fraction=0.25)
    assert narrowed.contains(best.params)
