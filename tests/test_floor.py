"""The floors pyproject.toml declares are the versions `make test-floor` installs and tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).parents[1]


def test_every_declared_floor_is_pinned_for_the_floor_tests():
    declared = {}
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]:
        name, _, floor = re.match(r"([A-Za-z0-9_.-]+)\s*(>=)\s*([^,;\s]+)", requirement).groups()
        declared[name.lower()] = Version(floor)
    pinned = {}
    for line in (ROOT / "tests" / "lowest-versions.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pinned[name.lower()] = Version(version)
    assert pinned == declared
