"""SQLite persistence: several named studies per file, one commit per finished trial.

The file is in WAL mode, so one writer (the runner) and any number of readers
(a dashboard in another process, ``Study.load`` elsewhere) never block each
other. Everything is stored as JSON: opening a study file runs no code.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import _json
from ..study._trial import Trial, TrialState

__all__ = ["SQLiteStorage", "StudyNotFoundError", "StudySummary"]

_FORMAT = "tunewidgets-study"
_SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tunewidgets_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS studies (
    study_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    space TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
    study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    state TEXT NOT NULL,
    params TEXT NOT NULL,
    score REAL,
    score_std REAL,
    intermediate TEXT NOT NULL,
    started TEXT,
    ended TEXT,
    error TEXT,
    output TEXT NOT NULL,
    ask_time REAL NOT NULL,
    info TEXT NOT NULL,
    PRIMARY KEY (study_id, number)
);
"""

_TRIAL_COLUMNS = (
    "number, state, params, score, score_std, intermediate, started, ended, error, output, "
    "ask_time, info"
)


class StudyNotFoundError(KeyError):
    """No study of that name in the file; the message lists those that exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class StudySummary:
    """One line of :func:`list_studies`: a stored study at a glance.

    Parameters
    ----------
    name : str
        The study's name.
    n_trials : int
        Finished trials stored.
    best_score : float or None
        Best score among complete trials.
    created : datetime
        When the study was created (UTC).
    strategy : str or None
        The strategy of its latest search, where recorded.
    """

    name: str
    n_trials: int
    best_score: float | None
    created: datetime
    strategy: str | None


def _is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


class SQLiteStorage:
    """A SQLite study file.

    Parameters
    ----------
    path : str or os.PathLike
        The file. It is created (with its tables) when ``create=True`` and it does
        not exist yet.
    create : bool, default=True
        Whether a missing file may be created. ``Study.load`` opens with
        ``create=False`` so that a typo never leaves an empty file behind.

    Raises
    ------
    FileNotFoundError
        If the file does not exist and ``create`` is False.
    ValueError
        If the file exists but is not a tunewidgets study file; it is left untouched.

    Notes
    -----
    The connection is shared by the threads of one process under a lock; other
    processes open their own. Trials are written when they finish, each in its
    own transaction, so a crash loses at most the trials in flight.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        exists = self.path.exists()
        if not exists and not create:
            raise FileNotFoundError(
                f"No study file at {str(self.path)!r}. Check the path, or run a search with "
                f"storage={str(self.path)!r} to create one."
            )
        if exists:
            self._check_is_study_file()
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL survives a killed process (only power loss can drop the
        # last commits) and spares an fsync per trial.
        self._conn.execute("PRAGMA synchronous = NORMAL")
        if not exists:
            self._initialize()
        self._study_ids: dict[str, int] = {}

    def _check_is_study_file(self) -> None:
        not_ours = ValueError(
            f"{str(self.path)!r} is not a tunewidgets study file (it was left untouched). "
            "Choose another path for storage=, or pass storage=None to keep the study in memory."
        )
        if self.path.is_dir() or not _is_sqlite_file(self.path):
            raise not_ours
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute(
                    "SELECT value FROM tunewidgets_meta WHERE key = 'format'"
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            raise not_ours from None
        if row is None or row[0] != _FORMAT:
            raise not_ours

    def _initialize(self) -> None:
        with self._lock:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.executescript(_SCHEMA)
            self._conn.execute(
                "INSERT OR IGNORE INTO tunewidgets_meta VALUES ('format', ?), "
                "('schema_version', ?)",
                (_FORMAT, str(_SCHEMA_VERSION)),
            )

    def __repr__(self) -> str:
        return f"SQLiteStorage({str(self.path)!r})"

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    # -- studies ---------------------------------------------------------------
    def study_names(self) -> list[str]:
        """Names of the studies in the file, oldest first.

        Returns
        -------
        list of str
        """
        with self._lock:
            rows = self._conn.execute("SELECT name FROM studies ORDER BY study_id").fetchall()
        return [r[0] for r in rows]

    def _study_id(self, name: str) -> int:
        if name in self._study_ids:
            return self._study_ids[name]
        with self._lock:
            row = self._conn.execute(
                "SELECT study_id FROM studies WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            names = self.study_names()
            listed = ", ".join(repr(n) for n in names) if names else "none"
            raise StudyNotFoundError(
                f"No study named {name!r} in {str(self.path)!r}. Studies in this file: {listed}."
            )
        self._study_ids[name] = int(row[0])
        return int(row[0])

    def has_study(self, name: str) -> bool:
        """Whether a study of that name exists.

        Parameters
        ----------
        name : str

        Returns
        -------
        bool
        """
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM studies WHERE name = ?", (name,)).fetchone()
        return row is not None

    def create_study(self, name: str, space: dict[str, Any], settings: dict[str, Any]) -> None:
        """Add a new, empty study.

        Parameters
        ----------
        name : str
            Unique within the file.
        space : dict
            The search space as JSON.
        settings : dict
            The search's settings as JSON.

        Raises
        ------
        ValueError
            If the name is taken.
        """
        created = datetime.now(timezone.utc).isoformat()
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO studies (name, created, space, settings) VALUES (?, ?, ?, ?)",
                    (name, created, _json.dumps(space), _json.dumps(settings)),
                )
            except sqlite3.IntegrityError:
                raise ValueError(
                    f"A study named {name!r} already exists in {str(self.path)!r}. Continue it "
                    f"with tw.Study.load({str(self.path)!r}, {name!r}), or choose another name."
                ) from None

    def update_study(self, name: str, space: dict[str, Any], settings: dict[str, Any]) -> None:
        """Replace a study's space and settings (a narrowed space, a new strategy).

        Parameters
        ----------
        name : str
        space : dict
        settings : dict
        """
        study_id = self._study_id(name)
        with self._lock:
            self._conn.execute(
                "UPDATE studies SET space = ?, settings = ? WHERE study_id = ?",
                (_json.dumps(space), _json.dumps(settings), study_id),
            )

    def load_study(self, name: str) -> tuple[dict[str, Any], dict[str, Any], list[Trial]]:
        """Read a study: its space, settings and trials.

        Parameters
        ----------
        name : str

        Returns
        -------
        space : dict
        settings : dict
        trials : list of Trial
            In order of their number.

        Raises
        ------
        StudyNotFoundError
            If there is no such study; the message lists those that exist.
        """
        study_id = self._study_id(name)
        with self._lock:
            space, settings = self._conn.execute(
                "SELECT space, settings FROM studies WHERE study_id = ?", (study_id,)
            ).fetchone()
            rows = self._conn.execute(
                f"SELECT {_TRIAL_COLUMNS} FROM trials WHERE study_id = ? ORDER BY number",
                (study_id,),
            ).fetchall()
        return _json.loads(space), _json.loads(settings), [_row_to_trial(r) for r in rows]

    def delete_study(self, name: str) -> None:
        """Remove a study and its trials.

        Parameters
        ----------
        name : str
        """
        study_id = self._study_id(name)
        with self._lock:
            self._conn.execute("DELETE FROM studies WHERE study_id = ?", (study_id,))
        self._study_ids.pop(name, None)

    def summaries(self) -> list[StudySummary]:
        """One :class:`StudySummary` per study, oldest first.

        Returns
        -------
        list of StudySummary
        """
        query = """
            SELECT s.name, s.created, s.settings, COUNT(t.number),
                   MAX(CASE WHEN t.state = 'complete' THEN t.score END)
            FROM studies s LEFT JOIN trials t ON t.study_id = s.study_id
            GROUP BY s.study_id ORDER BY s.study_id
        """
        with self._lock:
            rows = self._conn.execute(query).fetchall()
        return [
            StudySummary(
                name=name,
                n_trials=int(count),
                best_score=best,
                created=datetime.fromisoformat(created),
                strategy=(_json.loads(settings) or {}).get("strategy"),
            )
            for name, created, settings, count, best in rows
        ]

    # -- trials ------------------------------------------------------------------
    def save_trial(self, name: str, trial: Trial) -> None:
        """Write a trial (insert or replace), committed at once.

        Parameters
        ----------
        name : str
            The study's name.
        trial : Trial
        """
        study_id = self._study_id(name)
        row = (
            study_id,
            trial.number,
            trial.state.value,
            _json.dumps(trial.params),
            _finite(trial.score),
            _finite(trial.score_std),
            _json.dumps({str(k): v for k, v in trial.intermediate_values.items()}),
            trial.started.isoformat() if trial.started else None,
            trial.ended.isoformat() if trial.ended else None,
            trial.error,
            trial.output,
            float(trial.ask_time),
            _json.dumps(trial.info),
        )
        with self._lock:
            self._conn.execute(
                f"INSERT OR REPLACE INTO trials (study_id, {_TRIAL_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _row_to_trial(row: tuple[Any, ...]) -> Trial:
    (number, state, params, score, score_std, intermediate, started, ended, error, output,
     ask_time, info) = row  # fmt: skip
    return Trial(
        number=int(number),
        params=_json.loads(params),
        state=TrialState(state),
        score=score,
        score_std=score_std,
        intermediate_values={int(k): v for k, v in (_json.loads(intermediate) or {}).items()},
        started=datetime.fromisoformat(started) if started else None,
        ended=datetime.fromisoformat(ended) if ended else None,
        error=error,
        output=output or "",
        ask_time=float(ask_time or 0.0),
        info=_json.loads(info) or {},
    )
