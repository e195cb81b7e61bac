"""The tasks page and its in-place actions, as full pages and as htmx fragments."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Task, TaskStatus, User
from tests.web.conftest import HX, text
from tests.web.html import form_values

XSS = "<img src=x onerror=alert(1)>"


def stored(app: Flask, task_id: int) -> Task | None:
    with app.app_context():
        task = db.session.get(Task, task_id)
        if task is not None:
            db.session.expunge(task)
        return task


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="task__title" id="task-\d+-name">(.*?)</h3>', html)


# --- the list -----------------------------------------------------------------------

def test_tasks_page_is_a_full_page(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, "Water the plants")
    response = logged_in.get("/")
    page = text(response)
    assert response.status_code == 200
    assert "<title>Tasks · taskweb</title>" in page and "<h1>Tasks</h1>" in page
    assert 'id="add-task"' in page and 'id="task-filters"' in page
    assert titles(page) == ["Water the plants"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_tasks_page_for_htmx_is_just_the_list(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, "Water the plants")
    response = logged_in.get("/?status=todo&priority=&q=&sort=-created_at", headers=HX)
    fragment = text(response)
    assert response.status_code == 200
    assert "<html" not in fragment and 'id="add-task"' not in fragment
    # The view's title for htmx to put on the document, then the list and its count.
    assert fragment.lstrip().startswith('<title>Tasks (filtered) · taskweb</title>')
    assert '<div id="task-list"' in fragment and 'id="task-count"' in fragment
    assert titles(fragment) == ["Water the plants"]
    # Blank and default parameters are dropped from the URL htmx pushes.
    assert response.headers["HX-Push-Url"] == "/?status=todo"


def test_history_restore_gets_the_full_page(logged_in: FlaskClient) -> None:
    response = logged_in.get("/", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in text(response)


def test_new_user_sees_a_welcome_empty_state(logged_in: FlaskClient) -> None:
    page = text(logged_in.get("/"))
    assert "No tasks yet." in page and "No tasks match" not in page


def test_filter_without_match_says_so_and_offers_to_clear(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    make_task(user, "Water the plants")
    fragment = text(logged_in.get("/?q=nothing-like-this&sort=title", headers=HX))
    assert "No tasks match these filters." in fragment and "No tasks yet." not in fragment
    assert 'href="/?sort=title"' in fragment


def test_filters_search_and_sort(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, "Buy milk", priority="high")
    make_task(user, "Buy bread", priority="low", status="completed")
    make_task(user, "Call mum", priority="high", description="about the milk")
    assert titles(text(logged_in.get("/?status=completed"))) == ["Buy bread"]
    assert titles(text(logged_in.get("/?priority=high&sort=title"))) == ["Buy milk", "Call mum"]
    assert titles(text(logged_in.get("/?q=MILK&sort=title"))) == ["Buy milk", "Call mum"]
    assert titles(text(logged_in.get("/?sort=title"))) == ["Buy bread", "Buy milk", "Call mum"]
    page = text(logged_in.get("/?status=completed&priority=low&q=bread&sort=title"))
    assert '<option value="completed" selected>' in page
    assert '<option value="low" selected>' in page
    assert '<option value="title" selected>' in page
    assert 'name="q" value="bread"' in page
    assert "<title>Tasks (filtered) · taskweb</title>" in page


def test_filter_selects_offer_readable_labels(logged_in: FlaskClient) -> None:
    page = text(logged_in.get("/"))
    assert '<label for="filter-status">Filter by status</label>' in page
    assert '<label for="filter-priority">Filter by priority</label>' in page
    assert '<label for="filter-q">Search</label>' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    status_select = page.split('id="filter-status"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', status_select) == [
        ("", "All"), ("todo", "To do"), ("in_progress", "In progress"), ("completed", "Completed"),
    ]


def test_pagination_links_keep_the_filters(logged_in: FlaskClient, user: User, make_task) -> None:
    for number in range(25):
        make_task(user, f"Task {number:02d}", priority="high")
    first = text(logged_in.get("/?priority=high&sort=title"))
    assert len(titles(first)) == 20 and "Page 1 of 2" in first
    assert 'href="/?priority=high&amp;sort=title&amp;page=2"' in first
    second = text(logged_in.get("/?priority=high&sort=title&page=2", headers=HX))
    assert titles(second) == [f"Task {number}" for number in range(20, 25)]
    assert "Showing 21–25 of 25 tasks" in second
    assert 'href="/?priority=high&amp;sort=title"' in second  # Previous: page 1 is the default


def test_a_page_past_the_end_offers_the_first(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, "Only one")
    assert "There are no tasks on page 3." in text(logged_in.get("/?page=3"))


def test_unknown_filter_values_answer_422_with_a_way_back(logged_in: FlaskClient) -> None:
    response = logged_in.get("/?status=someday", headers=HX)
    assert response.status_code == 422
    assert "Those filters could not be understood." in text(response)
    assert logged_in.get("/?page=0").status_code == 422


def test_titles_are_escaped(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, XSS)
    page = text(logged_in.get("/"))
    assert XSS not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_due_dates_read_relative_and_overdue_stands_out(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    today = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
    make_task(user, "Soon", due_date=(today + timedelta(days=2)).isoformat())
    make_task(user, "Late", due_date=(today - timedelta(days=3)).isoformat())
    make_task(user, "Late but done", status="completed",
              due_date=(today - timedelta(days=3)).isoformat())
    page = text(logged_in.get("/?sort=title"))
    rows = dict(zip(titles(page), page.split('<li id="task-')[1:]))
    assert ">in 2 days</time>" in rows["Soon"] and "Overdue" not in rows["Soon"]
    assert "task--overdue" in rows["Late"] and "<strong>Overdue</strong>" in rows["Late"]
    assert ">3 days ago</time>" in rows["Late"]
    assert "task--overdue" not in rows["Late but done"]
    assert f'<time datetime="{(today + timedelta(days=2)).isoformat()}"' in rows["Soon"]


# --- add --------------------------------------------------------------------------

def test_add_over_htmx_answers_a_fresh_form_the_list_and_a_message(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "Buy milk", "description": "semi-skimmed", "priority": "high",
        "due_date": "2030-01-02",
    })
    assert response.status_code == 201
    fragment = text(response)
    form, rest = fragment.split("</form>", 1)
    assert 'id="add-task"' in form and 'value="Buy milk"' not in form and "autofocus" in form
    assert '<div id="task-list" class="task-list" hx-swap-oob="true">' in rest
    assert titles(rest) == ["Buy milk"]
    assert "Added “Buy milk”." in rest
    task = stored(app, 1)
    assert task is not None and task.priority.value == "high"
    assert task.due_date == datetime(2030, 1, 2, tzinfo=timezone.utc)


def test_add_answers_the_list_in_the_view_the_user_is_looking_at(
    logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    make_task(user, "Done already", status="completed")
    hx["HX-Current-URL"] = "http://localhost/?status=completed"
    fragment = text(logged_in.post("/tasks", headers=hx, data={"title": "New", "priority": "low"}))
    assert titles(fragment) == ["Done already"]


def test_add_with_errors_keeps_the_input_next_to_the_messages(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "   ", "description": "keep me", "priority": "urgent",
    })
    assert response.status_code == 422
    fragment = text(response)
    assert fragment.lstrip().startswith('<form id="add-task"')
    assert 'id="new-title-error"' in fragment and 'id="new-priority-error"' in fragment
    assert "keep me" in fragment
    assert stored(app, 1) is None


def test_add_without_javascript_redirects_back_to_the_view(
    logged_in: FlaskClient, token: str
) -> None:
    response = logged_in.post("/tasks", data={"title": "Plain form", "priority": "medium",
                                              "csrf_token": token},
                              headers={"Referer": "http://localhost/?sort=title"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/?sort=title"
    assert "Added “Plain form”." in text(logged_in.get("/"))


def test_add_without_javascript_shows_errors_on_the_page(
    logged_in: FlaskClient, token: str
) -> None:
    response = logged_in.post("/tasks", data={"title": "", "csrf_token": token})
    assert response.status_code == 422
    assert "<h1>Tasks</h1>" in text(response) and 'id="new-title-error"' in text(response)


def test_add_refuses_a_request_without_csrf_token(app: Flask, logged_in: FlaskClient) -> None:
    response = logged_in.post("/tasks", headers=HX, data={"title": "Sneaky"})
    assert response.status_code == 400
    assert stored(app, 1) is None


# --- one task ---------------------------------------------------------------------

def test_row_and_task_page(logged_in: FlaskClient, user: User, make_task) -> None:
    task = make_task(user, "Write report")
    row = text(logged_in.get(f"/tasks/{task.id}", headers=HX))
    assert row.lstrip().startswith(f'<li id="task-{task.id}"')
    assert 'aria-label="Complete Write report"' in row
    assert ">Edit</button>" in row and ">Delete</button>" in row
    page = text(logged_in.get(f"/tasks/{task.id}"))
    assert "<title>Write report · taskweb</title>" in page and "<h1>Task: Write report</h1>" in page


def test_edit_form_carries_the_version(logged_in: FlaskClient, user: User, make_task) -> None:
    task = make_task(user, "Write report", priority="low")
    fragment = text(logged_in.get(f"/tasks/{task.id}/edit", headers=HX))
    assert fragment.lstrip().startswith(f'<li id="task-{task.id}"')
    assert f'name="version" type="hidden" value="{task.version}"' in fragment
    for label in ("Title", "Description", "Status", "Priority", "Due date"):
        assert f">{label}</label>" in fragment
    assert ">Save</button>" in fragment and ">Cancel</button>" in fragment
    assert "<h1>Edit task</h1>" in text(logged_in.get(f"/tasks/{task.id}/edit"))


def _edit(task: Task, **changes: str) -> dict[str, str]:
    return {"title": task.title, "description": "", "status": task.status.value,
            "priority": task.priority.value, "due_date": "", "version": str(task.version),
            **changes}


def test_save_swaps_the_updated_row_back(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Write report")
    response = logged_in.put(f"/tasks/{task.id}", headers=hx,
                             data=_edit(task, title="Write the report", status="in_progress"))
    assert response.status_code == 200
    row = text(response)
    assert titles(row) == ["Write the report"] and "In progress" in row
    assert f'id="task-{task.id}-edit"' in row and "autofocus" in row
    assert stored(app, task.id).version == task.version + 1


def test_save_with_errors_answers_the_form_with_422(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Write report")
    response = logged_in.put(f"/tasks/{task.id}", headers=hx,
                             data=_edit(task, title="", description="typed text"))
    assert response.status_code == 422
    assert f'id="task-{task.id}-title-error"' in text(response) and "typed text" in text(response)
    assert stored(app, task.id).title == "Write report"


def test_a_stale_save_keeps_the_typed_input_beside_the_stored_version(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Write report", priority="low")
    opened = form_values(text(logged_in.get(f"/tasks/{task.id}/edit", headers=hx)))
    logged_in.put(f"/tasks/{task.id}", headers=hx, data={**opened, "title": "Their version"})
    mine = {**opened, "title": "My version", "description": "typed by me", "priority": "high"}
    response = logged_in.put(f"/tasks/{task.id}", headers=hx, data=mine)
    assert response.status_code == 409
    fragment = text(response)
    assert ("changed in another tab or by another request since you opened it"
            in fragment)
    assert "someone else" not in fragment
    # What the person typed is still in the form; the stored version is shown beside it.
    kept = form_values(fragment)
    assert (kept["title"], kept["description"], kept["priority"]) == (
        "My version", "typed by me", "high")
    assert "<dd>Their version</dd>" in fragment and "<dd>Low</dd>" in fragment
    assert stored(app, task.id).title == "Their version"
    # The form now carries the stored version: saving again stores the person's version.
    assert kept["version"] == str(task.version + 1)
    saved = logged_in.put(f"/tasks/{task.id}", headers=hx, data=kept)
    assert saved.status_code == 200
    after = stored(app, task.id)
    assert (after.title, after.description, after.priority.value) == (
        "My version", "typed by me", "high")


def test_a_stale_save_without_javascript_answers_the_page_with_the_form(
    app: Flask, logged_in: FlaskClient, user: User, make_task, token: str
) -> None:
    task = make_task(user, "Write report")
    make_stale = {**_edit(task, title="Theirs"), "csrf_token": token}
    logged_in.post(f"/tasks/{task.id}", data=make_stale)
    response = logged_in.post(f"/tasks/{task.id}",
                              data={**_edit(task, title="Mine"), "csrf_token": token})
    assert response.status_code == 409
    page = text(response)
    assert "<h1>Edit task</h1>" in page and form_values(page)["title"] == "Mine"
    assert stored(app, task.id).title == "Theirs"


def test_save_and_cancel_without_javascript(
    app: Flask, logged_in: FlaskClient, user: User, make_task, token: str
) -> None:
    task = make_task(user, "Write report")
    cancel = logged_in.post(f"/tasks/{task.id}",
                            data={**_edit(task, title="Ignored"), "action": "cancel",
                                  "csrf_token": token})
    assert cancel.status_code == 303 and stored(app, task.id).title == "Write report"
    save = logged_in.post(f"/tasks/{task.id}",
                          data={**_edit(task, title="Saved"), "csrf_token": token})
    assert save.status_code == 303 and stored(app, task.id).title == "Saved"


def test_complete_toggles_in_place(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Write report")
    done = logged_in.post(f"/tasks/{task.id}/complete", headers=hx, data={"completed": "1"})
    assert done.status_code == 200 and " checked" in text(done)
    assert "task--completed" in text(done)
    assert stored(app, task.id).status is TaskStatus.COMPLETED
    undone = logged_in.post(f"/tasks/{task.id}/complete", headers=hx, data={})
    assert " checked" not in text(undone)
    assert stored(app, task.id).status is TaskStatus.TODO


def test_complete_without_javascript_redirects(
    app: Flask, logged_in: FlaskClient, user: User, make_task, token: str
) -> None:
    task = make_task(user, "Write report")
    response = logged_in.post(f"/tasks/{task.id}/complete",
                              data={"completed": "on", "csrf_token": token})
    assert response.status_code == 303
    assert stored(app, task.id).status is TaskStatus.COMPLETED


def test_delete_removes_the_task_and_offers_undo(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Write report", priority="high", description="by Friday",
                     due_date="2030-05-06T00:00:00+00:00", status="in_progress")
    keep = make_task(user, "Keep me")
    response = logged_in.delete(f"/tasks/{task.id}", headers=hx)
    assert response.status_code == 200
    fragment = text(response)
    assert titles(fragment) == ["Keep me"]
    assert "Deleted “Write report”." in fragment and ">Undo</button>" in fragment
    assert stored(app, task.id).deleted_at is not None  # in the trash
    assert stored(app, keep.id).deleted_at is None
    undo = dict(re.findall(r'<input id="undo-\w+" name="(\w+)" type="hidden" value="([^"]*)">',
                           fragment))
    assert undo == {"ids": str(task.id)}
    undo["csrf_token"] = hx["X-CSRFToken"]
    restored = logged_in.post("/tasks/restore", headers=hx, data=undo)
    assert restored.status_code == 200
    assert sorted(titles(text(restored))) == ["Keep me", "Write report"]
    assert "Restored “Write report”." in text(restored)
    assert f'id="task-{task.id}"' in text(restored)  # the same task, not a copy
    with app.app_context():
        again = db.session.query(Task).filter_by(title="Write report").one()
        assert again.id == task.id and again.deleted_at is None
        assert (again.priority.value, again.status.value, again.description) == (
            "high", "in_progress", "by Friday")
        assert again.due_date == datetime(2030, 5, 6, tzinfo=timezone.utc)


def test_delete_without_javascript(
    app: Flask, logged_in: FlaskClient, user: User, make_task, token: str
) -> None:
    task = make_task(user, "Write report")
    response = logged_in.post(f"/tasks/{task.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert stored(app, task.id).deleted_at is not None
    assert "Deleted “Write report”." in text(logged_in.get("/"))


def test_delete_refuses_a_request_without_csrf_header(
    app: Flask, logged_in: FlaskClient, user: User, make_task
) -> None:
    task = make_task(user, "Write report")
    assert logged_in.delete(f"/tasks/{task.id}", headers=HX).status_code == 400
    assert logged_in.post(f"/tasks/{task.id}/delete").status_code == 400
    assert logged_in.post(f"/tasks/{task.id}/complete", data={"completed": "1"}).status_code == 400
    assert logged_in.put(f"/tasks/{task.id}", data=_edit(task, title="x")).status_code == 400
    after = stored(app, task.id)
    assert after is not None and after.title == "Write report"
    assert after.status is TaskStatus.TODO


# --- ownership --------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "data"), [
    ("get", "/tasks/{id}", None),
    ("get", "/tasks/{id}/edit", None),
    ("put", "/tasks/{id}", {"title": "Mine now", "version": "1"}),
    ("post", "/tasks/{id}", {"title": "Mine now", "version": "1"}),
    ("post", "/tasks/{id}/complete", {"completed": "1"}),
    ("delete", "/tasks/{id}", None),
    ("post", "/tasks/{id}/delete", None),
])
def test_another_users_task_is_not_found(
    app: Flask, logged_in: FlaskClient, other_user: User, make_task, hx: dict[str, str],
    method: str, path: str, data: dict[str, str] | None,
) -> None:
    theirs = make_task(other_user, "Their secret")
    url = path.format(id=theirs.id)
    as_fragment = getattr(logged_in, method)(url, headers=hx, data=data)
    assert as_fragment.status_code == 404
    assert "Their secret" not in text(as_fragment)
    assert "This task no longer exists" in text(as_fragment)
    page = getattr(logged_in, method)(url, headers={"X-CSRFToken": hx["X-CSRFToken"]}, data=data)
    assert page.status_code == 404 and "<html" in text(page)
    after = stored(app, theirs.id)
    assert after is not None and after.title == "Their secret"
    assert after.status is TaskStatus.TODO


def test_the_list_shows_only_the_users_own_tasks(
    logged_in: FlaskClient, user: User, other_user: User, make_task
) -> None:
    make_task(user, "Mine")
    make_task(other_user, "Theirs")
    assert titles(text(logged_in.get("/"))) == ["Mine"]
