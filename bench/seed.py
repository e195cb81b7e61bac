"""Seed the benchmark database fast, in two stages, with COPY.

* ``small``: 1,000 users; only the heavy user has tasks (10,000: the whole table).
* ``large``: the same 10,000 tasks of the heavy user among 1,000,000 in all.

The large stage reloads the table in creation order, so the heavy user's rows end up
scattered across the heap as they would be in a real database where everybody creates
tasks all the time (appending the other 990,000 rows after them would leave them packed
in the first pages and flatter the growth figures). The heavy user's rows are generated
from the same seed in both stages, so both stages hold exactly the same 10,000 tasks.

Every user has an Inbox project (its id is the user's id) with an owner membership, and
every task is in its creator's Inbox, with a position from its creation time (16 hex
digits of microseconds, as domain/positions.py's new_position gives a task made then)
and completed_at for completed tasks; users carry their look-alike skeletons
(domain/lookalikes.py). No task has labels, a parent or an assignee. The heavy user also
owns a second project, "Home" (BOARD_PROJECT_ID), holding every BOARD_EVERY-th of their
tasks (500 of the 10,000, spread over the whole history): the board and the quick-add
scenarios use it. The heavy user still sees the same 10,000 tasks in the list.

The seeder follows the schema it finds: on a database migrated only to revision 0003
(no projects, positions or skeletons yet) it seeds that schema, which is how
bench/migrations.py measures the migrations that add them (bench/MIGRATIONS.md).

Secondary indexes are dropped and rebuilt around the COPY (a bulk build is much faster
than 1 M index insertions; two at a time) and foreign-key triggers are skipped: the rows
are valid by construction. ``python -m bench.seed small|large`` runs one stage on BENCH_DATABASE_URL
or TEST_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import heapq
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
# The heavy user's second project, for the board scenario (a board of 500 cards).
BOARD_PROJECT_ID = USERS + 1
BOARD_PROJECT_NAME = "Home"
BOARD_EVERY = 20
# Issue 15: a project another user owns and shares with the heavy user (an editor), for the
# shared-project list scenario.
SHARED_PROJECT_ID = BOARD_PROJECT_ID + 1
INDEX_BUILDERS = 2  # connections rebuilding the indexes at once (the machine has 2 cores)
TASK_COLUMNS = (
    "title, description, status, priority, due_date, owner_id, version, created_at, updated_at"
)
# Since revision 0006 (projects): the task's project, manual position and completion time.
PROJECT_TASK_COLUMNS = TASK_COLUMNS + ", project_id, position, completed_at"
USER_COLUMNS = ("id, email, username, full_name, hashed_password, is_active, session_version, "
                "created_at, updated_at")
STATUSES = (("todo", 0.40), ("in_progress", 0.65), ("completed", 1.0))
PRIORITIES = (("low", 0.30), ("medium", 0.80), ("high", 1.0))


@dataclass(frozen=True)
class Schema:
    """What the migrated database has of what the seeder can fill."""

    projects: bool  # projects, memberships, tasks.project_id / position (0006)
    skeletons: bool  # users.email_skeleton / username_skeleton (0004)

    @classmethod
    def of(cls, conn: Connection) -> Schema:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name || '.' || column_name "
                        "FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name IN ('users', 'tasks')")
            columns = {row[0] for row in cur.fetchall()}
        conn.rollback()
        return cls(projects="tasks.project_id" in columns,
                   skeletons="users.email_skeleton" in columns)


def inbox_of(user_id: int) -> int:
    """The id of a seeded user's Inbox project."""
    return user_id


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


def _position(created: float) -> str:
    """The position new_position() gives a task made at ``created`` (its microseconds)."""
    return f"{int(created * 1e6):016x}"


def _task_line(rng: random.Random, owner_id: int, created: float, now: float,
               schema: Schema, project_id: int | None = None) -> str:
    """One COPY text-format row (the word lists hold no tab, newline or backslash), of
    PROJECT_TASK_COLUMNS, or of TASK_COLUMNS on a schema without projects."""
    description = words.description(rng)
    due = r"\N" if rng.random() < 0.3 else _timestamp(created + rng.uniform(1, 45) * DAY)
    updated = _timestamp(min(now, created + rng.uniform(0, 10) * DAY))
    title = words.title(rng)
    status = _weighted(rng, STATUSES)
    fields = [
        title,
        r"\N" if description is None else description,
        status,
        _weighted(rng, PRIORITIES),
        due,
        str(owner_id),
        "1",
        _timestamp(created),
        updated,
    ]
    if schema.projects:
        fields += [str(project_id or inbox_of(owner_id)), _position(created),
                   updated if status == "completed" else r"\N"]
    return "\t".join(fields) + "\n"


def _heavy_tasks(now: float, schema: Schema) -> Iterator[tuple[float, str]]:
    """The heavy user's tasks, oldest first; the same rows in every stage and every run."""
    rng = random.Random(1)
    start = now - HISTORY_DAYS * DAY
    for index, created in enumerate(sorted(rng.uniform(start, now) for _ in range(HEAVY_TASKS))):
        project_id = BOARD_PROJECT_ID if index % BOARD_EVERY == 0 else None
        yield created, _task_line(rng, HEAVY_USER_ID, created, now, schema, project_id)


def _other_tasks(now: float, count: int, schema: Schema) -> Iterator[tuple[float, str]]:
    """Everybody else's tasks, oldest first, spread evenly over the same history."""
    rng = random.Random(2)
    start = now - HISTORY_DAYS * DAY
    step = HISTORY_DAYS * DAY / count
    for index in range(count):
        created = start + (index + rng.random()) * step
        owner_id = rng.randint(HEAVY_USER_ID + 1, USERS)
        yield created, _task_line(rng, owner_id, created, now, schema)


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



def _ensure_users(conn: Connection, schema: Schema, password_hash: str, now: float) -> None:
    """USERS users (and their Inboxes), unless the database already holds exactly them."""
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), min(id) FROM users")
        count, first = cur.fetchone()
        inboxes = USERS
        if schema.projects:
            # inbox_of(): the Inbox's id is its owner's (not so after a migration).
            cur.execute("SELECT count(*) FROM projects p JOIN memberships m "
                        "ON m.project_id = p.id AND m.user_id = p.owner_id "
                        "WHERE p.is_inbox AND p.id = p.owner_id AND m.role = 'owner'")
            inboxes = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM projects p JOIN memberships m "
                        "ON m.project_id = p.id AND m.user_id = p.owner_id "
                        "WHERE p.id = %s AND p.owner_id = %s AND NOT p.is_inbox",
                        (BOARD_PROJECT_ID, HEAVY_USER_ID))
            if cur.fetchone()[0] != 1:
                inboxes = -1  # no board project yet: seed the users again
        if count == USERS and first == HEAVY_USER_ID and inboxes == USERS:
            conn.rollback()
            return
        cur.execute("TRUNCATE users RESTART IDENTITY CASCADE")
        created = _timestamp(now - HISTORY_DAYS * DAY)
        lines = []
        for user_id in range(1, USERS + 1):
            email = HEAVY_EMAIL if user_id == HEAVY_USER_ID else f"user{user_id:04d}@example.com"
            username = "heavy_user" if user_id == HEAVY_USER_ID else f"user{user_id:04d}"
            fields = [str(user_id), email, username, f"Bench User {user_id}", password_hash,
                      "t", "1", created, created]
            if schema.skeletons:
                fields += [skeleton(email), skeleton(username)]
            lines.append("\t".join(fields) + "\n")
        columns = USER_COLUMNS + (", email_skeleton, username_skeleton" if schema.skeletons else "")
        cur.copy_expert(f"COPY users ({columns}) FROM STDIN", _LineStream(iter(lines)))
        cur.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), %s)", (USERS,))
        if schema.projects:
            _copy_inboxes(cur, created)
    conn.commit()


def _copy_inboxes(cur, created: str) -> None:
    """Every user's Inbox, and the owner's membership of it; the heavy user's board project."""
    users = range(1, USERS + 1)
    board = (f"{BOARD_PROJECT_ID}\t{HEAVY_USER_ID}\t{BOARD_PROJECT_NAME}\tf\t{created}\t"
             f"{created}\n")
    cur.copy_expert(
        "COPY projects (id, owner_id, name, is_inbox, created_at, updated_at) FROM STDIN",
        _LineStream(iter([*(f"{inbox_of(u)}\t{u}\tInbox\tt\t{created}\t{created}\n"
                            for u in users), board])),
    )
    cur.execute("SELECT setval(pg_get_serial_sequence('projects', 'id'), %s)",
                (BOARD_PROJECT_ID,))
    cur.copy_expert(
        "COPY memberships (project_id, user_id, role, joined_at) FROM STDIN",
        _LineStream(iter([*(f"{inbox_of(u)}\t{u}\towner\t{created}\n" for u in users),
                          f"{BOARD_PROJECT_ID}\t{HEAVY_USER_ID}\towner\t{created}\n"])),
    )


def _secondary_indexes(conn: Connection) -> list[tuple[str, str]]:
    """Indexes of tasks that back no constraint (whatever the migrations have created)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'tasks'::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)"
        )
        return cur.fetchall()


def _load_tasks(conn: Connection, schema: Schema, rows: Iterator[tuple[float, str]],
                url: str) -> None:
    indexes = _secondary_indexes(conn)
    columns = PROJECT_TASK_COLUMNS if schema.projects else TASK_COLUMNS
    with conn.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("TRUNCATE tasks RESTART IDENTITY CASCADE")
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        cur.copy_expert(
            f"COPY tasks ({columns}) FROM STDIN WITH (FREEZE)",
            _LineStream(line for _created, line in rows),
            size=1 << 20,
        )
    conn.commit()
    _build_indexes(url, [definition for _name, definition in indexes])


def _build_index(url: str, definition: str) -> None:
    conn = connect(url, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            cur.execute(definition)
    finally:
        conn.close()


def _build_indexes(url: str, definitions: list[str]) -> None:
    """The dropped indexes again, INDEX_BUILDERS at a time, the trigram (GIN) ones first.

    A GIN build is one process and takes ten times a B-tree's (about 11 s for the
    titles, 21 s for the descriptions at 1 M rows): side by side, they and the B-trees
    share the cores instead of queueing on one. (They follow the commit of the COPY,
    which other connections must see; a seeding stopped in between leaves the table
    without them: reprovision the throwaway database.)
    """
    ordered = sorted(definitions, key=lambda definition: " USING gin " not in definition)
    with ThreadPoolExecutor(INDEX_BUILDERS) as pool:
        list(pool.map(lambda definition: _build_index(url, definition), ordered))


def _vacuum_analyze(url: str, schema: Schema) -> None:
    tables = ("tasks", "users", *(("projects", "memberships") if schema.projects else ()))
    conn = connect(url, autocommit=True)
    try:
        with conn.cursor() as cur:
            for table in tables:
                cur.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        conn.close()


def _password_hash() -> str:
    # Imported here so the floor and the driver do not load taskweb to read the constants.
    from taskweb.security import PasswordHasher

    return PasswordHasher(rounds=12).hash(PASSWORD)


def skeleton(text: str) -> str:
    """taskweb's look-alike skeleton (domain/lookalikes.py), imported on first use."""
    from taskweb.domain.lookalikes import skeleton as taskweb_skeleton

    return taskweb_skeleton(text)


def seed(stage: str, url: str | None = None) -> SeedReport:
    """Load ``stage`` into the database at ``url``; returns how long it took."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    url = url or database_url()
    started = time.perf_counter()
    now = time.time()
    conn = connect(url)
    try:
        schema = Schema.of(conn)
        _ensure_users(conn, schema, _password_hash(), now)
        if stage == "small":
            rows = _heavy_tasks(now, schema)
        else:
            others = _other_tasks(now, TOTAL_TASKS - HEAVY_TASKS, schema)
            rows = heapq.merge(_heavy_tasks(now, schema), others, key=lambda row: row[0])
        _load_tasks(conn, schema, rows, url)
    finally:
        conn.close()
    _vacuum_analyze(url, schema)
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
