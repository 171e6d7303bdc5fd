"""Ctrl-C held back while a finished trial is being recorded."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["interrupts_deferred"]


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold a SIGINT (Ctrl-C) that arrives inside the block until the block is done.

    A KeyboardInterrupt raised half-way through recording a trial could leave it
    finished in memory but not committed to storage. Inside this block a Ctrl-C is
    noted instead, and delivered to the previous handler (normally: raised as
    KeyboardInterrupt) once the block has finished. Only the main thread receives
    signals, so anywhere else (and where the handler cannot be changed) the block
    runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[Any] = []

    def note(signum: int, frame: Any) -> None:
        received.append(frame)

    try:
        previous = signal.signal(signal.SIGINT, note)
    except ValueError:  # not in the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, received[-1])
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)
