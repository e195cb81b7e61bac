"""/metrics under gunicorn with two workers (prometheus_client's multiprocess mode): a
scrape answered by either worker counts the requests of both, and a dead worker's live
gauges leave with it (gunicorn.conf.py child_exit)."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.integration.test_metrics import TOKEN, value
from tests.resilience.servers import Gunicorn
from tests.resilience.workers import wait_for

pytestmark = pytest.mark.slow  # a gunicorn with two workers


def get(url: str, headers: dict[str, str] | None = None) -> str:
    # A fresh connection each time, so that either worker may accept it.
    request = urllib.request.Request(url, headers={"Connection": "close", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def pids_with(directory: Path, prefix: str) -> set[int]:
    return {int(path.stem.rsplit("_", 1)[1]) for path in directory.glob(f"{prefix}_*.db")}


def test_a_scrape_adds_up_the_workers(migrated_database: str, tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_1.db").write_bytes(b"left by an earlier run")
    server = Gunicorn(migrated_database, {"METRICS_TOKEN": TOKEN,
                                          "PROMETHEUS_MULTIPROC_DIR": str(directory)},
                      arguments="--workers 2")
    try:
        def scrape() -> str:
            return get(f"{server.base_url}/metrics", {"Authorization": f"Bearer {TOKEN}"})

        def health_count(text: str) -> float:
            return value(text, "taskweb_http_requests_total", endpoint="system.health",
                         method="GET", status="200") or 0

        workers = set(server.worker_pids())
        assert len(workers) == 2 and 1 not in pids_with(directory, "counter")
        before = health_count(scrape())
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            def both_workers_answered() -> bool:
                nonlocal sent
                list(pool.map(lambda _: get(f"{server.base_url}/health"), range(16)))
                sent += 16
                return workers <= pids_with(directory, "counter")

            wait_for(both_workers_answered, 10, "requests reaching both workers", every=0)
        # Whichever worker answers the scrape, it reports the requests of both.
        for _ in range(4):
            text = scrape()
            assert health_count(text) == before + sent
            assert value(text, "taskweb_db_pool_size") == 10  # two pools of 5

        killed = server.kill_a_worker()
        wait_for(lambda: killed not in pids_with(directory, "gauge_livesum"), 10,
                 "the killed worker's live gauges being dropped")
        # Counters keep what the dead worker counted (whichever worker answers now).
        assert health_count(scrape()) == before + sent
    finally:
        server.stop()
