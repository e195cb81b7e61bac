"""The Today and Upcoming queries read the tasks of the caller's projects through the
(project_id, due_date) index, not the whole table: checked with EXPLAIN on PostgreSQL
after loading enough rows that a sequential scan would be the planner's choice
otherwise. ``VIEWS_EXPLAIN_ROWS`` sets how many (bench/RESULTS.md records a larger run;
``VIEWS_EXPLAIN_PRINT=1`` prints the plans for it)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text

from taskweb.extensions import db
from taskweb.repositories.tasks import TaskRepository

ROWS = int(os.environ.get("VIEWS_EXPLAIN_ROWS", "40000"))
NOW = datetime(2030, 5, 6, 12, 0, tzinfo=UTC)
# Most tasks belong to somebody else's thousand projects; about one in twenty to the
# caller's five projects.
THEIR_PROJECTS = text("""
    WITH made AS (
        INSERT INTO projects (owner_id, name, is_inbox, archived, created_at, updated_at)
        SELECT :theirs, 'Project ' || n, false, false, :now, :now
        FROM generate_series(1, 1000) AS n RETURNING id)
    INSERT INTO memberships (project_id, user_id, role, joined_at)
    SELECT id, :theirs, 'owner', :now FROM made RETURNING project_id
""")
SEED = text("""
    INSERT INTO tasks (title, status, priority, owner_id, project_id, position, version,
                       due_date, created_at, updated_at)
    SELECT 'Task ' || n,
           CASE WHEN n % 3 = 0 THEN 'completed' ELSE 'todo' END,
           CASE n % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' ELSE 'high' END,
           CASE WHEN n % 20 = 0 THEN :mine ELSE :theirs END,
           CASE WHEN n % 20 = 0 THEN (:mine_projects)[1 + n % 5]
                ELSE (:their_projects)[1 + n % 1000] END,
           lpad(n::text, 10, '0'), 1,
           CASE WHEN n % 7 = 0 THEN NULL
                ELSE :now + ((n % 1460) - 730) * interval '1 day' END,
           :now, :now
    FROM generate_series(1, :rows) AS n
""")


@pytest.fixture
def seeded(app, user, other_user) -> int:
    from taskweb.wiring import project_service

    with app.app_context():
        mine = [project_service().create(user, {"name": f"Mine {n}"}).project.id
                for n in range(4)]
        mine.append(db.session.scalar(text(
            "SELECT id FROM projects WHERE owner_id = :u AND is_inbox"), {"u": user.id}))
        theirs = list(db.session.scalars(THEIR_PROJECTS, {"theirs": other_user.id,
                                                          "now": NOW}))
        db.session.execute(SEED, {"mine": user.id, "theirs": other_user.id,
                                  "mine_projects": mine, "their_projects": theirs,
                                  "now": NOW, "rows": ROWS})
        db.session.commit()
        db.session.execute(text("ANALYZE tasks"))
        db.session.execute(text("ANALYZE memberships"))
        db.session.commit()
    return user.id


def explained(app, call) -> list[str]:
    """EXPLAIN ANALYZE of each statement ``call`` runs, as plan lines."""
    captured: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            call(TaskRepository(db.session))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        plans = []
        cursor = db.session.connection().connection.cursor()
        for statement, parameters in captured:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        db.session.rollback()
    if os.environ.get("VIEWS_EXPLAIN_PRINT"):
        for (statement, _), plan in zip(captured, plans, strict=True):
            print(f"\n-- {statement}\n{plan}")
    return plans


@pytest.mark.parametrize(("view", "days"), [("today", 1), ("upcoming", 14)])
def test_the_agenda_query_reads_the_project_due_date_index(app, seeded, view, days) -> None:
    before = NOW.replace(hour=0) + timedelta(days=days)
    plans = explained(app, lambda tasks: tasks.open_due_before(seeded, before, 201))
    tasks_plan = plans[0]  # then the labels of the rows read
    assert "ix_tasks_project_due" in tasks_plan, tasks_plan
    assert "Seq Scan on tasks" not in tasks_plan, tasks_plan


def test_the_today_count_reads_the_project_due_date_index(app, seeded) -> None:
    before = NOW.replace(hour=0) + timedelta(days=1)
    [plan] = explained(app, lambda tasks: tasks.count_open_due_before(seeded, before))
    assert "ix_tasks_project_due" in plan and "Seq Scan on tasks" not in plan, plan
