"""Fixtures for parallel trials: worker processes and a Dask LocalCluster that clean up."""

from __future__ import annotations

import pytest

from tunewidgets.runner import shutdown_workers

from .objectives import local_cluster


@pytest.fixture(scope="module", autouse=True)
def _end_worker_processes():
    """Idle pool workers are kept for reuse between searches: end them after each module."""
    yield
    shutdown_workers()


@pytest.fixture(scope="module")
def _cluster():
    """A LocalCluster of 2 worker processes, 1 thread each, closed after the module."""
    pytest.importorskip("distributed")
    with local_cluster(2) as (_, client):
        yield client


@pytest.fixture
def client(_cluster):
    """The module's Dask client, with both workers up (a test may have killed one)."""
    _cluster.wait_for_workers(2, timeout=60)
    return _cluster
