"""Persistence of studies: SQLite files of JSON records (never pickle)."""

from ._sqlite import SQLiteStorage, StudyNotFoundError, StudySummary

__all__ = ["SQLiteStorage", "StudyNotFoundError", "StudySummary"]
