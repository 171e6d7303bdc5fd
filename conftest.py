"""Markers for the whole suite (the tests and the doctests in the package).

``slow`` marks what ``make test-fast`` leaves out: tests that start processes,
clusters or kernels, train Keras models, or run the estimator matrix. They all
run in ``make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent

#: Paths (relative to the repository) whose tests and doctests are slow.
SLOW = (
    "tests/objectives/keras/",
    "tests/runner/parallel/",
    "tests/test_matrix.py",
    "tests/test_notebooks.py",
    "tests/test_readme.py",
    "tests/storage/test_shared.py",
    "tunewidgets/objectives/_keras.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests and doctests under :data:`SLOW` as slow."""
    for item in items:
        path = Path(str(item.path)).resolve()
        try:
            relative = path.relative_to(ROOT).as_posix()
        except ValueError:
            continue
        if relative.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
