"""Other libraries' optimizers, each run by its own loop with its documented defaults.

- scikit-optimize 0.10: ``gp_minimize`` as documented, defaults untouched: a
  Matérn GP with a noise term, 10 random initial points, the ``gp_hedge``
  portfolio of EI, PI and LCB, and L-BFGS-B acquisition optimization from 5
  restarts after 10,000 random points.
- hyperopt 0.3: ``fmin`` with ``tpe.suggest`` and its defaults (20 random startup
  trials).
- Optuna: ``TPESampler`` and ``GPSampler`` with their defaults, through
  ``tw.OptunaSearch`` (Optuna's own ask/tell).

Each runner calls ``evaluate(params) -> score`` (maximized; nan for a failed trial)
``budget`` times and returns what :func:`run_strategy` returns.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import tunewidgets as tw

Evaluate = Callable[[dict[str, Any]], float]


class Recorder:
    """Wraps ``evaluate``: the scores in order, and the time spent inside it."""

    def __init__(self, evaluate: Evaluate) -> None:
        self.evaluate = evaluate
        self.scores: list[float] = []
        self.evaluation_s = 0.0
        self.gaps: list[float] = []  # optimizer time between the end of one call and the next
        self._last_end: float | None = None

    def __call__(self, params: dict[str, Any]) -> float:
        start = time.perf_counter()
        if self._last_end is not None:
            self.gaps.append(start - self._last_end)
        score = self.evaluate(params)
        end = time.perf_counter()
        self.evaluation_s += end - start
        self._last_end = end
        self.scores.append(score)
        return score


def run_strategy(strategy: tw.Strategy, evaluate: Evaluate, budget: int) -> Recorder:
    """``budget`` sequential trials of a tunewidgets strategy (ask, evaluate, tell)."""
    recorder = Recorder(evaluate)
    for _ in range(budget):
        params = strategy.ask()
        strategy.tell(params, recorder(params))
    return recorder


def _optuna(space: tw.SearchSpace, seed: int, kind: str) -> tw.Strategy:
    import optuna

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    if kind == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed)
    else:
        import torch

        torch.set_num_threads(1)
        sampler = optuna.samplers.GPSampler(seed=seed)
    return tw.OptunaSearch(space, sampler=sampler)


def run_optuna(space: tw.SearchSpace, seed: int, evaluate: Evaluate, budget: int, kind: str):
    return run_strategy(_optuna(space, seed, kind), evaluate, budget)


# -- scikit-optimize ----------------------------------------------------------------------------
def _skopt_dimensions(space: tw.SearchSpace) -> list[Any]:
    from skopt.space import Categorical, Integer, Real

    dims = []
    for name, param in space.items():
        if isinstance(param, tw.Float):
            prior = "log-uniform" if param.log else "uniform"
            dims.append(Real(param.low, param.high, prior=prior, name=name))
        elif isinstance(param, tw.Int):
            prior = "log-uniform" if param.log else "uniform"
            dims.append(Integer(param.low, param.high, prior=prior, name=name))
        else:
            dims.append(Categorical(list(param.choices), name=name))
    return dims


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def run_skopt(space: tw.SearchSpace, seed: int, evaluate: Evaluate, budget: int) -> Recorder:
    """``gp_minimize`` with its defaults (gp_hedge); a failed trial counts as the worst so far."""
    from skopt import gp_minimize

    recorder = Recorder(evaluate)
    names = list(space)

    def loss(x: list[Any]) -> float:
        params = space.check({n: _plain(v) for n, v in zip(names, x, strict=True)})
        score = recorder(params)
        if math.isnan(score):
            finite = [s for s in recorder.scores if not math.isnan(s)]
            return -min(finite) if finite else 0.0
        return -score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gp_minimize(loss, _skopt_dimensions(space), n_calls=budget, random_state=seed)
    return recorder


# -- hyperopt -----------------------------------------------------------------------------------
def _hyperopt_space(space: tw.SearchSpace) -> dict[str, Any]:
    from hyperopt import hp

    out = {}
    for name, param in space.items():
        if isinstance(param, tw.Float):
            if param.log:
                out[name] = hp.loguniform(name, math.log(param.low), math.log(param.high))
            else:
                out[name] = hp.uniform(name, param.low, param.high)
        elif isinstance(param, tw.Int):
            if param.log:  # hyperopt's own recipe for a log-scaled integer
                low, high = math.log(param.low - 0.5 + 1e-9), math.log(param.high + 0.5)
                out[name] = hp.qloguniform(name, low, high, 1)
            else:
                out[name] = hp.uniformint(name, param.low, param.high)
        else:
            out[name] = hp.choice(name, list(param.choices))
    return out


def run_hyperopt(space: tw.SearchSpace, seed: int, evaluate: Evaluate, budget: int) -> Recorder:
    """``fmin`` with ``tpe.suggest`` and its defaults; a failed trial is reported as failed."""
    import logging

    from hyperopt import STATUS_FAIL, STATUS_OK, Trials, fmin, tpe

    logging.getLogger("hyperopt").setLevel(logging.WARNING)
    recorder = Recorder(evaluate)

    def loss(sample: dict[str, Any]) -> dict[str, Any]:
        params = {}
        for name, param in space.items():
            value = _plain(sample[name])
            if isinstance(param, tw.Int):
                value = int(min(max(round(float(value)), param.low), param.high))
            params[name] = value
        score = recorder(space.check(params))
        if math.isnan(score):
            return {"status": STATUS_FAIL}
        return {"loss": -score, "status": STATUS_OK}

    fmin(
        loss,
        _hyperopt_space(space),
        algo=tpe.suggest,
        max_evals=budget,
        trials=Trials(),
        rstate=np.random.default_rng(seed),
        show_progressbar=False,
    )
    return recorder
