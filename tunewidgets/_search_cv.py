"""``TuneSearchCV``: a scikit-learn drop-in for GridSearchCV and RandomizedSearchCV."""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._tune import TrialsFailedWarning, tune
from .space import SearchSpace
from .strategies import Strategy
from .study import Study, TrialState

__all__ = ["TuneSearchCV"]


def _estimator_has(attr: str) -> Callable[[Any], bool]:
    def check(self: TuneSearchCV) -> bool:
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, attr)
        return hasattr(self.estimator, attr)

    return check


class TuneSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Search hyperparameters with any tunewidgets strategy, the scikit-learn way.

    A drop-in for :class:`~sklearn.model_selection.GridSearchCV` and
    :class:`~sklearn.model_selection.RandomizedSearchCV`: ``fit``, then
    ``best_params_``, ``best_score_``, ``best_estimator_`` and ``cv_results_``
    with scikit-learn's keys; ``predict`` and friends use the refitted best
    estimator. ``study_`` holds the search for tunewidgets' plots and reports.

    Parameters
    ----------
    estimator : estimator
        The estimator (or pipeline) to tune.
    space : SearchSpace or dict
        What to search (a dict of tw.Float / tw.Int / tw.Categorical).
    strategy : {"bayes", "random", "grid", "evolution", "tpe"} or Strategy, default="bayes"
        How to choose configurations.
    n_iter : int, default=50
        Number of configurations to try (a grid may end sooner).
    scoring : str or callable, optional
        Scorer name or callable; None uses the estimator's ``score``.
    cv : int or splitter, default=5
        Cross-validation.
    refit : bool, default=True
        Refit the best configuration on the whole data set.
    n_jobs : int, default=1
        Trials at once (-1: one per CPU).
    random_state : int, optional
        Seed of the strategy.
    strategy_options : dict, optional
        Options of the strategy, e.g. ``{"acquisition": "ucb"}``.
    storage : str or None, default=None
        A SQLite file to keep the trials in (none by default, as scikit-learn's
        searches keep nothing).
    study_name : str, optional
        Name of the study in ``storage``.
    timeout : float, optional
        Seconds after which no new trial starts.
    verbose : int, default=0
        Show a progress bar when positive.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in scikit-learn: ``params``, ``param_<name>``, ``split<k>_test_score``,
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``, and fit and
        score times.
    best_estimator_ : estimator
        Refitted on all data (with ``refit=True``).
    best_score_ : float
        Mean cross-validated score of the best configuration.
    best_params_ : dict
        The best configuration.
    best_index_ : int
        Its index in ``cv_results_``.
    n_splits_ : int
        Number of cross-validation splits.
    refit_time_ : float
        Seconds spent refitting the best configuration.
    study_ : Study
        The search, for ``tw.plots`` and ``study_.report()``.
    scorer_ : callable
        The scorer used.

    See Also
    --------
    tune : the same search as one function call.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> search = tw.TuneSearchCV(SVC(), {"C": tw.Float(1e-2, 1e2, log=True)},
    ...                          strategy="random", n_iter=5, cv=3, random_state=0)
    >>> search.fit(X, y).best_score_ > 0.9
    True
    >>> sorted(k for k in search.cv_results_ if k.startswith("split"))
    ['split0_test_score', 'split1_test_score', 'split2_test_score']
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        space: SearchSpace | dict[str, Any],
        *,
        strategy: str | Strategy = "bayes",
        n_iter: int = 50,
        scoring: str | Callable[..., float] | None = None,
        cv: Any = 5,
        refit: bool = True,
        n_jobs: int = 1,
        random_state: int | None = None,
        strategy_options: dict[str, Any] | None = None,
        storage: str | None = None,
        study_name: str | None = None,
        timeout: float | None = None,
        verbose: int = 0,
    ) -> None:
        self.estimator = estimator
        self.space = space
        self.strategy = strategy
        self.n_iter = n_iter
        self.scoring = scoring
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.strategy_options = strategy_options
        self.storage = storage
        self.study_name = study_name
        self.timeout = timeout
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None, *, groups: Any = None, **fit_params: Any) -> TuneSearchCV:
        """Run the search, then refit the best configuration.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), optional
            Targets.
        groups : array-like, optional
            Group labels for group-aware splitters.
        **fit_params
            Passed to the estimator's ``fit``.

        Returns
        -------
        TuneSearchCV
            Fitted.

        Raises
        ------
        ValueError, TypeError
            For invalid arguments, or if every configuration failed (the message
            gives the first error, and its kind is kept).
        """
        strategy = self.strategy
        if isinstance(strategy, Strategy) and strategy.n_told:
            raise ValueError("TuneSearchCV: pass a strategy by name or a fresh, unused instance.")
        with warnings.catch_warnings():
            # every candidate failing raises below, with the first error
            warnings.simplefilter("ignore", TrialsFailedWarning)
            study = tune(
                self.estimator, self.space, X, y,
                strategy=copy.deepcopy(strategy) if isinstance(strategy, Strategy) else strategy,
                n_trials=self.n_iter, timeout=self.timeout, cv=self.cv, scoring=self.scoring,
                groups=groups, fit_params=fit_params or None, n_jobs=self.n_jobs,
                storage=self.storage, study_name=self.study_name, seed=self.random_state,
                strategy_options=self.strategy_options, progress=bool(self.verbose),
                max_consecutive_failures=None,
            )  # fmt: skip
        self.study_ = study
        trials = [t for t in study.trials if t.state is not TrialState.RUNNING]
        if study.best_trial is None:
            errors = [t.error for t in trials if t.error]
            first = errors[0] if errors else "no trial ran"
            # keep the error's kind (bad data is a TypeError or ValueError in scikit-learn)
            kind = TypeError if first.startswith("TypeError") else ValueError
            raise kind(f"All {len(trials)} configurations failed. The first error: {first}")
        self.cv_results_ = _cv_results(study, trials)
        self.best_index_ = int(np.argmin(self.cv_results_["rank_test_score"]))
        self.best_params_ = dict(self.cv_results_["params"][self.best_index_])
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.n_splits_ = int((study.settings.get("objective") or {}).get("n_splits", 0))
        from sklearn.metrics import check_scoring

        self.scorer_ = check_scoring(self.estimator, scoring=self.scoring)
        self.multimetric_ = False
        if self.refit:
            start = time.perf_counter()
            self.best_estimator_ = (
                clone(self.estimator).set_params(**self.best_params_).fit(X, y, **fit_params)
            )
            self.refit_time_ = time.perf_counter() - start
            for attr in ("n_features_in_", "feature_names_in_"):
                if hasattr(self.best_estimator_, attr):
                    setattr(self, attr, getattr(self.best_estimator_, attr))
        return self

    @property
    def classes_(self) -> np.ndarray:
        """Class labels of the best estimator (classifiers only)."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.classes_

    def _best(self) -> BaseEstimator:
        if not self.refit:
            raise AttributeError(
                "This TuneSearchCV was fitted with refit=False: there is no best_estimator_ "
                "to predict with."
            )
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_

    @available_if(_estimator_has("predict"))
    def predict(self, X: Any) -> np.ndarray:
        """Predict with the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        return self._best().predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        return self._best().predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log class probabilities from the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        return self._best().predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        """Decision function of the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        return self._best().decision_function(X)

    @available_if(_estimator_has("transform"))
    def transform(self, X: Any) -> Any:
        """Transform with the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        array-like
        """
        return self._best().transform(X)

    @available_if(_estimator_has("inverse_transform"))
    def inverse_transform(self, X: Any) -> Any:
        """Inverse transform with the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        array-like
        """
        return self._best().inverse_transform(X)

    def score(self, X: Any, y: Any = None) -> float:
        """Score of the best estimator with the search's scorer.

        Parameters
        ----------
        X : array-like
        y : array-like, optional

        Returns
        -------
        float
        """
        return float(self.scorer_(self._best(), X, y))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.target_tags = inner.target_tags
        tags.input_tags = inner.input_tags
        if is_classifier(self.estimator):
            tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.transformer_tags = inner.transformer_tags
        return tags


def _cv_results(study: Study, trials: list[Any]) -> dict[str, Any]:
    """scikit-learn's ``cv_results_`` from finished trials (failed ones score nan)."""
    n = len(trials)
    results: dict[str, Any] = {}
    n_splits = max((len(t.info.get("fold_scores", [])) for t in trials), default=0)
    for key in ("fit_time", "score_time"):
        times = [
            t.info.get(key) if len(t.info.get(key) or []) == n_splits else [np.nan] * n_splits
            for t in trials
        ]
        arr = np.asarray(times, dtype=float).reshape(n, n_splits) if n_splits else np.zeros((n, 0))
        results[f"mean_{key}"] = arr.mean(axis=1) if n_splits else np.full(n, np.nan)
        results[f"std_{key}"] = arr.std(axis=1) if n_splits else np.full(n, np.nan)
    names = study.space.names
    for name in names:
        column = np.ma.MaskedArray(np.empty(n, dtype=object), mask=True)
        for i, t in enumerate(trials):
            if name in t.params:
                column[i] = t.params[name]
        results[f"param_{name}"] = column
    results["params"] = [dict(t.params) for t in trials]
    scores = np.full((n, n_splits), np.nan)
    for i, t in enumerate(trials):
        folds = t.info.get("fold_scores") or []
        if t.state is TrialState.COMPLETE and len(folds) == n_splits:
            scores[i] = folds
    for k in range(n_splits):
        results[f"split{k}_test_score"] = scores[:, k]
    mean = scores.mean(axis=1) if n_splits else np.full(n, np.nan)
    results["mean_test_score"] = mean
    results["std_test_score"] = scores.std(axis=1) if n_splits else np.full(n, np.nan)
    # rank 1 is best; failed (nan) configurations rank last, as in scikit-learn
    filled = np.where(np.isnan(mean), -np.inf, mean)
    order = np.argsort(-filled, kind="stable")
    ranks = np.empty(n, dtype=np.int32)
    ranks[order] = np.arange(1, n + 1)
    # ties share the smallest rank ("min" method)
    for i in range(1, n):
        if filled[order[i]] == filled[order[i - 1]]:
            ranks[order[i]] = ranks[order[i - 1]]
    results["rank_test_score"] = ranks
    return results
