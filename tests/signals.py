"""Child processes that take Ctrl-C as they would in a terminal."""

from __future__ import annotations

import signal


def as_in_a_terminal() -> None:
    """Give a child process the default SIGINT disposition (use as ``preexec_fn``).

    A shell without job control starts background commands with SIGINT ignored,
    and a child inherits that: Python then installs no KeyboardInterrupt handler,
    and a test that presses Ctrl-C would wait for nothing. (``make test &`` does this.)
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
