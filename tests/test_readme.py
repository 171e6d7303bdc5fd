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
    if "LocalCluster(" in code:
        pytest.importorskip("distributed")
        # The same code on a smaller budget: two workers on CI's two cores, four trials.
        code = code.replace("n_workers=4", "n_workers=2").replace("n_trials=100", "n_trials=4")
    exec(compile(code, f"README.md block {index}", "exec"), {"__name__": "__readme__"})


def test_readme_lists_exactly_the_estimators_with_inferred_spaces():
    import tunewidgets as tw

    text = README.read_text()
    listed = re.search(
        r"<!-- inferred-estimators -->(.*?)<!-- /inferred-estimators -->", text, re.S
    )
    assert listed is not None
    names = [n.strip().rstrip(".") for n in listed.group(1).replace("\n", " ").split(",")]
    assert names == tw.known_estimators()
