"""A fitted ``TuneSearchCV``: its results, its refit, and the best estimator's methods.

``predict`` and the other methods are available exactly when scikit-learn's
searches make them available (``refit`` set, and the estimator has them), and
fail with the same ``AttributeError`` otherwise; ``score`` uses the search's
scorer; tags and the HTML diagram follow the estimator.
"""

from __future__ import annotations

import copy
import numbers
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._search_cv_results import (
    fold_results,
    format_results,
    insert_error_scores,
    warn_or_raise_about_fit_failures,
)

__all__ = ["FittedSearchMixin"]


def _check_refit(search: Any, attr: str) -> None:
    if not search.refit:
        raise AttributeError(
            f"This {type(search).__name__} instance was initialized with `refit=False`. {attr} "
            "is available only after refitting on the best parameters. You can refit an "
            "estimator manually using the `best_params_` attribute"
        )


def _estimator_has(attr: str) -> Callable[[Any], bool]:
    """Delegate ``attr`` to the best estimator (or, before fit, the estimator), as scikit-learn."""

    def check(self: Any) -> bool:
        _check_refit(self, attr)
        if hasattr(self, "best_estimator_"):
            getattr(self.best_estimator_, attr)  # an AttributeError if it has no such method
            return True
        getattr(self.estimator, attr)
        return True

    return check


class FittedSearchMixin:
    """The fitted search as an estimator: the best estimator's methods, scored the search's way."""

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the best estimator (``refit`` only)."""
        try:
            check_is_fitted(self)
        except NotFittedError as exc:
            raise AttributeError(
                f"{type(self).__name__} object has no n_features_in_ attribute."
            ) from exc
        return self.best_estimator_.n_features_in_

    @property
    def classes_(self) -> np.ndarray:
        """Class labels of the best estimator (classifiers, ``refit`` only)."""
        _estimator_has("classes_")(self)
        return self.best_estimator_.classes_

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
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

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
        check_is_fitted(self)
        return self.best_estimator_.predict_proba(X)

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
        check_is_fitted(self)
        return self.best_estimator_.predict_log_proba(X)

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
        check_is_fitted(self)
        return self.best_estimator_.decision_function(X)

    @available_if(_estimator_has("score_samples"))
    def score_samples(self, X: Any) -> np.ndarray:
        """``score_samples`` of the best estimator.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        check_is_fitted(self)
        return self.best_estimator_.score_samples(X)

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
        check_is_fitted(self)
        return self.best_estimator_.transform(X)

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
        check_is_fitted(self)
        return self.best_estimator_.inverse_transform(X)

    def score(self, X: Any, y: Any = None, **params: Any) -> float:
        """Score of the best estimator with the search's scorer (``refit`` only).

        Parameters
        ----------
        X : array-like
            Data.
        y : array-like, optional
            Targets.
        **params
            Passed to the scorer (only with metadata routing enabled, as in scikit-learn).

        Returns
        -------
        float
        """
        _check_refit(self, "score")
        check_is_fitted(self)
        _raise_for_params(params, self, "score")
        score_params = (
            process_routing(self, "score", **params).scorer["score"] if (_routing_enabled()) else {}
        )
        if isinstance(self.scorer_, dict):
            scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
            return scorer(self.best_estimator_, X, y, **score_params)
        score = self.scorer_(self.best_estimator_, X, y, **score_params)
        if self.multimetric_:
            score = score[self.refit]
        return score

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = copy.deepcopy(inner.classifier_tags)
        tags.regressor_tags = copy.deepcopy(inner.regressor_tags)
        tags.transformer_tags = copy.deepcopy(inner.transformer_tags)
        tags.target_tags = copy.deepcopy(inner.target_tags)
        # pairwise (precomputed kernels) and sparse input, as scikit-learn's searches; and
        # the rest of what the estimator accepts, for scikit-learn's estimator checks
        tags.input_tags = copy.deepcopy(inner.input_tags)
        tags.array_api_support = inner.array_api_support
        return tags

    def _sk_visual_block_(self) -> Any:
        try:
            from sklearn.utils._repr_html.estimator import _VisualBlock
        except ImportError:  # pragma: no cover - older scikit-learn
            from sklearn.utils._estimator_html_repr import _VisualBlock
        if hasattr(self, "best_estimator_"):
            key, estimator = "best_estimator_", self.best_estimator_
        else:
            key, estimator = "estimator", self.estimator
        return _VisualBlock(
            "parallel",
            [estimator],
            names=[f"{key}: {estimator.__class__.__name__}"],
            name_details=[str(estimator)],
        )

    # -- results -------------------------------------------------------------------
    def _set_results(self, trials: list[Any], n_splits: int, refit_metric: Any) -> None:
        if not trials:
            raise ValueError(
                "No fits were performed. Was the CV iterator empty? Were there no candidates?"
            )
        error_score = np.nan if self.error_score == "raise" else self.error_score
        train = bool(self.return_train_score)
        out = [r for t in trials for r in fold_results(t, n_splits, error_score, train)]
        warn_or_raise_about_fit_failures(out, error_score)
        if callable(self.scoring):
            insert_error_scores(out, error_score)
        candidates = [dict(t.params) for t in trials]
        results = format_results(candidates, n_splits, out, train)
        self.multimetric_ = isinstance(out[0]["test_scores"], dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(out[0]["test_scores"])
            refit_metric = self.refit
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(self.refit, refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]
        self.cv_results_ = results

    @staticmethod
    def _select_best_index(refit: Any, refit_metric: str, results: dict[str, Any]) -> Any:
        # types as scikit-learn's: the callable's own integer, else numpy's
        if callable(refit):
            best_index = refit(results)
            if not isinstance(best_index, numbers.Integral):
                raise TypeError("best_index_ returned is not an integer")
            if best_index < 0 or best_index >= len(results["params"]):
                raise IndexError("best_index_ index out of range")
            return best_index
        return results[f"rank_test_{refit_metric}"].argmin()

    def _refit(self, X: Any, y: Any, fit_params: dict[str, Any], root: Any, metadata: Any) -> None:
        if not self.refit:
            return
        self.best_estimator_ = clone(self.estimator).set_params(
            **clone(self.best_params_, safe=False)
        )
        sub = root.subcontext(task_name="refit-with-best-params") if root is not None else None
        start = time.time()
        if sub is not None:
            with sub.propagate_callback_context(self.best_estimator_):
                sub.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
                self._fit_best(X, y, fit_params)
        else:
            self._fit_best(X, y, fit_params)
        self.refit_time_ = time.time() - start
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_
        if sub is not None:
            sub.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)

    def _fit_best(self, X: Any, y: Any, fit_params: dict[str, Any]) -> None:
        if y is not None:
            self.best_estimator_.fit(X, y, **fit_params)
        else:
            self.best_estimator_.fit(X, **fit_params)
