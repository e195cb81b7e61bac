"""Manual order in a project's list (sort=position): drag handles and Move up / Move
down on each row an editor may change, the move, and the lists that have none."""

from __future__ import annotations

import re

import pytest

from taskweb.wiring import project_service
from tests.web.conftest import HX, login, text


@pytest.fixture
def project(app, user):
    with app.app_context():
        return project_service().create(user, {"name": "Errands"}).project.id


@pytest.fixture
def rows(make_task, user, project):
    return {title: make_task(user, title, project_id=project) for title in "ABC"}


def order(page: str) -> list[str]:
    return re.findall(r'class="task__title" id="task-\d+-name">([^<]+)<', page)


def test_a_project_in_manual_order_has_handles_and_move_buttons(logged_in, project,
                                                                rows) -> None:
    page = text(logged_in.get(f"/projects/{project}?sort=position"))
    assert order(page) == list("ABC")
    assert page.count('class="task__handle"') == 3
    assert page.count(">Move up</button>") == 2 and page.count(">Move down</button>") == 2
    assert '<option value="position" selected>Manual order</option>' in page
    # Another sort, or every project at once: no manual order to change.
    assert "task__handle" not in text(logged_in.get(f"/projects/{project}"))
    assert "task__handle" not in text(logged_in.get("/?sort=position"))


def test_move_up_and_down_answer_with_the_list(logged_in, token, project, rows) -> None:
    headers = {**HX, "X-CSRFToken": token,
               "HX-Current-URL": f"http://localhost/projects/{project}?sort=position"}
    response = logged_in.post(f"/tasks/{rows['C'].id}/move", headers=headers,
                              data={"before_id": rows["B"].id})
    assert response.status_code == 200
    assert order(text(response)) == list("ACB") and "Moved “C”." in text(response)
    response = logged_in.post(f"/tasks/{rows['A'].id}/move", headers=headers,
                              data={"after_id": rows["B"].id})
    assert order(text(response)) == list("CBA")
    assert order(text(logged_in.get(f"/projects/{project}?sort=position"))) == list("CBA")
    response = logged_in.post(f"/tasks/{rows['A'].id}/move", headers=headers,
                              data={"after_id": "x"})
    assert response.status_code == 422 and "The task was not moved" in text(response)


def test_without_script_a_move_goes_back_to_the_list(logged_in, token, project, rows) -> None:
    response = logged_in.post(
        f"/tasks/{rows['B'].id}/move", data={"before_id": rows["A"].id, "csrf_token": token},
        headers={"Referer": f"http://localhost/projects/{project}?sort=position"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/projects/{project}?sort=position"


def test_a_viewer_has_no_handles_and_cannot_move(app, client, make_user, user, project,
                                                 rows) -> None:
    viewer = make_user("viewer")
    with app.app_context():
        project_service().add_member(user, project, {"username": "viewer", "role": "viewer"})
    login(client, viewer.email)
    page = text(client.get(f"/projects/{project}?sort=position"))
    assert order(page) == list("ABC") and "task__handle" not in page
    from tests.web.conftest import csrf_token
    token = csrf_token(client, f"/projects/{project}")
    response = client.post(f"/tasks/{rows['B'].id}/move", data={"before_id": rows["A"].id},
                           headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 403
