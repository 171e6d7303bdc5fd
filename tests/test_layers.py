"""The layers of docs/architecture.md hold: no module imports one of a higher layer.

import-linter checks the contracts of pyproject.toml (layers; the engine imports
neither ipywidgets nor plotly). The same check is run on a copy of the package
with one upward import added, to show that it fails when it should.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contract(contract_id: str) -> dict:
    return next(c for c in CONFIG["contracts"] if c["id"] == contract_id)


def test_the_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("space/_params.py", "from ..study import Study"),  # space is below study
        ("storage/_rows.py", "from ..study import Study"),  # the old storage <-> study cycle
        ("runner/_budget.py", "import plotly"),  # the engine is headless
    ],
)
def test_an_upward_import_breaks_the_contracts(tmp_path, module, upward):
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "tunewidgets", tmp_path / "tunewidgets", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "tunewidgets" / module
    path.write_text(path.read_text() + f"\n\ndef _upward():\n    {upward}\n")
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    layer = module.split("/")[0]
    assert f"tunewidgets.{layer} is not allowed to import" in result.stdout, result.stdout


def test_the_architecture_page_lists_the_layers_of_the_contract():
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"<!-- layers -->\n```text\n(.*?)```\n<!-- /layers -->", text, re.S)
    assert block is not None
    listed = [
        line.split("  ")[0].strip()
        for line in block.group(1).splitlines()
        if line and not line.startswith(" ")
    ]
    assert listed == _contract("layers")["layers"]


def test_every_module_of_the_package_is_in_a_layer():
    layers = _contract("layers")["layers"]
    named = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    package = ROOT / "tunewidgets"
    present = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    present |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert present == named


def test_no_module_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "tunewidgets").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 600
    }
    assert not long, f"split these modules: {long}"
