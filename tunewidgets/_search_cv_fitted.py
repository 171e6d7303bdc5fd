"""What a fitted ``TuneSearchCV`` does as an estimator: delegate to the best one, as scikit-learn.

``predict`` and the other methods are available exactly when scikit-learn's
searches make them available (``refit`` set, and the estimator has them), and
fail with the same ``AttributeError`` otherwise; ``score`` uses the search's
scorer; tags and the HTML diagram follow the estimator.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

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
