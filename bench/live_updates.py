"""Issue 14's live updates: 100 open pages of one shared project, two designs.

    WITH_BROWSER=0 scripts/test-services.sh .venv/bin/python -m bench.live_updates

(a) poll: each page asks ``GET /projects/<id>/version`` every LIVE_UPDATE_MS with
    ``If-None-Match`` (the shipped design, static/live_updates.js);
(b) Server-Sent Events: each page holds ``GET /stream/<id>`` open on the harness
    service bench/live_stream.py, which relays what the writer publishes to Redis after
    each commit.
On a change, a page fetches its list fragment (``GET /projects/<id>`` with HX-Request),
as the browser does. Both run against the committed gunicorn configuration (4 gthread
workers × 2 threads on this machine) on loopback. Reported per design: CPU per second of
the app, the stream service and PostgreSQL with the 100 pages idle, their memory, the
requests per second, and the time from a write's commit (its API answer) until each page
holds the fresh fragment (p50, p99, max over WRITES × 100). Prints Markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis

from bench.clients import api_token, exchange, session_cookie
from bench.cpu import PostgresCpu, tree_cpu_seconds
from bench.database import database_url
from bench.load import Request
from bench.servers import ROOT, start

PAGES = 100
APP_PORT, STREAM_PORT = 8281, 8282
IDLE_SECONDS = 20
WRITES, WRITE_GAP_SECONDS = 10, 5.0
PASSWORD = "live updates bench password"


class Http:
    """One keep-alive HTTP/1.1 connection, as a browser tab keeps one (reopened when
    the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode())
            status_line = await self.reader.readline()
            if status_line:
                break
            self.writer.close()
            self.writer = None
        else:
            raise ConnectionError("the server closed the connection twice")
        status = int(status_line.split()[1])
        answer: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            answer[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(answer.get("content-length", "0")))
        if answer.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, answer, body


@dataclass
class Run:
    """What the pages saw: ``seen[write] = [seconds after the commit, one per page]``."""

    commits: dict[int, float] = field(default_factory=dict)
    seen: dict[int, list[float]] = field(default_factory=dict)
    noticed: dict[int, list[float]] = field(default_factory=dict)
    requests: int = 0
    current: int = -1  # the write the pages are waiting for

    def saw(self) -> None:
        """A page holds the fresh fragment."""
        if self.current >= 0:
            self.seen.setdefault(self.current, []).append(
                time.monotonic() - self.commits[self.current])

    def notice(self) -> None:
        """A page has learnt that the project changed (before fetching the fragment)."""
        if self.current >= 0:
            self.noticed.setdefault(self.current, []).append(
                time.monotonic() - self.commits[self.current])


def _fragment_headers(cookie: str) -> dict[str, str]:
    return {"Cookie": cookie, "HX-Request": "true"}


async def _poll_page(run: Run, cookie: str, project: int, interval: float) -> None:
    http = Http(APP_PORT)
    etag = ""
    await asyncio.sleep(random.uniform(0, interval))  # pages opened at different times
    while True:
        headers = {"Cookie": cookie, **({"If-None-Match": etag} if etag else {})}
        status, answer, _ = await http.get(f"/projects/{project}/version", headers)
        run.requests += 1
        if status == 200:
            if etag:
                run.notice()
                await http.get(f"/projects/{project}", _fragment_headers(cookie))
                run.requests += 1
                run.saw()
            etag = answer["etag"]
        await asyncio.sleep(interval)


async def _stream_page(run: Run, cookie: str, project: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", STREAM_PORT)
    writer.write(f"GET /stream/{project} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    fragments = Http(APP_PORT)
    run.requests += 1
    while line := await reader.readline():
        if line.startswith(b"event: changed"):
            run.notice()
            await fragments.get(f"/projects/{project}", _fragment_headers(cookie))
            run.requests += 1
            run.saw()


@dataclass
class Costs:
    processes: dict[str, int]  # name -> pid whose tree is measured

    def cpu(self) -> dict[str, float]:
        return {name: tree_cpu_seconds(pid) for name, pid in self.processes.items()}

    def rss_mb(self) -> dict[str, float]:
        totals = {}
        for name, pid in self.processes.items():
            listing = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)],
                                     capture_output=True, text=True, check=False).stdout
            totals[name] = sum(int(value) for value in listing.split()) / 1024
        return totals


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _measure(design: str, pages: Callable[[Run], list], costs: Costs, postgres: PostgresCpu,
                   write: Callable[[int], None]) -> dict:
    run = Run()
    tasks = [asyncio.create_task(page) for page in pages(run)]
    await asyncio.sleep(3)  # every page open and settled
    cpu, pg, requests = costs.cpu(), postgres.seconds() or 0.0, run.requests
    await asyncio.sleep(IDLE_SECONDS)
    idle_cpu = {name: (after - cpu[name]) / IDLE_SECONDS for name, after in costs.cpu().items()}
    idle_pg = ((postgres.seconds() or 0.0) - pg) / IDLE_SECONDS
    idle_rate = (run.requests - requests) / IDLE_SECONDS
    memory = costs.rss_mb()
    for number in range(WRITES):
        await asyncio.to_thread(write, number)
        run.commits[number] = time.monotonic()
        run.current = number
        await asyncio.sleep(WRITE_GAP_SECONDS)
    for task in tasks:
        task.cancel()
    delays = [delay for seen in run.seen.values() for delay in seen]
    missed = WRITES * PAGES - len(delays)
    notices = [delay for noticed in run.noticed.values() for delay in noticed]
    return {"design": design, "idle_cpu": idle_cpu, "idle_pg": idle_pg, "rate": idle_rate,
            "memory": memory, "p50": _percentile(delays, 0.5), "p99": _percentile(delays, 0.99),
            "max": max(delays), "missed": missed,
            "notice_p50": _percentile(notices, 0.5), "notice_p99": _percentile(notices, 0.99)}


def _setup() -> tuple[str, str, int]:
    """Two people, a project of the writer shared with the watcher, 20 tasks in it;
    returns the watcher's session cookie, the writer's API token and the project."""
    suffix = str(int(time.time()))
    people = {}
    for name in ("writer", "watcher"):
        email = f"live-{name}-{suffix}@example.com"
        body = json.dumps({"email": email, "username": f"live{name}{suffix}",
                           "password": PASSWORD})
        reply = exchange(APP_PORT, Request("POST", "/api/v1/auth/register",
                                           {"Content-Type": "application/json"}, body))
        assert reply.status == 201, reply.body
        people[name] = email
    token = api_token(APP_PORT, people["writer"], PASSWORD)
    json_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    reply = exchange(APP_PORT, Request("POST", "/api/v1/projects/", json_headers,
                                       json.dumps({"name": "Shared " + suffix})))
    project = json.loads(reply.body)["id"]
    exchange(APP_PORT, Request("POST", f"/api/v1/projects/{project}/members/", json_headers,
                               json.dumps({"email": people["watcher"], "role": "editor"})))
    for n in range(20):
        exchange(APP_PORT, Request("POST", "/api/v1/tasks/", json_headers,
                                   json.dumps({"title": f"Task {n}", "project_id": project})))
    return session_cookie(APP_PORT, people["watcher"], PASSWORD), token, project


def _writer(token: str, project: int, redis: Redis | None) -> Callable[[int], None]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def write(number: int) -> None:
        reply = exchange(APP_PORT, Request("POST", "/api/v1/tasks/", headers, json.dumps(
            {"title": f"Written {number}", "project_id": project})))
        assert reply.status == 201, reply.body
        if redis is not None:  # what the app would do after its commit
            redis.publish(f"live:project:{project}", "changed")
    return write


def _table(results: list[dict], interval_ms: int) -> str:
    lines = ["| design | CPU/s idle: app | stream service | PostgreSQL | memory (RSS) | "
             "requests/s idle | write → page knows p50 | p99 | write → page shows p50 | p99 | max | "
             "missed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for result in results:
        cpu, memory = result["idle_cpu"], result["memory"]
        label = (f"poll every {interval_ms} ms" if result["design"] == "poll"
                 else "SSE through Redis")
        lines.append(
            f"| {label} | {cpu['app'] * 100:.1f} % | "
            f"{cpu.get('stream', 0.0) * 100:.1f} % | {result['idle_pg'] * 100:.1f} % | "
            f"app {memory['app']:.0f} MB" + (f", stream {memory['stream']:.0f} MB"
                                              if "stream" in memory else "")
            + f" | {result['rate']:.0f} | {result['notice_p50'] * 1000:.0f} ms | "
            f"{result['notice_p99'] * 1000:.0f} ms | {result['p50'] * 1000:.0f} ms | "
            f"{result['p99'] * 1000:.0f} ms | {result['max'] * 1000:.0f} ms | "
            f"{result['missed']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval-ms", type=int, default=1000)
    args = parser.parse_args(argv)
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ["TEST_REDIS_URL"]
    env = {"APP_ENV": "production", "DATABASE_URL": database_url(), "REDIS_URL": redis_url,
           "SECRET_KEY": "bench-live-" + "x" * 32, "JWT_SECRET_KEY": "bench-live-jwt-" + "x" * 32,
           "PUBLIC_URL": f"http://127.0.0.1:{APP_PORT}", "ACCOUNT_RATE_LIMIT": "100 per minute"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                   cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    logs = Path(tempfile.mkdtemp(prefix="live-updates-"))
    app = start("app", "wsgi:app", APP_PORT, env, logs)
    stream = subprocess.Popen([sys.executable, "-m", "bench.live_stream", str(STREAM_PORT),
                               redis_url], cwd=ROOT, start_new_session=True)
    try:
        cookie, token, project = _setup()
        postgres = PostgresCpu()
        interval = args.interval_ms / 1000
        results = [asyncio.run(_measure(
            "poll", lambda run: [_poll_page(run, cookie, project, interval)
                                 for _ in range(PAGES)],
            Costs({"app": app.process.pid}), postgres, _writer(token, project, None)))]
        time.sleep(6)  # the poll's keep-alive connections time out
        results.append(asyncio.run(_measure(
            "sse", lambda run: [_stream_page(run, cookie, project) for _ in range(PAGES)],
            Costs({"app": app.process.pid, "stream": stream.pid}), postgres,
            _writer(token, project, Redis.from_url(redis_url)))))
        print(_table(results, args.interval_ms))
    finally:
        stream.terminate()
        app.stop()


if __name__ == "__main__":
    main()
