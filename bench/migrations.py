"""How long migrations 0004, 0005 and 0006 take on the 1 M-task bench database, and
what a client of the database sees meanwhile (bench/MIGRATIONS.md has the results).

Run inside provisioned services, on a database it may wipe::

    WITH_BROWSER=0 PG_PORT=54421 REDIS_PORT=63891 scripts/test-services.sh \\
        .venv/bin/python -m bench.migrations

1. ``flask db upgrade 0003`` on the empty database;
2. ``bench.seed large`` at that schema (100,000 users, 1,000,000 tasks);
3. ``flask db upgrade 0004``, ``0005`` and ``0006``, one at a time, each timed (wall
   time of the whole ``flask`` command, Python start-up included). The migration's own
   connections log every statement with its duration (``PGOPTIONS``), read back from
   the server's log (TEST_PG_DATA) for a per-statement breakdown, with the lock waits
   longer than deadlock_timeout and the autovacuum runs on tasks;
   ``flask db current`` is timed too: the start-up every command pays;
4. while 0006 runs, a client loop on its own connection (autocommit, as the app's
   requests, one round every PAUSE seconds) does what the app of revision 0005 does
   most: the heavy user's first page of tasks, a task by id, and
   ``UPDATE tasks SET title = title WHERE id = <random>``; every statement's wait is
   recorded;
5. checks: every task is in its creator's Inbox, one Inbox and one owner membership per
   user, positions and completed_at as the migration sets them, NOT NULL columns, valid
   indexes, skeletons filled.

Prints a JSON report and writes it to bench/results/migrations-<time>.json.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psycopg2

from bench.database import connect, database_url
from bench.seed import HEAVY_USER_ID, TOTAL_TASKS, seed

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
REVISIONS = ("0004", "0005", "0006")
PAUSE = 0.01
SLOW = 0.1  # seconds: a client statement that waited longer than this is listed
CLIENT_STATEMENTS = {
    "list": (f"SELECT id, title, description, status, priority, due_date, owner_id, "
             f"created_at, updated_at FROM tasks WHERE tasks.owner_id = {HEAVY_USER_ID} "
             f"ORDER BY tasks.created_at DESC, tasks.id DESC LIMIT 20"),
    "get": ("SELECT id, title, description, status, priority, due_date, owner_id, "
            "created_at, updated_at, version FROM tasks WHERE tasks.id = %s"),
    "update": "UPDATE tasks SET title = title WHERE id = %s",
}
LOG_LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \S+ \[(?P<pid>\d+)\] LOG:  "
    r"duration: (?P<ms>[\d.]+) ms  statement: (?P<sql>.*)$"
)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class ClientLoop:
    """The app's reads and writes on its own connection, each statement's wait recorded."""

    rounds: int = 0
    waits: dict[str, list[float]] = field(default_factory=dict)
    slow: list[tuple[float, str, float]] = field(default_factory=list)  # (start, kind, s)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        conn = connect(autocommit=True)
        rng = random.Random(3)
        try:
            with conn.cursor() as cur:
                while not self._stop.is_set():
                    for kind, sql in CLIENT_STATEMENTS.items():
                        self._timed(cur, kind, sql, (rng.randint(1, TOTAL_TASKS),))
                    self.rounds += 1
                    time.sleep(PAUSE)
        finally:
            conn.close()

    def _timed(self, cur, kind: str, sql: str, args: tuple) -> None:
        started = time.time()
        begun = time.perf_counter()
        try:
            cur.execute(sql, args if "%s" in sql else None)
            if cur.description is not None:
                cur.fetchall()
        except psycopg2.Error as error:
            self.errors.append(f"{kind}: {error}".strip())
        waited = time.perf_counter() - begun
        self.waits.setdefault(kind, []).append(waited)
        if waited > SLOW:
            self.slow.append((started, kind, waited))

    def summary(self) -> dict:
        def percentile(values: list[float], share: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

        return {
            "rounds": self.rounds,
            "errors": self.errors[:10],
            "error_count": len(self.errors),
            "by_statement": {
                kind: {"count": len(values), "median_ms": percentile(values, 0.5) * 1e3,
                       "p99_ms": percentile(values, 0.99) * 1e3,
                       "max_ms": max(values) * 1e3,
                       "over_100ms": sum(1 for v in values if v > 0.1),
                       "over_1s": sum(1 for v in values if v > 1.0)}
                for kind, values in self.waits.items()
            },
            "slow": [{"at": _clock(at), "statement": kind, "ms": round(s * 1e3, 1)}
                     for at, kind, s in sorted(self.slow)],
        }


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%H:%M:%S.%f")[:-3]


def _flask(*arguments: str, log_statements: bool = False) -> float:
    """Runs ``flask --app wsgi <arguments>``; returns its wall time in seconds."""
    env = {**os.environ, "DATABASE_URL": database_url(), "APP_ENV": "development"}
    if log_statements:
        env["PGOPTIONS"] = "-c log_min_duration_statement=0"
    flask = Path(sys.executable).parent / "flask"
    started = time.perf_counter()
    subprocess.run([str(flask), "--app", "wsgi", *arguments], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def _server_log_position() -> int:
    path = _server_log()
    return path.stat().st_size if path else 0


def _server_log() -> Path | None:
    data = os.environ.get("TEST_PG_DATA")
    path = Path(data) / "server.log" if data else None
    return path if path and path.exists() else None


def _statements_since(position: int) -> list[dict]:
    """The migration's statements logged since ``position``, with their durations.

    The log's times are the statements' ends (UTC, as the cluster logs them).
    """
    path = _server_log()
    if path is None:
        return []
    with path.open(encoding="utf-8", errors="replace") as log:
        log.seek(position)
        text = log.read()
    found = []
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if match:
            sql = re.sub(r"\s+", " ", match["sql"]).strip()
            found.append({"ended": match["at"][11:], "pid": int(match["pid"]),
                          "ms": float(match["ms"]), "sql": sql[:160]})
    return found


def _phases(statements: list[dict]) -> dict:
    """0006's statements grouped by step, with how long each step held what.

    ``tables_and_columns``: the first transaction (new tables, columns, foreign keys,
    Inboxes), which holds an ACCESS EXCLUSIVE lock on tasks from its first ALTER TABLE
    tasks to its COMMIT; ``batches``: the moves into the Inboxes, one transaction each;
    ``not_null``: the transaction of the CHECK … NOT VALID, VALIDATE, SET NOT NULL steps
    (ACCESS EXCLUSIVE from its first ALTER to its COMMIT); ``indexes``: CREATE INDEX
    CONCURRENTLY, each on its own.
    """
    def between(first: int, last: int) -> float:
        return round(sum(s["ms"] for s in statements[first:last + 1]), 1)

    def index_of(predicate, start: int = 0) -> int:
        return next(i for i in range(start, len(statements)) if predicate(statements[i]["sql"]))

    try:
        alter = index_of(lambda sql: sql.startswith("ALTER TABLE tasks ADD COLUMN"))
        commit = index_of(lambda sql: sql == "COMMIT", alter)
        check = index_of(lambda sql: "NOT VALID" in sql, commit)
        tightened = index_of(lambda sql: sql == "COMMIT", check)
    except StopIteration:
        return {}
    batches = [s["ms"] for s in statements if s["sql"].startswith("UPDATE tasks SET project_id")]
    indexes = {s["sql"].split(" ON ")[0].split()[-1]: s["ms"] for s in statements
               if s["sql"].startswith("CREATE INDEX CONCURRENTLY")}
    return {
        "tables_and_columns_ms": between(0, commit),
        "tasks_exclusively_locked_ms": [between(alter, commit), between(check, tightened)],
        "batches": {"count": len(batches), "total_ms": round(sum(batches), 1),
                    "min_ms": min(batches, default=0), "max_ms": max(batches, default=0)},
        "not_null_ms": between(check, tightened),
        "indexes_ms": indexes,
        "indexes_total_ms": round(sum(indexes.values()), 1),
    }


def _released_by(slow: list[dict], statements: list[dict]) -> None:
    """Names, for each slow client statement, the migration statements that ended while
    it waited (the one that let it go is among them). Both clocks are UTC."""
    def seconds(clock: str) -> float:
        hours, minutes, rest = clock.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    for entry in slow:
        start = seconds(entry["at"])
        end = start + entry["ms"] / 1e3
        entry["migration_ended_meanwhile"] = [
            f"{s['sql'][:60]} ({s['ms']:.0f} ms)" for s in statements
            if start <= seconds(s["ended"]) <= end + 0.02 and (s["ms"] > 50 or s["sql"] == "COMMIT")
        ]


SERVER_EVENTS = re.compile(r"still waiting for|acquired \w+Lock|canceling autovacuum|"
                           r"automatic (?:vacuum|analyze) of table \S+tasks")


def _log_waits_and_autovacuum() -> None:
    """Lock waits past deadlock_timeout (1 s) and every autovacuum go to the server's log:
    what a statement waited for is then on record, not guessed."""
    conn = connect(autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("ALTER SYSTEM SET log_lock_waits = on")
            cur.execute("ALTER SYSTEM SET log_autovacuum_min_duration = 0")
            cur.execute("SELECT pg_reload_conf()")
    finally:
        conn.close()


def _server_events_since(position: int) -> list[str]:
    """Lock waits and autovacuum runs on tasks logged since ``position``, a line each."""
    path = _server_log()
    if path is None:
        return []
    with path.open(encoding="utf-8", errors="replace") as log:
        log.seek(position)
        lines = log.read().splitlines()
    return [line[11:240] for line in lines if SERVER_EVENTS.search(line)]


def _size(cur, relation: str) -> int:
    cur.execute("SELECT pg_total_relation_size(%s)", (relation,))
    return cur.fetchone()[0]


def _checks() -> dict:
    queries = {
        "users": "SELECT count(*) FROM users",
        "projects": "SELECT count(*) FROM projects",
        "inboxes": "SELECT count(*) FROM projects WHERE is_inbox AND name = 'Inbox'",
        "users_with_one_inbox": (
            "SELECT count(*) FROM users u WHERE (SELECT count(*) FROM projects p "
            "WHERE p.owner_id = u.id AND p.is_inbox) = 1"),
        "owner_memberships": (
            "SELECT count(*) FROM memberships m JOIN projects p ON p.id = m.project_id "
            "WHERE m.user_id = p.owner_id AND m.role = 'owner'"),
        "memberships": "SELECT count(*) FROM memberships",
        "tasks": "SELECT count(*) FROM tasks",
        "tasks_in_owners_inbox": (
            "SELECT count(*) FROM tasks t JOIN projects p ON p.id = t.project_id "
            "WHERE p.owner_id = t.owner_id AND p.is_inbox"),
        "tasks_without_project": "SELECT count(*) FROM tasks WHERE project_id IS NULL",
        "tasks_with_id_position": (
            "SELECT count(*) FROM tasks WHERE position = lpad(to_hex(id), 16, '0')"),
        "tasks_completed_at_as_status": (
            "SELECT count(*) FROM tasks WHERE (status = 'completed') = "
            "(completed_at IS NOT NULL) AND (completed_at IS NULL OR completed_at = updated_at)"),
        "not_null_project_id_position": (
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'tasks' "
            "AND column_name IN ('project_id', 'position') AND is_nullable = 'NO'"),
        "task_indexes": "SELECT count(*) FROM pg_index WHERE indrelid = 'tasks'::regclass",
        "invalid_indexes": "SELECT count(*) FROM pg_index WHERE NOT indisvalid",
        "users_without_skeletons": (
            "SELECT count(*) FROM users WHERE email_skeleton IS NULL "
            "OR username_skeleton IS NULL"),
        "check_constraints_left": (
            "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'ck_tasks_%_not_null'"),
    }
    conn = connect()
    try:
        with conn.cursor() as cur:
            results = {}
            for name, sql in queries.items():
                cur.execute(sql)
                results[name] = cur.fetchone()[0]
            results["tasks_bytes"] = _size(cur, "tasks")
            cur.execute("SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables "
                        "WHERE relname = 'tasks'")
            results["tasks_live_dead_tuples"] = list(cur.fetchone())
    finally:
        conn.rollback()
        conn.close()
    return results


def _tasks_bytes() -> int:
    conn = connect()
    try:
        with conn.cursor() as cur:
            return _size(cur, "tasks")
    finally:
        conn.close()


def main() -> None:
    report: dict = {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "cpus": os.cpu_count(), "load_average": os.getloadavg()}
    _log("== flask db upgrade 0003 (empty database)")
    report["upgrade_0003_s"] = _flask("db", "upgrade", "0003")
    _log("== seeding the large stage at revision 0003")
    seeded = seed("large")
    report["seed"] = asdict(seeded)
    _log(f"   {seeded.total_tasks:,} tasks in {seeded.seconds:.1f} s")
    report["tasks_bytes_before"] = _tasks_bytes()
    report["flask_db_current_s"] = round(_flask("db", "current"), 2)
    report["upgrades"] = {}
    _log_waits_and_autovacuum()
    for revision in REVISIONS:
        loop = ClientLoop() if revision == "0006" else None
        position = _server_log_position()
        if loop is not None:
            loop.start()
            time.sleep(1.0)  # the loop's own baseline first
        _log(f"== flask db upgrade {revision}")
        started = time.time()
        seconds = _flask("db", "upgrade", revision, log_statements=True)
        ended = time.time()
        if loop is not None:
            time.sleep(1.0)
            loop.stop()
        statements = _statements_since(position)
        upgrade = {"wall_s": round(seconds, 2), "started": _clock(started),
                   "ended": _clock(ended), "statement_count": len(statements),
                   "statements_total_ms": round(sum(s["ms"] for s in statements), 1)}
        upgrade["server_events"] = _server_events_since(position)
        if revision == "0006":
            upgrade["phases"] = _phases(statements)
            upgrade["statements"] = statements
        else:
            upgrade["longest_statements"] = sorted(statements, key=lambda s: -s["ms"])[:5]
        report["upgrades"][revision] = upgrade
        if loop is not None:
            summary = loop.summary()
            _released_by(summary["slow"], statements)
            report["client_loop_during_0006"] = summary
        _log(f"   {seconds:.1f} s")
    report["checks"] = _checks()
    output = json.dumps(report, indent=1)
    print(output)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"migrations-{stamp}.json"
    path.write_text(output)
    _log(f"Written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
