"""Paths, read-only and damaged files, files of other programs, and files of tunewidgets 0.1."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import textwrap

import pytest

import tunewidgets as tw

from . import readonly

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})


def objective(params):
    print("trial output, some of it: " + "o" * 500)
    return params["x"]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_study(path, n=5, name="s"):
    """A study file at rest: every connection closed, no side files."""
    study = tw.tune(
        objective,
        SPACE,
        strategy="random",
        n_trials=n,
        storage=path,
        study_name=name,
        progress=False,
        seed=0,
    )
    study._storage.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return study


# -- paths -----------------------------------------------------------------------------------
def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "s.db"
    tw.tune(objective, SPACE, n_trials=2, storage=path, study_name="s", progress=False)
    assert len(tw.Study.load(path, "s").trials) == 2


def test_sqlite_urls_and_home_are_understood(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    tw.tune(
        objective, SPACE, n_trials=1, storage="sqlite:///rel.db", study_name="r", progress=False
    )
    tw.tune(
        objective,
        SPACE,
        n_trials=1,
        storage=f"sqlite:///{tmp_path}/abs.db",
        study_name="a",
        progress=False,
    )
    tw.tune(
        objective, SPACE, n_trials=1, storage="~/studies/home.db", study_name="h", progress=False
    )
    assert tw.Study.load("rel.db", "r").n_trials == 1
    assert tw.Study.load(tmp_path / "abs.db", "a").n_trials == 1
    assert tw.Study.load(tmp_path / "home" / "studies" / "home.db", "h").n_trials == 1
    assert tw.Study.load("sqlite:///rel.db").name == "r"
    assert not (tmp_path / "sqlite:").exists() and not (tmp_path / "~").exists()


@pytest.mark.parametrize(
    ("storage", "error", "message"),
    [
        (lambda p: p, ValueError, r"is not a tunewidgets study file \(it is a folder\)"),
        (lambda p: p / "file.txt" / "s.db", OSError, r"file.txt' .*is a file, not a folder"),
        (lambda p: "postgresql://host/db", ValueError, "only SQLite files are supported"),
        (lambda p: "sqlite:///:memory:", ValueError, "names no file.*storage=None"),
    ],
    ids=["a-folder", "parent-is-a-file", "another-database", "memory-url"],
)
def test_unusable_paths_are_refused_naming_the_path(tmp_path, storage, error, message):
    (tmp_path / "file.txt").write_text("notes")
    with pytest.raises(error, match=message):
        tw.tune(objective, SPACE, n_trials=1, storage=storage(tmp_path), progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# -- read-only files and folders ---------------------------------------------------------------
READER = textwrap.dedent(
    """
    import json, sys
    import tunewidgets as tw

    path, new = sys.argv[1], sys.argv[2]
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    out = {}
    study = tw.Study.load(path, "s")
    out["n"], out["best"] = len(study.trials), study.best_score
    out["listed"] = [s.name for s in tw.list_studies(path)]
    out["read_only"] = study.read_only
    attempts = {
        "continue": lambda: tw.tune(lambda p: p["x"], space, n_trials=1, storage=path,
                                    study_name="s", progress=False),
        "continue-object": lambda: tw.tune(lambda p: p["x"], space, n_trials=1, study=study,
                                           progress=False),
        "new-study": lambda: tw.Study(space, name="other", storage=path),
        "new-file": lambda: tw.tune(lambda p: p["x"], space, n_trials=1, storage=new,
                                    progress=False),
        "runner": lambda: tw.Runner(study, lambda p: p["x"], tw.RandomSearch(space), n_trials=1),
        "set-space": lambda: study.set_space(tw.SearchSpace({"x": tw.Float(0.0, 0.5)})),
    }
    for name, attempt in attempts.items():
        try:
            attempt()
            out[name] = "allowed"
        except PermissionError as exc:
            out[name] = "PermissionError: " + str(exc)
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("which", ["file", "folder"])
def test_a_read_only_study_is_read_and_writing_is_refused_clearly(tmp_path, which):
    folder = tmp_path / "studies"
    folder.mkdir()
    path = folder / "s.db"
    study = _make_study(path)
    before = _digest(path)
    locked = [path] if which == "file" else [path, folder]
    readonly.make_read_only(*locked)
    try:
        out = readonly.run(READER, str(path), str(folder / "new.db"), cwd=tmp_path)
    finally:
        readonly.restore(*locked)
    assert out["n"] == 5 and out["best"] == study.best_score
    assert out["listed"] == ["s"]
    assert "not writable" in out["read_only"]
    for attempt in ("continue", "continue-object", "new-study", "runner", "set-space"):
        assert out[attempt].startswith("PermissionError: Cannot write to the study file"), attempt
        assert str(path) in out[attempt] and "can be read" in out[attempt]
    if which == "folder":
        assert out["new-file"].startswith("PermissionError: Cannot create the study file")
        assert str(folder) in out["new-file"]
    else:
        assert out["new-file"] == "allowed"
    # read without writing anything: no -wal/-shm beside it, the file unchanged
    assert _digest(path) == before
    left = sorted(p.name for p in folder.iterdir())
    assert left == (["new.db", "s.db"] if which == "file" else ["s.db"])


# -- files that are not studies, and damaged studies ----------------------------------------------
def _wal_database(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE measurements (a, b)")
    conn.execute("INSERT INTO measurements VALUES (1, 2)")
    conn.commit()
    conn.close()


def _truncated_study(path):
    _make_study(path, n=60)
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_wal_database, r"is not a tunewidgets study file \(an SQLite database of something else"),
        (
            _truncated_study,
            r"is a damaged study file \(truncated: [\d,]+ bytes of the [\d,]+ its "
            r"header announces\); it was left untouched",
        ),
    ],
    ids=["foreign-wal-database", "truncated-study"],
)
def test_nothing_is_written_to_or_beside_a_file_that_is_not_a_sound_study(tmp_path, make, message):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "data.db"
    make(path)
    before = _digest(path)
    for action in (
        lambda: tw.Study.load(path, "s"),
        lambda: tw.list_studies(path),
        lambda: tw.tune(objective, SPACE, n_trials=1, storage=path, study_name="s", progress=False),
    ):
        with pytest.raises(ValueError, match=message):
            action()
    assert _digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["data.db"]


def test_a_study_damaged_inside_is_called_damaged(tmp_path):
    path = tmp_path / "s.db"
    _make_study(path, n=60)
    page = 4096
    with open(path, "r+b") as fh:  # scribble over the pages that hold the trials
        fh.seek(3 * page)
        fh.write(os.urandom(path.stat().st_size - 3 * page))
    with pytest.raises(ValueError, match=r"is a damaged study file \(SQLite reports: "):
        tw.Study.load(path, "s")


def test_a_file_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    _make_study(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE tunewidgets_meta SET value = '3' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(ValueError, match=r"written by a newer tunewidgets \(study file schema 3"):
        tw.Study.load(path, "s")


# -- study files of tunewidgets 0.1 (schema 1) ----------------------------------------------------
V1_SCHEMA = """
CREATE TABLE tunewidgets_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE studies (
    study_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
    space TEXT NOT NULL, settings TEXT NOT NULL
);
CREATE TABLE trials (
    study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    number INTEGER NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, score REAL,
    score_std REAL, intermediate TEXT NOT NULL, started TEXT, ended TEXT, error TEXT,
    output TEXT NOT NULL, ask_time REAL NOT NULL, info TEXT NOT NULL,
    PRIMARY KEY (study_id, number)
);
INSERT INTO tunewidgets_meta VALUES ('format', 'tunewidgets-study'), ('schema_version', '1');
INSERT INTO studies VALUES (1, 'old', '2026-01-02T03:04:05+00:00', '{"x":{"type":"float","low":0.0,"high":1.0,"log":false}}', '{"strategy":"random"}');
INSERT INTO trials VALUES (1, 0, 'complete', '{"x":0.25}', 0.25, NULL, '{"0":0.1}', '2026-01-02T03:04:06+00:00', '2026-01-02T03:04:07+00:00', NULL, 'printed "this"', 0.001, '{"fold_scores":[0.2,0.3]}');
INSERT INTO trials VALUES (1, 1, 'failed', '{"x":0.75}', NULL, NULL, '{}', '2026-01-02T03:04:08+00:00', '2026-01-02T03:04:09+00:00', 'ValueError: bad', '', 0.001, '{}');
INSERT INTO trials VALUES (1, 2, 'complete', '{"x":0.5}', 0.5, 0.01, '{}', '2026-01-02T03:04:10+00:00', '2026-01-02T03:04:11+00:00', NULL, '', 0.001, '{}');
"""


def _v1_file(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(V1_SCHEMA)
    conn.close()


def _check_v1_trials(study):
    assert [t.number for t in study.trials] == [0, 1, 2]
    assert study.trials[0].output == 'printed "this"'
    assert study.trials[0].intermediate_values == {0: 0.1}
    assert study.trials[0].info == {"fold_scores": [0.2, 0.3]}
    assert study.trials[1].error == "ValueError: bad"
    assert study.best_score == 0.5 and study.best_trial.space is None  # drawn from an unknown space
    assert study.settings == {"strategy": "random"}


def test_a_schema_1_file_is_upgraded_when_opened_and_continues(tmp_path):
    path = tmp_path / "old.db"
    _v1_file(path)
    study = tw.Study.load(path, "old")
    _check_v1_trials(study)
    with sqlite3.connect(path) as conn:
        assert conn.execute(
            "SELECT value FROM tunewidgets_meta WHERE key = 'schema_version'"
        ).fetchone() == ("2",)
    conn.close()
    more = tw.tune(
        objective,
        SPACE,
        strategy="random",
        n_trials=2,
        storage=path,
        study_name="old",
        progress=False,
        seed=0,
    )
    assert [t.number for t in more.trials] == [0, 1, 2, 3, 4]
    reloaded = tw.Study.load(path, "old")
    assert reloaded.trials[:3] == study.trials
    assert reloaded.trials[3].space == SPACE


V1_READER = textwrap.dedent(
    """
    import json, sys
    import tunewidgets as tw
    study = tw.Study.load(sys.argv[1], "old")
    print(json.dumps({"numbers": [t.number for t in study.trials],
                      "output": study.trials[0].output, "error": study.trials[1].error,
                      "best": study.best_score}))
    """
)


def test_a_read_only_schema_1_file_is_read_as_it_is(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    path = folder / "old.db"
    _v1_file(path)
    before = _digest(path)
    readonly.make_read_only(path, folder)
    try:
        out = readonly.run(V1_READER, str(path), cwd=tmp_path)
    finally:
        readonly.restore(path, folder)
    assert out == {
        "numbers": [0, 1, 2],
        "output": 'printed "this"',
        "error": "ValueError: bad",
        "best": 0.5,
    }
    assert _digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["old.db"]
