"""Capture what a trial prints, per thread, without touching other threads' output.

``contextlib.redirect_stdout`` swaps ``sys.stdout`` for the whole process: while
a trial ran in the background, the notebook's own prints would vanish into it.
Here ``sys.stdout`` and ``sys.stderr`` are replaced (while any capture is
active) by routers that send a write to the capturing thread's buffer when the
writing thread is capturing, and to the original stream otherwise.
``warnings.showwarning`` is routed the same way, so a trial's warnings are kept
with the trial even where something else (a test runner, a notebook extension)
collects warnings.
"""

from __future__ import annotations

import io
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["capture_output"]

_local = threading.local()
_install_lock = threading.Lock()
_active = 0


class _Router(io.TextIOBase):
    def __init__(self, original: TextIO) -> None:
        self.original = original

    def write(self, text: str) -> int:
        buffer = getattr(_local, "buffer", None)
        if buffer is not None:
            return buffer.write(text)
        return self.original.write(text)

    def flush(self) -> None:
        if getattr(_local, "buffer", None) is None:
            self.original.flush()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:  # fileno, encoding, isatty, ...
        return getattr(self.original, name)


class _WarningRouter:
    def __init__(self, original: Any) -> None:
        self.original = original

    def __call__(
        self,
        message: Any,
        category: Any,
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        buffer = getattr(_local, "buffer", None)
        if buffer is None:
            self.original(message, category, filename, lineno, file, line)
        else:
            buffer.write(warnings.formatwarning(message, category, filename, lineno, line))


def _install() -> None:
    global _active
    with _install_lock:
        if _active == 0:
            sys.stdout = _Router(sys.stdout)  # type: ignore[assignment]
            sys.stderr = _Router(sys.stderr)  # type: ignore[assignment]
            warnings.showwarning = _WarningRouter(warnings.showwarning)
        _active += 1


def _uninstall() -> None:
    global _active
    with _install_lock:
        _active -= 1
        if _active == 0:
            for name in ("stdout", "stderr"):
                stream = getattr(sys, name)
                if isinstance(stream, _Router):  # someone else may have swapped it since
                    setattr(sys, name, stream.original)
            if isinstance(warnings.showwarning, _WarningRouter):
                warnings.showwarning = warnings.showwarning.original


@contextmanager
def capture_output(enabled: bool = True) -> Iterator[io.StringIO]:
    """Collect what the current thread writes to stdout and stderr.

    Parameters
    ----------
    enabled : bool, default=True
        With False, nothing is captured and the buffer stays empty.

    Yields
    ------
    io.StringIO
        The buffer, interleaving stdout and stderr in order.
    """
    buffer = io.StringIO()
    if not enabled:
        yield buffer
        return
    previous = getattr(_local, "buffer", None)
    _install()
    _local.buffer = buffer
    try:
        yield buffer
    finally:
        _local.buffer = previous
        _uninstall()
