"""Study files on disk: which path is meant, what is there, and how a new one appears.

Everything here looks before it touches: a file that is not a study is
inspected without writing anything (not even SQLite's ``-wal``/``-shm`` side
files), a damaged study is called damaged, and a new study file appears whole
(it is built under a temporary name and linked into place), so a reader polling
the path sees no file or a study file, never a half-made one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "FileState",
    "connect",
    "create_file",
    "inspect",
    "resolve_path",
    "writable",
]

FORMAT = "tunewidgets-study"
_MAGIC = b"SQLite format 3\x00"
_URL_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def resolve_path(storage: str | os.PathLike[str]) -> Path:
    """The file a ``storage=`` argument names.

    Parameters
    ----------
    storage : str or path
        A path (``~`` is expanded) or an SQLAlchemy-style URL as Optuna takes it:
        ``"sqlite:///relative.db"``, ``"sqlite:////absolute/path.db"``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For an in-memory or another database's URL, or an empty path.
    """
    text = os.fspath(storage)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    original = text
    for prefix in _URL_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].split("?", 1)[0]
            break
    else:
        if "://" in text:
            raise ValueError(
                f"storage={original!r}: only SQLite files are supported, as a path "
                "('tunewidgets.db') or a 'sqlite:///path.db' URL."
            )
    if text in ("", ":memory:"):
        raise ValueError(
            f"storage={original!r} names no file. Give a path such as 'tunewidgets.db', or "
            "storage=None to keep the study in memory only."
        )
    return Path(text).expanduser()


@dataclass(frozen=True)
class FileState:
    """What :func:`inspect` found at a path.

    Parameters
    ----------
    exists : bool
        Whether there is a file.
    schema : int
        The study file's schema version (0 when there is no file).
    """

    exists: bool
    schema: int = 0


def _not_ours(path: Path, why: str) -> ValueError:
    return ValueError(
        f"{str(path)!r} is not a tunewidgets study file ({why}); it was left untouched. Choose "
        "another path for storage=, or pass storage=None to keep the study in memory."
    )


def damaged(path: Path, why: str) -> ValueError:
    """The error for a study file SQLite cannot read whole.

    Parameters
    ----------
    path : pathlib.Path
    why : str
        What is wrong with it.

    Returns
    -------
    ValueError
    """
    return ValueError(
        f"{str(path)!r} is a damaged study file ({why}); it was left untouched. Restore it "
        "from a copy if you have one; SQLite's '.recover' command (sqlite3 CLI) may save "
        "some of its trials."
    )


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _truncation(path: Path, header: bytes) -> str | None:
    """Why the file is shorter than its header says, or None (only for a file at rest)."""
    if len(header) < 100 or any(p.exists() for p in _sidecars(path)):
        return None  # live in WAL mode: the header may run ahead of the file mid-checkpoint
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change, pages, valid_for = struct.unpack(">I", header[24:28]), header[28:32], header[92:96]
    if struct.pack(">I", change[0]) != valid_for:
        return None  # an old-style header: its page count is not kept
    expected = struct.unpack(">I", pages)[0] * page_size
    size = path.stat().st_size
    if expected and size < expected:
        return f"truncated: {size:,} bytes of the {expected:,} its header announces"
    return None


def _uri(path: Path, **options: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in options.items())
    return f"{path.resolve().as_uri()}?{query}"


def connect(path: Path, *, read_only: bool, timeout: float) -> tuple[sqlite3.Connection, bool]:
    """A connection to a study file; read-only ones create no side files.

    Parameters
    ----------
    path : pathlib.Path
    read_only : bool
        Open for reading only.
    timeout : float
        Seconds to wait for another process's lock.

    Returns
    -------
    connection : sqlite3.Connection
    immutable : bool
        Whether the file is read as a snapshot that cannot change (a read-only
        file with no live writer: SQLite then needs no side files).
    """
    immutable = False
    if not read_only:
        uri = _uri(path, mode="rw")
    elif all(p.exists() for p in _sidecars(path)):
        uri = _uri(path, mode="ro")  # a live WAL file: read through its existing side files
    else:
        uri = _uri(path, mode="ro", immutable="1")
        immutable = True
    conn = sqlite3.connect(
        uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    return conn, immutable


def inspect(path: Path) -> FileState:
    """Look at ``path`` without writing anything: missing, or a study file of some schema.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    FileState

    Raises
    ------
    ValueError
        If the path is a folder, a file that is not a study file, or a damaged one.
    PermissionError
        If the file cannot be read.
    """
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return FileState(exists=False)
    except NotADirectoryError:
        raise _not_a_folder(path) from None
    except IsADirectoryError:
        raise _not_ours(path, "it is a folder") from None
    except PermissionError as exc:
        raise PermissionError(
            f"Cannot read the study file {str(path)!r}: {exc.strerror or exc}."
        ) from None
    if path.is_dir():
        raise _not_ours(path, "it is a folder")
    if not header.startswith(_MAGIC):
        why = "it is empty" if not header else "it is not an SQLite database"
        raise _not_ours(path, why)
    truncated = _truncation(path, header)
    if truncated:
        raise damaged(path, truncated)
    conn, _ = connect(path, read_only=True, timeout=5.0)
    try:
        rows = dict(conn.execute("SELECT key, value FROM tunewidgets_meta").fetchall())
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise _not_ours(path, "an SQLite database of something else") from None
        raise damaged(path, f"SQLite reports: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise damaged(path, f"SQLite reports: {exc}") from None
    finally:
        conn.close()
    if rows.get("format") != FORMAT:
        raise _not_ours(path, "an SQLite database of something else")
    try:
        schema = int(rows.get("schema_version", "1"))
    except ValueError:
        raise damaged(path, f"unreadable schema version {rows.get('schema_version')!r}") from None
    return FileState(exists=True, schema=schema)


def writable(path: Path) -> str | None:
    """Why a study file can only be read, or None when it can be written.

    Parameters
    ----------
    path : pathlib.Path
        An existing study file.

    Returns
    -------
    str or None
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as exc:
        return f"the file is not writable: {exc.strerror or exc}"
    os.close(fd)
    wal, shm = _sidecars(path)
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    if not folder_ok and not (os.access(wal, os.W_OK) and os.access(shm, os.W_OK)):
        return f"its folder {str(path.parent)!r} is not writable (SQLite keeps a journal beside it)"
    return None


def _not_a_folder(path: Path) -> NotADirectoryError:
    blocking = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    where = repr(str(blocking)) if blocking is not None else "a folder on the way"
    return NotADirectoryError(
        f"Cannot use the study file {str(path)!r}: {where} is a file, not a folder."
    )


def _make_folder(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _not_a_folder(path) from None
    except OSError as exc:
        kind = PermissionError if isinstance(exc, PermissionError) else OSError
        raise kind(
            f"Cannot create the folder {str(folder)!r} for the study file {str(path)!r}: "
            f"{exc.strerror or exc}."
        ) from None


def _cannot_create(path: Path, why: str) -> str:
    return (
        f"Cannot create the study file {str(path)!r}: the folder {str(path.parent)!r} is not "
        f"writable ({why}). Choose a storage= path in a folder you can write to, or "
        "storage=None to keep the study in memory."
    )


def create_file(path: Path, initialize: Callable[[sqlite3.Connection], Any]) -> bool:
    """Create an empty study file at ``path`` whole, unless one appears there first.

    The file is built under a temporary name in the same folder and linked into
    place, which fails when the path is taken: two processes creating the same
    study file at once end with one file, and a reader never sees half of it.

    Parameters
    ----------
    path : pathlib.Path
    initialize : callable
        Creates the tables, given a connection to the new file.

    Returns
    -------
    bool
        Whether this call created it (False: another process did, first).

    Raises
    ------
    PermissionError, OSError
        Naming the path and why it cannot be created.
    """
    _make_folder(path)
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise PermissionError(_cannot_create(path, "permission denied"))
    temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.creating"
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            initialize(conn)
        finally:
            conn.close()  # the last connection: SQLite folds its journal into the file
        try:
            os.link(temp, path)
            return True
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links: rename, if still free
            if path.exists():
                return False
            os.replace(temp, path)
            return True
    except PermissionError as exc:
        raise PermissionError(_cannot_create(path, exc.strerror or str(exc))) from None
    except sqlite3.OperationalError as exc:
        raise OSError(f"Cannot create the study file {str(path)!r}: {exc}.") from None
    finally:
        for leftover in (temp, *_sidecars(temp)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
