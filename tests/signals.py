"""Child processes that take Ctrl-C as they would in a terminal, and never outlive a test."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def _as_in_a_terminal() -> None:
    # A shell without job control starts background commands with SIGINT ignored,
    # and a child inherits that: Python then installs no KeyboardInterrupt handler,
    # and a test that presses Ctrl-C would wait for nothing (``make test &`` does this).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def python_in_a_terminal(script: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """Run ``python script args...`` in its own process group, with pipes for its output.

    SIGINT has its default meaning in the child (a KeyboardInterrupt), whatever the
    test runner inherited. On leaving the block, the whole group (the child and any
    worker processes it started) is killed if it is still running, so a failed
    test leaves nothing behind.
    """
    proc = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_as_in_a_terminal)  # fmt: skip
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
