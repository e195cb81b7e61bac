"""The Markdown report: settings, targets of issue 15, tables, memory, SQL and plans."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench import machine
from bench.measure import ScenarioResult
from bench.seed import SeedReport

GROWTH_LIMIT = 1.25
RATIO_TARGET = 0.5
TAIL_LIMIT = 4.0
RSS_LIMIT_MB = 150
SEED_LIMIT_S = 180
RATIO_TARGETS = ("list", "get", "update", "create", "shared")
# Issue 15: pages at 0.4 of the floor, and a page of 20 rows under 20 KB.
PAGE_RATIO_TARGET = 0.4
PAGE_TARGETS = ("page", "fragment")
PAGE_BYTES_LIMIT = 20_000
# Issue 11: the quick-add preview answers in under 10 ms at p95 (one person typing).
PREVIEW_P95_LIMIT_MS = 10.0
PREVIEW_SCENARIO = "quick_preview"
STAGE_ROWS = {"small": "10k", "large": "1M"}


@dataclass
class StageResult:
    stage: str
    seed: SeedReport
    results: dict[str, ScenarioResult]
    rss_after_kb: dict[int, int]
    rss_max_kb: dict[int, int]
    ids: tuple[int, ...]


@dataclass
class BenchRun:
    started_at: str
    settings: argparse.Namespace
    stages: list[StageResult]
    statements: dict
    redis: bool
    rate_limit: str
    minutes: float
    load_before: str
    load_after: str


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 1000 else f"{value / 1000:,.2f} s"


def _row(result: ScenarioResult) -> str:
    tw, fl = result.summaries["taskweb"], result.summaries["floor"]
    return (f"| {result.scenario.label} | {tw.rps:,.0f} | {fl.rps:,.0f} | {result.ratio:.2f} | "
            f"{_ms(tw.p50_ms)} | {_ms(tw.p99_ms)} | {tw.p99_ms / tw.p50_ms:.1f} | "
            f"{_ms(fl.p50_ms)} | {_ms(fl.p99_ms)} | {tw.errors} / {fl.errors} |")


TABLE_HEAD = ("| scenario | taskweb req/s | floor req/s | ratio | taskweb p50 | p99 | p99/p50 "
              "| floor p50 | p99 | errors (taskweb / floor) |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def _table(results: list[ScenarioResult]) -> str:
    return "\n".join([TABLE_HEAD, *(_row(result) for result in results)])


def _cpu_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cpu_table(results: list[ScenarioResult]) -> str:
    lines = ["| scenario | taskweb workers | floor workers | taskweb ÷ floor | PostgreSQL under "
             "taskweb | PostgreSQL under floor | response bytes taskweb / floor |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        if not result.compared:
            continue
        tw, fl = result.summaries["taskweb"], result.summaries["floor"]
        lines.append(
            f"| {result.scenario.label} | {tw.app_cpu_ms:.2f} | {fl.app_cpu_ms:.2f} | "
            f"{tw.app_cpu_ms / fl.app_cpu_ms if fl.app_cpu_ms else 0:.1f} | "
            f"{_cpu_ms(tw.db_cpu_ms)} | {_cpu_ms(fl.db_cpu_ms)} | "
            f"{tw.bytes_per_response:,.0f} / {fl.bytes_per_response:,.0f} |")
    return "\n".join(lines)


def _stage(run: BenchRun, name: str) -> StageResult | None:
    return next((stage for stage in run.stages if stage.stage == name), None)


def _growth(run: BenchRun) -> list[tuple[str, float, float, float, float]]:
    """(scenario, taskweb p50 small, large, floor p50 small, large) where both stages ran."""
    small, large = _stage(run, "small"), _stage(run, "large")
    if small is None or large is None:
        return []
    rows = []
    for name, before in small.results.items():
        after = large.results.get(name)
        if after is not None and before.compared and after.compared:
            rows.append((before.scenario.label, before.summaries["taskweb"].p50_ms,
                         after.summaries["taskweb"].p50_ms, before.summaries["floor"].p50_ms,
                         after.summaries["floor"].p50_ms))
    return rows


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def targets(run: BenchRun) -> list[str]:
    """One line per target of issue 15, with the figure behind the verdict."""
    final = run.stages[-1]
    lines = []
    for names, target in ((RATIO_TARGETS, RATIO_TARGET), (PAGE_TARGETS, PAGE_RATIO_TARGET)):
        for name in names:
            result = final.results.get(name)
            if result is not None and result.compared:
                lines.append(f"- {result.scenario.label}: ≥ {target:.0%} of the floor's "
                             f"requests/s: {result.ratio:.0%}, {_verdict(result.ratio >= target)}")
    page = final.results.get("page")
    if page is not None:
        size = page.summaries["taskweb"].bytes_per_response
        lines.append(f"- Page weight for 20 rows < {PAGE_BYTES_LIMIT / 1000:.0f} KB "
                     f"uncompressed: {size:,.0f} bytes, {_verdict(size < PAGE_BYTES_LIMIT)}")
    tails = [(r.scenario.label, r.summaries["taskweb"].p99_ms / r.summaries["taskweb"].p50_ms)
             for r in final.results.values() if r.scenario.kind != "login"]
    if tails:
        worst = max(tails, key=lambda item: item[1])
        over = [f"{label} {tail:.1f}×" for label, tail in tails if tail > TAIL_LIMIT]
        lines.append(f"- p99 ≤ {TAIL_LIMIT:.0f} × p50 for every scenario but login: worst "
                     f"{worst[0]} {worst[1]:.1f}×, {_verdict(not over)}"
                     + (f" (over: {', '.join(over)})" if over else ""))
    for label, tw_small, tw_large, _fl_small, _fl_large in _growth(run):
        growth = tw_large / tw_small
        lines.append(f"- Growth of {label} p50 from 10k to 1M rows ≤ {GROWTH_LIMIT}×: "
                     f"{growth:.2f}×, {_verdict(growth <= GROWTH_LIMIT)}")
    preview = final.results.get(PREVIEW_SCENARIO)
    if preview is not None:
        tw = preview.summaries["taskweb"]
        lines.append(f"- Quick-add preview p95 < {PREVIEW_P95_LIMIT_MS:.0f} ms (issue 11; one "
                     f"connection): p50 {tw.p50_ms:.1f} ms, p95 {tw.p95_ms:.1f} ms, p99 "
                     f"{tw.p99_ms:.1f} ms, {_verdict(tw.p95_ms < PREVIEW_P95_LIMIT_MS)}")
    captures = run.statements.get("taskweb", {})
    if "list" in captures:
        sizes = {captures[n]["statements"] for n in ("list_limit_1", "list", "list_limit_100")}
        count = captures["list"]["statements"]
        lines.append(f"- Constant SQL per request, ≤ 3 for a list: {count} statements for a list "
                     f"({'the same' if len(sizes) == 1 else 'not the same'} for limit 1, 20 and "
                     f"100), {_verdict(count <= 3 and len(sizes) == 1)}. Whether `make test` "
                     "asserts it is for the test suite to show, not this harness.")
    if final.rss_after_kb:
        largest = max(final.rss_max_kb.values()) / 1024
        lines.append(f"- Worker RSS < {RSS_LIMIT_MB} MB after the load: largest "
                     f"{max(final.rss_after_kb.values()) / 1024:.0f} MB after, {largest:.0f} MB "
                     f"at any sample, {_verdict(largest < RSS_LIMIT_MB)}")
    large = _stage(run, "large")
    if large is not None:
        lines.append(f"- Seeding 1 M tasks < 3 minutes: {large.seed.seconds:.0f} s, "
                     f"{_verdict(large.seed.seconds < SEED_LIMIT_S)}")
    return lines


def _header(run: BenchRun) -> list[str]:
    args = run.settings
    started = datetime.strptime(run.started_at, "%Y%m%dT%H%M%SZ")
    return [
        "# taskweb benchmark results",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {run.minutes:.1f} minutes.",
        f"- Machine: {machine.machine()}; load average {run.load_before} before the run, "
        f"{run.load_after} after it (the load generator, both servers and PostgreSQL share "
        "the cores; anything else running shows here).",
        f"- Commit: {machine.commit()}.",
        f"- Load: {machine.wrk_version()}, `-t{args.threads} -c{args.connections} "
        f"-d{args.duration}s --latency`, {args.runs} runs per scenario and server, alternating "
        "which server goes first, after an unrecorded warm-up; each figure is the median of "
        "the runs, errors are summed.",
        f"- Servers: gunicorn.conf.py as committed ({machine.gunicorn_settings()}), taskweb with "
        f"APP_ENV=production{', REDIS_URL set (rate limits in Redis)' if run.redis else ''}; "
        f"the floor (bench/floor.py) under the same settings.",
        f"- Limits lifted so that one account can drive the load: LOGIN_RATE_LIMIT, "
        f"ACCOUNT_RATE_LIMIT and API_RATE_LIMIT = \"{run.rate_limit}\" (still counted).",
        f"- Database: {machine.postgres_settings()}; throwaway cluster on loopback.",
        "",
    ]


def _growth_section(run: BenchRun) -> list[str]:
    rows = _growth(run)
    if not rows:
        return []
    lines = ["## Growth: the heavy user's 10,000 tasks among 10k and among 1M rows", "",
             "| scenario | taskweb p50 @10k | @1M | growth | floor p50 @10k | @1M | growth |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, tw_small, tw_large, fl_small, fl_large in rows:
        lines.append(f"| {label} | {_ms(tw_small)} | {_ms(tw_large)} | {tw_large / tw_small:.2f} | "
                     f"{_ms(fl_small)} | {_ms(fl_large)} | {fl_large / fl_small:.2f} |")
    small = _stage(run, "small")
    lines += ["", "At 10k rows:", "", _table([r for r in small.results.values() if r.compared]), ""]
    return lines


def _statements_section(run: BenchRun) -> list[str]:
    captures, floor = run.statements.get("taskweb", {}), run.statements.get("floor", {})
    lines = ["## SQL per request", "",
             "Recorded by bench/statements.py on one request of each scenario. Statements are "
             "the queries the request needs; round trips also count the connection pool's "
             "pre-ping (`SELECT 1` at every checkout) and the BEGIN, COMMIT and ROLLBACK that "
             "psycopg2 sends.", "",
             "| request | taskweb statements | taskweb round trips | floor statements "
             "| floor round trips | taskweb sequence |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, capture in captures.items():
        other = floor.get(name, {})
        sequence = "; ".join(capture["sql"]).replace("|", "\\|")
        lines.append(f"| {name} ({capture['status']}) | {capture['statements']} | "
                     f"{capture['round_trips']} | {other.get('statements', '–')} | "
                     f"{other.get('round_trips', '–')} | {sequence} |")
    return lines + [""]


def _memory_section(run: BenchRun) -> list[str]:
    final = run.stages[-1]
    lines = [f"## taskweb worker memory (stage {final.stage})", "",
             "RSS from `ps -o rss=` of each gunicorn worker: after the last run, and the "
             "largest seen at any sample (one after every taskweb run). Workers are recycled "
             "after max_requests, which would hide a leak: workers seen in all = "
             f"{len(final.rss_max_kb)}.", "",
             "| worker pid | RSS after the load | largest RSS seen |", "| ---: | ---: | ---: |"]
    for pid, rss in sorted(final.rss_max_kb.items()):
        after = final.rss_after_kb.get(pid)
        lines.append(f"| {pid} | {f'{after / 1024:.0f} MB' if after else 'recycled'} | "
                     f"{rss / 1024:.0f} MB |")
    return lines + [""]


def _plans_section(run: BenchRun) -> list[str]:
    stage = run.stages[-1]
    lines = [f"## EXPLAIN (ANALYZE, BUFFERS) at {stage.seed.total_tasks:,} rows", "",
             "taskweb's own statements for the heavy user (captured, then explained; second "
             "run shown, so the cache is warm).", ""]
    for name, plan in run.statements.get("plans", {}).items():
        lines += [f"### {name}", "", "```", plan, "```", ""]
    return lines


def _alone_section(results: list[ScenarioResult], settings: argparse.Namespace) -> list[str]:
    """Scenarios with no floor equivalent: taskweb's absolute figures only."""
    if not results:
        return []
    lines = ["## taskweb alone (no floor equivalent)", "",
             "bench/floor.py has no route for these (a quick add writes rows that a replay "
             "of its statements could not name), so they have no ratio: taskweb's own "
             "latency and CPU per request. "
             "Connections: the run's setting unless the scenario names its own.", "",
             "| scenario | connections | req/s | p50 | p95 | p99 | worker CPU/req | "
             "PostgreSQL CPU/req | bytes | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        tw = result.summaries["taskweb"]
        connections = result.scenario.connections or settings.connections
        lines.append(f"| {result.scenario.label} | {connections} | {tw.rps:,.0f} | "
                     f"{_ms(tw.p50_ms)} | {_ms(tw.p95_ms)} | {_ms(tw.p99_ms)} | "
                     f"{tw.app_cpu_ms:.2f} ms | {_cpu_ms(tw.db_cpu_ms)} ms | "
                     f"{tw.bytes_per_response:,.0f} | {tw.errors} |")
    return lines + [""]


def _details_section(run: BenchRun) -> list[str]:
    lines = ["## Details", ""]
    for stage in run.stages:
        lines.append(f"- Stage {stage.stage}: seeded {stage.seed.total_tasks:,} tasks "
                     f"({stage.seed.heavy_tasks:,} for the heavy user) in "
                     f"{stage.seed.seconds:.1f} s.")
    final = run.stages[-1]
    lines += ["", "Preflight (one request per scenario before the load):", "",
              "| scenario | taskweb | floor |", "| --- | --- | --- |"]
    for result in final.results.values():
        lines.append(f"| {result.scenario.name} | {result.preflight['taskweb']} | "
                     f"{result.preflight.get('floor', '–')} |")
    lines += [
        "", "What the floor does (bench/floor.py): verifies the JWT with PyJWT (HS256 pinned), "
        "loads the user and checks the jti against revoked_access_tokens in one statement, "
        "as taskweb's JWT callbacks do, runs the same count, page and labels SQL (tasks "
        "scoped through the caller's memberships), writes with a single `INSERT … RETURNING` "
        "into the caller's Inbox / `UPDATE … FROM memberships … RETURNING`, encodes with the "
        "standard json module and formats HTML with plain strings. For the pages it does not "
        "verify a signed session cookie: a plain `floor_user=<id>:<session version>:<session "
        "id>` cookie names the user and a browser session, checked in one statement as "
        "taskweb does; the pages list top-level tasks and read the sidebar's projects (with "
        "member and open-task counts) and, on a full page, its labels with the same SQL as "
        "taskweb's. Its login looks the user up, checks bcrypt (same hash, 12 rounds), "
        "records the refresh token and signs two JWTs. It logs nothing per request; taskweb "
        "writes one JSON log line per request.", "",
    ]
    return lines


def _login_caveat(result: ScenarioResult, seconds: int) -> str:
    taskweb = result.summaries["taskweb"]
    return (f"bcrypt costs about {taskweb.app_cpu_ms:.0f} ms of CPU per login, so the machine "
            f"completes about {taskweb.rps:.0f} logins a second and the 32 connections queue "
            f"for seconds: these latencies measure queueing. A {seconds}-second run completes "
            f"only about {taskweb.rps * seconds:.0f} logins, so its p99 is about its slowest "
            "login, and logins still queued when the run ends are not counted.")


ANALYSIS = Path(__file__).resolve().parent / "ANALYSIS.md"


def render(run: BenchRun) -> str:
    final = run.stages[-1]
    main = [r for r in final.results.values() if r.scenario.kind != "login" and r.compared]
    login = [r for r in final.results.values() if r.scenario.kind == "login" and r.compared]
    alone = [r for r in final.results.values() if not r.compared]
    lines = _header(run)
    lines += ["## Targets (issue 15)", "", *targets(run), ""]
    # The hand-written explanation of unmet targets survives every regeneration.
    if ANALYSIS.exists():
        lines += [ANALYSIS.read_text().strip(), ""]
    if main:
        lines += [f"## taskweb ÷ floor at {final.seed.total_tasks:,} rows", "", _table(main), ""]
    lines += _alone_section(alone, run.settings)
    if login:
        lines += ["## Login (bcrypt-bound, reported apart)", "", _table(login), "",
                  _login_caveat(login[0], run.settings.duration), ""]
    lines += ["## CPU milliseconds per request", "",
              "CPU time (user + system, from /proc) used during each run by the gunicorn "
              "workers and by PostgreSQL's processes, divided by the requests completed "
              "(medians of the runs). The machine is saturated, so this is what throughput "
              "is paid in, and it is steadier than requests/s when other work shares the "
              "machine.", "", _cpu_table(main + login), ""]
    lines += _growth_section(run)
    lines += _statements_section(run)
    lines += _memory_section(run)
    lines += _plans_section(run)
    lines += _details_section(run)
    return "\n".join(lines).rstrip() + "\n"
