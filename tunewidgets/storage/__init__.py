"""Persistence of studies: SQLite files of JSON records, readable by any SQLite tool."""

from ._files import resolve_path
from ._sqlite import SQLiteStorage, StoredStudy, StudyNotFoundError, StudySummary

__all__ = ["SQLiteStorage", "StoredStudy", "StudyNotFoundError", "StudySummary", "resolve_path"]
