"""study.report(): one self-contained HTML file, everything user-provided escaped."""

from __future__ import annotations

import re

from sklearn.datasets import load_iris
from sklearn.svm import SVC

import tunewidgets as tw
from tunewidgets.report import search_cost

EVIL = "</script><script>alert('x')</script>"


def test_report_of_an_sklearn_search(tmp_path):
    X, y = load_iris(return_X_y=True)
    space = tw.SearchSpace({"C": tw.Float(1e-2, 1e2, log=True), "kernel": ["rbf", "linear"]})
    study = tw.tune(SVC(), space, X, y, n_trials=8, cv=3, storage=None, progress=False, seed=0)
    path = study.report(tmp_path / "report.html")
    html = path.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "Plotly.newPlot" in html or "Plotly" in html
    assert not re.search(r"<script[^>]+src=", html), "the report must not load anything"
    for title in ("Convergence", "Parallel coordinates", "Search path", "Surrogate", "Importance"):
        assert f"<h3>{title}</h3>" in html
    assert f"{study.best_score:.6g}" in html
    assert "150 samples · 3 folds · 24 fits" in html
    cost = search_cost(study)
    assert cost["trials"] == 8
    assert cost["fits"] == 24
    assert cost["ask_time_total"] > 0


def test_user_provided_text_is_escaped(tmp_path):
    space = tw.SearchSpace({EVIL: tw.Categorical([EVIL, "ok"])})

    def objective(params):
        if params[EVIL] == "ok":
            raise ValueError(EVIL)
        return 1.0

    study = tw.tune(
        objective, space, strategy="grid", n_trials=2, storage=None, progress=False, study_name=EVIL
    )
    html = study.report(tmp_path / "r.html").read_text()
    assert "<script>alert" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert" in html


def test_report_of_an_empty_study(tmp_path):
    study = tw.Study(tw.SearchSpace({"x": tw.Float(0, 1)}))
    html = study.report(tmp_path / "r.html").read_text()
    assert "No complete trial" in html


def test_the_reports_parallel_coordinates_are_not_flattened_by_outliers(tmp_path):
    """Three diverged trials: the report's colour bar starts at the others, marked "≤"."""
    space = tw.SearchSpace({"x": tw.Float(0, 1), "y": tw.Float(0, 1)})

    def objective(params):
        # a smooth hill on most of the square, a cliff in one corner
        if params["x"] > 0.4 and params["y"] > 0.9:
            return -50.0
        return 0.9 - 0.1 * (params["x"] - 0.3) ** 2 - 0.1 * (params["y"] - 0.6) ** 2

    study = tw.tune(objective, space, strategy="grid", n_trials=25, storage=None,
                    progress=False)  # fmt: skip
    scores = [t.score for t in study.trials]
    assert sum(s < 0 for s in scores) == 3
    html = study.report(tmp_path / "r.html").read_text()
    parcoords = re.search(r'"type":\s*"parcoords"', html)
    assert parcoords, "no parallel-coordinates figure in the report"
    cmin = float(re.search(r'"cmin":\s*(-?[\d.e+-]+)', html).group(1))
    assert cmin == min(s for s in scores if s > 0)
    assert "\\u2264" in html or "≤" in html  # the colour bar's lowest tick says "≤"
