"""What an executed notebook weighs when it is shared, and what its HTML export weighs.

Each notebook of ``notebooks/`` is executed as CI does (``TUNEWIDGETS_CI=1``, nbclient,
widget state stored in the file), written, and exported to HTML with nbconvert. The
table gives the sizes, the part of the file that is saved widget state, the number
of widget models over 1 MB (plotly's front-end bundle is 5 MB), and how many plotly
figures the export draws.

Run::

    .venv/bin/python benchmarks/bench_notebook_size.py            # every notebook
    .venv/bin/python benchmarks/bench_notebook_size.py 02 03      # names with 02 or 03
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from runinfo import run_info

ROOT = Path(__file__).resolve().parents[1]
STATE = "application/vnd.jupyter.widget-state+json"
OUT = ROOT / "benchmarks" / "results" / "notebook_size.json"


def measure(path: Path, folder: Path) -> dict[str, object]:
    """Execute one notebook in ``folder`` and measure it and its HTML export."""
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    seconds = time.perf_counter() - started
    executed = folder / path.name
    nbformat.write(notebook, executed)
    state = notebook.metadata.get("widgets", {}).get(STATE, {}).get("state", {})
    sizes = [len(json.dumps(model)) for model in state.values()]
    html, _ = HTMLExporter().from_notebook_node(notebook)
    return {
        "notebook": path.name,
        "run_s": round(seconds, 1),
        "ipynb_mb": round(executed.stat().st_size / 1e6, 2),
        "widget_state_mb": round(len(json.dumps(state)) / 1e6, 2),
        "widget_models": len(state),
        "models_over_1mb": sum(size > 1_000_000 for size in sizes),
        "html_mb": round(len(html.encode()) / 1e6, 2),
        "figures_in_html": html.count('class="plotly-graph-div"'),
    }


def main(patterns: list[str]) -> None:
    os.environ["TUNEWIDGETS_CI"] = "1"
    os.environ.setdefault("KERAS_BACKEND", "jax")
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if patterns:
        paths = [p for p in paths if any(k in p.name for k in patterns)]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            rows.append(measure(path, Path(folder)))
            print(json.dumps(rows[-1]), flush=True)
    header = list(rows[0])
    print("\n| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" if h == "notebook" else "---:" for h in header) + " |")
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in header) + " |")
    OUT.write_text(json.dumps({"info": run_info(), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
