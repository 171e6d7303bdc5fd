"""What every benchmark records beside its numbers: the command, the date, the machine, versions."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path
from typing import Any


def run_info(**versions: str) -> dict[str, Any]:
    """The command that ran, today's date, the machine, Python and the given package versions.

    Parameters
    ----------
    **versions : str
        Package name to version, e.g. ``tunewidgets=tw.__version__``.
    """
    return {
        "command": "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "versions": dict(versions),
    }
