"""Each request runs a constant number of SQL statements, whatever the page size:
an N+1 can never come back unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from sqlalchemy import event

from taskweb.extensions import db
from taskweb.models import utcnow
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
    # The labels ride on the page's rows.
    ("limit=100&status=todo", 3),  # user + revocation, count, page
    ("limit=100&q=task&status=todo", 2),  # user + revocation, page carrying the count
    # A filter of every kind of key: its subqueries are inline, no statement of its own.
    ("limit=100&filter=" + quote('status:todo (project:inbox OR label:x OR assignee:me,alice) '
                                 '-is:shared due:none,<=next-7-days has:description task'), 3),
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


def test_api_get_runs_two_statements(app, client, auth_headers, user, make_task) -> None:
    # user + revocation, the task with the caller's role, its subtask progress and labels
    task = make_task(user, labels=["a", "b"])
    for n in range(3):
        make_task(user, f"step {n}", parent_id=task.id)
    with counted_statements(app) as statements:
        response = client.get(f"/api/v1/tasks/{task.id}", headers=auth_headers)
    assert response.status_code == 200
    assert response.get_json()["subtasks"] == {"total": 3, "completed": 0}
    assert response.get_json()["labels"] == ["a", "b"]
    assert len(statements) == 2, statements


@pytest.mark.parametrize("tasks", [3, 40])
def test_browser_list_runs_five_statements(app, client, user, make_task, tasks) -> None:
    for n in range(tasks):
        make_task(user, f"Task {n}")
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get("/?sort=title", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<li") >= min(tasks, 20)
    # session user; the user's projects (count, page), which name each row's project;
    # count, page (with the labels)
    assert len(statements) <= 5, statements


@pytest.fixture
def projects_of(app, user, other_user, make_task):
    """``count`` projects of the user's, each shared with other_user and holding an open
    and a completed task with labels."""
    from taskweb.wiring import project_service

    def make(count: int) -> None:
        with app.app_context():
            ids = [project_service().create(user, {"name": f"Project {n}"}).project.id
                   for n in range(count)]
            for project_id in ids:
                project_service().add_member(user, project_id, {"username": other_user.username,
                                                                "role": "editor"})
        for project_id in ids:
            make_task(user, "open", project_id=project_id, labels=["a", "B"])
            make_task(user, "done", project_id=project_id, status="completed", labels=["b"])

    return make


@pytest.mark.parametrize("projects", [3, 50])
def test_api_project_list_runs_three_statements(app, client, auth_headers, projects_of,
                                                projects) -> None:
    # user + revocation, count, the page with each project's role and counts
    projects_of(projects)
    with counted_statements(app) as statements:
        response = client.get("/api/v1/projects?limit=100", headers=auth_headers)
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert len(items) == projects + 1 and response.get_json()["total"] == projects + 1
    assert {(p["member_count"], p["open_task_count"]) for p in items[1:]} == {(2, 1)}
    assert len(statements) == 3, statements


@pytest.mark.parametrize(("path", "expected"), [
    ("/api/v1/projects/{id}", 2),  # user + revocation, the project with role and counts
    ("/api/v1/projects/{id}/members", 3),  # ... then its members with their names
    ("/api/v1/labels", 2),  # user + revocation, the labels of every visible task
])
def test_api_project_reads_run_a_constant_number_of_statements(
    app, client, auth_headers, projects_of, path, expected
) -> None:
    projects_of(20)
    project_id = client.get("/api/v1/projects", headers=auth_headers).get_json()["items"][1]["id"]
    with counted_statements(app) as statements:
        response = client.get(path.format(id=project_id), headers=auth_headers)
    assert response.status_code == 200
    assert len(statements) == expected, statements


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("path", ["/", "/projects/{project}"])
def test_a_page_with_the_sidebar_runs_a_constant_number_of_statements(
    app, client, user, make_user, make_task, size, path
) -> None:
    """The sidebar's projects and labels with their counts, the task form's choices, the
    rows' projects, assignees, labels and subtask progress: the same statements for 2
    projects, labels and tasks as for 12 of each."""
    from taskweb.wiring import project_service

    friend = make_user("friend")
    with app.app_context():
        projects = [project_service().create(user, {"name": f"Project {n}"}).project.id
                    for n in range(size)]
        for project_id in projects:
            project_service().add_member(user, project_id,
                                         {"username": "friend", "role": "editor"})
        from taskweb.wiring import saved_filter_service

        for n in range(size):
            saved_filter_service().create(user, {"name": f"Filter {n}", "query": "due:today"})
        shared = project_service().create(friend, {"name": "Theirs"}).project.id
        project_service().add_member(friend, shared, {"username": user.username,
                                                      "role": "viewer"})
    for n in range(size):
        parent = make_task(user, f"Task {n}", project_id=projects[0], labels=[f"label{n}"],
                           assignee_id=friend.id if n % 2 else user.id)
        make_task(user, f"Step {n}", project_id=projects[0], parent_id=parent.id)
        make_task(friend, f"Their task {n}", project_id=shared)
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get(path.format(project=projects[0]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('class="sidebar__link"') == 6 + size + 1 + size + size
    # session user; projects (count, page); open tasks by label; members of the
    # projects; the list (count, page); on a project's page, for its owner, the
    # number of tasks deleting it deletes (count, page); the sidebar's count of
    # the tasks in Today; the saved filters.
    expected = 9 if path == "/" else 11
    assert len(statements) == expected, "\n".join(statements)


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize(("path", "expected"), [
    # session user; projects (count, page); labels; members; the agenda (its rows carry
    # their labels); the saved filters (Today's count is the agenda's own)
    ("/today", 7),
    # ... and the sidebar's count of the tasks in Today
    ("/upcoming", 8),
])
def test_today_and_upcoming_run_a_constant_number_of_statements(
    app, client, user, make_user, make_task, stand_at, size, path, expected
) -> None:
    """Tasks overdue, due today and on the next days, in several projects, with labels,
    subtasks and assignees: the same statements for 3 tasks of each kind as for 40."""
    from datetime import UTC, datetime, timedelta

    from taskweb.wiring import project_service

    now = datetime(2030, 5, 6, 12, 0, tzinfo=UTC)
    stand_at(now)
    friend = make_user("friend")
    with app.app_context():
        projects = [project_service().create(user, {"name": f"Project {n}"}).project.id
                    for n in range(3)]
        for project_id in projects:
            project_service().add_member(user, project_id,
                                         {"username": "friend", "role": "editor"})
    for n in range(size):
        for days in (-2, 0, 3):
            parent = make_task(user, f"Task {n} {days}", project_id=projects[n % 3],
                               labels=[f"label{n}"], due_date=(now + timedelta(days=days))
                               .isoformat(), assignee_id=friend.id if n % 2 else user.id)
            make_task(user, f"Step {n}", project_id=parent.project_id, parent_id=parent.id)
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = 2 * size if path == "/today" else 3 * size
    assert page.count('class="task__title"') == shown
    assert len(statements) == expected, "\n".join(statements)


@pytest.mark.parametrize("tasks", [3, 60])
def test_api_move_runs_a_constant_number_of_statements(
    app, client, auth_headers, user, make_task, tasks
) -> None:
    # user + revocation; the task (its labels on its row); the lock of its project; the
    # task again, locked; the sibling; its neighbour; the UPDATE; its history;
    # the look for a webhook that may hear of it (none here: no event is written)
    made = [make_task(user, f"Task {n}") for n in range(tasks)]
    with counted_statements(app) as statements:
        response = client.post(f"/api/v1/tasks/{made[-1].id}/move",
                               json={"before_id": made[1].id, "status": "in_progress"},
                               headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    assert len(statements) == 9, "\n".join(statements)


@pytest.mark.parametrize("cards", [3, 500])
def test_a_board_runs_a_constant_number_of_statements(app, client, user, make_task,
                                                      cards) -> None:
    from taskweb.wiring import project_service

    with app.app_context():
        project = project_service().create(user, {"name": "Board"}).project.id
    statuses = ("todo", "in_progress", "completed")
    for n in range(cards):
        make_task(user, f"Card {n}", project_id=project, status=statuses[n % 3],
                  labels=[f"l{n % 5}"])
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get(f"/projects/{project}/board")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="board-card board-card--') == cards
    # session user; projects (count, page); the board's tasks (count, page);
    # the sidebar's open tasks by label, its count of the tasks in Today, the saved filters
    assert len(statements) == 8, "\n".join(statements)
@pytest.mark.parametrize("count", [2, 30])
def test_api_saved_filters_list_runs_two_statements(app, client, auth_headers, user,
                                                    count) -> None:
    from taskweb.wiring import saved_filter_service

    with app.app_context():
        for n in range(count):
            saved_filter_service().create(user, {"name": f"Filter {n}", "query": "status:todo"})
    with counted_statements(app) as statements:
        response = client.get("/api/v1/filters", headers=auth_headers)
    assert response.status_code == 200 and len(response.get_json()["items"]) == count
    assert len(statements) == 2, statements  # user + revocation, the filters


@pytest.mark.parametrize("tasks", [3, 40])
def test_a_saved_filters_list_runs_a_constant_number_of_statements(app, client, user,
                                                                  make_task, tasks) -> None:
    from taskweb.wiring import saved_filter_service

    for n in range(tasks):
        make_task(user, f"Task {n}", priority="high", labels=["errand"])
    with app.app_context():
        saved = saved_filter_service().create(
            user, {"name": "Errands", "query": "label:errand (priority:high OR is:shared)"})
    login(client, user.email)
    with counted_statements(app) as statements:
        response = client.get(f"/filters/{saved.id}?q=task", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="task__title"') == min(tasks, 20)
    # session user; the saved filter; the page carrying its count (a text search) and
    # its labels; the projects (count, page), which name each row's project
    assert len(statements) == 5, "\n".join(statements)


def test_the_calendar_feed_runs_two_statements_whatever_the_number_of_tasks(
        app, client, user, auth_headers, make_task) -> None:
    from tests.integration.api.test_calendar_feed import feed_path, todos

    path = feed_path(client, auth_headers)
    counts, made = [], 0
    for total in (2, 40):
        for _ in range(total - made):
            make_task(user, "Dated", due_date="2026-12-01T09:00:00Z", labels=["a", "b"])
        made = total
        with counted_statements(app) as statements:
            assert len(todos(client.get(path))) == total
        counts.append(len(statements))
    assert counts == [2, 2]  # the secret's owner, the tasks with their labels


def test_calendar_address_changes_run_constant_statements(app, client, auth_headers) -> None:
    for method, expected in (("post", 2), ("post", 2), ("delete", 2)):
        with counted_statements(app) as statements:
            response = getattr(client, method)("/api/v1/users/me/calendar",
                                               headers=auth_headers)
        assert response.status_code < 300
        # user + revocation, the update of the secret
        assert len(statements) == expected, statements


def test_a_password_reset_runs_constant_statements_whatever_the_sessions(
        app, client, user, mail_server) -> None:
    from tests.conftest import PASSWORD, login_tokens
    from tests.integration.api.test_password_reset import (
        NEW_PASSWORD,
        confirm,
        link_for,
    )

    counts = []
    for sessions, password in ((1, PASSWORD), (8, NEW_PASSWORD)):
        for _ in range(sessions):
            login_tokens(client, user.email, password)  # a refresh token each
        client.post("/api/v1/auth/password-reset", json={"email": user.email})
        _, token = link_for(mail_server, user.email)
        with counted_statements(app) as statements:
            assert confirm(client, token).status_code == 204
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("tasks", [3, 30])
def test_webhook_events_of_a_bulk_action_cost_the_same_whatever_the_tasks(
    app, client, auth_headers, user, make_task, tasks
) -> None:
    response = client.post("/api/v1/webhooks", headers=auth_headers,
                           json={"url": "https://hooks.example.com/in", "events": ["task.completed"]})
    assert response.status_code == 201, response.get_json()
    ids = [make_task(user, f"Task {n}").id for n in range(tasks)]
    with counted_statements(app) as statements:
        response = client.post("/api/v1/tasks/bulk", json={"ids": ids, "action": "complete"},
                               headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    outbox = [statement for statement in statements if "outbox_events" in statement]
    assert len(outbox) == 1 and outbox[0].startswith("INSERT"), outbox
    # ...the tasks' rows for the events' data, labels on the rows: one SELECT
    assert sum("FROM tasks" in s and "FOR UPDATE" not in s for s in statements) <= 3


@pytest.mark.parametrize("deliveries", [2, 40])
def test_webhook_reads_run_a_constant_number_of_statements(
    app, client, auth_headers, user, deliveries
) -> None:
    from taskweb.models import OutboxEvent, Webhook, WebhookDelivery
    from taskweb.secret_box import SecretBox
    with app.app_context():
        webhook = Webhook(user_id=user.id, url="https://example.com/hook",
                          events=["task.created"], secret=SecretBox("k").seal("s"))
        db.session.add(webhook)
        db.session.flush()
        for n in range(deliveries):
            event = OutboxEvent(event="task.created", task_id=n, payload={}, occurred_at=utcnow())
            db.session.add(event)
            db.session.flush()
            db.session.add(WebhookDelivery(uuid=f"d-{n}", webhook_id=webhook.id,
                                           event_id=event.id, task_id=n))
        db.session.commit()
        webhook_id = webhook.id
    with counted_statements(app) as listing:
        assert client.get("/api/v1/webhooks", headers=auth_headers).status_code == 200
    with counted_statements(app) as page:
        response = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries?limit=100",
                              headers=auth_headers)
    assert len(response.get_json()["items"]) == deliveries
    assert len(listing) == 2, listing  # user + revocation, the webhooks
    assert len(page) == 2, page  # user + revocation, the page with its total


@pytest.mark.parametrize(("path", "expected"), [("/health/live", 0), ("/health/ready", 1)])
def test_health_checks_run_at_most_one_statement(app, client, path, expected) -> None:
    with counted_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    assert len(statements) == expected, statements


def test_api_create_runs_five_statements_with_no_webhook_listening(
        app, client, auth_headers) -> None:
    """The user (with the token's revocation), the Inbox, the INSERT, its history row and
    the outbox's look for a listener that finds none."""
    body = {"title": "Counted", "priority": "high", "due_date": "2026-12-18T17:00:00Z"}
    with counted_statements(app) as statements:
        assert client.post("/api/v1/tasks", json=body, headers=auth_headers).status_code == 201
    assert len(statements) == 5, "\n".join(statements)
