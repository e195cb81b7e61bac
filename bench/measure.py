"""Measuring scenarios: taskweb and the floor alternately, several runs, medians.

Runs alternate which server goes first (taskweb, floor; floor, taskweb; …) so that a drift
of the machine during a scenario weighs on both. Each scenario starts with an unrecorded
warm-up on both servers. Tasks created by a run are deleted after it, so every run sees
the same data.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.clients import exchange
from bench.cpu import PostgresCpu
from bench.database import connect
from bench.load import LoadResult, LoadSettings, Request, run_wrk
from bench.scenarios import Credentials, Scenario
from bench.seed import HEAVY_USER_ID
from bench.servers import Server

TARGETS = ("taskweb", "floor")


@dataclass(frozen=True)
class CpuCost:
    """CPU milliseconds per completed request during one run: the server's workers, PostgreSQL."""

    app_ms: float
    db_ms: float | None


@dataclass
class Summary:
    """Medians over the runs of one scenario on one server; errors are summed."""

    runs: list[LoadResult]
    cpu: list[CpuCost]

    @property
    def rps(self) -> float:
        return statistics.median(run.rps for run in self.runs)

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p95_ms(self) -> float:
        return statistics.median(run.p95_ms for run in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def non2xx(self) -> int:
        return sum(run.non2xx for run in self.runs)

    @property
    def socket_errors(self) -> int:
        return sum(run.socket_errors for run in self.runs)

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    @property
    def bytes_per_response(self) -> float:
        return statistics.median(run.bytes_per_response for run in self.runs)

    @property
    def app_cpu_ms(self) -> float:
        return statistics.median(cost.app_ms for cost in self.cpu)

    @property
    def db_cpu_ms(self) -> float | None:
        values = [cost.db_ms for cost in self.cpu if cost.db_ms is not None]
        return statistics.median(values) if values else None


@dataclass
class ScenarioResult:
    scenario: Scenario
    summaries: dict[str, Summary]
    preflight: dict[str, str] = field(default_factory=dict)

    @property
    def compared(self) -> bool:
        """Whether the floor ran this scenario too (see Scenario.floor)."""
        return "floor" in self.summaries

    @property
    def ratio(self) -> float:
        if not self.compared:
            return 0.0
        floor = self.summaries["floor"].rps
        return self.summaries["taskweb"].rps / floor if floor else 0.0


def heavy_task_ids(count: int = 200) -> tuple[int, ...]:
    """``count`` of the heavy user's task ids, spread over the whole list."""
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM tasks WHERE owner_id = %s ORDER BY id", (HEAVY_USER_ID,))
            ids = [row[0] for row in cur.fetchall()]
    finally:
        conn.close()
    step = max(1, len(ids) // count)
    return tuple(ids[::step][:count])


def newest_task_id() -> int:
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM tasks")
            return cur.fetchone()[0]
    finally:
        conn.close()


def delete_tasks_after(task_id: int) -> None:
    """Undo the creates of a run, so that every run lists the same tasks."""
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("DELETE FROM tasks WHERE id > %s", (task_id,))
        conn.commit()
    finally:
        conn.close()


def _etag_of(server: Server, scenario: Scenario, credentials: Credentials,
             ids: tuple[int, ...]) -> str | None:
    """For a poll, the ETag of a first answer (then every request of the load is a
    conditional one); None for any other scenario."""
    if not scenario.conditional:
        return None
    reply = exchange(server.port, scenario.request(credentials, ids))
    etag = reply.header("ETag")
    if reply.status != 200 or not etag:
        raise RuntimeError(f"{scenario.name}: no ETag to poll with ({reply.status})")
    return etag


def _preflight(server: Server, request: Request) -> str:
    """One request before the load: its status and size, so a misconfigured scenario shows."""
    reply = exchange(server.port, request)
    note = f"{reply.status}, {len(reply.body):,} bytes, {reply.header('Content-Type')}"
    if not (200 <= reply.status < 300 or reply.status == 304):
        note += f": {reply.body[:200].decode(errors='replace')}"
    return note


def measure_scenario(
    scenario: Scenario,
    servers: dict[str, Server],
    credentials: dict[str, Credentials],
    ids: tuple[int, ...],
    settings: LoadSettings,
    runs: int,
    log: Callable[[str], None],
    raw_log: Path,
    postgres: PostgresCpu,
) -> ScenarioResult:
    baseline = newest_task_id()
    preflight = {}
    targets = TARGETS if scenario.floor else ("taskweb",)
    if scenario.connections is not None:
        settings = LoadSettings(min(settings.threads, scenario.connections), scenario.connections,
                                settings.seconds, settings.timeout_seconds)
    requests = {}
    for name in targets:
        etag = _etag_of(servers[name], scenario, credentials[name], ids)
        requests[name] = scenario.request(credentials[name], ids, etag)
        preflight[name] = _preflight(servers[name], requests[name])
        warm_up = LoadSettings(settings.threads, settings.connections,
                               max(2, settings.seconds // 5), settings.timeout_seconds)
        run_wrk(servers[name].base_url, requests[name], warm_up)
        servers[name].settle()
    if scenario.writes:
        delete_tasks_after(baseline)
    results: dict[str, list[LoadResult]] = {name: [] for name in targets}
    costs: dict[str, list[CpuCost]] = {name: [] for name in targets}
    for run in range(runs):
        order = targets if run % 2 == 0 else targets[::-1]
        for name in order:
            server = servers[name]
            app_before, db_before = server.cpu_seconds(), postgres.seconds()
            result, output = run_wrk(server.base_url, requests[name], settings)
            app_after, db_after = server.cpu_seconds(), postgres.seconds()
            done = max(result.requests, 1)
            costs[name].append(CpuCost(
                (app_after - app_before) * 1000 / done,
                None if db_before is None else (db_after - db_before) * 1000 / done,
            ))
            if name == "taskweb":
                server.worker_rss_kb()
            server.settle()
            if scenario.writes:
                delete_tasks_after(baseline)
            results[name].append(result)
            with raw_log.open("a") as handle:
                handle.write(f"## {scenario.name} on {name}, run {run + 1}\n{output}\n")
            log(f"  {scenario.name:<9} {name:<8} run {run + 1}: {result.rps:8.1f} req/s  "
                f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
                f"errors {result.errors}  CPU/req {costs[name][-1].app_ms:5.2f} ms")
    summaries = {name: Summary(results[name], costs[name]) for name in targets}
    return ScenarioResult(scenario, summaries, preflight)
