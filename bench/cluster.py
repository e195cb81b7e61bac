"""The cluster's figures for bench/RESULTS.md ("The cluster"): throughput through nginx
with 3 instances against one instance direct (and where the CPU goes), the tasks page
and its fragment gzipped through nginx (bench/cluster_pages.py), errors under 64 mixed
clients, 200 slow clients, and one instance SIGKILLed under load.

    WITH_BROWSER=0 scripts/test-services.sh .venv/bin/python -m bench.cluster
    ... -m bench.cluster --parts pages --seconds 5    (one part; --help lists them)

Starts `python -m deploy.cluster` on the test services' PostgreSQL (a database of its
own) and Redis, on ports 8180-8183 (CLUSTER_TEST_PORT=8380 moves them to 8380-8383),
without Celery (the API is measured, not jobs).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

from bench import cluster_pages
from bench.cluster_cpu import CpuShares
from bench.load import LoadSettings, Request, run_wrk
from bench.mixed_load import ApiClient, run_mixed_load
from tests.resilience.cluster_run import (
    APP_PORTS,
    CLUSTER_PORT,
    ClusterRun,
    fresh_cluster_database,
)
from tests.resilience.servers import Endpoint
from tests.resilience.test_slow_clients import SlowClients, p99

LIST = "/api/v1/tasks?limit=20"
READY = "/health/ready"
SLOW_CONNECTIONS = 200
SLOW_SAMPLES = 300  # per path and phase: the p99 is the third slowest


def machine_load(before: str) -> None:
    """`uptime` before each measure: other work on the 2 cores shows in the load average."""
    uptime = subprocess.run(["uptime"], check=False, capture_output=True, text=True).stdout
    print(f"[{before}] uptime: {uptime.strip()}", flush=True)


def signed_up_with_tasks(cluster: ClusterRun) -> dict[str, str]:
    """Authorization headers of a new account holding 20 tasks (what LIST reads)."""
    client = ApiClient(cluster.url)
    client.sign_up()
    for n in range(20):
        client.call("POST", "/api/v1/tasks", {"title": f"Task {n}"})
    return {"Authorization": f"Bearer {client.token}"}


def throughput(cluster: ClusterRun, seconds: int) -> None:
    request = Request("GET", LIST, signed_up_with_tasks(cluster))
    settings = LoadSettings(threads=2, connections=64, seconds=seconds)
    cpu = CpuShares(cluster)
    for label, url in (("nginx, 3 instances", cluster.url),
                       ("one instance direct", f"http://127.0.0.1:{APP_PORTS[0]}")):
        machine_load(f"throughput, {label}")
        cpu.start()
        result, _ = run_wrk(url, request, settings)
        print(f"GET {LIST}, 64 connections, {seconds} s, {label}: {result.rps:.0f} req/s, "
              f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
              f"{result.errors} errors", flush=True)
        print(f"  {cpu.stop(result.requests)}", flush=True)


def mixed(cluster: ClusterRun, seconds: int) -> None:
    machine_load("mixed load")
    report = run_mixed_load(cluster.url, 64, seconds)
    print(f"mixed load, 64 clients: {report.summary()}", flush=True)
    for sample in report.error_samples:
        print("  error:", sample)


def _latencies(server: Endpoint, auth: dict[str, str], seconds: float,
               samples: int = SLOW_SAMPLES) -> dict[str, list[float]]:
    """``samples`` GETs of each path, one after the other, each on a new connection,
    spread over ``seconds``."""
    timings: dict[str, list[float]] = {READY: [], LIST: []}
    for _ in range(samples):
        for path, headers in ((READY, {}), (LIST, auth)):
            timings[path].append(server.timed(path, headers))
        time.sleep(seconds / samples)
    return timings


def _percentiles(samples: list[float]) -> str:
    return (f"p50 {statistics.median(samples) * 1000:.1f} ms, "
            f"p99 {p99(samples) * 1000:.1f} ms")


def slow_clients(cluster: ClusterRun, seconds: int) -> None:
    """200 connections sending a request a byte a second through nginx (each from its own
    loopback address; one nginx drops is opened again), against the same GETs without them."""
    auth = signed_up_with_tasks(cluster)
    server = Endpoint(CLUSTER_PORT)
    _latencies(server, auth, 0, samples=30)  # warm up: every worker connects to the database
    machine_load("slow clients, without")
    normal = _latencies(server, auth, seconds)
    attack = SlowClients(server, auth, headers=SLOW_CONNECTIONS, bodies=0)
    machine_load("slow clients, with")
    try:
        attack.start()
        time.sleep(2)
        during = _latencies(server, auth, seconds)
    finally:
        attack.stop()
    for path in (READY, LIST):
        before, after = normal[path], during[path]
        ratio = p99(after) / p99(before)
        print(f"GET {path}, {SLOW_SAMPLES} each over {seconds} s: without slow clients "
              f"{_percentiles(before)}; with {SLOW_CONNECTIONS} slow clients "
              f"{_percentiles(after)}; p99 ratio {ratio:.2f} (target <= 2)", flush=True)
    print(f"  nginx dropped {attack.dropped['header']} slow connections "
          f"(client_header_timeout), each opened again", flush=True)


class UpstreamErrors:
    """nginx's error-log lines about one instance, each with when it was read (polled
    every 10 ms: the log's own timestamps are whole seconds)."""

    def __init__(self, log: Path, port: int) -> None:
        self.log, self.marker = log, f":{port}/"
        self.offset = log.stat().st_size
        self.lines: list[tuple[float, str]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.stopping.wait(0.01):
            with open(self.log, "rb") as handle:
                handle.seek(self.offset)
                read = handle.read()
            complete = read[:read.rfind(b"\n") + 1]
            self.offset += len(complete)
            now = time.monotonic()
            self.lines += [(now, line) for line in complete.decode(errors="replace").splitlines()
                           if self.marker in line]

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def reasons(self) -> dict[str, int]:
        """How many times each failure was logged: a refused connection (a request not yet
        sent, retried on another instance) or a connection lost mid-request (in flight)."""
        counts: dict[str, int] = {}
        for _, line in self.lines:
            found = re.search(r"\(\d+: ([^)]*)\)|(upstream prematurely closed connection)"
                              r"|(upstream server temporarily disabled)", line)
            reason = next(group for group in found.groups() if group) if found else line[:80]
            counts[reason] = counts.get(reason, 0) + 1
        return counts


def killed_instance(cluster: ClusterRun, seconds: int) -> None:
    stop = threading.Event()
    reports = []
    thread = threading.Thread(target=lambda: reports.append(
        run_mixed_load(cluster.url, 32, seconds, stop)))
    machine_load("SIGKILL")
    thread.start()
    time.sleep(seconds / 3)  # the load under way, sign-ups done
    port = APP_PORTS[0]
    errors = UpstreamErrors(cluster.run_directory / "logs" / "nginx-error.log", port)
    killed_at = time.monotonic()
    os.killpg(cluster.instance_pid(port), signal.SIGKILL)
    while f"(port {port}) exited" not in cluster.log():
        time.sleep(0.05)
    noticed = time.monotonic() - killed_at
    while not re.search(rf"\(port {port}\): ready and back in", cluster.log()):
        time.sleep(0.1)
    back = time.monotonic() - killed_at
    thread.join()
    errors.stop()
    report = reports[0]
    first = f"{(errors.lines[0][0] - killed_at) * 1000:.0f} ms" if errors.lines else "never"
    refusals = [f"{at - killed_at:.1f} s" for at, line in errors.lines if "refused" in line]
    print(f"SIGKILL of one instance under 32 mixed clients: {report.summary()}", flush=True)
    print(f"  nginx's error log on port {port} from the kill until it was back: "
          f"{errors.reasons()}; the first line {first} after the kill; the refused "
          f"connections at {', '.join(refusals[:12]) or 'none'}; "
          f"the orchestrator noticed the exit after {noticed:.1f} s and had it back "
          f"after {back:.1f} s", flush=True)
    for sample in report.error_samples:
        print("  error:", sample)


PARTS = ("throughput", "pages", "mixed", "slow", "kill")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30,
                        help="each throughput run (the API's, each page's), the slow-client "
                             "phases, the SIGKILL run")
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"which figures, comma-separated (default: all of {','.join(PARTS)})")
    arguments = parser.parse_args()
    parts = arguments.parts.split(",")
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    redis_base = os.environ["TEST_REDIS_URL"].rsplit("/", 1)[0]
    cluster = ClusterRun({"CLUSTER_DATABASE_URL": fresh_cluster_database(),
                          "CLUSTER_REDIS_URL": f"{redis_base}/14",
                          "CLUSTER_CELERY_WORKERS": "0",
                          # One account drives wrk: the default (600 a minute) would
                          # answer most of its requests 429.
                          "API_RATE_LIMIT": "10000000 per minute"})
    try:
        if "throughput" in parts:
            throughput(cluster, arguments.seconds)
        if "pages" in parts:
            machine_load("pages, gzip")
            cluster_pages.throughput(cluster, arguments.seconds, CpuShares(cluster))
        if "mixed" in parts:
            mixed(cluster, arguments.mixed_seconds)
        if "slow" in parts:
            slow_clients(cluster, arguments.seconds)
        if "kill" in parts:
            killed_instance(cluster, arguments.seconds)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
