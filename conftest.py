"""Markers for the whole suite (the tests and the doctests in the package).

``slow`` marks what ``make test-fast`` leaves out: tests that start processes,
clusters or kernels, train Keras models, or run the estimator matrix. They all
run in ``make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent

#: Tests (path prefixes of their node ids, relative to the repository) that are
#: slow: measured with ``pytest -m "not slow and not browser" --durations=60``;
#: each takes seconds, or starts processes, clusters, kernels or Keras.
SLOW = (
    "tests/objectives/keras/",
    "tests/runner/parallel/",
    "tests/test_matrix.py",
    "tests/test_notebooks.py",
    "tests/test_readme.py",
    "tests/storage/test_shared.py",
    "tunewidgets/objectives/_keras.py",
    # other processes, and scikit-learn's own checks and tests of a search
    "tests/storage/test_processes.py",
    "tests/storage/test_race.py",
    "tests/widgets/test_dashboard_shared.py",
    "tests/test_search_cv_checks.py",
    "tests/test_search_cv_sklearn.py",
    # single tests of several seconds each
    "tests/space/test_branches.py::test_every_ask_lies_inside_one_branch",
    "tests/test_search_cv.py::test_best_estimator_predict_and_score",
    "tests/test_search_cv.py::test_random_is_randomizedsearchcv_exactly",
    "tests/test_search_cv.py::test_usable_inside_a_pipeline_and_cross_validation",
    "tests/strategies/test_bayes.py::test_bayes_beats_random_on_a_smooth_function",
    "tests/plots/test_contract.py::test_plots_do_not_import_ipywidgets",
    "tests/storage/test_files.py::test_a_read_only_study_is_read_and_writing_is_refused_clearly",
    "tests/test_setup.py::test_a_shuffling_splitter_without_a_seed_scores_every_trial_on",
    "tests/strategies/test_bayes_model_api.py::test_the_hedge_portfolio_credits_each_acq",
    "tests/strategies/test_bayes_scale.py::test_past_the_bound_the_search_is_determinis",
    "tests/test_report.py::test_report_of_an_sklearn_search",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests and doctests that :data:`SLOW` names as slow."""
    for item in items:
        path = Path(str(item.path)).resolve()
        try:
            relative = path.relative_to(ROOT).as_posix()
        except ValueError:
            continue
        test = relative + item.nodeid[item.nodeid.find("::") :] if "::" in item.nodeid else relative
        if test.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
