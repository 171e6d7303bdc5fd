"""scikit-learn's own estimator checks, where they apply."""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

import tunewidgets as tw

ESTIMATORS = [
    tw.TuneSearchCV(
        LogisticRegression(),
        {"C": tw.Float(0.1, 10.0, log=True)},
        strategy="random",
        n_iter=2,
        cv=2,
        random_state=0,
    ),
    tw.TuneSearchCV(
        Ridge(),
        {"alpha": tw.Float(0.1, 10.0, log=True)},
        strategy="random",
        n_iter=2,
        cv=2,
        random_state=0,
    ),
]

# Checks that cannot apply to a search, and why.
EXPECTED_FAILURES: dict[str, str] = {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILURES)
def test_sklearn_compatible(estimator, check):
    check(estimator)
