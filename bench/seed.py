"""Seed the benchmark database fast, in two stages, with COPY.

The people and projects (bench/seed_people.py) are the same in both stages: 100,000
users with their Inboxes, 20,000 other projects, a fifth of them shared with 2–8
members. The heavy user (HEAVY_EMAIL) sees exactly 10,000 tasks through 12 projects, 4
of them shared; "Home" (BOARD_PROJECT_ID) holds 500 of them (every BOARD_EVERY-th),
all top-level: the board scenario; SHARED_PROJECT_ID is another user's project where
the heavy user is an editor: the shared-project list scenario.

* ``small``: only the tasks the heavy user sees (10,000: the whole table);
* ``large``: the same 10,000 among 1,000,000 in all, over everybody's projects.

Tasks are created by a member who may write to their project, over HISTORY_DAYS; the
large stage loads the table in creation order, so the heavy user's rows end up scattered
across the heap as they would be in a real database where everybody creates tasks all
the time. The heavy user's rows are generated from the same seed in both stages, so both
hold exactly the same 10,000 tasks (their ids differ: ids follow creation order).

Like tasks the app makes: a position from the creation time (16 hex digits of
microseconds, as domain/positions.py's new_position gives a task made then),
completed_at on completed tasks, users with their look-alike skeletons
(domain/lookalikes.py). Most tasks over RECENT_DAYS old are completed (as people
leave them), a third of the recent ones. Besides: labels on a third of the tasks (1–3 of LABELS), a
tenth are subtasks of the latest top-level task of their project (not in Home),
RECURRING_SHARE of the dated ones repeat (an RRULE), REMINDER_SHARE have a reminder an
hour before their due time (delivered if that is past, so no worker has a backlog to
send), a fifth of the tasks of shared projects are assigned to a member, and the heavy
user has NOTIFICATIONS notifications, a third of them unread. The sync feed's change
numbers are left NULL, as on rows older than the feed.

The seeder follows the schema it finds: on a database migrated only to revision 0003
(no projects, positions or skeletons yet) it seeds that schema (tasks owned by their
creators), which is how bench/migrations.py measures the migrations that add them
(bench/MIGRATIONS.md).

Secondary indexes are dropped and rebuilt around the COPY (a bulk build is much faster
than 1 M index insertions; two at a time) and triggers are skipped: the rows are valid
by construction. ``python -m bench.seed small|large`` runs one stage on
BENCH_DATABASE_URL or TEST_DATABASE_URL.
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
from bench.seed_people import (
    BOARD_PROJECT_ID,
    BOARD_PROJECT_NAME,
    HEAVY_USER_ID,
    PRIVATE,
    SHARED_OUT,
    SHARED_PROJECT_ID,
    USERS,
    VIEWED_PROJECT_ID,
    Project,
    heavy_projects,
    inbox_of,
    other_projects,
    project_lines,
)

__all__ = ["BOARD_PROJECT_ID", "BOARD_PROJECT_NAME", "HEAVY_USER_ID", "SHARED_PROJECT_ID",
           "USERS", "inbox_of", "seed"]

HEAVY_TASKS = 10_000
TOTAL_TASKS = 1_000_000
HEAVY_EMAIL = "heavy.user@example.com"
PASSWORD = "bench-password-1"
HISTORY_DAYS = 730
DAY = 86_400.0
STAGES = ("small", "large")
BOARD_EVERY = 20  # every 20th of the heavy user's tasks is on Home's board: 500
# Where the heavy user's other tasks are (weights): the Inbox, the shared projects, then
# their six other private ones.
HEAVY_SPREAD = ((inbox_of(HEAVY_USER_ID), 27), (SHARED_PROJECT_ID, 21), (VIEWED_PROJECT_ID, 8),
                (SHARED_OUT[0][0], 10), (SHARED_OUT[1][0], 7),
                *((project_id, 5) for project_id in PRIVATE[1:]))
INBOX_SHARE = 0.5  # of everybody else's tasks; the rest are in their projects
LABELS = ("work", "home", "errand", "money", "urgent", "waiting", "call", "email", "read",
          "health", "car", "garden", "kids", "travel", "shopping", "ideas", "admin", "review",
          "bug", "design", "finance", "family", "weekly", "someday", "meeting", "docs",
          "support", "sales", "ops", "school")
LABEL_SHARE = 1 / 3
SUBTASK_SHARE = 0.1
RECURRING_SHARE = 0.05  # of the tasks with a due date
RECURRENCES = ("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=FR", "FREQ=MONTHLY",
               "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
REMINDER_SHARE = 0.03  # of the tasks with a due date
ASSIGNED_SHARE = 0.2  # of the tasks of shared projects
NOTIFICATIONS = 30
NULL = r"\N"  # COPY's text format
INDEX_BUILDERS = 2  # connections rebuilding the indexes at once (the machine has 2 cores)
TASK_COLUMNS = (
    "title, description, status, priority, due_date, owner_id, version, created_at, updated_at"
)
# Since revision 0006 (projects): the task's id (so that labels, subtasks and reminders can
# name it), project, manual position, completion time, parent and assignee.
PROJECT_TASK_COLUMNS = ("id, " + TASK_COLUMNS
                        + ", project_id, position, completed_at, parent_id, assignee_id")
USER_COLUMNS = ("id, email, username, full_name, hashed_password, is_active, session_version, "
                "created_at, updated_at")
# What people leave open: of what is over a month old, about 1 in 100 (an overdue
# handful on Today, not thousands).
STATUSES = (("todo", 0.40), ("in_progress", 0.65), ("completed", 1.0))
OLD_STATUSES = (("todo", 0.008), ("in_progress", 0.01), ("completed", 1.0))
RECENT_DAYS = 30
PRIORITIES = (("low", 0.30), ("medium", 0.80), ("high", 1.0))


@dataclass(frozen=True)
class Schema:
    """What the migrated database has of what the seeder can fill."""

    projects: bool  # projects, memberships, labels, tasks.project_id / parent / assignee (0006)
    skeletons: bool  # users.email_skeleton / username_skeleton (0004)
    recurrence: bool  # tasks.recurrence (0008)
    reminders: bool  # reminders and notifications (0009)

    @classmethod
    def of(cls, conn: Connection) -> Schema:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name || '.' || column_name "
                        "FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name IN ('users', 'tasks', 'reminders')")
            columns = {row[0] for row in cur.fetchall()}
        conn.rollback()
        return cls(projects="tasks.project_id" in columns,
                   skeletons="users.email_skeleton" in columns,
                   recurrence="tasks.recurrence" in columns,
                   reminders="reminders.remind_at" in columns)

    @property
    def task_columns(self) -> str:
        if not self.projects:
            return TASK_COLUMNS
        return PROJECT_TASK_COLUMNS + (", recurrence" if self.recurrence else "")


@dataclass(frozen=True)
class SeedReport:
    stage: str
    seconds: float
    total_tasks: int
    heavy_tasks: int  # the tasks the heavy user sees, through their memberships


@dataclass(slots=True)
class Draft:
    """A task before it has an id: what its generator drew (so that a stage's rows do not
    depend on what else is loaded with them)."""

    created: float
    fields: str  # title .. updated_at, tab-separated, owner_id the creator
    project_id: int
    completed_at: str
    due: float | None
    subtask: bool
    labels: tuple[str, ...]
    recurrence: str | None
    assignee_id: int | None
    reminder: bool


def _timestamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1e6):06d}+00"


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    return next(value for value, upper in table if draw < upper)


def _position(created: float) -> str:
    """The position new_position() gives a task made at ``created`` (its microseconds)."""
    return f"{int(created * 1e6):016x}"


def _draft(rng: random.Random, project: Project, created: float, now: float,
           *, top_level: bool = False) -> Draft:
    """One task of ``project``, made by one of its writers (the word lists hold no tab,
    newline or backslash, as COPY's text format needs)."""
    description = words.description(rng)
    due = None if rng.random() < 0.3 else created + rng.uniform(1, 45) * DAY
    updated = _timestamp(min(now, created + rng.uniform(0, 10) * DAY))
    status = _weighted(rng, STATUSES if now - created < RECENT_DAYS * DAY else OLD_STATUSES)
    writers = project.writers
    creator = writers[0] if len(writers) == 1 else rng.choice(writers)
    fields = "\t".join((
        words.title(rng), NULL if description is None else description, status,
        _weighted(rng, PRIORITIES), NULL if due is None else _timestamp(due), str(creator),
        "1", _timestamp(created), updated,
    ))
    labels: tuple[str, ...] = ()
    if rng.random() < LABEL_SHARE:
        labels = tuple(rng.sample(LABELS, rng.randint(1, 3)))
    dated = due is not None
    assignee = None
    if project.shared and rng.random() < ASSIGNED_SHARE:
        assignee = rng.choice(project.members)[0]
    return Draft(
        created, fields, project.id, updated if status == "completed" else NULL, due,
        subtask=not top_level and rng.random() < SUBTASK_SHARE, labels=labels,
        recurrence=rng.choice(RECURRENCES) if dated and rng.random() < RECURRING_SHARE
        else None,
        assignee_id=assignee, reminder=dated and rng.random() < REMINDER_SHARE,
    )


def _heavy_tasks(now: float, projects: dict[int, Project]) -> Iterator[Draft]:
    """The tasks the heavy user sees, oldest first; the same in every stage and run."""
    rng = random.Random(1)
    start = now - HISTORY_DAYS * DAY
    spread, weights = zip(*HEAVY_SPREAD, strict=True)
    for index, created in enumerate(sorted(rng.uniform(start, now) for _ in range(HEAVY_TASKS))):
        if index % BOARD_EVERY == 0:
            yield _draft(rng, projects[BOARD_PROJECT_ID], created, now, top_level=True)
        else:
            project_id = rng.choices(spread, weights)[0]
            yield _draft(rng, projects[project_id], created, now)


def _other_tasks(now: float, count: int, projects: list[Project]) -> Iterator[Draft]:
    """Everybody else's tasks, oldest first, spread evenly over the same history: half in
    their creators' Inboxes, half in the other projects."""
    rng = random.Random(2)
    start = now - HISTORY_DAYS * DAY
    step = HISTORY_DAYS * DAY / count
    for index in range(count):
        created = start + (index + rng.random()) * step
        if rng.random() < INBOX_SHARE:
            owner_id = rng.randint(HEAVY_USER_ID + 1, USERS)
            project = Project(inbox_of(owner_id), owner_id, "Inbox", [(owner_id, "owner")])
        else:
            project = rng.choice(projects)
        yield _draft(rng, project, created, now)


@dataclass
class TaskRows:
    """The COPY lines of a stream of drafts, ids given in creation order: the tasks'
    (streamed), and the labels and reminders named by those ids (kept for afterwards)."""

    schema: Schema
    labels: list[str]
    reminders: list[str]

    def lines(self, drafts: Iterator[Draft], now: float) -> Iterator[str]:
        latest_top_level: dict[int, int] = {}
        for task_id, draft in enumerate(drafts, start=1):
            if not self.schema.projects:  # revision 0003: the creator owns the task
                yield draft.fields + "\n"
                continue
            parent = latest_top_level.get(draft.project_id) if draft.subtask else None
            if parent is None:
                latest_top_level[draft.project_id] = task_id
            line = (f"{task_id}\t{draft.fields}\t{draft.project_id}\t{_position(draft.created)}"
                    f"\t{draft.completed_at}\t{parent or NULL}\t{draft.assignee_id or NULL}")
            if self.schema.recurrence:
                line += f"\t{draft.recurrence or NULL}"
            yield line + "\n"
            for position, name in enumerate(draft.labels):
                self.labels.append(f"{task_id}\t{name}\t{name}\t{position}\n")
            if draft.reminder and self.schema.reminders and draft.due is not None:
                remind_at = draft.due - 3600
                delivered = _timestamp(remind_at) if remind_at < now else NULL
                self.reminders.append(f"{task_id}\t{_timestamp(remind_at)}\t{delivered}\n")


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
    """USERS users and (from revision 0006) every project and membership of
    bench/seed_people.py, unless the database already holds exactly them."""
    projects = [*heavy_projects(), *other_projects()] if schema.projects else []
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), min(id) FROM users")
        count, first = cur.fetchone()
        seeded = count == USERS and first == HEAVY_USER_ID
        if schema.projects:
            cur.execute("SELECT count(*) FROM projects")
            seeded = seeded and cur.fetchone()[0] == USERS + len(projects)
            cur.execute("SELECT count(*) FROM memberships WHERE project_id = %s",
                        (SHARED_PROJECT_ID,))
            seeded = seeded and cur.fetchone()[0] == len(
                next(p for p in projects if p.id == SHARED_PROJECT_ID).members)
        if seeded:
            conn.rollback()
            return
        cur.execute("TRUNCATE users RESTART IDENTITY CASCADE")
        created = _timestamp(now - HISTORY_DAYS * DAY)
        cur.copy_expert(f"COPY users ({_user_columns(schema)}) FROM STDIN",
                        _LineStream(_user_lines(schema, password_hash, created)), size=1 << 20)
        cur.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), %s)", (USERS,))
        if schema.projects:
            rows, members = project_lines(projects, created)
            cur.copy_expert("COPY projects (id, owner_id, name, is_inbox, created_at, "
                            "updated_at) FROM STDIN", _LineStream(iter(rows)), size=1 << 20)
            cur.execute("SELECT setval(pg_get_serial_sequence('projects', 'id'), %s)",
                        (max(project.id for project in projects),))
            cur.copy_expert("COPY memberships (project_id, user_id, role, joined_at) FROM STDIN",
                            _LineStream(iter(members)), size=1 << 20)
    conn.commit()


def _user_columns(schema: Schema) -> str:
    return USER_COLUMNS + (", email_skeleton, username_skeleton" if schema.skeletons else "")


def _user_lines(schema: Schema, password_hash: str, created: str) -> Iterator[str]:
    for user_id in range(1, USERS + 1):
        email = HEAVY_EMAIL if user_id == HEAVY_USER_ID else f"user{user_id:06d}@example.com"
        username = "heavy_user" if user_id == HEAVY_USER_ID else f"user{user_id:06d}"
        fields = [str(user_id), email, username, f"Bench User {user_id}", password_hash,
                  "t", "1", created, created]
        if schema.skeletons:
            fields += [skeleton(email), skeleton(username)]
        yield "\t".join(fields) + "\n"


def _secondary_indexes(conn: Connection) -> list[tuple[str, str]]:
    """Indexes of tasks that back no constraint (whatever the migrations have created)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'tasks'::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)"
        )
        return cur.fetchall()


def _load_tasks(conn: Connection, schema: Schema, drafts: Iterator[Draft], now: float,
                url: str) -> None:
    indexes = _secondary_indexes(conn)
    rows = TaskRows(schema, labels=[], reminders=[])
    with conn.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("TRUNCATE tasks RESTART IDENTITY CASCADE")
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        cur.copy_expert(f"COPY tasks ({schema.task_columns}) FROM STDIN WITH (FREEZE)",
                        _LineStream(rows.lines(drafts, now)), size=1 << 20)
        if schema.projects:
            cur.execute("SELECT setval(pg_get_serial_sequence('tasks', 'id'), "
                        "(SELECT max(id) FROM tasks))")
            cur.copy_expert("COPY task_labels (task_id, key, name, position) FROM STDIN",
                            _LineStream(iter(rows.labels)), size=1 << 20)
        if schema.reminders:
            cur.copy_expert("COPY reminders (task_id, remind_at, delivered_at) FROM STDIN",
                            _LineStream(iter(rows.reminders)), size=1 << 20)
            _add_notifications(cur, now)
    conn.commit()
    _build_indexes(url, [definition for _name, definition in indexes])


def _add_notifications(cur, now: float) -> None:
    """The heavy user's bell: NOTIFICATIONS assignments of tasks of the shared project,
    the newest third unread."""
    cur.execute(
        "INSERT INTO notifications (user_id, kind, task_id, project_id, message, created_at, "
        "read_at, email_state, email_attempts) "
        "SELECT %(user)s, 'assigned', id, project_id, 'You were assigned ' || left(title, 200), "
        "to_timestamp(%(now)s) - n * interval '1 hour', "
        "CASE WHEN n > %(unread)s THEN to_timestamp(%(now)s) END, 'none', 0 "
        "FROM (SELECT id, project_id, title, row_number() OVER (ORDER BY id DESC) AS n "
        "FROM tasks WHERE project_id = %(project)s) AS recent WHERE n <= %(count)s",
        {"user": HEAVY_USER_ID, "now": now, "unread": NOTIFICATIONS // 3,
         "project": SHARED_PROJECT_ID, "count": NOTIFICATIONS})


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
    tables = ("tasks", "users",
              *(("projects", "memberships", "task_labels") if schema.projects else ()),
              *(("reminders", "notifications") if schema.reminders else ()))
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
        heavy = {project.id: project for project in heavy_projects()}
        heavy[inbox_of(HEAVY_USER_ID)] = Project(inbox_of(HEAVY_USER_ID), HEAVY_USER_ID, "Inbox",
                                                [(HEAVY_USER_ID, "owner")])
        drafts = _heavy_tasks(now, heavy)
        if stage == "large":
            others = _other_tasks(now, TOTAL_TASKS - HEAVY_TASKS, other_projects())
            drafts = heapq.merge(drafts, others, key=lambda draft: draft.created)
        _load_tasks(conn, schema, drafts, now, url)
    finally:
        conn.close()
    _vacuum_analyze(url, schema)
    seconds = time.perf_counter() - started
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM tasks")
            total = cur.fetchone()[0]
            seen = _VISIBLE_TO_HEAVY if schema.projects else "WHERE owner_id = %(user)s"
            cur.execute(f"SELECT count(*) FROM tasks {seen}", {"user": HEAVY_USER_ID})
            heavy_count = cur.fetchone()[0]
    finally:
        conn.close()
    return SeedReport(stage, seconds, total, heavy_count)


_VISIBLE_TO_HEAVY = ("JOIN memberships ON memberships.project_id = tasks.project_id "
                     "AND memberships.user_id = %(user)s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=STAGES)
    args = parser.parse_args()
    report = seed(args.stage)
    print(f"Seeded stage {report.stage}: {report.total_tasks:,} tasks "
          f"({report.heavy_tasks:,} the heavy user sees) in {report.seconds:.1f} s")


if __name__ == "__main__":
    main()
