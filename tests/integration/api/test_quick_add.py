"""POST /api/v1/tasks/quick: a task from one line of text, its preview, bad input,
idempotency, and the task's ``recurrence`` field in POST/PUT/PATCH /api/v1/tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from tests.integration.api.test_auth import assert_problem
from tests.integration.test_races import simultaneously
from tests.integration.test_statement_counts import counted_statements

QUICK = "/api/v1/tasks/quick"
TASKS = "/api/v1/tasks"
PROJECTS = "/api/v1/projects"


def quick(client: FlaskClient, headers: dict, text: str, preview: bool = False, **body):
    url = f"{QUICK}?preview=true" if preview else QUICK
    return client.post(url, json={"text": text, **body}, headers=headers)


def project(client: FlaskClient, headers: dict, name: str) -> dict:
    response = client.post(PROJECTS, json={"name": name}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def tasks_of(client: FlaskClient, headers: dict) -> list[dict]:
    return client.get(TASKS, headers=headers).get_json()["items"]


def tomorrow_in(zone: str) -> datetime:
    local = datetime.now(UTC).astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    return datetime.combine(local, datetime.min.time(), tzinfo=ZoneInfo(zone))


class TestCreate:
    def test_every_token_lands_in_its_field(self, client, auth_headers) -> None:
        home = project(client, auth_headers, "Home")
        client.put("/api/v1/users/me", json={"time_zone": "Europe/Berlin"},
                   headers=auth_headers)
        response = quick(client, auth_headers,
                         "Pay rent tomorrow 5pm #home @money !high every month")
        assert response.status_code == 201, response.get_json()
        task = response.get_json()
        assert response.headers["Location"] == f"{TASKS}/{task['id']}"
        assert response.headers["ETag"] == '"1"'
        assert (task["title"], task["priority"], task["project_id"], task["labels"]) == (
            "Pay rent", "high", home["id"], ["money"])
        assert task["recurrence"] == "FREQ=MONTHLY"
        due = tomorrow_in("Europe/Berlin").replace(hour=17).astimezone(UTC)
        assert datetime.fromisoformat(task["due_date"]) == due
        assert client.get(f"{TASKS}/{task['id']}", headers=auth_headers).get_json() == task

    def test_no_tokens_goes_to_the_inbox_with_the_defaults(self, client, auth_headers) -> None:
        task = quick(client, auth_headers, "  Buy milk  ").get_json()
        inbox = client.get(PROJECTS, headers=auth_headers).get_json()["items"][0]
        assert (task["title"], task["project_id"], task["priority"]) == (
            "Buy milk", inbox["id"], "medium")
        assert (task["due_date"], task["recurrence"], task["labels"]) == (None, None, [])

    def test_project_id_is_the_default_and_a_hash_project_wins(self, client,
                                                                auth_headers) -> None:
        work, home = project(client, auth_headers, "Work"), project(client, auth_headers, "Home")
        in_work = quick(client, auth_headers, "Report", project_id=work["id"]).get_json()
        assert in_work["project_id"] == work["id"]
        named = quick(client, auth_headers, "Sweep #Home", project_id=work["id"]).get_json()
        assert named["project_id"] == home["id"]

    def test_two_word_project_and_quoted_title(self, client, auth_headers) -> None:
        garden = project(client, auth_headers, "Garden Work")
        task = quick(client, auth_headers, 'Read "next monday" notes #"garden work"')
        assert task.status_code == 201
        assert (task.get_json()["title"], task.get_json()["project_id"],
                task.get_json()["due_date"]) == ("Read next monday notes", garden["id"], None)


class TestPreview:
    def test_preview_says_what_it_would_create_and_writes_nothing(
        self, app, client, auth_headers
    ) -> None:
        home = project(client, auth_headers, "Home")
        response = quick(client, auth_headers, "Pay rent tomorrow #Home @money every 1st",
                         preview=True)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert set(body) == {"title", "priority", "priority_given", "project_id",
                             "project_name", "labels", "due_date", "due_time", "recurrence"}
        assert (body["title"], body["priority"], body["priority_given"]) == (
            "Pay rent", "medium", False)
        assert (body["project_id"], body["project_name"], body["labels"]) == (
            home["id"], "Home", ["money"])
        assert body["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1" and body["due_time"] is False
        assert datetime.fromisoformat(body["due_date"]) == tomorrow_in("UTC")
        assert tasks_of(client, auth_headers) == []

    def test_preview_of_the_inbox(self, client, auth_headers) -> None:
        body = quick(client, auth_headers, "Call !1 5pm", preview=True).get_json()
        assert (body["project_name"], body["priority"], body["priority_given"],
                body["due_time"]) == ("Inbox", "high", True, True)

    @pytest.mark.parametrize("value", ["yes", "1", "TRUE", ""])
    def test_preview_must_be_true_or_false(self, client, auth_headers, value) -> None:
        response = client.post(f"{QUICK}?preview={value}", json={"text": "x"},
                               headers=auth_headers)
        assert_problem(response, 422)
        assert "preview" in response.get_json()["errors"]
        assert tasks_of(client, auth_headers) == []


class TestBadInput:
    @pytest.mark.parametrize(("body", "field"), [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "tomorrow !high #Inbox"}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "Long " + "x" * 200}, "text"),
        ({"text": 5}, "text"),
        ({"text": None}, "text"),
        ({"text": "two\nlines"}, "text"),
        ({"text": "bell \x07"}, "text"),
        ({}, "text"),
        ({"text": "Plan #Nowhere"}, "text"),
        ({"text": "Call today at 0:01"}, "text"),
        ({"text": "Party 2026-02-30"}, "text"),
        ({"text": "Tag @" + "x" * 51}, "text"),
        ({"text": "Tags " + " ".join(f"@l{n}" for n in range(21))}, "text"),
        ({"text": "x", "project_id": "one"}, "project_id"),
        ({"text": "x", "project_id": 0}, "project_id"),
        ({"text": "x", "project_id": True}, "project_id"),
        ({"text": "x", "title": "y"}, "title"),
    ])
    @pytest.mark.parametrize("preview", [False, True])
    def test_is_a_422_naming_the_field(self, client, auth_headers, body, field,
                                       preview) -> None:
        url = f"{QUICK}?preview=true" if preview else QUICK
        response = client.post(url, json=body, headers=auth_headers)
        assert_problem(response, 422)
        assert field in response.get_json()["errors"], response.get_json()
        assert tasks_of(client, auth_headers) == []

    def test_unknown_project_id_is_a_404(self, client, auth_headers) -> None:
        response = quick(client, auth_headers, "x", project_id=999_999)
        assert_problem(response, 404)
        assert "project_id" in response.get_json()["errors"]

    def test_another_users_project_is_unknown(self, client, auth_headers,
                                              other_auth_headers) -> None:
        project(client, other_auth_headers, "Secret")
        response = quick(client, auth_headers, "Peek #Secret")
        assert_problem(response, 422)
        assert response.get_json()["errors"]["text"] == ['You have no project called "Secret".']

    def test_needs_a_token(self, client) -> None:
        assert_problem(client.post(QUICK, json={"text": "x"}), 401)


class TestIdempotency:
    def test_a_retry_returns_the_first_task(self, client, auth_headers) -> None:
        headers = {**auth_headers, "Idempotency-Key": "quick-1"}
        first = quick(client, headers, "Pay rent tomorrow")
        again = quick(client, headers, "Pay rent tomorrow")
        assert (first.status_code, again.status_code) == (201, 201)
        assert first.headers["Idempotent-Replayed"] == "false"
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.get_json()["id"] == again.get_json()["id"]
        assert len(tasks_of(client, auth_headers)) == 1
        other = quick(client, headers, "Something else")
        assert_problem(other, 422)
        assert "Idempotency-Key" in other.get_json()["errors"]

    def test_simultaneous_retries_create_one_task(self, app, client, auth_headers) -> None:
        headers = {**auth_headers, "Idempotency-Key": "quick-race"}
        responses = simultaneously(
            app, lambda c: c.post(QUICK, json={"text": "Once !high"}, headers=headers), 4)
        assert {response.status_code for response in responses} == {201}
        assert len({response.get_json()["id"] for response in responses}) == 1
        assert len(tasks_of(client, auth_headers)) == 1


@pytest.mark.parametrize("preview", [False, True])
@pytest.mark.parametrize("existing", [2, 30])
def test_quick_add_runs_a_constant_number_of_statements(
    app, client, auth_headers, user, make_task, existing, preview
) -> None:
    project(client, auth_headers, "Home")
    for n in range(existing):
        make_task(user, f"Task {n}", labels=["money"])
    with counted_statements(app) as statements:
        response = quick(client, auth_headers, "Pay rent tomorrow #Home @money !high",
                         preview=preview)
    assert response.status_code == (200 if preview else 201), response.get_json()
    # user + revocation, the projects so named; creating adds the role check, the
    # insert, the labels, its history entry and the look for a webhook that may hear of
    # it (none here: no event is written)
    assert len(statements) == (2 if preview else 7), "\n".join(statements)


class TestRecurrenceField:
    DUE = "2026-12-07T09:00:00Z"

    def test_set_read_normalised_and_cleared(self, client, auth_headers) -> None:
        created = client.post(TASKS, json={"title": "Gym", "due_date": self.DUE,
                                           "recurrence": " freq=weekly;byday=mo "},
                              headers=auth_headers)
        assert created.status_code == 201, created.get_json()
        task = created.get_json()
        assert task["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"
        url = f"{TASKS}/{task['id']}"
        changed = client.patch(url, json={"recurrence": "FREQ=MONTHLY;BYMONTHDAY=1"},
                               headers=auth_headers)
        assert changed.get_json()["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
        put = client.put(url, json={"recurrence": None}, headers=auth_headers)
        assert put.status_code == 200 and put.get_json()["recurrence"] is None
        assert client.get(url, headers=auth_headers).get_json()["recurrence"] is None

    @pytest.mark.parametrize("rule", [
        "", "   ", "RRULE:FREQ=DAILY", "BYDAY=MO", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;INTERVAL=-1", "FREQ=DAILY;FOO=1",
        "FREQ=DAILY;FREQ=WEEKLY", "FREQ=DAILY\nFREQ=WEEKLY", "FREQ=DAILY;" + "X" * 500,
        "every day", 5, ["FREQ=DAILY"],
    ])
    def test_a_bad_rule_is_a_422(self, client, auth_headers, rule) -> None:
        response = client.post(TASKS, json={"title": "Gym", "due_date": self.DUE,
                                            "recurrence": rule}, headers=auth_headers)
        assert_problem(response, 422)
        assert "recurrence" in response.get_json()["errors"], response.get_json()

    def test_needs_a_due_date(self, client, auth_headers) -> None:
        response = client.post(TASKS, json={"title": "Gym", "recurrence": "FREQ=DAILY"},
                               headers=auth_headers)
        assert_problem(response, 422)
        assert response.get_json()["errors"]["recurrence"] == [
            "A repeating task needs a due date to repeat from."]
        task = client.post(TASKS, json={"title": "Gym", "due_date": self.DUE,
                                        "recurrence": "FREQ=DAILY"},
                           headers=auth_headers).get_json()
        cleared = client.patch(f"{TASKS}/{task['id']}", json={"due_date": None},
                               headers=auth_headers)
        assert_problem(cleared, 422)
        assert "recurrence" in cleared.get_json()["errors"]
        both = client.patch(f"{TASKS}/{task['id']}", json={"due_date": None,
                                                           "recurrence": None},
                            headers=auth_headers)
        assert both.status_code == 200 and both.get_json()["recurrence"] is None
