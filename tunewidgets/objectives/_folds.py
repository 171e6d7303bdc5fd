"""One configuration, every fold: scikit-learn's own fit-and-score, and what a trial keeps.

Each fold is fitted and scored by the function scikit-learn's searches use
(``sklearn.model_selection._validation._fit_and_score``), so a trial means
exactly what a candidate of ``GridSearchCV`` means: the same slicing of fit
and score parameters, ``error_score`` per fold, train scores, several metrics,
the same verbose messages. It is private to scikit-learn; the call is kept
here, in one place, and passes only the arguments the installed version knows.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import clone

__all__ = ["fit_and_score_folds", "fold_info", "main_metric"]


@functools.cache
def _fit_and_score() -> tuple[Any, frozenset[str]]:
    from sklearn.model_selection import _validation

    func = _validation._fit_and_score
    return func, frozenset(inspect.signature(func).parameters)


def fit_and_score_folds(
    estimator: Any,
    X: Any,
    y: Any,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    params: dict[str, Any],
    *,
    scorer: Any,
    fit_params: dict[str, Any],
    score_params: dict[str, Any],
    return_train_score: bool,
    error_score: Any,
    verbose: int = 0,
    candidate_progress: tuple[int, int] | None = None,
    callbacks: tuple[Any, list[Any]] | None = None,
) -> list[dict[str, Any]]:
    """Fit and score a clone of ``estimator`` with ``params`` on every split.

    Parameters
    ----------
    estimator : estimator
        Cloned for each fold (the configuration's estimator-valued parameters too).
    X, y : array-like
        All the data.
    splits : sequence of (train, test)
        Index arrays.
    params : dict
        The configuration.
    scorer : callable or _MultimetricScorer
        As scikit-learn's searches build it.
    fit_params, score_params : dict
        Passed to ``fit`` and to the scorer, sliced per fold.
    return_train_score : bool
        Score the training part too.
    error_score : "raise" or float
        The score of a fold whose fit fails ("raise": raise the error).
    verbose : int, default=0
        scikit-learn's verbosity (above 1: a line per fold).
    candidate_progress : (int, int), optional
        The candidate's number and the number of candidates, for the messages.
    callbacks : (search, list of contexts), optional
        scikit-learn's callbacks (1.9+): the search that calls, and one
        callback context per fold.

    Returns
    -------
    list of dict
        One result per fold, as scikit-learn's ``_fit_and_score`` returns it.
    """
    func, known = _fit_and_score()
    extra = {}
    if "candidate_progress" in known:
        extra["candidate_progress"] = candidate_progress
    out = []
    n_splits = len(splits)
    for index, (train, test) in enumerate(splits):
        if callbacks is not None and "callback_ctx" in known:
            extra["caller"], extra["callback_ctx"] = callbacks[0], callbacks[1][index]
        out.append(
            func(
                clone(estimator),
                X,
                y,
                scorer=scorer,
                train=train,
                test=test,
                verbose=verbose,
                parameters=params,
                fit_params=fit_params,
                score_params=score_params,
                return_train_score=return_train_score,
                return_n_test_samples=True,
                return_times=True,
                error_score=error_score,
                split_progress=(index, n_splits),
                **extra,
            )
        )
    return out


def _number(value: Any) -> float:
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return float(value)  # type: ignore[arg-type]
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def main_metric(scores: Any, metric: str | None) -> str | None:
    """The metric that is a trial's score: ``metric`` if it was computed, else the first."""
    if not isinstance(scores, dict):
        return None
    if metric is not None and metric in scores:
        return metric
    return next(iter(scores), None)


def fold_info(out: list[dict[str, Any]], error_score: Any, metric: str | None) -> dict[str, Any]:
    """What a trial keeps of its folds (JSON-ready), and its score.

    Parameters
    ----------
    out : list of dict
        Results of :func:`fit_and_score_folds`.
    error_score : float
        The score given to folds whose fit failed.
    metric : str or None
        With several metrics, the one whose mean is the trial's score.

    Returns
    -------
    dict
        ``fold_scores`` (the main metric, per fold), ``fit_time``, ``score_time``,
        ``n_test_samples``; with several metrics ``test_scores`` (per metric);
        ``train_fold_scores`` / ``train_scores`` when train scores were computed;
        ``fit_errors`` (one traceback or None per fold) when a fit failed; and
        ``metric`` with several metrics.
    """
    failed = [r.get("fit_error") for r in out]
    names: list[str] | None = None
    for r in out:
        if r.get("fit_error") is None and isinstance(r["test_scores"], dict):
            names = list(r["test_scores"])
            break

    def per_fold(key: str) -> tuple[list[float], dict[str, list[float]] | None]:
        if names is None:
            values = []
            for r in out:
                v = r.get(key)
                values.append(_number(error_score if isinstance(v, dict) else v))
            return values, None
        table = {
            name: [
                _number(r[key].get(name, error_score))
                if isinstance(r.get(key), dict)
                else _number(error_score)
                for r in out
            ]
            for name in names
        }
        chosen = main_metric(dict.fromkeys(names), metric)
        return table[chosen], table  # type: ignore[index]

    test, test_table = per_fold("test_scores")
    info: dict[str, Any] = {
        "fold_scores": test,
        "fit_time": [float(r.get("fit_time", math.nan)) for r in out],
        "score_time": [float(r.get("score_time", math.nan)) for r in out],
        "n_test_samples": [int(r.get("n_test_samples", 0)) for r in out],
    }
    if test_table is not None:
        info["test_scores"] = test_table
        info["metric"] = main_metric(test_table, metric)
    if any("train_scores" in r for r in out):
        train, train_table = per_fold("train_scores")
        info["train_fold_scores"] = train
        if train_table is not None:
            info["train_scores"] = train_table
    if any(e is not None for e in failed):
        info["fit_errors"] = failed
    return info
