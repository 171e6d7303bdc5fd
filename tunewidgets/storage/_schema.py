"""The tables of a study file, and the upgrade of files written by tunewidgets 0.1.

Schema 2 (this version):

- ``studies``: one row per named study, its current space and settings, and
  ``next_number``, the counter every process takes trial numbers from.
- ``spaces``: every space a study has searched, so each trial remembers the
  space it was drawn from (``trials.space_id``).
- ``trials``: one row per finished trial. ``trial_id`` grows with every write,
  so a process reads what others wrote since it last looked; ``writer`` says
  which process wrote it. Text columns (``error``, ``output``) hold JSON
  strings, so any text is stored, lone surrogates included.

Schema 1 had no ``next_number``, ``spaces``, ``trial_id`` or ``writer``, and
raw text in ``error`` and ``output``. A writable schema-1 file is upgraded in
place (in one transaction) when it is opened; a read-only one is read as it is.
"""

from __future__ import annotations

import sqlite3

from .. import _json
from ._files import FORMAT

__all__ = ["SCHEMA_VERSION", "initialize", "migrate"]

SCHEMA_VERSION = 2

_TABLES = """
CREATE TABLE tunewidgets_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE studies (
    study_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    space TEXT NOT NULL,
    settings TEXT NOT NULL,
    next_number INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE spaces (
    space_id INTEGER PRIMARY KEY AUTOINCREMENT,
    study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    space TEXT NOT NULL,
    UNIQUE (study_id, space)
);
"""

_TRIALS = """
CREATE TABLE {name} (
    trial_id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    space_id INTEGER,
    writer TEXT,
    UNIQUE (study_id, number)
)
"""

_V1_COLUMNS = (
    "study_id, number, state, params, score, score_std, intermediate, started, ended, error, "
    "output, ask_time, info"
)


def initialize(conn: sqlite3.Connection) -> None:
    """Create the tables of an empty study file (in WAL mode).

    Parameters
    ----------
    conn : sqlite3.Connection
        A connection to a new, empty file.
    """
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    for statement in (*_TABLES.split(";"), _TRIALS.format(name="trials")):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT INTO tunewidgets_meta VALUES ('format', ?), ('schema_version', ?)",
        (FORMAT, str(SCHEMA_VERSION)),
    )
    conn.execute("COMMIT")


def _json_text(text: str | None) -> str | None:
    return None if text is None else _json.dumps_text(text)


def migrate(conn: sqlite3.Connection) -> int:
    """Upgrade a schema-1 file to schema 2, in one transaction; return the schema now.

    Parameters
    ----------
    conn : sqlite3.Connection
        A writable connection (autocommit mode).

    Returns
    -------
    int
        The file's schema version after the call.
    """
    conn.execute("BEGIN IMMEDIATE")  # another process may be upgrading it at the same moment
    try:
        row = conn.execute(
            "SELECT value FROM tunewidgets_meta WHERE key = 'schema_version'"
        ).fetchone()
        version = int(row[0]) if row else 1
        if version != 1:
            conn.execute("COMMIT")
            return version
        conn.create_function("tw_json_text", 1, _json_text, deterministic=True)
        conn.execute("ALTER TABLE studies ADD COLUMN next_number INTEGER NOT NULL DEFAULT 0")
        conn.execute(
            "UPDATE studies SET next_number = COALESCE("
            "(SELECT MAX(number) + 1 FROM trials t WHERE t.study_id = studies.study_id), 0)"
        )
        conn.execute(_TABLES.split(";")[2])  # spaces
        conn.execute(_TRIALS.format(name="trials_v2"))
        conn.execute(
            f"INSERT INTO trials_v2 ({_V1_COLUMNS}) SELECT study_id, number, state, params, "
            "score, score_std, intermediate, started, ended, tw_json_text(error), "
            "tw_json_text(COALESCE(output, '')), ask_time, info FROM trials "
            "ORDER BY study_id, number"
        )
        conn.execute("DROP TABLE trials")
        conn.execute("ALTER TABLE trials_v2 RENAME TO trials")
        conn.execute(
            "INSERT OR REPLACE INTO tunewidgets_meta VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
