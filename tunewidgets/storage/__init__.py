"""Persistence of studies: SQLite files of JSON records, readable by any SQLite tool."""

from ._sqlite import SQLiteStorage, StudyNotFoundError, StudySummary

__all__ = ["SQLiteStorage", "StudyNotFoundError", "StudySummary"]
