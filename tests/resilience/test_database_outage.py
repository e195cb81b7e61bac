"""With PostgreSQL down: 503s, not 500s; once it is back, the same processes serve again."""

from __future__ import annotations

import urllib.request

import pytest

from bench.mixed_load import ApiClient
from tests.resilience.servers import Gunicorn, PostgresCluster

pytestmark = pytest.mark.slow


def test_outage_gives_503_and_recovers_without_restart(
    cluster: PostgresCluster, gunicorn: Gunicorn
) -> None:
    with urllib.request.urlopen(f"{gunicorn.base_url}/health") as response:
        banner = response.headers.get("Server", "")
    assert not any(character.isdigit() for character in banner), banner  # no versions

    client = ApiClient(gunicorn.base_url)
    client.sign_up()
    assert client.call("POST", "/api/v1/tasks", {"title": "before"})[0] == 201
    workers_before = set(gunicorn.worker_pids())

    cluster.stop()
    status, health = client.call("GET", "/health")
    assert (status, health["database"]) == (503, "unavailable")
    for method, path, body in [("GET", "/api/v1/tasks", None),
                               ("POST", "/api/v1/tasks", {"title": "during"})]:
        status, problem = client.call(method, path, body)
        assert status == 503, (method, path, status, problem)
        assert problem["status"] == 503 and "Traceback" not in problem["detail"]
    page = ApiClient(gunicorn.base_url)
    status, _ = page.call("POST", "/api/v1/auth/login",
                          {"email": "nobody@example.com", "password": "whatever-password"})
    assert status == 503

    cluster.start()
    assert client.call("GET", "/health")[0] == 200
    status, page_of_tasks = client.call("GET", "/api/v1/tasks")
    assert status == 200 and [t["title"] for t in page_of_tasks["items"]] == ["before"]
    assert set(gunicorn.worker_pids()) == workers_before
    assert "Traceback" not in gunicorn.log_text()
