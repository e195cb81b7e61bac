from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.resilience.servers import Gunicorn, PostgresCluster, migrate


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    migrate(cluster.url)
    yield cluster
    cluster.destroy()


@pytest.fixture
def gunicorn(cluster: PostgresCluster) -> Iterator[Gunicorn]:
    server = Gunicorn(cluster.url)
    yield server
    server.stop()
