"""The cluster's figures for bench/RESULTS.md ("The cluster"): throughput through nginx
with 3 instances against one instance direct, errors under 64 mixed clients, and one
instance SIGKILLed under load.

    WITH_BROWSER=0 scripts/test-services.sh .venv/bin/python -m bench.cluster

Starts `python -m deploy.cluster` on the test services' PostgreSQL (a database of its
own) and Redis, on ports 8180-8183, without Celery (the API is measured, not jobs).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import threading
import time

from bench.load import LoadSettings, Request, run_wrk
from bench.mixed_load import ApiClient, run_mixed_load
from tests.resilience.cluster_run import APP_PORTS, ClusterRun, fresh_cluster_database

LIST = "/api/v1/tasks?limit=20"


def throughput(cluster: ClusterRun, seconds: int) -> None:
    client = ApiClient(cluster.url)
    client.sign_up()
    for n in range(20):
        client.call("POST", "/api/v1/tasks", {"title": f"Task {n}"})
    request = Request("GET", LIST, {"Authorization": f"Bearer {client.token}"})
    settings = LoadSettings(threads=2, connections=64, seconds=seconds)
    for label, url in (("nginx, 3 instances", cluster.url),
                       ("one instance direct", f"http://127.0.0.1:{APP_PORTS[0]}")):
        result, _ = run_wrk(url, request, settings)
        print(f"GET {LIST}, 64 connections, {seconds} s, {label}: {result.rps:.0f} req/s, "
              f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
              f"{result.errors} errors", flush=True)


def mixed(cluster: ClusterRun, seconds: int) -> None:
    report = run_mixed_load(cluster.url, 64, seconds)
    print(f"mixed load, 64 clients: {report.summary()}", flush=True)


def killed_instance(cluster: ClusterRun, seconds: int) -> None:
    stop = threading.Event()
    reports = []
    thread = threading.Thread(target=lambda: reports.append(
        run_mixed_load(cluster.url, 32, seconds, stop)))
    thread.start()
    time.sleep(seconds / 3)  # the load under way, sign-ups done
    error_log = cluster.run_directory / "logs" / "nginx-error.log"
    refused_before = error_log.read_text().count(f":{APP_PORTS[0]}/")
    killed_at = time.monotonic()
    os.killpg(cluster.instance_pid(APP_PORTS[0]), signal.SIGKILL)
    while "(port 8181) exited" not in cluster.log():
        time.sleep(0.05)
    noticed = time.monotonic() - killed_at
    while not re.search(r"\(port 8181\): ready and back in", cluster.log()):
        time.sleep(0.1)
    back = time.monotonic() - killed_at
    thread.join()
    report = reports[0]
    refused = error_log.read_text().count(f":{APP_PORTS[0]}/") - refused_before
    print(f"SIGKILL of one instance under 32 mixed clients: {report.summary()}; "
          f"nginx found the port refusing {refused} times (each retried on another "
          f"instance); the orchestrator noticed after {noticed:.1f} s and had it back "
          f"after {back:.1f} s", flush=True)
    for sample in report.error_samples:
        print("  error:", sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    arguments = parser.parse_args()
    redis_base = os.environ["TEST_REDIS_URL"].rsplit("/", 1)[0]
    cluster = ClusterRun({"CLUSTER_DATABASE_URL": fresh_cluster_database(),
                          "CLUSTER_REDIS_URL": f"{redis_base}/14",
                          "CLUSTER_CELERY_WORKERS": "0"})
    try:
        throughput(cluster, arguments.seconds)
        mixed(cluster, arguments.seconds)
        killed_instance(cluster, arguments.seconds)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
