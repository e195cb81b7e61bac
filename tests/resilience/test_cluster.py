"""The short form of `make test-cluster` (README, "make cluster"): the cluster comes up
behind nginx, requests spread over its instances and two users on different instances
share a project; one instance SIGKILLed fails only what it had in flight and comes back;
a rolling restart under load fails nothing; stopping leaves no process behind."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from bench.mixed_load import ApiClient, LoadReport, run_mixed_load
from tests.resilience.cluster_run import APP_PORTS, ClusterRun, fresh_cluster_database, group_alive
from tests.resilience.workers import wait_for

pytestmark = pytest.mark.slow

GUNICORN_WORKERS = 1
GUNICORN_THREADS = 2  # gunicorn.conf.py


@pytest.fixture(scope="module")
def cluster() -> Iterator[ClusterRun]:
    redis_base = os.environ["TEST_REDIS_URL"].rsplit("/", 1)[0]
    run = ClusterRun({
        "CLUSTER_DATABASE_URL": fresh_cluster_database(),
        "CLUSTER_REDIS_URL": f"{redis_base}/15",
        # The short form: one worker per instance and no Celery, to start in seconds.
        "CLUSTER_GUNICORN_WORKERS": str(GUNICORN_WORKERS),
        "CLUSTER_CELERY_WORKERS": "0",
    })
    yield run
    groups = run.process_groups()
    run.stop()
    assert run.process.returncode == 0, run.log()[-3000:]
    assert groups and not [group for group in groups if group_alive(group)], (
        "processes outlived the cluster")
    assert not run.state_file.exists()


def signed_up(cluster: ClusterRun) -> ApiClient:
    client = ApiClient(cluster.url)
    client.sign_up()
    return client


def load_in_background(cluster: ClusterRun, clients: int,
                       stop: threading.Event) -> tuple[threading.Thread, list[LoadReport]]:
    reports: list[LoadReport] = []
    thread = threading.Thread(
        target=lambda: reports.append(run_mixed_load(cluster.url, clients, 300, stop)))
    thread.start()
    # Past the sign-ups: the clients are working on their tasks.
    log = cluster.run_directory / "logs" / "nginx-access.log"
    already = log.read_text().count("/api/v1/tasks")
    wait_for(lambda: log.read_text().count("/api/v1/tasks") > already + 4 * clients, 60,
             "the load's start")
    return thread, reports


def test_two_users_on_different_instances_share_a_project(cluster: ClusterRun) -> None:
    owner, member = signed_up(cluster), signed_up(cluster)
    _, member_profile = member.call("GET", "/api/v1/users/me")
    status, project = owner.call("POST", "/api/v1/projects", {"name": "Across instances"})
    assert status == 201
    status, _ = owner.call("POST", f"/api/v1/projects/{project['id']}/members",
                           {"username": member_profile["username"], "role": "editor"})
    assert status == 201
    status, task = owner.call("POST", "/api/v1/tasks",
                              {"title": "Seen everywhere", "project_id": project["id"]})
    assert status == 201
    # nginx takes the instances in turn: three reads land on three instances.
    for _ in APP_PORTS:
        status, seen = member.call("GET", f"/api/v1/tasks/{task['id']}")
        assert status == 200 and seen["title"] == "Seen everywhere"
    status, _ = member.call("PATCH", f"/api/v1/tasks/{task['id']}", {"status": "completed"})
    assert status == 200
    for _ in APP_PORTS:
        assert owner.call("GET", f"/api/v1/tasks/{task['id']}")[1]["status"] == "completed"
    access_log = (cluster.run_directory / "logs" / "nginx-access.log").read_text()
    assert all(f"upstream=127.0.0.1:{port}" in access_log for port in APP_PORTS)


def test_a_killed_instance_fails_only_what_it_had_in_flight(cluster: ClusterRun) -> None:
    stop = threading.Event()
    thread, reports = load_in_background(cluster, 6, stop)
    try:
        victim = cluster.instance_pid(APP_PORTS[0])
        os.killpg(victim, signal.SIGKILL)
        # The orchestrator notices, starts the instance again and puts it back.
        wait_for(lambda: cluster.instance_pid(APP_PORTS[0]) != victim
                 and "(port 8181): ready and back in" in cluster.log(), 90,
                 "the killed instance's return")
    finally:
        stop.set()
        thread.join()
    report = reports[0]
    assert report.requests > 0
    # At most what one instance was working on: its threads, and a request waiting in
    # its accept queue. Nothing after the kill: nginx retried or skipped the dead port.
    assert report.errors <= GUNICORN_WORKERS * GUNICORN_THREADS + 1, report.error_samples
    client = signed_up(cluster)
    for _ in APP_PORTS:
        assert client.call("POST", "/api/v1/tasks", {"title": "after the kill"})[0] == 201


def test_a_rolling_restart_under_load_fails_no_request(cluster: ClusterRun) -> None:
    before = {port: cluster.instance_pid(port) for port in APP_PORTS}
    stop = threading.Event()
    thread, reports = load_in_background(cluster, 16, stop)
    try:
        restarted = cluster.restart()
    finally:
        stop.set()
        thread.join()
    assert restarted.returncode == 0, restarted.stderr
    report = reports[0]
    assert report.errors == 0, report.error_samples
    assert report.requests > 0
    after = {port: cluster.instance_pid(port) for port in APP_PORTS}
    assert not set(before.values()) & set(after.values())
