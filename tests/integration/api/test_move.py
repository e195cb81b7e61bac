"""POST /api/v1/tasks/{id}/move: places in the manual order, columns, other projects,
and the answers to bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from taskweb.extensions import db
from tests.integration.api.sharing import inbox_of, new_project, new_task, share
from tests.integration.api.test_auth import assert_problem

TASKS = "/api/v1/tasks"


def move(client: FlaskClient, headers: dict, task_id: int, **body: Any):
    return client.post(f"{TASKS}/{task_id}/move", json=body, headers=headers)


def moved(client: FlaskClient, headers: dict, task_id: int, **body: Any) -> dict:
    response = move(client, headers, task_id, **body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def manual_order(client: FlaskClient, headers: dict, project_id: int) -> list[str]:
    page = client.get(f"{TASKS}?project_id={project_id}&parent_id=none&sort=position&limit=100",
                      headers=headers).get_json()
    return [task["title"] for task in page["items"]]


@pytest.fixture
def board(client: FlaskClient, auth_headers) -> dict[str, Any]:
    """Five tasks A..E in a project, in that order."""
    project = new_project(client, auth_headers, "Board")
    tasks = {title: new_task(client, auth_headers, title, project_id=project["id"])
             for title in "ABCDE"}
    return {"project": project, **tasks}


def test_before_and_after_a_sibling(client, auth_headers, board) -> None:
    project_id = board["project"]["id"]
    task = moved(client, auth_headers, board["E"]["id"], before_id=board["B"]["id"])
    assert task["id"] == board["E"]["id"] and task["project_id"] == project_id
    assert manual_order(client, auth_headers, project_id) == list("AEBCD")
    moved(client, auth_headers, board["A"]["id"], after_id=board["D"]["id"])
    assert manual_order(client, auth_headers, project_id) == list("EBCDA")
    moved(client, auth_headers, board["C"]["id"], before_id=board["E"]["id"])
    assert manual_order(client, auth_headers, project_id) == list("CEBDA")
    # Only the moved task's position changes.
    before = {t["id"]: t["position"] for t in client.get(
        f"{TASKS}?project_id={project_id}", headers=auth_headers).get_json()["items"]}
    moved(client, auth_headers, board["B"]["id"], after_id=board["A"]["id"])
    after = {t["id"]: t["position"] for t in client.get(
        f"{TASKS}?project_id={project_id}", headers=auth_headers).get_json()["items"]}
    assert {i for i in before if before[i] != after[i]} == {board["B"]["id"]}


@pytest.mark.parametrize(("a", "b"), [
    ("1", "1" + "0" * 46 + "1"),  # the key between would pass 48 characters
    ("5", "5"),  # equal keys (no key between): the list is repaired
])
def test_a_list_is_respaced_when_no_short_key_fits(app, client, auth_headers, board,
                                                   a, b) -> None:
    with app.app_context():
        for title, position in (("A", a), ("B", b)):
            db.session.execute(text("UPDATE tasks SET position = :p WHERE id = :id"),
                               {"p": position, "id": board[title]["id"]})
        db.session.commit()
    moved(client, auth_headers, board["D"]["id"], after_id=board["A"]["id"])
    assert manual_order(client, auth_headers, board["project"]["id"]) == list("CEADB")  # A and B now sort after the clock keys
    positions = [t["position"] for t in client.get(
        f"{TASKS}?project_id={board['project']['id']}&sort=position",
        headers=auth_headers).get_json()["items"]]
    assert len(set(positions)) == 5 and all(len(p) <= 16 for p in positions)


def test_status_sets_the_column_and_completed_at(client, auth_headers, board) -> None:
    task = moved(client, auth_headers, board["B"]["id"], status="completed",
                 after_id=board["E"]["id"])
    assert task["status"] == "completed" and task["completed_at"] is not None
    task = moved(client, auth_headers, board["B"]["id"], status="in_progress")
    assert task["status"] == "in_progress" and task["completed_at"] is None
    assert manual_order(client, auth_headers, board["project"]["id"]) == list("ACDEB")


def test_into_another_project_with_subtasks_and_assignee_rules(
    client, auth_headers, other_auth_headers, other_user, user, board
) -> None:
    shared = new_project(client, auth_headers, "Shared")
    share(client, auth_headers, shared["id"], other_user.username, "editor")
    first = new_task(client, auth_headers, "First", project_id=shared["id"])
    parent = new_task(client, auth_headers, "Parent", project_id=shared["id"],
                      assignee_id=other_user.id)
    child = new_task(client, auth_headers, "Child", project_id=shared["id"],
                     parent_id=parent["id"], assignee_id=other_user.id)
    task = moved(client, auth_headers, parent["id"], project_id=board["project"]["id"],
                 before_id=board["A"]["id"])
    assert task["project_id"] == board["project"]["id"] and task["assignee_id"] is None
    assert manual_order(client, auth_headers, board["project"]["id"]) == ["Parent", *"ABCDE"]
    child = client.get(f"{TASKS}/{child['id']}", headers=auth_headers).get_json()
    assert child["project_id"] == board["project"]["id"] and child["assignee_id"] is None
    assert manual_order(client, auth_headers, shared["id"]) == ["First"]
    # Without a sibling, it goes last in the other project.
    task = moved(client, auth_headers, parent["id"], project_id=shared["id"])
    assert manual_order(client, auth_headers, shared["id"]) == ["First", "Parent"]
    # The other member cannot move it into a project they do not belong to (404), nor
    # out of one they only view (403).
    assert_problem(move(client, other_auth_headers, first["id"],
                        project_id=board["project"]["id"]), 404)
    viewer_project = new_project(client, other_auth_headers, "Theirs")
    share(client, other_auth_headers, viewer_project["id"], user.username, "viewer")
    response = move(client, auth_headers, first["id"], project_id=viewer_project["id"])
    assert_problem(response, 403)


def test_subtasks_reorder_among_their_siblings_only(client, auth_headers, board) -> None:
    parent_id = board["A"]["id"]
    one, two = (new_task(client, auth_headers, title, project_id=board["project"]["id"],
                         parent_id=parent_id) for title in ("one", "two"))
    moved(client, auth_headers, two["id"], before_id=one["id"])
    page = client.get(f"{TASKS}?parent_id={parent_id}&sort=position",
                      headers=auth_headers).get_json()
    assert [t["title"] for t in page["items"]] == ["two", "one"]
    response = move(client, auth_headers, two["id"], before_id=board["B"]["id"])
    assert_problem(response, 422)
    assert "before_id" in response.get_json()["errors"]
    response = move(client, auth_headers, two["id"], project_id=inbox_of(
        client, auth_headers)["id"])
    assert_problem(response, 422)
    assert "project_id" in response.get_json()["errors"]


@pytest.mark.parametrize(("body", "fields"), [
    ({"before_id": "B", "after_id": "C"}, {"before_id", "after_id"}),
    ({"before_id": "self"}, {"before_id"}),
    ({"after_id": "other project"}, {"after_id"}),
    ({"after_id": "stranger's"}, {"after_id"}),
    ({"after_id": "gone"}, {"after_id"}),
    ({"before_id": 0}, {"before_id"}),
    ({"before_id": "1"}, {"before_id"}),
    ({"after_id": True}, {"after_id"}),
    ({"status": "done"}, {"status"}),
    ({"project_id": -3}, {"project_id"}),
    ({"position": "0"}, {"position"}),
])
def test_bad_input_is_a_422_naming_the_field(client, auth_headers, other_auth_headers,
                                             board, body, fields) -> None:
    names = {"B": board["B"]["id"], "C": board["C"]["id"], "self": board["A"]["id"],
             "other project": new_task(client, auth_headers, "Elsewhere")["id"],
             "stranger's": new_task(client, other_auth_headers, "Theirs")["id"],
             "gone": 2**31 - 1}
    body = {key: names.get(value, value) if isinstance(value, str) and key != "status"
            else value for key, value in body.items()}
    response = move(client, auth_headers, board["A"]["id"], **body)
    assert_problem(response, 422)
    assert set(response.get_json()["errors"]) == fields
    assert manual_order(client, auth_headers, board["project"]["id"]) == list("ABCDE")


def test_other_answers(client, auth_headers, other_auth_headers, board) -> None:
    assert_problem(move(client, other_auth_headers, board["A"]["id"]), 404)
    assert_problem(move(client, auth_headers, 2**31 - 1), 404)
    response = client.post(f"{TASKS}/{board['A']['id']}/move", data="{",
                           headers={**auth_headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert client.post(f"{TASKS}/{board['A']['id']}/move", json={}).status_code == 401


def test_keys_sort_the_same_in_the_database_as_in_python(app, client, auth_headers,
                                                         board) -> None:
    """The database's own collation (whatever initdb gave it) orders move keys as
    Python compares them: the ORDER BY and the index need no COLLATE."""
    from taskweb.domain.positions import DIGITS, key_between

    keys = sorted({key_between(a, b) for a in ("", "1", "az", "zz9")
                   for b in (None, "a", "b", "zzz") if (b is None or a < b)} |
                  {DIGITS[i:i + 3] for i in range(34)} | set(DIGITS))
    with app.app_context():
        # The database's default, and the English ones (where upper and lower case
        # interleave) of libc and ICU that the server has.
        collations = [None, *db.session.execute(text(
            "SELECT collname FROM pg_collation WHERE collname ILIKE 'en_US%' "
            "OR collname ILIKE 'en-US%' OR collname = 'und-x-icu'")).scalars()]
        for collation in collations:
            order_by = "k" if collation is None else f'k COLLATE "{collation}"'
            in_database = db.session.execute(text(
                f"SELECT k FROM unnest(CAST(:keys AS text[])) AS k ORDER BY {order_by}"),
                {"keys": keys[::-1]}).scalars().all()
            assert in_database == keys, collation
        db.session.rollback()
