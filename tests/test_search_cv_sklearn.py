"""scikit-learn's own tests of GridSearchCV and RandomizedSearchCV, run against TuneSearchCV.

The ``sklearn/model_selection/tests/test_search.py`` that ships in the installed
scikit-learn wheel is imported, not copied. Its ``GridSearchCV`` and
``RandomizedSearchCV`` are replaced, in that module's namespace and in the
``parametrize`` lists its decorators built at import, by the two thin subclasses
below: scikit-learn's signatures and defaults, searched by ``TuneSearchCV`` with
``strategy="grid"`` and ``strategy="random"``. Its tests are then collected here.

Only tests of scikit-learn internals that no drop-in could pass are left out,
each with its reason in ``DESELECTED``; so are the parametrizations that run
scikit-learn's successive-halving searches (``HALVING``), which TuneSearchCV
does not stand in for. Every other test must pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sklearn.model_selection as sklearn_searches
import sklearn.model_selection.tests.test_search as upstream

import tunewidgets as tw


class GridSearchCV(tw.TuneSearchCV):
    """``GridSearchCV``'s signature and defaults: ``TuneSearchCV(strategy="grid")``."""

    def __init__(
        self,
        estimator: Any,
        param_grid: Any,
        *,
        scoring: Any = None,
        n_jobs: Any = None,
        refit: Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: Any = "2*n_jobs",
        error_score: Any = np.nan,
        return_train_score: bool = False,
    ) -> None:
        super().__init__(
            estimator,
            param_grid=param_grid,
            strategy="grid",
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )


class RandomizedSearchCV(tw.TuneSearchCV):
    """``RandomizedSearchCV``'s signature and defaults: ``TuneSearchCV(strategy="random")``."""

    def __init__(
        self,
        estimator: Any,
        param_distributions: Any,
        *,
        n_iter: int = 10,
        scoring: Any = None,
        n_jobs: Any = None,
        refit: Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: Any = "2*n_jobs",
        random_state: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = False,
    ) -> None:
        super().__init__(
            estimator,
            param_distributions=param_distributions,
            strategy="random",
            n_iter=n_iter,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
        )


#: Tests of scikit-learn's internals that no drop-in could pass, and why.
DESELECTED: dict[str, str] = {
    "test_validate_parameter_input": "checks ParameterGrid and ParameterSampler, "
    "scikit-learn's own candidate generators (used by no search here)",
    "test_parameter_grid": "checks ParameterGrid's iteration and indexing",
    "test_param_sampler": "checks ParameterSampler's iteration",
    "test_parameters_sampler_replacement": "checks ParameterSampler's warning and sampling",
    "test__custom_fit_no_run_search": "checks subclassing BaseSearchCV (abstract _run_search); "
    "no GridSearchCV or RandomizedSearchCV in it",
    "test_custom_run_search": "subclasses BaseSearchCV and asserts that GridSearchCV has no "
    "fitted attribute that BaseSearchCV lacks, where TuneSearchCV adds study_ (its cv_results_ "
    "part passes; test_search_cv.py compares cv_results_ with GridSearchCV's itself)",
    "test_yield_masked_array_for_each_param": "checks the private helper "
    "_yield_masked_array_for_each_param",
    "test_yield_masked_array_no_runtime_warning": "checks the private helper "
    "_yield_masked_array_for_each_param",
}

#: scikit-learn's successive-halving searches, which some parametrizations run.
HALVING = (sklearn_searches.HalvingGridSearchCV, sklearn_searches.HalvingRandomSearchCV)

_OURS = {
    sklearn_searches.GridSearchCV: GridSearchCV,
    sklearn_searches.RandomizedSearchCV: RandomizedSearchCV,
}


def _is_halving(value: Any) -> bool:
    if isinstance(value, type):
        return issubclass(value, HALVING)
    if isinstance(value, HALVING):
        return True
    if isinstance(value, tuple | list):
        return any(_is_halving(v) for v in value)
    return False


def _ours(value: Any) -> Any:
    """``value`` with scikit-learn's two searches replaced by ours (classes and instances)."""
    if isinstance(value, type) and value in _OURS:
        return _OURS[value]
    if type(value) in _OURS:
        return _OURS[type(value)](**value.get_params(deep=False))
    if isinstance(value, tuple):
        return tuple(_ours(v) for v in value)
    if isinstance(value, list):
        return [_ours(v) for v in value]
    if isinstance(value, dict):
        return {k: _ours(v) for k, v in value.items()}
    return value


def _rewrite(mark: pytest.Mark) -> pytest.Mark:
    if mark.name != "parametrize":
        return mark
    names, values, *rest = mark.args
    kept = []
    for value in values:
        inner = value.values if hasattr(value, "values") and hasattr(value, "marks") else value
        if _is_halving(inner):
            continue
        if hasattr(value, "values") and hasattr(value, "marks"):  # pytest.param(...)
            kept.append(pytest.param(*_ours(value.values), marks=value.marks, id=value.id))
        else:
            kept.append(_ours(value))
    return pytest.mark.parametrize(names, kept, *rest, **mark.kwargs).mark


for _name, _value in _OURS.items():
    setattr(upstream, _name.__name__, _value)

for _name in dir(upstream):
    _test = getattr(upstream, _name)
    if not _name.startswith("test") or not callable(_test) or _name in DESELECTED:
        continue
    if hasattr(_test, "pytestmark"):
        _test.pytestmark = [_rewrite(m) for m in _test.pytestmark]
    globals()[_name] = _test


def test_the_deselected_tests_exist_upstream():
    # a renamed upstream test must not hide behind a stale deselection
    missing = [name for name in DESELECTED if not hasattr(upstream, name)]
    assert not missing, f"DESELECTED names tests scikit-learn no longer has: {missing}"


def test_upstream_searches_are_ours():
    assert upstream.GridSearchCV is GridSearchCV
    assert upstream.RandomizedSearchCV is RandomizedSearchCV
    assert issubclass(upstream.GridSearchCV, tw.TuneSearchCV)
