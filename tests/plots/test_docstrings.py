"""The public plot functions have numpydoc docstrings that match their signatures."""

from __future__ import annotations

import pytest
from numpydoc.validate import validate

from tunewidgets import plots

CHECKS = {"GL08", "PR01", "PR02", "SS03", "YD01", "RT01", "EX01"}


@pytest.mark.parametrize("name", plots.__all__)
def test_docstring(name):
    errors = [(c, m) for c, m in validate(f"tunewidgets.plots.{name}")["errors"] if c in CHECKS]
    assert not errors, "\n".join(f"{code}: {msg}" for code, msg in errors)
