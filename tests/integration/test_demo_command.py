"""`flask demo`: a demo account with a dozen sample tasks, made through the services."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import PASSWORD, login_tokens


def demo_tasks(client: FlaskClient, email: str, password: str) -> list[dict]:
    token = login_tokens(client, email, password)["access_token"]
    page = client.get("/api/v1/tasks?limit=100", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    return page.get_json()["items"]


def due_in_days(task: dict, today: date) -> int | None:
    if task["due_date"] is None:
        return None
    return (datetime.fromisoformat(task["due_date"]).date() - today).days


def test_demo_creates_an_account_with_a_dozen_varied_tasks(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    result = runner.invoke(args=["demo", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Email:    demo@example.com" in result.output
    assert f"Password: {PASSWORD}" in result.output

    tasks = demo_tasks(client, "demo@example.com", PASSWORD)
    today = datetime.now(timezone.utc).date()
    days = [due_in_days(task, today) for task in tasks]
    assert len(tasks) == 12
    assert {task["priority"] for task in tasks} == {"low", "medium", "high"}
    assert {task["status"] for task in tasks} == {"todo", "in_progress", "completed"}
    assert any(day is not None and day < 0 for day in days)
    assert 0 in days
    assert any(day is not None and 1 <= day <= 8 for day in days)
    assert None in days
    assert 0 < sum(bool(task["description"]) for task in tasks) < 12
    overdue = [task for task, day in zip(tasks, days, strict=True)
               if day is not None and day < 0 and task["status"] != "completed"]
    assert overdue, "the demo shows what an overdue task looks like"


def test_demo_without_a_password_prints_a_random_one_that_works(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    result = runner.invoke(args=["demo", "--email", "try@example.com", "--username", "try"])
    assert result.exit_code == 0, result.output
    password = re.search(r"^  Password: (\S+)$", result.output, re.MULTILINE).group(1)
    assert len(password) >= 16
    assert "shown this once" in result.output
    assert len(demo_tasks(client, "try@example.com", password)) == 12


def test_demo_refuses_politely_when_the_account_exists(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    assert runner.invoke(args=["demo", "--password", PASSWORD]).exit_code == 0
    again = runner.invoke(args=["demo", "--password", "another password"])
    assert again.exit_code == 1
    assert "The demo account exists already" in again.output
    assert "--email: This email, or one that looks the same, is already registered." in again.output
    assert "Traceback" not in again.output
    assert len(demo_tasks(client, "demo@example.com", PASSWORD)) == 12


def test_demo_names_the_option_of_a_bad_value(runner: FlaskCliRunner, client: FlaskClient) -> None:
    result = runner.invoke(args=["demo", "--email", "not-an-email", "--password", "short"])
    assert result.exit_code == 1
    assert "--email: Not a valid email address" in result.output
    assert "--password: Must be 8 to 128 characters long." in result.output
    response = client.post("/api/v1/auth/login", json={"email": "demo@example.com",
                                                       "password": "short"})
    assert response.status_code == 401


def test_demo_due_dates_are_relative_to_today() -> None:
    from taskweb.commands import demo_task_fields

    fields = demo_task_fields(date(2030, 1, 15))
    due = sorted(datetime.fromisoformat(task["due_date"]) for task in fields if "due_date" in task)
    assert due[0] < datetime(2030, 1, 15, tzinfo=timezone.utc)
    assert datetime(2030, 1, 15, 17, tzinfo=timezone.utc) in due
    assert due[-1] - datetime(2030, 1, 15, tzinfo=timezone.utc) < timedelta(days=10)
