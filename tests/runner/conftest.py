"""The runner's fixtures."""

from __future__ import annotations

import pytest

import tunewidgets as tw

from .helpers import SPACE, WAIT, Gate


@pytest.fixture
def make_runner():
    """Build runners that are always stopped and joined at the end of the test."""
    made: list[tuple[tw.Runner, Gate | None]] = []

    def make(objective=None, *, study=None, strategy=None, **kwargs) -> tw.Runner:
        study = study or tw.Study(SPACE)
        strategy = strategy or tw.RandomSearch(study.space, seed=0)
        runner = tw.Runner(study, objective or (lambda p: p["x"]), strategy, **kwargs)
        made.append((runner, objective if isinstance(objective, Gate) else None))
        return runner

    yield make
    for runner, gate in made:
        runner.stop()
        if gate is not None:
            gate.release(100)
        assert runner.state in (tw.RunnerState.IDLE, tw.RunnerState.FINISHED) or runner.join(WAIT)
