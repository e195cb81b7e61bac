"""The benchmark driver behind ``make bench``.

For each stage (``small``: 10,000 tasks in all; ``large``: 1,000,000), seed the database,
serve taskweb (production configuration, committed gunicorn.conf.py) and the floor
(bench/floor.py, same gunicorn settings) on two loopback ports, log in to both, and drive
every scenario with wrk against both alternately. The small stage runs only the
scenarios of the growth comparison unless told otherwise. After the large stage: worker
memory, SQL per request and EXPLAIN plans. Prints a Markdown report and writes it to
bench/results/ (and, with --update-results, to bench/RESULTS.md).

Run it inside provisioned services (``make bench`` does), or point BENCH_DATABASE_URL at
a PostgreSQL database you can wipe.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

from bench import machine, report, servers
from bench.clients import api_token, floor_session_cookie, session_cookie
from bench.cpu import PostgresCpu
from bench.database import database_url
from bench.load import LoadSettings
from bench.measure import (
    delete_tasks_after,
    heavy_task_ids,
    measure_scenario,
    newest_task_id,
)
from bench.report import BenchRun, StageResult
from bench.scenarios import BY_NAME, GROWTH_SCENARIOS, SCENARIOS, Credentials
from bench.seed import HEAVY_EMAIL, HEAVY_USER_ID, PASSWORD, STAGES, seed

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
RATE_LIMIT = "1000000 per minute"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    env = os.environ.get
    parser.add_argument("--runs", type=int, default=int(env("BENCH_RUNS", 3)),
                        help="measured runs per scenario and server (default 3, BENCH_RUNS)")
    parser.add_argument("--duration", type=int, default=int(env("BENCH_DURATION", 10)),
                        help="seconds per run (default 10, BENCH_DURATION)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--stages", default="small,large",
                        help="comma-separated stages in order (default small,large)")
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS),
                        help="scenarios of the large stage (default all)")
    parser.add_argument("--small-scenarios", default=",".join(GROWTH_SCENARIOS),
                        help="scenarios of the small stage (default: the growth ones)")
    parser.add_argument("--taskweb-port", type=int, default=int(env("BENCH_TASKWEB_PORT", 18080)))
    parser.add_argument("--floor-port", type=int, default=int(env("BENCH_FLOOR_PORT", 18081)))
    parser.add_argument("--update-results", action="store_true",
                        help="also write the report to bench/RESULTS.md")
    args = parser.parse_args(argv)
    args.stages = [stage for stage in args.stages.split(",") if stage]
    for names in (args.scenarios, args.small_scenarios):
        unknown = set(filter(None, names.split(","))) - set(BY_NAME)
        if unknown or any(stage not in STAGES for stage in args.stages):
            parser.error(f"unknown scenario or stage: {sorted(unknown) or args.stages}")
    return args


def server_environment() -> dict[str, str]:
    """What taskweb needs in production, with login limits lifted for the login scenario."""
    env = {
        "APP_ENV": "production",
        "DATABASE_URL": database_url(),
        "BENCH_DATABASE_URL": database_url(),
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "JWT_SECRET_KEY": "bench-" + secrets.token_hex(24),
        "PUBLIC_URL": "http://127.0.0.1",
        "LOGIN_RATE_LIMIT": RATE_LIMIT,
        "ACCOUNT_RATE_LIMIT": RATE_LIMIT,
        # One token sends every request of a scenario: at the default 600 a minute most
        # would be 429s. The budget is still counted (in Redis), so its cost is measured.
        "API_RATE_LIMIT": RATE_LIMIT,
    }
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _migrate(env: dict[str, str]) -> None:
    flask = Path(sys.executable).parent / "flask"
    subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, capture_output=True)


def _run_stage(stage: str, scenario_names: list[str], args: argparse.Namespace,
               env: dict[str, str], log_dir: Path) -> StageResult:
    _log(f"== stage {stage}: seeding")
    seeded = seed(stage)
    _log(f"   {seeded.total_tasks:,} tasks ({seeded.heavy_tasks:,} for the heavy user) "
         f"in {seeded.seconds:.1f} s")
    settings = LoadSettings(args.threads, args.connections, args.duration)
    ids = heavy_task_ids()
    floor_env = {**env, "BENCH_FLOOR_REPLAY": str(_record_replay(env, ids[0], stage, log_dir))}
    with ExitStack() as stack:
        running = {
            "taskweb": servers.start("taskweb", "wsgi:app", args.taskweb_port, env, log_dir),
        }
        stack.callback(running["taskweb"].stop)
        running["floor"] = servers.start("floor", "bench.floor:app", args.floor_port, floor_env,
                                         log_dir)
        stack.callback(running["floor"].stop)
        credentials = {
            "taskweb": Credentials(
                api_token(args.taskweb_port, HEAVY_EMAIL, PASSWORD),
                session_cookie(args.taskweb_port, HEAVY_EMAIL, PASSWORD),
            ),
            "floor": Credentials(api_token(args.floor_port, HEAVY_EMAIL, PASSWORD),
                                 floor_session_cookie(HEAVY_USER_ID)),
        }
        postgres = PostgresCpu()
        results = {}
        for name in scenario_names:
            results[name] = measure_scenario(
                BY_NAME[name], running, credentials, ids, settings, args.runs, _log,
                log_dir / f"wrk-{stage}.log", postgres,
            )
        rss_after = running["taskweb"].worker_rss_kb()
        rss_max = dict(running["taskweb"].rss_seen)
    return StageResult(stage, seeded, results, rss_after, rss_max, ids)


def _replay_file(log_dir: Path, stage: str) -> Path:
    """Where a stage keeps taskweb's statements for the floor to replay."""
    return log_dir / f"replay-{stage}.json"


def _record_replay(env: dict[str, str], task_id: int, stage: str, log_dir: Path) -> Path:
    """taskweb's statements for the scenarios the floor replays (bench/floor_replay.py)."""
    path = _replay_file(log_dir, stage)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.statements", "--replay", str(task_id)], cwd=ROOT,
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )
    path.write_text(completed.stdout)
    return path


def _statements(env: dict[str, str], task_id: int) -> dict:
    """SQL per request and EXPLAIN plans, from bench.statements in a taskweb process."""
    baseline = newest_task_id()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.statements", str(task_id)], cwd=ROOT,
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )
    delete_tasks_after(baseline)
    return json.loads(completed.stdout)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    started = time.monotonic()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    log_dir = RESULTS_DIR / f"{stamp}-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    load_before = machine.load_average()
    env = server_environment()
    _migrate(env)
    stages = []
    for stage in args.stages:
        names = (args.small_scenarios if stage == "small" else args.scenarios).split(",")
        stages.append(_run_stage(stage, [n for n in names if n], args, env, log_dir))
    _log("== SQL per request and EXPLAIN plans")
    replay = _replay_file(log_dir, stages[-1].stage)
    statements = _statements({**env, "BENCH_FLOOR_REPLAY": str(replay)}, stages[-1].ids[0])
    run = BenchRun(
        started_at=stamp, settings=args, stages=stages, statements=statements,
        redis=bool(env.get("REDIS_URL")), rate_limit=RATE_LIMIT,
        minutes=(time.monotonic() - started) / 60,
        load_before=load_before, load_after=machine.load_average(),
    )
    markdown = report.render(run)
    print(markdown)
    path = RESULTS_DIR / f"{stamp}.md"
    path.write_text(markdown)
    _log(f"Written to {path.relative_to(ROOT)} (logs in {log_dir.relative_to(ROOT)})")
    if args.update_results:
        (ROOT / "bench" / "RESULTS.md").write_text(markdown)
        _log("Written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
