"""Child processes that take Ctrl-C as they would in a terminal, and never outlive a test."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

# A shell without job control starts background commands with SIGINT ignored,
# and a child inherits that: Python then installs no KeyboardInterrupt handler,
# and a test that presses Ctrl-C would wait for nothing (``make test &`` does this).
# So the child puts Python's handler back before it runs the script. (Not with
# ``preexec_fn``: Python code between fork and exec can deadlock in a
# multithreaded parent, and the test process has JAX's threads.)
_RUN = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv = sys.argv[1:]; "
    "exec(compile(open(sys.argv[0]).read(), sys.argv[0], 'exec'))"
)


@contextlib.contextmanager
def python_in_a_terminal(script: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """Run ``python script args...`` in its own process group, with pipes for its output.

    SIGINT has its default meaning in the child (a KeyboardInterrupt), whatever the
    test runner inherited. On leaving the block, the whole group (the child and any
    worker processes it started) is killed if it is still running, so a failed
    test leaves nothing behind.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUN, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
