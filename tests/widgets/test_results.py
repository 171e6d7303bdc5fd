"""The results views: the table, the best trial, its line of code."""

from __future__ import annotations


def test_the_best_code_line_of_a_pipeline_runs_and_sets_the_best_params():
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from tunewidgets.widgets._results import best_code_line

    line = best_code_line({"svc__C": 2.5}, make_pipeline(StandardScaler(), SVC(kernel="poly")))
    namespace = {"Pipeline": Pipeline, "StandardScaler": StandardScaler, "SVC": SVC}
    exec(line, namespace)
    model = namespace["model"]
    assert model.get_params()["svc__C"] == 2.5
    assert model.get_params()["svc__kernel"] == "poly"
