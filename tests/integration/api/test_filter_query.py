"""GET /api/v1/tasks?filter=: the filter language against PostgreSQL. Each key matches
what it says and nothing else; names are matched only among what the caller can see;
a malformed filter is a 422 naming what was expected and where; random filters never
give a 5xx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.api.sharing import TASKS, Team, make_team, new_project, new_task


@pytest.fixture
def team(client: FlaskClient, app) -> Team:
    return make_team(client, app)


def titles(client: FlaskClient, headers: dict, query: str, **params: str) -> set[str]:
    extra = "".join(f"&{name}={quote(value)}" for name, value in params.items())
    response = client.get(f"{TASKS}?limit=100&filter={quote(query)}{extra}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {item["title"] for item in response.get_json()["items"]}


def _day(days: int, hour: int = 12) -> str:
    now = datetime.now(UTC)
    return (now.replace(hour=hour, minute=0, second=0, microsecond=0)
            + timedelta(days=days)).isoformat()


@pytest.fixture
def olive_tasks(team: Team, stand_at) -> Team:
    """Olive's tasks in her Inbox, in "Shared" (with eddie and vera) and in "Big plans",
    read at 08:00 UTC today: "Buy milk", due at noon, is due today and not yet overdue
    whenever the suite runs."""
    stand_at(datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0))
    client, olive = team.client, team.as_("olive")
    plans = new_project(client, olive, "Big plans")
    shared = team.project["id"]
    new_task(client, olive, "Buy milk", priority="high", labels=["errand"],
             due_date=_day(0))
    new_task(client, olive, "File tax form", description="the yearly one",
             due_date=_day(-3), project_id=plans["id"])
    new_task(client, olive, "Paint fence", status="in_progress", due_date=_day(5),
             project_id=shared, assignee_id=team.users["eddie"].id)
    new_task(client, olive, "Old done", status="completed", due_date=_day(-10),
             priority="low")
    new_task(client, olive, "Someday", priority="low", project_id=plans["id"])
    return team


@pytest.mark.parametrize(("query", "expected"), [
    ("milk", {"Buy milk"}),
    ('"tax form"', {"File tax form"}),
    ("yearly", {"File tax form"}),
    ("status:todo", {"Buy milk", "File tax form", "Someday", "Shared task"}),
    ("status:in_progress,completed", {"Paint fence", "Old done"}),
    ("priority:high", {"Buy milk"}),
    ("-priority:low -priority:medium", {"Buy milk"}),
    ('project:"big PLANS"', {"File tax form", "Someday"}),
    ("project:shared", {"Paint fence", "Shared task"}),
    ("label:ERRAND", {"Buy milk", "Shared task"}),
    ("assignee:eddie", {"Paint fence"}),
    ("assignee:EDDIE,me", {"Paint fence"}),
    ("is:assigned", {"Paint fence"}),
    ("is:shared", {"Paint fence", "Shared task"}),
    ("is:recurring OR is:subtask", set()),
    ("has:description", {"File tax form"}),
    ("has:labels -project:shared", {"Buy milk"}),
    ("due:today", {"Buy milk"}),
    ("due:overdue", {"File tax form"}),
    ("due:none", {"Someday", "Shared task"}),
    ("-due:today status:todo", {"File tax form", "Someday", "Shared task"}),
    ("due:<today", {"File tax form", "Old done"}),
    ("due:<=next-7-days -due:overdue status:todo,in_progress", {"Buy milk", "Paint fence"}),
    ("due:>today", {"Paint fence"}),
    ("created:today", {"Buy milk", "File tax form", "Paint fence", "Old done", "Someday",
                       "Shared task"}),
    ("updated:<2000-01-01", set()),
    ("(label:errand OR project:Home) priority:high", {"Buy milk"}),
    ("milk OR fence", {"Buy milk", "Paint fence"}),
])
def test_each_form_matches_what_it_says(olive_tasks: Team, query: str,
                                        expected: set[str]) -> None:
    assert titles(olive_tasks.client, olive_tasks.as_("olive"), query) == expected


def test_combined_with_the_other_parameters_by_and(olive_tasks: Team) -> None:
    client, olive = olive_tasks.client, olive_tasks.as_("olive")
    assert titles(client, olive, "status:todo", priority="low") == {"Someday"}
    assert titles(client, olive, "milk OR fence", q="paint") == {"Paint fence"}


def test_dates_are_read_in_the_users_time_zone(client: FlaskClient, user,
                                               auth_headers) -> None:
    """A task due at 23:30 UTC today is due tomorrow in Tokyo (UTC+9), unless it is
    already tomorrow there."""
    now = datetime.now(UTC)
    late = now.replace(hour=23, minute=30, second=0, microsecond=0)
    if now >= late - timedelta(hours=1) or now.hour < 1:
        pytest.skip("too close to midnight UTC to tell the days apart")
    new_task(client, auth_headers, "Late", due_date=late.isoformat())
    assert titles(client, auth_headers, "due:today") == {"Late"}
    response = client.put("/api/v1/users/me", json={"time_zone": "Asia/Tokyo"},
                          headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    tokyo = ZoneInfo("Asia/Tokyo")
    in_tokyo = (late.astimezone(tokyo).date() - now.astimezone(tokyo).date()).days
    word = {0: "today", 1: "tomorrow"}[in_tokyo]
    assert titles(client, auth_headers, f"due:{word}") == {"Late"}
    assert titles(client, auth_headers,
                  f"(due:yesterday OR due:today OR due:tomorrow) -due:{word}") == set()


def test_names_the_caller_cannot_see_match_nothing(olive_tasks: Team) -> None:
    client = olive_tasks.client
    nora = olive_tasks.as_("nora")
    new_task(client, nora, "Nora's own")
    # nora has no "Big plans" and shares no project with eddie.
    assert titles(client, nora, 'project:"Big plans"') == set()
    assert titles(client, nora, "assignee:eddie") == set()
    assert titles(client, nora, "-project:Shared") == {"Nora's own"}
    # vera sees the shared project's tasks by its name, never olive's other projects.
    assert titles(client, olive_tasks.as_("vera"), "project:shared,inbox") == {
        "Paint fence", "Shared task"}


@pytest.mark.parametrize(("query", "message"), [
    ("status:", "Expected a value after 'status:' at character 7."),
    ("due:someday", "at character 4"),
    ("(milk", "Expected ')' at character 5 (to close the '(' at character 0)."),
    ("colour:red", "Expected a key"),
    ('"open', "Expected '\"' at character 5"),
])
def test_a_malformed_filter_is_a_422_naming_what_was_expected_and_where(
    client: FlaskClient, auth_headers, query: str, message: str
) -> None:
    response = client.get(f"{TASKS}?filter={quote(query)}", headers=auth_headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    [error] = response.get_json()["errors"]["filter"]
    assert message in error


def test_a_blank_filter_is_no_filter(client: FlaskClient, auth_headers, user,
                                     make_task) -> None:
    make_task(user, "One")
    response = client.get(f"{TASKS}?filter=%20%20", headers=auth_headers)
    assert response.status_code == 200 and response.get_json()["total"] == 1


def test_the_openapi_document_describes_the_grammar(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    [spec] = [p for p in parameters if p["name"] == "filter"]
    assert spec["schema"]["maxLength"] == 1000
    assert "`OR`" in spec["description"] and "errors.filter" in spec["description"]


_pieces = st.sampled_from(
    ["status:", "todo", "due:", "<=", "..", "today", "2026-12-01", "project:", '"',
     "(", ")", "-", " OR ", ",", " ", "assignee:", "me", "label:", "x", "is:shared",
     "has:due", "%", "_", "\\", "'", "é", "\u00a0"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=40), st.lists(_pieces, max_size=12).map("".join)))
def test_random_filters_never_give_a_5xx(client: FlaskClient, auth_headers,
                                         query: str) -> None:
    response = client.get(TASKS, query_string={"filter": query}, headers=auth_headers)
    assert response.status_code in (200, 422), (query, response.get_json())
    if response.status_code == 422:
        assert set(response.get_json()["errors"]) == {"filter"}
