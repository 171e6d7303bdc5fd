"""One trial of a scikit-learn estimator that learns incrementally (``partial_fit``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.model_selection import train_test_split
from sklearn.utils import shuffle

from .._validation import check_int, check_real
from ..space import SearchSpace
from ._base import Objective, ObjectiveResult, Reporter, TrialPruned, _NullReporter
from ._sklearn import _check_scoring, _n_samples, check_estimator_params

__all__ = ["IncrementalObjective"]


class IncrementalObjective(Objective):
    """Train a ``partial_fit`` estimator epoch by epoch, reporting a validation score each epoch.

    A trial clones the estimator, sets the configuration, then calls
    ``partial_fit`` once per epoch on the (reshuffled) training data and
    scores the model on held-out data after each: the score is reported to the
    trial (steps are epochs, from 1), so learning curves draw and a pruner can
    stop the trial. The score of a complete trial is the last epoch's.

    Parameters
    ----------
    estimator : estimator
        A scikit-learn estimator with ``partial_fit``, such as
        ``SGDClassifier``, ``Perceptron``, ``MLPClassifier`` or ``SGDRegressor``.
    X : array-like of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Targets.
    validation_data : tuple, optional
        ``(X_val, y_val)`` to score on; otherwise a split of ``X`` and ``y``.
    validation_split : float, default=0.2
        Fraction held out (stratified for classifiers, shuffled with ``seed``)
        when no ``validation_data`` is given.
    epochs : int, default=10
        Passes over the training data, unless the space tunes ``"epochs"``.
    scoring : str or callable, optional
        A scikit-learn scorer name or ``scorer(estimator, X, y)``; None uses
        the estimator's ``score``.
    seed : int, default=0
        Seeds the split and the shuffling of each epoch.

    Raises
    ------
    ValueError
        If the estimator has no ``partial_fit``, ``X`` and ``y`` differ in
        length, or an argument is out of range.

    See Also
    --------
    SklearnObjective : cross-validation, for estimators that fit in one go.
    MedianPruner : stops poor trials early.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import SGDClassifier
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = tw.IncrementalObjective(SGDClassifier(random_state=0), X, y, epochs=5)
    >>> space = tw.SearchSpace({"alpha": tw.Float(1e-5, 1e-1, log=True)})
    >>> study = tw.tune(objective, space, n_trials=3, storage=None,
    ...                 pruner=tw.MedianPruner(n_startup_trials=1))
    >>> sorted(study.trials[0].intermediate_values)
    [1, 2, 3, 4, 5]
    """

    reports_intermediate = True

    def __init__(
        self,
        estimator: BaseEstimator,
        X: Any,
        y: Any,
        *,
        validation_data: Sequence[Any] | None = None,
        validation_split: float = 0.2,
        epochs: int = 10,
        scoring: str | Callable[..., float] | None = None,
        seed: int = 0,
    ) -> None:
        owner = "IncrementalObjective"
        if not (hasattr(estimator, "partial_fit") and hasattr(estimator, "get_params")):
            raise ValueError(
                f"{owner} needs a scikit-learn estimator with partial_fit (e.g. SGDClassifier). "
                f"Got {estimator!r}; use tw.SklearnObjective for other estimators."
            )
        if X is None or y is None or _n_samples(X) != _n_samples(y):
            got = "None" if X is None or y is None else f"{_n_samples(X)} and {_n_samples(y)}"
            raise ValueError(f"{owner}: X and y must have the same number of samples. Got {got}.")
        split = check_real(validation_split, "validation_split", owner=owner, low=0.0)
        if validation_data is None and not 0.0 < split < 1.0:  # type: ignore[operator]
            raise ValueError(
                f"The 'validation_split' parameter of {owner} must be a finite number in the "
                f"range (0.0, 1.0) when no validation_data is given. Got {validation_split!r}."
            )
        self.estimator = estimator
        self.seed: int = check_int(seed, "seed", owner=owner, low=0)  # type: ignore[assignment]
        self.epochs: int = check_int(epochs, "epochs", owner=owner, low=1)  # type: ignore[assignment]
        self.scoring = scoring
        self._scorer = _check_scoring(estimator, scoring)
        self.validation_split = split
        classifier = is_classifier(estimator)
        if validation_data is not None:
            self.X_train, self.y_train = X, y
            self.X_val, self.y_val = validation_data[0], validation_data[1]
        else:
            self.X_train, self.X_val, self.y_train, self.y_val = train_test_split(
                X, y, test_size=split, random_state=self.seed, stratify=y if classifier else None
            )
        self.classes = np.unique(y) if classifier else None

    def check_space(self, space: SearchSpace) -> None:
        check_estimator_params(self.estimator, [n for n in space.names if n != "epochs"])

    def __call__(self, params: dict[str, Any], reporter: Reporter | None = None) -> ObjectiveResult:
        reporter = reporter if reporter is not None else _NullReporter(params=params)
        params = dict(params)
        epochs = int(params.pop("epochs", self.epochs))
        estimator = clone(self.estimator).set_params(**params)
        extra = {"classes": self.classes} if self.classes is not None else {}
        scores: list[float] = []
        for epoch in range(1, epochs + 1):
            X, y = shuffle(self.X_train, self.y_train, random_state=self.seed + epoch)
            estimator.partial_fit(X, y, **extra)
            scores.append(float(self._scorer(estimator, self.X_val, self.y_val)))
            reporter.report(scores[-1], step=epoch)
            if reporter.should_prune():
                raise TrialPruned(f"pruned after epoch {epoch} of {epochs}")
        return ObjectiveResult(score=scores[-1], info={"epochs": epochs, "scores": scores})

    def describe(self) -> dict[str, Any]:
        scoring = self.scoring if isinstance(self.scoring, str | None) else repr(self.scoring)
        return {
            "kind": "sklearn-incremental",
            "estimator": repr(self.estimator),
            "estimator_class": type(self.estimator).__name__,
            "scoring": scoring,
            "epochs": self.epochs,
            "n_train": _n_samples(self.X_train),
            "n_validation": _n_samples(self.X_val),
        }

    @property
    def label(self) -> str:
        return type(self.estimator).__name__.lower()
