"""The board page, /projects/<id>/board: columns in the manual order, the Move menu's
forms (htmx and plain), drops, a viewer's read-only board, and refusals."""

from __future__ import annotations

import re

import pytest

from taskweb.wiring import project_service
from tests.web.conftest import HX, csrf_token, login, text


@pytest.fixture
def project(app, user):
    with app.app_context():
        return project_service().create(user, {"name": "Garden"}).project.id


@pytest.fixture
def cards(make_task, user, project):
    """A, B, C to do; D in progress."""
    made = {title: make_task(user, title, project_id=project) for title in "ABC"}
    made["D"] = make_task(user, "D", project_id=project, status="in_progress")
    return made


def columns(page: str) -> dict[str, list[str]]:
    """The card titles of each column, in order."""
    found = {}
    for status, body in re.findall(r'data-status="(\w+)"[^>]*>(.*?)</ol>', page, re.DOTALL):
        found[status] = re.findall(r'id="card-\d+-name"><a [^>]*>([^<]+)</a>', body)
    return found


def move(client, project, headers, **form):
    return client.post(f"/projects/{project}/board/move", data=form, headers=headers)


def test_the_board_shows_columns_in_manual_order_and_links_to_the_list(
    logged_in, project, cards
) -> None:
    response = logged_in.get(f"/projects/{project}/board")
    assert response.status_code == 200
    page = text(response)
    assert columns(page) == {"todo": list("ABC"), "in_progress": ["D"], "completed": []}
    for heading in ("To do", "In progress", "Completed"):
        assert f">{heading}" in page
    assert f'href="/projects/{project}"' in page and ">List</a>" in page
    assert 'src="/static/vendor/Sortable.min.js?v=' in page and "data-movable" in page
    # The project's page links to the board.
    assert f'href="/projects/{project}/board">Board</a>' in text(logged_in.get(f"/projects/{project}"))


def test_the_move_menu_moves_up_down_and_across(logged_in, token, project, cards) -> None:
    headers = {**HX, "X-CSRFToken": token}
    response = move(logged_in, project, headers, task_id=cards["C"].id, to="up")
    assert response.status_code == 200
    assert columns(text(response))["todo"] == list("ACB")
    assert "Moved “C” to To do: card 2 of 3." in text(response)
    response = move(logged_in, project, headers, task_id=cards["A"].id, to="in_progress")
    assert columns(text(response)) == {"todo": list("CB"), "in_progress": ["D", "A"],
                                       "completed": []}
    response = move(logged_in, project, headers, task_id=cards["D"].id, to="down")
    assert columns(text(response))["in_progress"] == ["A", "D"]
    # The order is the same on a reload.
    assert columns(text(logged_in.get(f"/projects/{project}/board")))["in_progress"] == ["A", "D"]


def test_a_drop_posts_its_neighbours(logged_in, token, project, cards) -> None:
    headers = {**HX, "X-CSRFToken": token}
    response = move(logged_in, project, headers, task_id=cards["A"].id, status="completed")
    assert columns(text(response))["completed"] == ["A"]
    response = move(logged_in, project, headers, task_id=cards["B"].id, status="completed",
                    before_id=cards["A"].id)
    assert columns(text(response))["completed"] == ["B", "A"]


def test_impossible_and_bad_moves_say_why_and_change_nothing(logged_in, token, project,
                                                            cards) -> None:
    headers = {**HX, "X-CSRFToken": token}
    for form in ({"task_id": cards["A"].id, "to": "up"},
                 {"task_id": cards["A"].id, "to": "sideways"},
                 {"task_id": "x"},
                 {"task_id": cards["A"].id, "before_id": cards["B"].id,
                  "after_id": cards["C"].id},
                 {"task_id": cards["A"].id, "status": "nope"}):
        response = move(logged_in, project, headers, **form)
        assert response.status_code == 422
        assert "The card was not moved" in text(response)
        assert columns(text(response))["todo"] == list("ABC")


def test_without_script_a_move_redirects_to_the_board(logged_in, token, project,
                                                       cards) -> None:
    response = move(logged_in, project, {}, task_id=cards["B"].id, to="down",
                    csrf_token=token)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/projects/{project}/board")
    page = text(logged_in.get(f"/projects/{project}/board"))
    assert columns(page)["todo"] == list("ACB") and "Moved “B”" in page


def test_a_viewer_sees_the_board_read_only_and_cannot_move(app, client, make_user,
                                                          user, project, cards) -> None:
    viewer = make_user("viewer")
    with app.app_context():
        project_service().add_member(user, project, {"username": "viewer", "role": "viewer"})
    login(client, viewer.email)
    page = text(client.get(f"/projects/{project}/board"))
    assert columns(page)["todo"] == list("ABC")
    assert "data-movable" not in page and ">Move<" not in page and "Move up" not in page
    token = csrf_token(client, f"/projects/{project}/board")
    response = move(client, project, {**HX, "X-CSRFToken": token},
                    task_id=cards["B"].id, to="up")
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"


def test_a_stranger_gets_404_and_a_move_needs_csrf(client, logged_in, make_user, project,
                                                   cards) -> None:
    assert move(logged_in, project, HX, task_id=cards["B"].id, to="up").status_code == 400
    stranger = make_user("stranger")
    other = logged_in.application.test_client()
    login(other, stranger.email)
    assert other.get(f"/projects/{project}/board").status_code == 404
