from __future__ import annotations

import tunewidgets as tw
from tunewidgets.widgets import grid_for_budget


def test_grid_fits_the_budget():
    space = tw.SearchSpace({"a": tw.Float(0, 1), "b": tw.Float(0, 1)})
    grid = grid_for_budget(space, 30)
    assert len(grid) == 25  # 5 x 5 is the finest grid within 30 trials
    big = tw.SearchSpace({f"p{i}": tw.Float(0, 1) for i in range(6)})
    shuffled = grid_for_budget(big, 30)
    assert len(shuffled) == 64
    assert shuffled.shuffle


def test_race_overlays_one_line_per_strategy():
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "y": tw.Float(0.0, 1.0)})
    race = tw.Race(
        objective=lambda p: -abs(p["x"] - 0.7) - abs(p["y"] - 0.2),
        space=space,
        strategies=["grid", "random", "bayes"],
        n_trials=9,
        display=False,
    )
    race.start()
    race.wait(60)
    results = race.results()
    assert results["strategy"].tolist() == ["grid", "random", "bayes"]
    assert results["trials"].tolist() == [9, 9, 9]
    names = {t.name for t in race.figure.data if t.name}
    assert {"grid", "random", "bayes"} <= {n.split(" ")[0] for n in names}
    assert race.start_button.disabled
    assert race.stop_button.disabled


def test_each_best_score_comes_with_its_fold_std():
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC

    X, y = load_iris(return_X_y=True)
    race = tw.Race(
        SVC(),
        X,
        y,
        space={"C": tw.Float(0.1, 10.0, log=True)},
        strategies=["random", "bayes"],
        n_trials=3,
        cv=3,
        display=False,
    )
    race.start()
    race.wait(60)
    results = race.results()
    for name, study in race.studies.items():
        row = results.set_index("strategy").loc[name]
        assert row["best_score_std"] == study.best_trial.score_std > 0
    assert "best_score_std" in race.summary.value
