"""Each request runs a constant number of SQL statements, whatever the page size:
an N+1 can never come back unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from taskweb.extensions import db
from tests.web.conftest import login


@contextmanager
def counted_statements(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("tasks", [3, 60])
@pytest.mark.parametrize(("query", "expected"), [
    ("limit=100&status=todo", 4),  # user + revocation, count, page, the page's labels
    ("limit=100&q=task&status=todo", 3),  # user + revocation, page carrying the count, labels
])
def test_api_list_runs_a_constant_number_of_statements(
    app, client, auth_headers, user, make_task, tasks, query, expected
) -> None:
    for n in range(tasks):
        make_task(user, f"Task {n}", description="words")
    with counted_statements(app) as statements:
        response = client.get(f"/api/v1/tasks?{query}", headers=auth_headers)
    assert response.status_code == 200 and len(response.get_json()["items"]) == tasks
    assert response.get_json()["total"] == tasks
    assert len(statements) == expected, statements


def test_api_get_runs_three_statements(app, client, auth_headers, user, make_task) -> None:
    # user + revocation, the task with the caller's role and its subtask progress, labels
    task = make_task(user, labels=["a", "b"])
    for n in range(3):
        make_task(user, f"step {n}", parent_id=task.id)
    with counted_statements(app) as statements:
        response = client.get(f"/api/v1/tasks/{task.id}", headers=auth_headers)
    assert response.status_code == 200
    assert response.get_json()["subtasks"] == {"total": 3, "completed": 0}
    assert len(statements) == 3, statements


@pytest.mark.parametrize("tasks", [3, 40])
def test_browser_list_runs_four_statements(app, client, user, make_task, tasks) -> None:
    for n in range(tasks):
        make_task(user, f"Task {n}")
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get("/?sort=title", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<li") >= min(tasks, 20)
    assert len(statements) <= 4, statements  # session user, count, page, labels
