"""Seed the benchmark database fast, in two stages, with COPY.

* ``small``: 1,000 users; only the heavy user has tasks (10,000: the whole table).
* ``large``: the same 10,000 tasks of the heavy user among 1,000,000 in all.

The large stage reloads the table in creation order, so the heavy user's rows end up
scattered across the heap as they would be in a real database where everybody creates
tasks all the time (appending the other 990,000 rows after them would leave them packed
in the first pages and flatter the growth figures). The heavy user's rows are generated
from the same seed in both stages, so both stages hold exactly the same 10,000 tasks.

Secondary indexes are dropped and rebuilt around the COPY (a bulk build is much faster
than 1 M index insertions) and foreign-key triggers are skipped: the rows are valid by
construction. ``python -m bench.seed small|large`` runs one stage on BENCH_DATABASE_URL
or TEST_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import heapq
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from psycopg2.extensions import connection as Connection

from bench import words
from bench.database import connect, database_url

USERS = 1_000
HEAVY_TASKS = 10_000
TOTAL_TASKS = 1_000_000
HEAVY_USER_ID = 1
HEAVY_EMAIL = "heavy.user@example.com"
PASSWORD = "bench-password-1"
HISTORY_DAYS = 730
DAY = 86_400.0
STAGES = ("small", "large")
TASK_COLUMNS = (
    "title, description, status, priority, due_date, owner_id, version, created_at, updated_at"
)
STATUSES = (("todo", 0.40), ("in_progress", 0.65), ("completed", 1.0))
PRIORITIES = (("low", 0.30), ("medium", 0.80), ("high", 1.0))


@dataclass(frozen=True)
class SeedReport:
    stage: str
    seconds: float
    total_tasks: int
    heavy_tasks: int


def _timestamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1e6):06d}+00"


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    return next(value for value, upper in table if draw < upper)


def _task_line(rng: random.Random, owner_id: int, created: float, now: float) -> str:
    """One COPY text-format row (the word lists hold no tab, newline or backslash)."""
    description = words.description(rng)
    due = r"\N" if rng.random() < 0.3 else _timestamp(created + rng.uniform(1, 45) * DAY)
    updated = min(now, created + rng.uniform(0, 10) * DAY)
    return "\t".join((
        words.title(rng),
        r"\N" if description is None else description,
        _weighted(rng, STATUSES),
        _weighted(rng, PRIORITIES),
        due,
        str(owner_id),
        "1",
        _timestamp(created),
        _timestamp(updated),
    )) + "\n"


def _heavy_tasks(now: float) -> Iterator[tuple[float, str]]:
    """The heavy user's tasks, oldest first; the same rows in every stage and every run."""
    rng = random.Random(1)
    start = now - HISTORY_DAYS * DAY
    for created in sorted(rng.uniform(start, now) for _ in range(HEAVY_TASKS)):
        yield created, _task_line(rng, HEAVY_USER_ID, created, now)


def _other_tasks(now: float, count: int) -> Iterator[tuple[float, str]]:
    """Everybody else's tasks, oldest first, spread evenly over the same history."""
    rng = random.Random(2)
    start = now - HISTORY_DAYS * DAY
    step = HISTORY_DAYS * DAY / count
    for index in range(count):
        created = start + (index + rng.random()) * step
        yield created, _task_line(rng, rng.randint(HEAVY_USER_ID + 1, USERS), created, now)


class _LineStream:
    """A file-like object over generated lines, for ``copy_expert``: nothing is held in memory."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._buffer = ""

    def read(self, size: int = -1) -> str:
        parts, length = [self._buffer], len(self._buffer)
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        data = "".join(parts)
        if size < 0:
            self._buffer = ""
            return data
        self._buffer = data[size:]
        return data[:size]



def _ensure_users(conn: Connection, password_hash: str, now: float) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), min(id) FROM users")
        count, first = cur.fetchone()
        if count == USERS and first == HEAVY_USER_ID:
            return
        cur.execute("TRUNCATE users RESTART IDENTITY CASCADE")
        created = _timestamp(now - HISTORY_DAYS * DAY)
        lines = []
        for user_id in range(1, USERS + 1):
            email = HEAVY_EMAIL if user_id == HEAVY_USER_ID else f"user{user_id:04d}@example.com"
            username = "heavy_user" if user_id == HEAVY_USER_ID else f"user{user_id:04d}"
            lines.append("\t".join((str(user_id), email, username, f"Bench User {user_id}",
                                    password_hash, "t", "1", created, created)) + "\n")
        cur.copy_expert(
            "COPY users (id, email, username, full_name, hashed_password, is_active, "
            "session_version, created_at, updated_at) FROM STDIN",
            _LineStream(iter(lines)),
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), %s)", (USERS,))
    conn.commit()


def _secondary_indexes(conn: Connection) -> list[tuple[str, str]]:
    """Indexes of tasks that back no constraint (whatever the migrations have created)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'tasks'::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)"
        )
        return cur.fetchall()


def _load_tasks(conn: Connection, rows: Iterator[tuple[float, str]]) -> None:
    indexes = _secondary_indexes(conn)
    with conn.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cur.execute("TRUNCATE tasks RESTART IDENTITY CASCADE")
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        cur.copy_expert(
            f"COPY tasks ({TASK_COLUMNS}) FROM STDIN WITH (FREEZE)",
            _LineStream(line for _created, line in rows),
            size=1 << 20,
        )
        for _name, definition in indexes:
            cur.execute(definition)
    conn.commit()


def _vacuum_analyze(url: str) -> None:
    conn = connect(url, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) tasks")
            cur.execute("VACUUM (ANALYZE) users")
    finally:
        conn.close()


def _password_hash() -> str:
    # Imported here so the floor and the driver do not load taskweb to read the constants.
    from taskweb.security import PasswordHasher

    return PasswordHasher(rounds=12).hash(PASSWORD)


def seed(stage: str, url: str | None = None) -> SeedReport:
    """Load ``stage`` into the database at ``url``; returns how long it took."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    url = url or database_url()
    started = time.perf_counter()
    now = time.time()
    conn = connect(url)
    try:
        _ensure_users(conn, _password_hash(), now)
        if stage == "small":
            rows = _heavy_tasks(now)
        else:
            others = _other_tasks(now, TOTAL_TASKS - HEAVY_TASKS)
            rows = heapq.merge(_heavy_tasks(now), others, key=lambda row: row[0])
        _load_tasks(conn, rows)
    finally:
        conn.close()
    _vacuum_analyze(url)
    seconds = time.perf_counter() - started
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*), count(*) FILTER (WHERE owner_id = %s) FROM tasks",
                        (HEAVY_USER_ID,))
            total, heavy = cur.fetchone()
    finally:
        conn.close()
    return SeedReport(stage, seconds, total, heavy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=STAGES)
    args = parser.parse_args()
    report = seed(args.stage)
    print(f"Seeded stage {report.stage}: {report.total_tasks:,} tasks "
          f"({report.heavy_tasks:,} for the heavy user) in {report.seconds:.1f} s")


if __name__ == "__main__":
    main()
