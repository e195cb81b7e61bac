from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.resilience.servers import Gunicorn, PostgresCluster


@pytest.fixture(scope="session")
def migrated_cluster_template() -> Iterator[PostgresCluster]:
    """One stopped, migrated cluster per session; each test starts a copy of it."""
    template = PostgresCluster.migrated_template()
    yield template
    template.destroy()


@pytest.fixture
def cluster(migrated_cluster_template: PostgresCluster) -> Iterator[PostgresCluster]:
    with PostgresCluster.running_copy(migrated_cluster_template) as cluster:
        yield cluster


@pytest.fixture
def gunicorn(cluster: PostgresCluster) -> Iterator[Gunicorn]:
    server = Gunicorn(cluster.url)
    yield server
    server.stop(graceful=False)
