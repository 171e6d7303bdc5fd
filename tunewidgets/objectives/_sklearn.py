"""One trial of a scikit-learn estimator: clone, set the parameters, cross-validate."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv, cross_validate
from sklearn.utils import check_consistent_length

from ..space import SearchSpace
from ._base import Objective, ObjectiveResult, Reporter

__all__ = ["SklearnObjective", "check_estimator_params", "check_estimator_values", "is_estimator"]


def is_estimator(obj: Any) -> bool:
    """Whether ``obj`` looks like a scikit-learn estimator (``fit`` and ``get_params``).

    Parameters
    ----------
    obj : object

    Returns
    -------
    bool
    """
    return hasattr(obj, "fit") and hasattr(obj, "get_params") and not isinstance(obj, type)


def _n_samples(X: Any) -> int:
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(X)
    except TypeError:
        return int(np.asarray(X).shape[0])


def _requires_y(estimator: Any) -> bool:
    try:
        return bool(estimator.__sklearn_tags__().target_tags.required)
    except AttributeError:
        return False


def check_estimator_params(estimator: Any, names: Iterable[str]) -> None:
    """Raise if a name is not a parameter of ``estimator`` (nested ``step__param`` included).

    Parameters
    ----------
    estimator : estimator
        A scikit-learn estimator or pipeline.
    names : iterable of str
        Parameter names to check.

    Raises
    ------
    ValueError
        Naming the unknown parameter, the closest valid names and all valid ones.
    """
    valid = sorted(estimator.get_params(deep=True))
    for name in names:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=3)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(
                f"{name!r} is not a parameter of {type(estimator).__name__}.{hint} "
                f"Valid parameters: {', '.join(valid)}."
            )


def _values_to_check(param: Any) -> list[Any]:
    choices = getattr(param, "choices", None)
    if choices is not None:
        return list(choices)
    return [param.low, param.high]


def check_estimator_values(estimator: Any, space: Any) -> None:
    """Raise if a bound or choice of ``space`` is not valid for ``estimator``.

    Each estimator that owns a parameter checks the value against its declared
    constraints (scikit-learn's ``_validate_params``), before any trial runs,
    so ``Categorical(["rbf", "bogus"])`` for an SVC's kernel fails at once
    rather than in every trial that draws it. Estimators without declared
    constraints are not checked.

    Parameters
    ----------
    estimator : estimator
        A scikit-learn estimator or pipeline.
    space : SearchSpace
        The parameters to search.

    Raises
    ------
    ValueError
        Naming the parameter, the value and what the estimator allows.
    """

    def owner_of(est: Any, path: list[str]) -> Any:
        for step in path:
            est = est.get_params(deep=True)[step]
        return est

    for name, param in space.items():
        path = name.split("__")[:-1]
        validate = getattr(owner_of(estimator, path), "_validate_params", None)
        if validate is None:
            continue
        try:
            validate()
        except (ValueError, TypeError):
            continue  # the estimator as given is already invalid: its own fit will say so
        for value in _values_to_check(param):
            trial = clone(estimator)
            try:
                trial.set_params(**{name: value})
            except Exception:
                continue  # a meta-estimator that checks set_params itself: left to the trial
            owner = owner_of(trial, path)
            try:
                owner._validate_params()
            except (ValueError, TypeError) as exc:
                message = str(exc).split(". Got", 1)[0]
                raise ValueError(
                    f"{value!r} is not a valid value of {name!r} for "
                    f"{type(owner).__name__}: {message}. Got {value!r}; change the space."
                ) from None


def _check_scoring(estimator: Any, scoring: Any) -> Callable[..., float]:
    if isinstance(scoring, str) and scoring not in get_scorer_names():
        close = difflib.get_close_matches(scoring, get_scorer_names(), n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown scoring {scoring!r}.{hint} Use a name from "
            "sklearn.metrics.get_scorer_names(), a callable scorer(estimator, X, y), or None "
            "for the estimator's own score method."
        )
    if scoring is not None and not isinstance(scoring, str) and not callable(scoring):
        raise ValueError(
            "The 'scoring' parameter must be a scorer name, a callable scorer(estimator, X, y) "
            f"or None. Got {scoring!r} instead."
        )
    return check_scoring(estimator, scoring=scoring)


class SklearnObjective(Objective):
    """Cross-validate a scikit-learn estimator: one trial per configuration.

    A trial clones the estimator, sets the configuration with ``set_params``
    (so pipeline parameters such as ``"svc__C"`` work) and runs
    :func:`sklearn.model_selection.cross_validate`. The score is the mean over
    folds; its standard deviation, each fold's score and the fit and score
    times are kept with the trial.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn estimator or pipeline; it is never modified.
    X : array-like of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,), optional
        Targets (None for unsupervised estimators).
    cv : int, cross-validation splitter or iterable, default=5
        As in scikit-learn: an int gives (stratified, for classifiers) k-fold
        without shuffling. The splitter is applied once, here, and every trial
        is scored on those same folds (as in scikit-learn's searches), so a
        shuffling splitter without a seed still compares trials fairly.
    scoring : str or callable, optional
        A name from ``sklearn.metrics.get_scorer_names()`` or a callable
        ``scorer(estimator, X, y)``; None uses the estimator's ``score``.
    groups : array-like, optional
        Group labels for group-aware splitters.
    fit_params : dict, optional
        Passed to ``fit`` (routed as scikit-learn's ``params``).

    Raises
    ------
    ValueError
        If ``X`` and ``y`` differ in length, ``scoring`` is unknown, or ``cv`` is invalid.

    See Also
    --------
    tune : runs a whole search with this objective.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = tw.SklearnObjective(LogisticRegression(max_iter=500), X, y, cv=3)
    >>> result = objective({"C": 1.0}, None)
    >>> round(result.score, 2)
    0.97
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        X: Any,
        y: Any = None,
        *,
        cv: Any = 5,
        scoring: str | Callable[..., float] | None = None,
        groups: Any = None,
        fit_params: dict[str, Any] | None = None,
    ) -> None:
        if not is_estimator(estimator):
            raise ValueError(
                "SklearnObjective needs a scikit-learn estimator (an object with fit and "
                f"get_params). Got {estimator!r}."
            )
        if X is None:
            raise ValueError("SklearnObjective: X is required (the training data). Got None.")
        if y is None and _requires_y(estimator):
            raise ValueError(
                f"{type(estimator).__name__} requires y to be passed, but the target y is None."
            )
        if y is not None and _n_samples(X) != _n_samples(y):
            raise ValueError(
                f"X and y must have the same number of samples: X has {_n_samples(X)}, "
                f"y has {_n_samples(y)}."
            )
        if groups is not None and _n_samples(groups) != _n_samples(X):
            raise ValueError(
                f"groups must give one group label per sample: X has {_n_samples(X)} samples, "
                f"groups has {_n_samples(groups)}."
            )
        check_consistent_length(X, y, groups)
        self.estimator = estimator
        self.X, self.y, self.groups = X, y, groups
        self.scoring = scoring
        self.fit_params = dict(fit_params or {})
        self._scorer = _check_scoring(estimator, scoring)
        try:
            self.cv = check_cv(cv, y, classifier=is_classifier(estimator))
        except (ValueError, TypeError) as exc:
            raise ValueError(
                "The 'cv' parameter must be an int >= 2, a cross-validation splitter or an "
                f"iterable of (train, test) splits. Got {cv!r} instead ({exc})."
            ) from None
        try:
            # Split once, as scikit-learn's searches do: every trial is scored on the same
            # folds, even with a shuffling splitter without a seed or a one-shot iterable.
            self.splits = [
                (np.asarray(tr), np.asarray(te)) for tr, te in self.cv.split(X, y, groups)
            ]
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"The cross-validation splitter {cv!r} cannot split this data: {exc}"
            ) from None
        if not self.splits:
            raise ValueError(f"The cross-validation splitter {cv!r} gave no split of this data.")
        self.n_splits = len(self.splits)

    def check_space(self, space: SearchSpace) -> None:
        check_estimator_params(self.estimator, space.names)
        check_estimator_values(self.estimator, space)

    def __call__(self, params: dict[str, Any], reporter: Reporter | None = None) -> ObjectiveResult:
        estimator = clone(self.estimator).set_params(**params)
        result = cross_validate(
            estimator,
            self.X,
            self.y,
            groups=self.groups,
            scoring=self._scorer,
            cv=self.splits,
            params=self.fit_params or None,
            error_score="raise",
        )
        scores = np.asarray(result["test_score"], dtype=float)
        return ObjectiveResult(
            score=float(scores.mean()),
            score_std=float(scores.std()),
            info={
                "fold_scores": scores.tolist(),
                "fit_time": np.asarray(result["fit_time"]).tolist(),
                "score_time": np.asarray(result["score_time"]).tolist(),
            },
        )

    def refit(self, params: dict[str, Any], X: Any = None, y: Any = None) -> BaseEstimator:
        """Fit a fresh clone with ``params`` on all of ``X`` and ``y`` (default: the training data).

        Parameters
        ----------
        params : dict
            The configuration.
        X, y : array-like, optional
            Data to fit on; the objective's own data when omitted.

        Returns
        -------
        estimator
            Fitted.
        """
        X = self.X if X is None else X
        y = self.y if y is None and X is self.X else y
        return clone(self.estimator).set_params(**params).fit(X, y, **self.fit_params)

    def describe(self) -> dict[str, Any]:
        scoring = self.scoring if isinstance(self.scoring, str | None) else repr(self.scoring)
        return {
            "kind": "sklearn",
            "estimator": repr(self.estimator),
            "estimator_class": type(self.estimator).__name__,
            "scoring": scoring,
            "cv": repr(self.cv),
            "n_splits": int(self.n_splits),
            "n_samples": _n_samples(self.X),
        }

    @property
    def label(self) -> str:
        est = self.estimator
        if hasattr(est, "steps"):
            est = est.steps[-1][1]
        return type(est).__name__.lower()
