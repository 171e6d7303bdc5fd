"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may write a study file
    code = BLOCKS[index]
    if "dask" in code or "Client(" in code:
        pytest.skip("needs a Dask cluster")
    exec(compile(code, f"README.md block {index}", "exec"), {"__name__": "__readme__"})
