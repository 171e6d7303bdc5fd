"""Run a script for which some files and folders are truly read-only, even when tests run as root.

Root ignores permission bits, so as root the files are handed to an unmapped
user (``nobody``) and the script runs in a user namespace (``unshare --user
--map-root-user``), where root's capabilities do not reach them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NOBODY = 65534


def make_read_only(*paths: Path) -> None:
    """Take write permission away from files (0444) and folders (0555)."""
    for path in paths:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY)


def restore(*paths: Path) -> None:
    """Give them back (so that the test's folder can be removed)."""
    for path in paths:
        if os.geteuid() == 0:
            os.chown(path, 0, 0)
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def run(script: str, *args: str, cwd: Path) -> dict:
    """Run ``script`` (which prints one JSON object last) as a user who cannot write them."""
    command = [sys.executable, "-c", script, *args]
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.skip("running as root without unshare: read-only files cannot be made")
        probe = subprocess.run([unshare, "--user", "--map-root-user", "true"], check=False)
        if probe.returncode != 0:
            pytest.skip("running as root and user namespaces are not allowed")
        command = [unshare, "--user", "--map-root-user", *command]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
