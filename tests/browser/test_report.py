"""The HTML report opens offline in headless Chromium, every plot drawn, no console error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sklearn.datasets import load_wine
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import tunewidgets as tw

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_report_renders_offline(tmp_path):
    from playwright.sync_api import sync_playwright

    X, y = load_wine(return_X_y=True)
    study = tw.tune(
        make_pipeline(StandardScaler(), SVC()),
        None,
        X,
        y,
        n_trials=12,
        cv=3,
        storage=None,
        progress=False,
        seed=0,
    )
    path = study.report(tmp_path / "report.html")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(
                "http*://**", lambda route: (errors.append(route.request.url), route.abort())
            )
            page.goto(path.as_uri())
            plots = page.locator(".plot .js-plotly-plot")
            plots.first.wait_for(timeout=60_000)
            assert plots.count() == page.locator(".plot").count() >= 5
            assert page.locator(".results tr").count() == 13  # header + 12 trials
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
