"""``cv_results_`` from a study's trials, the way scikit-learn's searches lay it out.

Each trial keeps its folds (scores, times, test sizes, each failed fit's error;
see ``SklearnObjective``). Here they become scikit-learn's per-fold results
again, so that ``cv_results_``, the ``FitFailedWarning`` and the "all fits
failed" error read exactly as ``GridSearchCV``'s: same keys, dtypes (masked
parameter arrays of the values' own dtype, float scores, int32 ranks), ranking
("min" method, failed candidates tied last) and messages.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.ma import MaskedArray
from scipy.stats import rankdata
from sklearn.exceptions import FitFailedWarning

from .study import Trial, TrialState

__all__ = ["fold_results", "format_results", "warn_or_raise_about_fit_failures"]


def _value(x: Any) -> float:
    return math.nan if x is None else float(x)


def _scores(info: dict[str, Any], table_key: str, list_key: str, k: int) -> Any:
    table = info.get(table_key)
    if isinstance(table, dict):
        return {name: _value(values[k]) for name, values in table.items()}
    values = info.get(list_key)
    return _value(values[k]) if values is not None else math.nan


def fold_results(
    trial: Trial, n_splits: int, error_score: float, train: bool
) -> list[dict[str, Any]]:
    """A trial's folds as scikit-learn's ``_fit_and_score`` results.

    Parameters
    ----------
    trial : Trial
        A finished trial of a ``SklearnObjective``.
    n_splits : int
        Folds per candidate.
    error_score : float
        The score of a fold whose fit failed.
    train : bool
        Whether train scores were computed.

    Returns
    -------
    list of dict
        One per fold. A trial that failed outside its folds (a worker that
        died, an error while setting the parameters) counts as failed in every
        fold, with the trial's error.
    """
    info = trial.info or {}
    folds = info.get("fold_scores")
    if folds is None or len(folds) != n_splits:
        error = trial.error or "the trial did not finish"
        trace = info.get("traceback") or ""
        message = f"{trace.rstrip()}\n{error}" if trace and error not in trace else trace or error
        seconds = (trial.duration or 0.0) / max(n_splits, 1)
        out = {
            "test_scores": error_score,
            "fit_time": seconds,
            "score_time": 0.0,
            "n_test_samples": 0,
            "fit_error": message,
        }
        if train:
            out["train_scores"] = error_score
        return [dict(out) for _ in range(n_splits)]
    errors = info.get("fit_errors") or [None] * n_splits
    results = []
    for k in range(n_splits):
        out = {
            "test_scores": _scores(info, "test_scores", "fold_scores", k),
            "fit_time": _value(info["fit_time"][k]),
            "score_time": _value(info["score_time"][k]),
            "n_test_samples": int((info.get("n_test_samples") or [0] * n_splits)[k] or 0),
            "fit_error": errors[k],
        }
        if train:
            out["train_scores"] = _scores(info, "train_scores", "train_fold_scores", k)
        results.append(out)
    return results


def insert_error_scores(results: list[dict[str, Any]], error_score: float) -> None:
    """Give failed folds one score per metric, once the metrics are known (callable scoring)."""
    names = None
    for result in results:
        if result["fit_error"] is None and isinstance(result["test_scores"], dict):
            names = list(result["test_scores"])
            break
    if names is None:
        return
    for result in results:
        for key in ("test_scores", "train_scores"):
            if key in result and not isinstance(result[key], dict):
                result[key] = dict.fromkeys(names, error_score)


def warn_or_raise_about_fit_failures(results: list[dict[str, Any]], error_score: Any) -> None:
    """scikit-learn's ``FitFailedWarning`` when some fits failed, its ``ValueError`` when all did.

    Parameters
    ----------
    results : list of dict
        Every fold of every candidate.
    error_score : float
        The score the failed fits were given.

    Raises
    ------
    ValueError
        If every fit failed.
    """
    fit_errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
    if not fit_errors:
        return
    num_failed, num_fits = len(fit_errors), len(results)
    delimiter = "-" * 80 + "\n"
    summary = "\n".join(
        f"{delimiter}{n} fits failed with the following error:\n{error}"
        for error, n in Counter(fit_errors).items()
    )
    if num_failed == num_fits:
        raise ValueError(
            f"\nAll the {num_fits} fits failed.\n"
            "It is very likely that your model is misconfigured.\n"
            "You can try to debug the error by setting error_score='raise'.\n\n"
            f"Below are more details about the failures:\n{summary}"
        )
    warnings.warn(
        f"\n{num_failed} fits failed out of a total of {num_fits}.\n"
        "The score on these train-test partitions for these parameters"
        f" will be set to {error_score}.\n"
        "If these failures are not expected, you can try to debug them "
        "by setting error_score='raise'.\n\n"
        f"Below are more details about the failures:\n{summary}",
        FitFailedWarning,
        stacklevel=3,
    )


def masked_params(candidates: Sequence[dict[str, Any]]) -> Iterator[tuple[str, MaskedArray]]:
    """One masked array per parameter (masked where a candidate lacks it), dtype as scikit-learn."""
    n = len(candidates)
    by_param: dict[str, dict[int, Any]] = defaultdict(dict)
    for index, params in enumerate(candidates):
        for name, value in params.items():
            by_param[f"param_{name}"][index] = value
    for key, values in by_param.items():
        try:
            arr = np.array(list(values.values()))
        except ValueError:  # sequences of different lengths
            dtype = np.dtype(object)
        else:
            dtype = arr.dtype if arr.dtype.kind != "U" and arr.ndim == 1 else np.dtype(object)
        column = MaskedArray(np.empty(n, dtype=dtype), mask=True)
        for index, value in values.items():
            column[index] = value
        yield key, column


def _aggregate(results: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [r[key] for r in results] for key in results[0]}


def _normalize(scores: list[Any]) -> dict[str, list[float]]:
    if isinstance(scores[0], dict):
        return {name: [s[name] for s in scores] for name in scores[0]}
    return {"score": scores}


def format_results(
    candidates: list[dict[str, Any]],
    n_splits: int,
    results: list[dict[str, Any]],
    return_train_score: bool,
) -> dict[str, Any]:
    """``cv_results_``, laid out as ``BaseSearchCV._format_results`` lays it out.

    Parameters
    ----------
    candidates : list of dict
        The configurations, in order.
    n_splits : int
        Folds per candidate.
    results : list of dict
        Fold results, candidate by candidate, fold by fold.
    return_train_score : bool
        Whether train scores are included.

    Returns
    -------
    dict
    """
    n_candidates = len(candidates)
    out = _aggregate(results)
    cv_results: dict[str, Any] = {}

    def store(name: str, values: Any, splits: bool = False, rank: bool = False) -> None:
        array = np.array(values, dtype=np.float64).reshape(n_candidates, n_splits)
        if splits:
            for k in range(n_splits):
                cv_results[f"split{k}_{name}"] = array[:, k]
        means = np.average(array, axis=1)
        cv_results[f"mean_{name}"] = means
        if name.startswith(("train_", "test_")) and np.any(~np.isfinite(means)):
            warnings.warn(
                f"One or more of the {name.split('_')[0]} scores are non-finite: {means}",
                category=UserWarning,
                stacklevel=4,
            )
        cv_results[f"std_{name}"] = np.sqrt(np.average((array - means[:, None]) ** 2, axis=1))
        if rank:
            if np.isnan(means).all():
                ranks = np.ones_like(means, dtype=np.int32)
            else:
                filled = np.nan_to_num(means, nan=np.nanmin(means) - 1)
                ranks = rankdata(-filled, method="min").astype(np.int32, copy=False)
            cv_results[f"rank_{name}"] = ranks

    store("fit_time", out["fit_time"])
    store("score_time", out["score_time"])
    for key, column in masked_params(candidates):
        cv_results[key] = column
    cv_results["params"] = candidates
    test = _normalize(out["test_scores"])
    train = _normalize(out["train_scores"]) if return_train_score else {}
    for name in test:
        store(f"test_{name}", test[name], splits=True, rank=True)
        if return_train_score:
            store(f"train_{name}", train[name], splits=True)
    return cv_results


def finished(trials: list[Trial]) -> list[Trial]:
    """The trials that ended (in order of number)."""
    return sorted((t for t in trials if t.state is not TrialState.RUNNING), key=lambda t: t.number)
