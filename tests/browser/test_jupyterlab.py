"""The real thing: JupyterLab in headless Chromium, the quickstart notebook, the dashboard.

Starts JupyterLab on 127.0.0.1 (a free port, a token) with the news notice
turned off, opens a copy of the quickstart notebook, runs all cells, checks in
the DOM that the widgets and the plotly plots rendered, clicks Start, waits
until the trial counter shows at least 5, clicks Stop, checks the browser
console for errors, saves a screenshot, and shuts JupyterLab down by its
process group.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_quickstart.ipynb"
TEACHING = next((ROOT / "notebooks").glob("02_*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 180_000
WIDE = Path("five_parameters.ipynb")


def _five_parameter_notebook():
    """A dashboard with five parameters and a few finished trials (for the width test)."""
    cells = [
        "import tunewidgets as tw\n"
        "from sklearn.datasets import load_breast_cancer\n"
        "from sklearn.ensemble import HistGradientBoostingClassifier\n"
        "X, y = load_breast_cancer(return_X_y=True)",
        "dash = tw.Dashboard(HistGradientBoostingClassifier(max_iter=20), X, y, storage=None,\n"
        "                    space={'learning_rate': tw.Float(1e-3, 1.0, log=True),\n"
        "                           'max_leaf_nodes': tw.Int(4, 64, log=True),\n"
        "                           'min_samples_leaf': tw.Int(2, 64, log=True),\n"
        "                           'l2_regularization': tw.Float(1e-6, 10.0, log=True),\n"
        "                           'max_features': tw.Float(0.2, 1.0)},\n"
        "                    strategy='random', n_trials=12, cv=3, seed=0)\n"
        "dash.start()",
        "dash.wait(); dash.runner.state.value",
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    return notebook


def _open_and_run_all(page, url, *, fold_browser=True):
    """Open a notebook in JupyterLab, answer the kernel dialog, Run All, wait for every prompt."""
    from playwright.sync_api import expect

    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(".jp-Notebook").wait_for(timeout=TIMEOUT_MS)
    # On a first open JupyterLab may ask which kernel to use: answer, then wait
    # until the kernel is idle and no dialog is left.
    dialog = page.locator(".jp-Dialog")
    kernel_idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        if dialog.count() and dialog.first.is_visible():
            dialog.get_by_role("button", name="Select").click()
        elif kernel_idle.count():
            page.wait_for_timeout(500)
            if not (dialog.count() and dialog.first.is_visible()):
                break
        page.wait_for_timeout(250)
    else:
        pytest.fail("the kernel never became idle")
    if fold_browser:
        page.keyboard.press("Control+b")  # fold the file browser away: room for the dashboard
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    n_cells = prompts.count()
    for i in range(n_cells):
        expect(prompts.nth(i)).to_have_text(re.compile(r"\[\d+\]:"), timeout=TIMEOUT_MS)
    return n_cells


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    shutil.copy(TEACHING, work / TEACHING.name)
    nbformat.write(_five_parameter_notebook(), work / WIDE.name)
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # render every cell (no windowing), so that the test sees what a reader scrolls to
    notebook_settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "TUNEWIDGETS_CI": "1",
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "jupyterlab.log", "w")  # noqa: SIM115 - closed in teardown
    server = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (home / "jupyterlab.log").read_text())
            time.sleep(0.5)
    yield {
        "url": f"{base}/lab/tree/{NOTEBOOK.name}?reset&token={token}",
        "wide_url": f"{base}/lab/tree/{WIDE.name}?reset&token={token}",
        "teaching_url": f"{base}/lab/tree/{TEACHING.name}?reset&token={token}",
        "work": work,
    }
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    log.close()


def test_quickstart_dashboard_runs_live_in_jupyterlab(jupyterlab):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 2400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            n_cells = _open_and_run_all(page, jupyterlab["url"])
            assert n_cells >= 4

            dashboard = page.locator(".tw-dashboard")
            expect(dashboard).to_be_visible(timeout=TIMEOUT_MS)
            expect(dashboard.locator(".js-plotly-plot").first).to_be_visible(timeout=TIMEOUT_MS)
            assert dashboard.locator(".widget-slider, .jupyter-widgets.widget-hslider").count() >= 1
            expect(dashboard.locator("text=Search space")).to_be_visible()

            # A bigger budget, typed as a user would (Enter commits it): the notebook's 40
            # trials can all finish in two seconds, and 500 in twenty (seen in a fresh
            # clone, where the first page is slow), before there is time to press Stop.
            n_trials = (
                dashboard.locator(".widget-text").filter(has_text="n_trials").locator("input")
            )
            n_trials.fill("100000")
            n_trials.press("Enter")
            start = dashboard.get_by_role("button", name="Start")
            expect(start).to_be_enabled(timeout=TIMEOUT_MS)
            start.click()
            done = dashboard.locator(".tw-done")
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                text = done.first.inner_text() if done.count() else "0"
                if text.strip().isdigit() and int(text) >= 5:
                    break
                page.wait_for_timeout(250)
            else:
                pytest.fail(f"the trial counter never reached 5 (last: {text!r})")
            # the parallel-coordinates plot holds lines now
            expect(dashboard.locator(".js-plotly-plot .parcoords").first).to_be_attached()
            dashboard.get_by_role("button", name="Stop").click()
            expect(dashboard.locator(".tw-state")).to_have_text("finished", timeout=TIMEOUT_MS)
            expect(dashboard.locator("text=finished: stopped").first).to_be_visible()
            expect(dashboard.locator(".tw-progress").first).to_contain_text("/100000 trials")
            # the static copy below it (for shared copies) is rewritten from the search's
            # thread, and hidden here, where the live view is drawn
            static = page.locator(".tw-static-copy").first
            expect(static).to_be_attached()
            expect(static).to_be_hidden()
            deadline = time.monotonic() + 30
            while "finished" not in (static.text_content() or ""):
                assert time.monotonic() < deadline, static.text_content()
                page.wait_for_timeout(250)
            page.wait_for_timeout(1000)  # let the last redraw land before the picture
            dashboard.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            dashboard.screenshot(path=str(ARTIFACTS / "dashboard-widget.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "dashboard-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert not errors, "browser console errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("width", [1280, 1440, 1920])
def test_the_plots_fit_their_panel_with_the_file_browser_open(jupyterlab, width):
    """At a laptop's width too, the parallel-coordinates plot shows its score axis and colour bar."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": 1400})
        try:
            # drawn with the file browser folded, then the browser opened: the panel shrinks
            # after the plots were drawn, as when a user opens the side bar
            _open_and_run_all(page, jupyterlab["wide_url"], fold_browser=True)
            dashboard = page.locator(".tw-dashboard")
            expect(dashboard.locator(".tw-state")).to_have_text("finished", timeout=TIMEOUT_MS)
            page.wait_for_timeout(1000)  # the last redraw
            page.keyboard.press("Control+b")
            expect(page.locator(".jp-FileBrowser").first).to_be_visible()
            page.wait_for_timeout(1500)
            plot = dashboard.locator(".js-plotly-plot").first
            expect(plot.locator(".parcoords")).to_be_attached()
            panel = dashboard.locator(".tw-plot-panel").first.bounding_box()
            titles = plot.locator("text.axis-title")
            expect(titles.last).to_have_text("score")
            assert titles.count() == 6  # five parameters and the score
            right_edge = panel["x"] + panel["width"] + 1
            for i in range(titles.count()):
                box = titles.nth(i).bounding_box()
                assert box is not None and box["x"] + box["width"] <= right_edge, (
                    f"axis {titles.nth(i).text_content()!r} is cut at {width}px"
                )
            colorbar = plot.locator(".colorbar").first.bounding_box()
            assert colorbar is not None and colorbar["x"] + colorbar["width"] <= right_edge
            outer = plot.bounding_box()
            assert outer["x"] + outer["width"] <= right_edge
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"fit-{width}-failure.png"), full_page=True)
            raise
        else:
            dashboard.screenshot(path=str(ARTIFACTS / f"fit-{width}.png"))
        finally:
            browser.close()


# What a plotly figure drew, read back from the page: each trace's name, axes and points
# (plotly's full data: arrays decoded), and the vertical lines' positions.
_DRAWN = """el => ({
    traces: el._fullData.map(t => ({name: t.name, xaxis: t.xaxis, x: Array.from(t.x || []),
                                    y: Array.from(t.y || [])})),
    lines: (el._fullLayout.shapes || []).map(s => s.x0),
})"""


def _cell(page, source: str):
    """The cell of notebook 02 whose source starts with ``source`` (markdown cells count)."""
    cells = nbformat.read(TEACHING, as_version=4).cells
    index = next(i for i, c in enumerate(cells) if c.source.startswith(source))
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def _rerun(page, cell) -> None:
    """Click into a cell and press Shift+Enter, as a user runs it again; wait for its output."""
    from playwright.sync_api import expect

    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    expect(prompt).not_to_have_text(before, timeout=TIMEOUT_MS)
    expect(prompt).to_have_text(re.compile(r"\[\d+\]:"), timeout=TIMEOUT_MS)
    expect(cell.locator(".js-plotly-plot .main-svg").first).to_be_attached(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)


def _has_outputs(path: Path) -> bool:
    """Whether the notebook at ``path`` was saved with outputs (False while half-written)."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except (OSError, ValueError):  # nbformat's NotJSONError is a ValueError
        return False
    return any(c.get("outputs") for c in cells if c.cell_type == "code")


def _drawn(plot) -> dict:
    return plot.evaluate(_DRAWN)


def _trace(drawn: dict, name: str, xaxis: str | None = None) -> dict:
    return next(t for t in drawn["traces"] if t["name"] == name and xaxis in (None, t["xaxis"]))


def _surrogate_says(drawn: dict) -> tuple[float, float, list[float]]:
    """A surrogate plot's next point (★), its acquisition panel's peak, and the trials' x."""
    star = _trace(drawn, "next point", "x2")["x"][0]
    acquisition = next(
        t for t in drawn["traces"] if t["xaxis"] == "x2" and t["name"] != "next point"
    )
    ys = acquisition["y"]
    peak = acquisition["x"][max(range(len(ys)), key=lambda i: ys[i] if ys[i] is not None else -1)]
    return star, peak, _trace(drawn, "trials")["x"]


def test_teaching_notebook_steps_the_surrogate_walk(jupyterlab):
    """Notebook 02: step the Bayesian walk, and every picture names the point the search takes.

    After Run All, the ``step()`` cell is run again twice (as a student steps the walk):
    each new trial lands where the previous picture's ★ was, and the acquisition panel
    peaks at its ★. Then the comparison cell (EI, PI and UCB on the search's own model)
    is run again: its line, its EI curve's peak and its printed table name the same next
    point as the surrogate's acquisition panel. Last, the Dashboard's Step button: the
    trial it runs is the ★ of the Surrogate tab before the click.
    """
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 2400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            _open_and_run_all(page, jupyterlab["teaching_url"])
            walk = _cell(page, "step()")
            continued = _cell(page, "while study1.best_score < f_star")
            comparison = _cell(page, "acquisitions = {name.upper()")

            # the walk as Run All left it (continued to the global maximum), then two steps
            star, _, tried = _surrogate_says(_drawn(continued.locator(".js-plotly-plot").first))
            for _ in range(2):
                _rerun(page, walk)
                printed = re.search(r"(\d+) trials; last at x = (-?[\d.]+)",
                                    walk.locator(".jp-OutputArea").inner_text())  # fmt: skip
                assert printed, walk.locator(".jp-OutputArea").inner_text()
                assert int(printed.group(1)) == len(tried) + 1
                # the search took the point the last picture named
                assert float(printed.group(2)) == pytest.approx(star, abs=6e-4)
                star, peak, tried = _surrogate_says(_drawn(walk.locator(".js-plotly-plot").first))
                assert tried[-1] == pytest.approx(float(printed.group(2)), abs=6e-4)
                assert peak == pytest.approx(star, abs=0.02)  # the panel peaks at its ★

            _rerun(page, comparison)
            drawn = _drawn(comparison.locator(".js-plotly-plot").first)
            assert drawn["lines"] and drawn["lines"][0] == pytest.approx(star, abs=1e-6)
            ei = _trace(drawn, "EI")
            assert ei["x"][ei["y"].index(max(ei["y"]))] == pytest.approx(star, abs=0.02)
            text = comparison.locator(".jp-OutputArea").inner_text()
            asked = re.search(r"the search's next ask: x = (-?[\d.]+)", text)
            assert asked and float(asked.group(1)) == pytest.approx(star, abs=6e-4), text
            row = re.search(r"^\s*EI\s+(-?[\d.]+)", text, re.MULTILINE)
            assert row and float(row.group(1)) == pytest.approx(star, abs=0.02), text
            # the picture: the stepped surrogate and, under it, the comparison
            # (a taller window, so that the comparison's table fits in the same picture)
            page.set_viewport_size({"width": 1600, "height": 3400})
            walk.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "teaching-surrogate-walk.png"))
            page.set_viewport_size({"width": 1600, "height": 2400})

            # the Dashboard's Step button, on its Surrogate tab
            dashboard = page.locator(".tw-dashboard")
            dashboard.scroll_into_view_if_needed()
            surrogate = dashboard.locator(".js-plotly-plot").filter(has_text="Surrogate along")
            expect(surrogate.first).to_be_visible(timeout=TIMEOUT_MS)
            star, peak, tried = _surrogate_says(_drawn(surrogate.first))
            assert peak == pytest.approx(star, abs=0.02)
            done = dashboard.locator(".tw-done").first
            before = int(done.inner_text())
            dashboard.get_by_role("button", name="Step").click()
            expect(done).to_have_text(str(before + 1), timeout=TIMEOUT_MS)
            deadline = time.monotonic() + 60
            while len(_surrogate_says(_drawn(surrogate.first))[2]) < len(tried) + 1:
                assert time.monotonic() < deadline, "the Surrogate tab was not redrawn"
                page.wait_for_timeout(250)
            new_star, new_peak, new_tried = _surrogate_says(_drawn(surrogate.first))
            assert new_tried[-1] == pytest.approx(star, abs=1e-6)  # it ran the ★
            assert new_peak == pytest.approx(new_star, abs=0.02)
            page.wait_for_timeout(500)
            dashboard.screenshot(path=str(ARTIFACTS / "teaching-dashboard-step.png"))

            # keep the executed notebook: the export test shares it offline
            page.keyboard.press("Escape")
            page.keyboard.press("Control+s")
            saved = jupyterlab["work"] / TEACHING.name
            deadline = time.monotonic() + 60
            while not _has_outputs(saved):
                assert time.monotonic() < deadline, "the notebook was not saved"
                time.sleep(0.5)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "teaching-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    # Known, reported to the lead: during Run All, anywidget sometimes reports a plotly
    # FigureWidget whose initialization was aborted (its comm closed while its module was
    # loading; from an AbortSignal in anywidget's extension). Every other error fails.
    errors = [e for e in errors if "[anywidget] Failed to initialize model" not in e]
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def test_exported_teaching_notebook_shows_its_figures_offline(jupyterlab, tmp_path, monkeypatch):
    """Notebook 02 executed, exported to HTML as a teacher shares it, opened with no network.

    The notebook saved by the walk test above is exported (run alone, this test executes
    it first, as tests/test_notebooks.py does). Every request but ``file:`` is aborted;
    every plotly figure of the notebook must be drawn (an SVG per figure).
    """
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    executed = nbformat.read(jupyterlab["work"] / TEACHING.name, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    if not any(c.get("outputs") for c in code):
        monkeypatch.setenv("TUNEWIDGETS_CI", "1")
        NotebookClient(executed, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    n_figures = sum(
        "application/vnd.plotly.v1+json" in output.get("data", {})
        for cell in code for output in cell.get("outputs", [])
    )  # fmt: skip
    assert n_figures >= 6
    html, _ = HTMLExporter().from_notebook_node(executed)
    path = tmp_path / TEACHING.with_suffix(".html").name
    path.write_text(html, encoding="utf-8")

    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []
    errors: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", only_files)
            page.goto(path.as_uri(), timeout=TIMEOUT_MS)
            # the figures, and the static copies the Dashboard and the Race left
            static = page.locator(".tw-static-copy")
            n_figures += static.locator(".plotly-graph-div").count()
            figures = page.locator(".plotly-graph-div")
            drawn = page.locator(".plotly-graph-div .main-svg")
            deadline = time.monotonic() + 120
            while drawn.count() < 2 * n_figures:  # plotly draws two main-svg layers a figure
                assert time.monotonic() < deadline, (
                    f"{drawn.count()} main-svg layers for {n_figures} figures; blocked: {blocked}"
                )
                page.wait_for_timeout(250)
            assert figures.count() == n_figures
            for i in range(n_figures):  # each one drew its traces, not an empty frame
                assert figures.nth(i).evaluate("el => el._fullData.length") >= 1
            copies = [static.nth(i).inner_text() for i in range(static.count())]
            assert any("Race: grid, random, bayes, evolution" in c for c in copies), copies
            assert any("Surrogate" in c for c in copies if "Race:" not in c), copies
            race = static.filter(has_text="Race:").first
            race.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "teaching-export-race-offline.png"))
            # the formulas are HTML, not TeX that waits for MathJax from a CDN
            formula = page.locator("li", has_text="Expected improvement").first.inner_text()
            assert "EI(x) = (μ − f∗ − ξ) Φ(z) + σ φ(z)" in formula, formula
            surrogate = figures.filter(has_text="Surrogate along").first
            surrogate.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "teaching-export-offline.png"))
        finally:
            browser.close()
    assert not errors, errors
    print(f"{n_figures} figures drawn offline; blocked requests: {blocked}")


def test_live_figures_draw_again_after_a_page_reload(jupyterlab):
    """Reloading JupyterLab while the kernel runs restores the live figures.

    The widgets are restored from the kernel; a figure must find plotly's shared
    bundle again (a stock ``go.FigureWidget`` beside it, for comparison).
    """
    from playwright.sync_api import sync_playwright

    name = "reload.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import plotly.graph_objects as go\n"
            "from tunewidgets.widgets._figures import new_figure_widget\n"
            "stock = go.FigureWidget(go.Scatter(y=[1, 3, 2], name='stock'))\n"
            "stock"
        ),
        nbformat.v4.new_code_cell(
            "ours = new_figure_widget(go.Figure(go.Scatter(y=[3, 1, 2], name='ours')))\nours"
        ),
        # a view updates its figure after showing it, as the Dashboard does at each trial
        nbformat.v4.new_code_cell(
            "from tunewidgets.widgets._figures import sync_figure\n"
            "sync_figure(ours, go.Figure(go.Scatter(y=[5.0, 6.0, 7.0], name='ours')))"
        ),
    ]
    nbformat.write(notebook, jupyterlab["work"] / name)
    url = jupyterlab["url"].replace(NOTEBOOK.name, name)

    def drawn(page) -> int:
        return page.locator(".js-plotly-plot .scatterlayer .trace").count()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            _open_and_run_all(page, url)
            deadline = time.monotonic() + 60
            while drawn(page) < 2:
                if time.monotonic() > deadline:
                    page.screenshot(path=str(ARTIFACTS / "reload-failure.png"))
                    pytest.fail(f"{drawn(page)} of 2 figures drawn")
                page.wait_for_timeout(250)
            page.keyboard.press("Control+s")  # the outputs are on disk: the reload shows them
            deadline = time.monotonic() + 30
            while '"model_id"' not in (jupyterlab["work"] / name).read_text():
                assert time.monotonic() < deadline, "the notebook was not saved"
                page.wait_for_timeout(250)
            page.reload()
            page.locator(".jp-Notebook").wait_for(timeout=TIMEOUT_MS)
            deadline = time.monotonic() + 60
            while drawn(page) < 2 and time.monotonic() < deadline:
                page.wait_for_timeout(250)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "reload.png"))
            assert drawn(page) == 2, f"{drawn(page)} of 2 figures drawn after the reload"
            ys = page.locator(".js-plotly-plot").nth(1).evaluate("el => el.data[0].y")
            assert list(ys) == [5.0, 6.0, 7.0], ys  # as updated, not as first shown
        finally:
            browser.close()
