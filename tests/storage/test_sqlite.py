"""SQLite storage: named studies, JSON only, clear errors, files left untouched."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

import tunewidgets as tw

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "k": tw.Categorical(["a", None, True])})


def objective(params):
    return params["x"] + (params["k"] == "a")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_of_every_field(tmp_path):
    path = tmp_path / "s.db"

    def reporting(params, trial):
        for step in range(3):
            trial.report(params["x"] * step, step)
        print("printed")
        return objective(params)

    study = tw.tune(
        reporting,
        SPACE,
        strategy="random",
        n_trials=6,
        storage=path,
        study_name="one",
        progress=False,
        seed=0,
    )
    loaded = tw.Study.load(path, "one")
    assert loaded.trials == study.trials
    assert loaded.space == SPACE
    assert loaded.settings["strategy"] == "random"
    assert loaded.trials[0].intermediate_values == {
        0: 0.0,
        1: loaded.trials[0].params["x"],
        2: 2 * loaded.trials[0].params["x"],
    }
    assert "printed" in loaded.trials[0].output


def test_stored_as_json_not_pickle(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(objective, SPACE, strategy="random", n_trials=3, storage=path, progress=False)
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT params, info FROM trials").fetchall()
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"
    for params, info in rows:
        assert params.startswith("{") and info.startswith("{")


def test_several_studies_per_file_and_list_studies(tmp_path):
    path = tmp_path / "s.db"
    for name, n in [("first", 2), ("second", 3)]:
        tw.tune(
            objective,
            SPACE,
            strategy="random",
            n_trials=n,
            storage=path,
            study_name=name,
            progress=False,
        )
    summaries = tw.list_studies(path)
    assert [(s.name, s.n_trials, s.strategy) for s in summaries] == [
        ("first", 2, "random"),
        ("second", 3, "random"),
    ]
    assert summaries[1].best_score == tw.Study.load(path, "second").best_score


def test_default_storage_is_tunewidgets_db_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    study = tw.tune(objective, SPACE, strategy="random", n_trials=2, progress=False)
    assert (tmp_path / "tunewidgets.db").exists()
    assert [s.name for s in tw.list_studies("tunewidgets.db")] == [study.name]
    assert study.name.startswith("objective-")


def test_storage_none_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    study = tw.tune(objective, SPACE, strategy="random", n_trials=2, storage=None, progress=False)
    assert study.storage_path is None
    assert list(tmp_path.iterdir()) == []


def test_load_without_name_picks_the_only_study(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(
        objective,
        SPACE,
        strategy="random",
        n_trials=2,
        storage=path,
        study_name="only",
        progress=False,
    )
    assert tw.Study.load(path).name == "only"
    tw.tune(
        objective,
        SPACE,
        strategy="random",
        n_trials=2,
        storage=path,
        study_name="other",
        progress=False,
    )
    with pytest.raises(ValueError, match=r"holds 2 studies \('only', 'other'\); say which"):
        tw.Study.load(path)


def test_unknown_study_name_lists_what_exists(tmp_path):
    path = tmp_path / "s.db"
    tw.tune(
        objective,
        SPACE,
        strategy="random",
        n_trials=1,
        storage=path,
        study_name="svc-iris",
        progress=False,
    )
    before = _digest(path)
    with pytest.raises(
        KeyError, match=r"No study named 'svc-wine' .* Studies in this file: 'svc-iris'"
    ):
        tw.Study.load(path, "svc-wine")
    assert _digest(path) == before


def test_missing_file_is_not_created(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(FileNotFoundError, match="No study file at"):
        tw.Study.load(path, "x")
    with pytest.raises(FileNotFoundError):
        tw.list_studies(path)
    assert not path.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("name,score\nsvc,0.9\n"),
        lambda p: p.write_bytes(b""),
        lambda p: sqlite3.connect(p).execute("CREATE TABLE other (a)").connection.commit(),
    ],
    ids=["csv", "empty", "other-sqlite"],
)
def test_a_file_that_is_not_a_study_file_is_left_untouched(tmp_path, make):
    path = tmp_path / "data.db"
    make(path)
    before = _digest(path)
    for action in (
        lambda: tw.Study.load(path, "x"),
        lambda: tw.list_studies(path),
        lambda: tw.tune(objective, SPACE, n_trials=1, storage=path, progress=False),
    ):
        with pytest.raises(ValueError, match="is not a tunewidgets study file"):
            action()
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.db"]


def test_a_taken_name_is_refused_for_a_new_study(tmp_path):
    path = tmp_path / "s.db"
    tw.Study(SPACE, name="taken", storage=path)
    with pytest.raises(ValueError, match=r"already exists .*tw.Study.load"):
        tw.Study(SPACE, name="taken", storage=path)
