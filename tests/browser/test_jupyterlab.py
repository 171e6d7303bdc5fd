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
            # trials can all finish in two seconds, before there is time to press Stop.
            n_trials = (
                dashboard.locator(".widget-text").filter(has_text="n_trials").locator("input")
            )
            n_trials.fill("500")
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
            expect(dashboard.locator(".tw-progress").first).to_contain_text("/500 trials")
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
