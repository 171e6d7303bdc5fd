"""One trial of a scikit-learn estimator: clone, set the parameters, cross-validate."""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from sklearn import config_context, get_config
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_consistent_length

from ..space import SearchSpace
from ._base import Objective, ObjectiveResult, Reporter
from ._folds import fit_and_score_folds, fold_info

__all__ = [
    "SklearnObjective",
    "build_scorer",
    "check_estimator_params",
    "check_estimator_values",
    "is_estimator",
]


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


def _folds_text(splits: list[tuple[np.ndarray, np.ndarray]]) -> str:
    """The folds in a few words, with a fingerprint that changes when any fold does."""
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for train, test in splits:
        for part in (train, test):
            digest.update(np.ascontiguousarray(part, dtype=np.int64).tobytes())
            digest.update(b"|")
    sizes = [len(test) for _, test in splits]
    shown = ", ".join(map(str, sizes[:6])) + (", ..." if len(sizes) > 6 else "")
    return f"{len(splits)} folds (test sizes {shown}; fingerprint {digest.hexdigest()[:10]})"


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


def build_scorer(estimator: Any, scoring: Any, error_score: Any = "raise") -> Any:
    """The scorer of ``scoring``, as scikit-learn's searches build it.

    Parameters
    ----------
    estimator : estimator
        The estimator scored.
    scoring : str, callable, list, tuple, dict or None
        One metric (a name, a callable ``scorer(estimator, X, y)``, None for the
        estimator's ``score``) or several (a list or tuple of names, a dict of
        names to scorers, or a callable returning a dict).
    error_score : "raise" or float, default="raise"
        Whether a scorer that fails raises (several metrics).

    Returns
    -------
    callable
        A scorer; for several metrics, scikit-learn's multi-metric scorer.

    Raises
    ------
    ValueError
        For an unknown name or a value that is no scoring.
    """
    if isinstance(scoring, list | tuple | set | Mapping):
        from sklearn.metrics._scorer import _check_multimetric_scoring, _MultimetricScorer

        if isinstance(scoring, list | tuple | set):
            for name in scoring:
                if isinstance(name, str):
                    _check_scoring(estimator, name)
        scorers = _check_multimetric_scoring(estimator, scoring)
        return _MultimetricScorer(scorers=scorers, raise_exc=(error_score == "raise"))
    return _check_scoring(estimator, scoring)


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
            "The 'scoring' parameter must be a scorer name, a callable scorer(estimator, X, y), "
            "a list, tuple or dict of them (several metrics), or None. "
            f"Got {scoring!r} instead."
        )
    return check_scoring(estimator, scoring=scoring)


class SklearnObjective(Objective):
    """Cross-validate a scikit-learn estimator: one trial per configuration.

    A trial clones the estimator, sets the configuration with ``set_params``
    (so pipeline parameters such as ``"svc__C"`` work; estimator-valued
    parameters are cloned too) and fits and scores it on every fold with the
    function scikit-learn's searches use, so a trial means what a candidate of
    ``GridSearchCV`` means. The score is the mean over folds; its standard
    deviation, each fold's score, the fit and score times, the number of test
    samples (and, as asked, train scores, every metric, each failed fit's
    error) are kept with the trial.

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
    scoring : str, callable, list, tuple or dict, optional
        A name from ``sklearn.metrics.get_scorer_names()`` or a callable
        ``scorer(estimator, X, y)``; None uses the estimator's ``score``.
        Several metrics as in scikit-learn: a list or tuple of names, a dict
        of names to scorers, or a callable returning a dict.
    groups : array-like, optional
        Group labels for group-aware splitters.
    fit_params : dict, optional
        Passed to ``fit`` (routed as scikit-learn's ``params``); arrays of one
        value per sample are sliced per fold.
    error_score : "raise" or float, default="raise"
        A fold whose fit fails: "raise" fails the trial with the error; a
        number is that fold's score (``np.nan`` fails the trial, but the other
        folds' scores and the error are kept), as in scikit-learn's searches.
    return_train_score : bool, default=False
        Score each fold's training part too.
    metric : str, optional
        With several metrics, the one whose mean is the trial's score (the
        first one when omitted).
    score_params : dict, optional
        Passed to the scorer (e.g. ``sample_weight``), sliced per fold.
    verbose : int, default=0
        scikit-learn's verbosity: above 1, a line per fold.

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

    #: Check bounds and choices against the estimator's constraints before any trial runs
    #: (``check_space``). TuneSearchCV turns it off: as in scikit-learn's searches, a value
    #: the estimator refuses is a fit that fails, scored ``error_score``.
    check_values: bool = True

    #: (search, its "search" callback context), set by TuneSearchCV while it runs in-thread:
    #: each fold then reports to scikit-learn's callbacks as a candidate-split task.
    _callbacks: tuple[Any, Any] | None = None

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
        error_score: Any = "raise",
        return_train_score: bool = False,
        metric: str | None = None,
        score_params: dict[str, Any] | None = None,
        verbose: int = 0,
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
        if not (
            error_score == "raise"
            or (isinstance(error_score, numbers.Real) and not isinstance(error_score, bool))
        ):
            raise ValueError(
                "The 'error_score' parameter must be 'raise' or a number (the score of a fold "
                f"whose fit fails, e.g. np.nan). Got {error_score!r} instead."
            )
        self.error_score = error_score
        self.return_train_score = bool(return_train_score)
        self.metric = metric
        self.score_params = dict(score_params or {})
        self.verbose = int(verbose)
        self._scorer = build_scorer(estimator, scoring, error_score)
        self._config = get_config()  # scikit-learn's settings travel with each trial
        #: The exception of the last trial that raised (with error_score="raise"), in-thread.
        self.last_exception: BaseException | None = None
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
        """Raise if a name is not a parameter of the estimator, or a value one it refuses.

        Names that ``get_params`` lists pass at once; any other name passes if
        ``set_params`` of a clone accepts a configuration of its branch (a
        pipeline step set by the same configuration, an estimator that takes
        more than it lists), as it would in a trial. Then, unless
        :attr:`check_values` is False, every bound and choice of a listed name
        is checked against the estimator's declared constraints
        (:func:`check_estimator_values`).

        Parameters
        ----------
        space : SearchSpace
            The space about to be searched.

        Raises
        ------
        ValueError
            Naming the unknown parameter and the closest valid names, or the
            value and what the estimator allows.
        """
        try:
            valid = set(self.estimator.get_params(deep=True))
        except Exception:  # an estimator whose get_params fails: let set_params judge
            valid = set()
        for branch in space.branches:
            unknown = [name for name in branch.names if name not in valid]
            if not unknown:
                continue
            try:
                config = branch.sample(np.random.default_rng(0))
                clone(self.estimator).set_params(**clone(config, safe=False))
            except Exception as exc:
                check_estimator_params(self.estimator, unknown)
                raise ValueError(
                    f"{type(self.estimator).__name__} does not accept the parameters "
                    f"{unknown!r}: {exc}"
                ) from None
        if self.check_values:
            for branch in space.branches:
                listed = {name: branch[name] for name in branch.names if name in valid}
                check_estimator_values(self.estimator, SearchSpace(listed))

    def __call__(self, params: dict[str, Any], reporter: Reporter | None = None) -> ObjectiveResult:
        callbacks = None
        if self._callbacks is not None and reporter is not None:
            caller, search = self._callbacks
            callbacks = (
                caller,
                [
                    search.subcontext(
                        task_name="candidate-split-evaluation",
                        task_id=reporter.number * self.n_splits + k,
                    )
                    for k in range(self.n_splits)
                ],
            )
        try:
            with config_context(**self._config):
                out = fit_and_score_folds(
                    self.estimator,
                    self.X,
                    self.y,
                    self.splits,
                    params,
                    scorer=self._scorer,
                    fit_params=self.fit_params,
                    score_params=self.score_params,
                    return_train_score=self.return_train_score,
                    error_score=self.error_score,
                    verbose=self.verbose,
                    callbacks=callbacks,
                )
        except Exception as exc:
            self.last_exception = exc
            raise
        error_score = math.nan if self.error_score == "raise" else self.error_score
        info = fold_info(out, error_score, self.metric)
        scores = np.asarray(info["fold_scores"], dtype=float)
        return ObjectiveResult(score=float(scores.mean()), score_std=float(scores.std()), info=info)

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
        estimator = clone(self.estimator).set_params(**clone(params, safe=False))
        return estimator.fit(X, y, **self.fit_params)

    def describe(self) -> dict[str, Any]:
        if isinstance(self.scoring, str | None):
            scoring: Any = self.scoring
        elif isinstance(self.scoring, list | tuple):
            scoring = [s if isinstance(s, str) else repr(s) for s in self.scoring]
        elif isinstance(self.scoring, Mapping):
            scoring = {
                str(k): v if isinstance(v, str) else repr(v) for k, v in self.scoring.items()
            }
        else:
            scoring = repr(self.scoring)
        return {
            "kind": "sklearn",
            "estimator": repr(self.estimator),
            "estimator_class": type(self.estimator).__name__,
            "scoring": scoring,
            "cv": repr(self.cv),
            "folds": _folds_text(self.splits),
            "n_splits": int(self.n_splits),
            "n_samples": _n_samples(self.X),
        }

    @property
    def label(self) -> str:
        est = self.estimator
        if hasattr(est, "steps"):
            est = est.steps[-1][1]
        return type(est).__name__.lower()
