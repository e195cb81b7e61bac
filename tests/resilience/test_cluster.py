"""The short form of `make test-cluster` (README, "make cluster"): the cluster comes up
behind nginx, requests spread over its instances and two users on different instances
share a project; under load, one instance SIGKILLed fails only what it had in flight and
is started again, then a rolling restart of every instance fails nothing; stopping the
cluster leaves no process behind."""

from __future__ import annotations

import gzip
import os
import re
import signal
import threading
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bench.clients import exchange, session_cookie, with_cookies_of
from bench.load import Request
from bench.mixed_load import PASSWORD as LOAD_PASSWORD
from bench.mixed_load import ApiClient, LoadReport, run_mixed_load
from tests.conftest import truncate_all
from tests.resilience.cluster_run import (
    APP_PORTS,
    CLUSTER_PORT,
    ClusterRun,
    group_alive,
)
from tests.resilience.workers import wait_for

pytestmark = pytest.mark.slow

GUNICORN_WORKERS = 1
GUNICORN_THREADS = 2  # gunicorn.conf.py
# A brief load in `make test`; `make test-cluster` sets 32.
LOAD_CLIENTS = int(os.environ.get("CLUSTER_TEST_CLIENTS", "4"))
METRICS_TOKEN = "a-scraper-token-of-more-than-32-bytes"


@pytest.fixture(scope="module")
def cluster(migrated_database: str) -> Iterator[ClusterRun]:
    redis_base = os.environ["TEST_REDIS_URL"].rsplit("/", 1)[0]
    run = ClusterRun({
        # The suite's database, migrated already: the cluster's own migration is a no-op.
        "CLUSTER_DATABASE_URL": migrated_database,
        "CLUSTER_REDIS_URL": f"{redis_base}/15",
        # The short form: one worker per instance and no Celery, to start in seconds.
        "CLUSTER_GUNICORN_WORKERS": str(GUNICORN_WORKERS),
        "CLUSTER_CELERY_WORKERS": "0",
        "METRICS_TOKEN": METRICS_TOKEN,
    })
    try:
        yield run
        groups = run.process_groups()
        run.stop()
        assert run.process.returncode == 0, run.log()[-3000:]
        assert groups and not [group for group in groups if group_alive(group)], (
            "processes outlived the cluster")
        assert not run.state_file.exists()
    finally:
        run.stop()
        truncate_all(migrated_database)


def signed_up(cluster: ClusterRun) -> ApiClient:
    client = ApiClient(cluster.url)
    client.sign_up()
    return client


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



def test_a_project_page_on_one_instance_learns_of_a_write_on_another(
    cluster: ClusterRun,
) -> None:
    """Live updates across instances: the version a page polls (GET /projects/<id>/version)
    lives in the database, so any instance answers it as soon as a write on another one
    has committed."""
    writer = ApiClient(f"http://127.0.0.1:{APP_PORTS[0]}")
    writer.sign_up()
    watcher = ApiClient(cluster.url)
    email = watcher.sign_up()
    _, profile = watcher.call("GET", "/api/v1/users/me")
    _, project = writer.call("POST", "/api/v1/projects", {"name": "Watched"})
    status, _ = writer.call("POST", f"/api/v1/projects/{project['id']}/members",
                            {"username": profile["username"], "role": "viewer"})
    assert status == 201
    cookie = session_cookie(APP_PORTS[1], email, LOAD_PASSWORD)
    version = Request("GET", f"/projects/{project['id']}/version", {"Cookie": cookie})
    first = exchange(APP_PORTS[1], version)
    assert first.status == 200, first.body
    etag = first.header("ETag")
    asked_again = Request(version.method, version.path,
                          {**version.headers, "If-None-Match": etag})
    assert exchange(APP_PORTS[2], asked_again).status == 304  # another instance agrees

    status, _ = writer.call("POST", "/api/v1/tasks",
                            {"title": "Written on one", "project_id": project["id"]})
    assert status == 201
    for port in APP_PORTS[1:]:
        after = exchange(port, asked_again)
        assert after.status == 200 and after.header("ETag") != etag


def test_each_instance_is_scraped_directly_and_nginx_hides_metrics(cluster: ClusterRun) -> None:
    signed_up(cluster).call("GET", "/api/v1/users/me")
    assert ApiClient(cluster.url).call("GET", "/metrics")[0] == 404
    for port in APP_PORTS:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                         headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            exposition = answer.read().decode()
        # Every instance has answered requests by now (nginx takes them in turn).
        assert 'taskweb_http_requests_total{endpoint="' in exposition
        assert "taskweb_db_pool_size" in exposition


def test_pages_come_gzipped_through_nginx_and_their_masked_token_posts(
    cluster: ClusterRun,
) -> None:
    """gzip on pages is safe because their CSRF token is masked per response
    (taskweb/csrf.py); the API stays uncompressed, so its ETags stay strong."""
    client = ApiClient(cluster.url)
    cookie = session_cookie(CLUSTER_PORT, client.sign_up(), LOAD_PASSWORD)
    gzip_accepted = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    page = exchange(CLUSTER_PORT, Request("GET", "/", gzip_accepted))
    assert page.status == 200
    assert page.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in (page.header("Vary") or "")
    html = gzip.decompress(page.body).decode()
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
    # The page put the CSRF secret in the session: the browser keeps the new cookie.
    cookie = with_cookies_of(cookie, page)
    form = urlencode({"title": "Posted through nginx", "csrf_token": token})
    posted = exchange(CLUSTER_PORT, Request("POST", "/tasks", {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, form))
    assert posted.status == 303, posted.body[:300]
    again = exchange(CLUSTER_PORT, Request("GET", "/", {**gzip_accepted, "Cookie": cookie}))
    assert "Posted through nginx" in gzip.decompress(again.body).decode()
    script = exchange(CLUSTER_PORT, Request("GET", "/static/app.js", gzip_accepted))
    assert script.status == 200 and script.header("Content-Encoding") == "gzip"
    # Not a page: the API's JSON keeps its strong ETag (an If-Match compares strongly).
    auth = {"Authorization": f"Bearer {client.token}", "Accept-Encoding": "gzip"}
    status, task = client.call("POST", "/api/v1/tasks", {"title": "Long",
                                                          "description": "y" * 2000})
    assert status == 201
    read = exchange(CLUSTER_PORT, Request("GET", f"/api/v1/tasks/{task['id']}", auth))
    assert read.status == 200 and read.header("Content-Encoding") is None
    assert (read.header("ETag") or "").startswith('"')


class Load:
    """bench.mixed_load's clients, working until ``finish``."""

    def __init__(self, cluster: ClusterRun, clients: int) -> None:
        self.access_log = cluster.run_directory / "logs" / "nginx-access.log"
        self.stop = threading.Event()
        self.reports: list[LoadReport] = []
        self.thread = threading.Thread(target=lambda: self.reports.append(
            run_mixed_load(cluster.url, clients, 600, self.stop)))
        before = self.task_requests()
        self.thread.start()
        # Past the sign-ups: the clients are working on their tasks.
        wait_for(lambda: self.task_requests() > before + 4 * clients, 60, "the load's start")

    def task_requests(self) -> int:
        return self.access_log.read_text().count("/api/v1/tasks")

    def failures_seen_by_nginx(self) -> int:
        """Answers of 500 or more in nginx's access log (its 502 for a request an instance
        dropped included)."""
        return len(re.findall(r'" 5\d\d ', self.access_log.read_text()))

    def finish(self) -> LoadReport:
        self.stop.set()
        self.thread.join()
        return self.reports[0]


def test_under_load_a_killed_instance_and_a_rolling_restart(cluster: ClusterRun) -> None:
    load = Load(cluster, LOAD_CLIENTS)
    try:
        victim = cluster.instance_pid(APP_PORTS[0])
        os.killpg(victim, signal.SIGKILL)
        # The orchestrator notices, starts the instance again and puts it back.
        wait_for(lambda: cluster.instance_pid(APP_PORTS[0]) != victim
                 and f"(port {APP_PORTS[0]}): ready and back in" in cluster.log(), 90,
                 "the killed instance's return")
        failures_after_the_kill = load.failures_seen_by_nginx()
        before = {port: cluster.instance_pid(port) for port in APP_PORTS}
        restarted = cluster.restart()
    finally:
        report = load.finish()
    assert restarted.returncode == 0, restarted.stderr
    # The kill: at most what the instance was working on (its threads, and a request
    # in its accept queue). nginx retried or skipped the dead port for everything else.
    assert report.errors <= GUNICORN_WORKERS * GUNICORN_THREADS + 1, report.error_samples
    # The rolling restart: nothing more.
    assert load.failures_seen_by_nginx() == failures_after_the_kill, report.error_samples
    assert report.requests > 0
    after = {port: cluster.instance_pid(port) for port in APP_PORTS}
    assert not set(before.values()) & set(after.values())
