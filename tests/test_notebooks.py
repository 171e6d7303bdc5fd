"""Every notebook runs top to bottom, twice in a row in the same folder (CI budgets).

The second run is what a student's "Restart and Run All" does: the study files
of the first run are there, and the notebook must still run (continuing them).
The claims a notebook prints are checked by its own assertions, so a claim
that stops being true fails here. An executed copy is what a teacher shares:
every plotly figure in it must also carry HTML, with plotly.js embedded, so
that its HTML export shows the figure without a network, and its saved widget
state holds plotly's front-end bundle once, not once per live figure.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
PLOTLY = "application/vnd.plotly.v1+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TEX = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{")


def _check_shareable(executed, name):
    """Each plotly figure also as HTML, and all of them in the notebook's HTML export."""
    figures = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY in output.get("data", {})
    ]
    # plotly's front-end bundle (5 MB) is saved once, not once per FigureWidget
    state = executed.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    sizes = {key: len(json.dumps(model)) for key, model in state.items()}
    big = [key for key, size in sizes.items() if size > 1_000_000]
    assert len(big) <= 1, f"{name}: {len(big)} widget models of over 1 MB"
    esm = [m["state"].get("_esm", "") for m in state.values()]
    assert all(len(code) < 100_000 for code in esm), f"{name}: a widget saves its own bundle"
    if not figures:
        return
    bare = [i for i, output in enumerate(figures) if "text/html" not in output["data"]]
    assert not bare, f"{name}: figures {bare} carry only plotly's mimetype (blank when shared)"
    # each live view (Dashboard, Race) is followed by a static copy of its last state
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    html_of = ["".join(o.get("data", {}).get("text/html", "")) for o in outputs]
    live = [
        i
        for i, o in enumerate(outputs)
        if str(o.get("data", {}).get("text/plain", "")).startswith("<live tunewidgets")
    ]
    for i in live:
        assert any("tw-static-copy" in h for h in html_of[i + 1 : i + 3]), (
            f"{name}: output {i} is a live view with no static copy after it"
        )
    in_copies = sum(h.count('class="plotly-graph-div"') for h in html_of if "tw-static-copy" in h)
    html, _ = HTMLExporter().from_notebook_node(executed)
    assert html.count('class="plotly-graph-div"') == len(figures) + in_copies, name
    assert "plotly.js v" in html, f"{name}: plotly.js is not embedded in the export"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("TUNEWIDGETS_CI", "1")
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "jax"))
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        f"{path.name} is committed with outputs"
    )
    for run in (1, 2):
        executed = nbformat.read(path, as_version=4)
        client = NotebookClient(
            executed,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        )
        client.execute()
        errors = [
            output
            for cell in executed.cells
            if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        assert not errors, f"run {run} of {path.name}: {errors}"
    _check_shareable(executed, path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_formulas_need_no_network(path):
    """Formulas are written in HTML and Unicode, not TeX.

    TeX needs MathJax, which JupyterLab bundles but an HTML export loads from a
    CDN: offline, a shared copy would show the raw TeX. ``<i>μ</i>`` renders
    everywhere a notebook is read.
    """
    notebook = nbformat.read(path, as_version=4)
    tex = [
        (i, match.group(0))
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for match in TEX.finditer(cell.source)
    ]
    assert not tex, f"{path.name}: TeX in markdown cells (cell, text): {tex}"
