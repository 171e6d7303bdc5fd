"""SQLite persistence: several named studies per file, shared by the processes of one machine.

The file is in WAL mode, so writers (the runners of one or more processes) and
any number of readers (a dashboard in another process, ``Study.load``
elsewhere) never block each other for long. Trial numbers come from a counter
in the file, taken in a transaction, so processes sharing a study never take
the same number; every finished trial is a row of its own, committed at once,
and ``trial_id`` orders the rows as they were written, so each process reads
what the others wrote since it last looked. Everything is stored as JSON:
opening a study file runs no code.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from .. import _json
from .._trial import Trial
from ..exceptions import StudyNotFoundError
from ..space import SearchSpace
from . import _files, _rows, _schema
from ._records import StoredStudy, StudySummary

__all__ = ["SQLiteStorage", "StoredStudy", "StudyNotFoundError", "StudySummary"]

_BUSY_TIMEOUT_S = 30.0
# Waiting for another process's write lock: SQLite's own busy handler sleeps a
# millisecond or more at the first retry, while a trial's write holds the lock for
# a few tens of microseconds; so writers retry themselves, from 50 microseconds up.
#: UPDATE ... RETURNING takes a number in one statement (SQLite 3.35 and later).
_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)
_FIRST_WAIT_S = 0.00005
_LAST_WAIT_S = 0.005


class SQLiteStorage:
    """A SQLite study file.

    Parameters
    ----------
    path : str or os.PathLike
        The file: a path (``~`` expanded) or a ``"sqlite:///path.db"`` URL. A
        missing file is created, with its folder, when ``create=True``.
    create : bool, default=True
        Whether a missing file may be created. ``Study.load`` opens with
        ``create=False`` so that a typo never leaves an empty file behind.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    read_only : str or None
        Why the file can only be read (the file or its folder is not writable),
        or None. A read-only file is opened so that nothing is written beside it.

    Raises
    ------
    FileNotFoundError
        If the file does not exist and ``create`` is False.
    ValueError
        If the path is a folder or a file that is not a study file, or the study
        file is damaged; it is left untouched, and nothing is created beside it.
    PermissionError, OSError
        If the file (or its folder) cannot be created or read; the message names
        the path and why.

    Notes
    -----
    The connection is shared by the threads of one process under a lock; other
    processes open their own. Several processes on one machine may write the
    same study at once. SQLite's locks need a local disk: do not share a study
    file on a network filesystem (NFS, SMB).
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = _files.resolve_path(path)
        state = _files.inspect(self.path)
        if not state.exists:
            if not create:
                raise FileNotFoundError(
                    f"No study file at {str(self.path)!r}. Check the path, or run a search with "
                    f"storage={str(self.path)!r} to create one."
                )
            _files.create_file(self.path, _schema.initialize)
            state = _files.inspect(self.path)  # ours, or the one another process made first
        if state.schema > _schema.SCHEMA_VERSION:
            raise ValueError(
                f"{str(self.path)!r} was written by a newer tunewidgets (study file schema "
                f"{state.schema}; this version reads up to {_schema.SCHEMA_VERSION}). Upgrade "
                "tunewidgets to open it."
            )
        self.read_only: str | None = _files.writable(self.path)
        self._lock = threading.RLock()
        self._conn, self._immutable = _files.connect(
            self.path, read_only=self.read_only is not None, timeout=_BUSY_TIMEOUT_S
        )
        self._schema = state.schema
        self._study_ids: dict[str, int] = {}
        self._space_ids: dict[tuple[int, str], int] = {}
        self._spaces: dict[int, SearchSpace | None] = {}
        self._space_texts: dict[int, tuple[SearchSpace, str]] = {}
        self._saves: dict[str | None, int] = {}  # trials written through this connection
        with self._guard():
            self._conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
            if self.read_only is None:
                self._conn.execute("PRAGMA foreign_keys = ON")
                # In WAL mode NORMAL survives a killed process (only power loss can drop
                # the last commits) and spares an fsync per trial.
                self._conn.execute("PRAGMA synchronous = NORMAL")
                if self._schema < _schema.SCHEMA_VERSION:
                    self._schema = _schema.migrate(self._conn)
                self._conn.execute("PRAGMA busy_timeout = 0")  # _sql() waits instead

    def _sql(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], int]:
        """Run one statement (the caller holds the lock); wait while another process writes.

        Returns its rows (all of them: the statement is finished) and its row count.
        """
        wait, deadline = _FIRST_WAIT_S, 0.0
        while True:
            try:
                cursor = self._conn.execute(sql, params)
                return cursor.fetchall(), cursor.rowcount
            except sqlite3.OperationalError as exc:
                text = str(exc)
                if "locked" not in text and "busy" not in text:
                    raise
                now = time.monotonic()
                deadline = deadline or now + _BUSY_TIMEOUT_S
                if now >= deadline:
                    raise
                time.sleep(wait * random.uniform(0.5, 1.0))
                wait = min(wait * 2, _LAST_WAIT_S)

    def __repr__(self) -> str:
        mode = ", read-only" if self.read_only else ""
        return f"SQLiteStorage({str(self.path)!r}{mode})"

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Hold the lock; turn SQLite's errors into messages about this file."""
        with self._lock:
            try:
                yield
            except sqlite3.OperationalError as exc:
                text = str(exc)
                if "readonly" in text or "read-only" in text:
                    raise self._refuse_write(text) from None
                if "locked" in text or "busy" in text:
                    raise TimeoutError(
                        f"{str(self.path)!r} stayed locked by another process for "
                        f"{_BUSY_TIMEOUT_S:.0f} s ({text})."
                    ) from None
                if "malformed" in text or "disk image" in text or "not a database" in text:
                    raise _files.damaged(self.path, f"SQLite reports: {text}") from None
                raise
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                    raise
                raise _files.damaged(self.path, f"SQLite reports: {exc}") from None

    def _refuse_write(self, why: str | None = None) -> PermissionError:
        reason = why or self.read_only or "it is read-only"
        return PermissionError(
            f"Cannot write to the study file {str(self.path)!r}: {reason}. Its studies can be "
            "read (tw.Study.load, tw.list_studies) but not continued; copy the file somewhere "
            "writable, or choose another storage=."
        )

    def check_writable(self) -> None:
        """Raise unless a search can record into this file.

        Raises
        ------
        PermissionError
            If the file is read-only, saying why and what can be done.
        """
        if self.read_only is not None:
            raise self._refuse_write()

    # -- studies ---------------------------------------------------------------
    def study_names(self) -> list[str]:
        """Names of the studies in the file, oldest first.

        Returns
        -------
        list of str
        """
        with self._guard():
            rows, _ = self._sql("SELECT name FROM studies ORDER BY study_id")
        return [r[0] for r in rows]

    def _study_id(self, name: str) -> int:
        name = _json.escape_surrogates(name)
        if name in self._study_ids:
            return self._study_ids[name]
        with self._guard():
            rows, _ = self._sql("SELECT study_id FROM studies WHERE name = ?", (name,))
        row = rows[0] if rows else None
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
        with self._guard():
            rows, _ = self._sql(
                "SELECT 1 FROM studies WHERE name = ?", (_json.escape_surrogates(name),)
            )
        return bool(rows)

    def create_study(
        self,
        name: str,
        space: dict[str, Any],
        settings: dict[str, Any],
        *,
        exist_ok: bool = False,
    ) -> bool:
        """Add a new, empty study.

        Parameters
        ----------
        name : str
            Unique within the file (lone surrogates are escaped).
        space : dict
            The search space as JSON.
        settings : dict
            The search's settings as JSON.
        exist_ok : bool, default=False
            Leave an existing study of that name as it is instead of refusing.

        Returns
        -------
        bool
            Whether it was created (False: it existed, and ``exist_ok`` is True).

        Raises
        ------
        ValueError
            If the name is taken and ``exist_ok`` is False.
        PermissionError
            If the file is read-only.
        """
        self.check_writable()
        name = _json.escape_surrogates(name)
        created = datetime.now(timezone.utc).isoformat()
        with self._guard():
            _, count = self._sql(
                "INSERT OR IGNORE INTO studies (name, created, space, settings) "
                "VALUES (?, ?, ?, ?)",
                (name, created, _json.dumps(space), _json.dumps(settings)),
            )
        if count == 0 and not exist_ok:
            raise ValueError(
                f"A study named {name!r} already exists in {str(self.path)!r}. Continue it "
                f"with tw.Study.load({str(self.path)!r}, {name!r}), or choose another name."
            )
        return count > 0

    def update_study(self, name: str, space: dict[str, Any], settings: dict[str, Any]) -> None:
        """Replace a study's space and settings (a narrowed space, a new strategy).

        Parameters
        ----------
        name : str
        space : dict
        settings : dict
        """
        self.check_writable()
        study_id = self._study_id(name)
        with self._guard():
            self._sql(
                "UPDATE studies SET space = ?, settings = ? WHERE study_id = ?",
                (_json.dumps(space), _json.dumps(settings), study_id),
            )

    def load_study(self, name: str) -> StoredStudy:
        """Read a study: its space, settings and trials, in one consistent snapshot.

        Parameters
        ----------
        name : str

        Returns
        -------
        StoredStudy

        Raises
        ------
        StudyNotFoundError
            If there is no such study; the message lists those that exist.
        """
        study_id = self._study_id(name)
        with self._guard():
            self._conn.execute("BEGIN")  # one snapshot for every statement below
            try:
                rows, _ = self._sql(
                    "SELECT space, settings FROM studies WHERE study_id = ?", (study_id,)
                )
                space, settings = rows[0]
                trials, cursor = self._read_trials(study_id, 0, None)
            finally:
                self._conn.execute("COMMIT")
        return StoredStudy(_json.loads(space), _json.loads(settings), trials, cursor)

    def _read_trials(
        self, study_id: int, after: int, writer: str | None
    ) -> tuple[list[Trial], int]:
        if self._schema < 2:
            rows, _ = self._sql(
                f"SELECT 0, NULL, {_rows.V1_COLUMNS} FROM trials WHERE study_id = ? "
                "ORDER BY number",
                (study_id,),
            )
        else:
            rows, _ = self._sql(
                f"SELECT trial_id, writer, {_rows.COLUMNS} FROM trials "
                "WHERE study_id = ? AND trial_id > ? ORDER BY trial_id",
                (study_id, after),
            )
        cursor = max((int(r[0]) for r in rows), default=after)
        trials = [
            _rows.from_row(r[2:], self._schema, self._space_of)
            for r in rows
            if writer is None or r[1] != writer
        ]
        trials.sort(key=lambda t: t.number)
        return trials, cursor

    def _space_of(self, space_id: int | None) -> SearchSpace | None:
        if space_id is None:
            return None
        if space_id not in self._spaces:
            rows, _ = self._sql("SELECT space FROM spaces WHERE space_id = ?", (space_id,))
            try:
                self._spaces[space_id] = SearchSpace.from_json(_json.loads(rows[0][0]))
            except Exception:  # a space this version cannot read: the trial stays readable
                self._spaces[space_id] = None
        return self._spaces[space_id]

    def delete_study(self, name: str) -> None:
        """Remove a study and its trials.

        Parameters
        ----------
        name : str
        """
        self.check_writable()
        study_id = self._study_id(name)
        with self._guard():
            self._sql("DELETE FROM studies WHERE study_id = ?", (study_id,))
        self._study_ids.pop(_json.escape_surrogates(name), None)

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
        with self._guard():
            rows, _ = self._sql(query)
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
    def claim_number(self, name: str) -> int:
        """Take the study's next trial number, in a transaction: no other process gets it.

        Parameters
        ----------
        name : str

        Returns
        -------
        int
        """
        self.check_writable()
        study_id = self._study_id(name)
        take = "UPDATE studies SET next_number = next_number + 1 WHERE study_id = ?"
        with self._guard():
            if _RETURNING:
                rows, _ = self._sql(f"{take} RETURNING next_number - 1", (study_id,))
                return int(rows[0][0])
            self._sql("BEGIN IMMEDIATE")  # SQLite before 3.35: the same, in three statements
            try:
                self._sql(take, (study_id,))
                rows, _ = self._sql(
                    "SELECT next_number - 1 FROM studies WHERE study_id = ?", (study_id,)
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return int(rows[0][0])

    def release_number(self, name: str, number: int) -> None:
        """Give a number back if no one has taken a later one (a trial that never ran).

        Parameters
        ----------
        name : str
        number : int
        """
        if self.read_only is not None:
            return
        study_id = self._study_id(name)
        with self._guard():
            self._sql(
                "UPDATE studies SET next_number = ? WHERE study_id = ? AND next_number = ?",
                (number, study_id, number + 1),
            )

    def save_trial(
        self,
        name: str,
        trial: Trial,
        writer: str | None = None,
        *,
        encoded: dict[str, str] | None = None,
    ) -> None:
        """Write a finished trial, committed at once.

        Parameters
        ----------
        name : str
            The study's name.
        trial : Trial
            Its number was taken with :meth:`claim_number` (or is new to the study).
        writer : str, optional
            Who writes it: :meth:`trials_since` leaves out the writer's own trials.
        encoded : dict, optional
            Its ``params`` and ``info`` already serialized (as the study records them).

        Raises
        ------
        ValueError
            If the study already holds a trial of that number.
        PermissionError
            If the file is read-only.
        """
        self.check_writable()
        study_id = self._study_id(name)
        row = _rows.to_row(trial, encoded)
        space = None if trial.space is None else self._space_text(trial.space)
        with self._guard():
            space_id = None if space is None else self._space_id(study_id, space)
            try:
                self._sql(
                    f"INSERT INTO trials (study_id, {_rows.COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (study_id, *row, space_id, writer),
                )
            except sqlite3.IntegrityError:
                raise ValueError(
                    f"Study {name!r} in {str(self.path)!r} already holds a trial number "
                    f"{trial.number}; numbers are taken with claim_number()."
                ) from None
            self._saves[writer] = self._saves.get(writer, 0) + 1

    def _space_text(self, space: SearchSpace) -> str:
        cached = self._space_texts.get(id(space))
        if cached is None or cached[0] is not space:  # the space is held: its id stays its own
            cached = (space, _json.dumps(space.to_json()))
            self._space_texts[id(space)] = cached
        return cached[1]

    def _space_id(self, study_id: int, space: str) -> int:
        key = (study_id, space)
        if key not in self._space_ids:
            self._sql(
                "INSERT OR IGNORE INTO spaces (study_id, space) VALUES (?, ?)", (study_id, space)
            )
            rows, _ = self._sql(
                "SELECT space_id FROM spaces WHERE study_id = ? AND space = ?", (study_id, space)
            )
            self._space_ids[key] = int(rows[0][0])
        return self._space_ids[key]

    def version(self, writer: str | None = None) -> tuple[int, int]:
        """A token that changes whenever others may have written trials (cheap to poll).

        Parameters
        ----------
        writer : str, optional
            Whose own writes do not count.

        Returns
        -------
        tuple of int
            SQLite's ``data_version`` (it changes with other connections'
            commits) and the trials written through this connection by other writers.
        """
        with self._guard():
            rows, _ = self._sql("PRAGMA data_version")
        others = sum(self._saves.values()) - self._saves.get(writer, 0)
        return int(rows[0][0]), others

    def trials_since(self, name: str, cursor: int, writer: str | None) -> tuple[list[Trial], int]:
        """Trials written after ``cursor`` by anyone but ``writer``.

        Parameters
        ----------
        name : str
            The study's name.
        cursor : int
            As returned by :meth:`load_study` or the previous call.
        writer : str or None
            Leave out the trials this writer wrote.

        Returns
        -------
        trials : list of Trial
            By number.
        cursor : int
            Where to read on from next time.
        """
        if self._schema < 2 or self._immutable:
            return [], cursor  # a file at rest, read as it is: nothing new can appear
        study_id = self._study_id(name)
        with self._guard():
            return self._read_trials(study_id, cursor, writer)
