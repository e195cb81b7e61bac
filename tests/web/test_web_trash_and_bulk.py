"""The Trash page and bulk actions in the browser adapter (htmx and plain forms)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import selectinload

from taskweb.extensions import db
from taskweb.models import Task, TaskStatus, User
from tests.web.conftest import text
from tests.web.test_web_tasks import stored, titles


def _trash(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Task.id).where(Task.deleted_at.is_not(None))
                                       .order_by(Task.id)))


def test_the_trash_page_lists_deleted_tasks_with_when(logged_in: FlaskClient, user: User,
                                                      make_task, hx) -> None:
    gone = make_task(user, "Old plan")
    make_task(user, "Step", parent_id=gone.id)
    logged_in.delete(f"/tasks/{gone.id}", headers=hx)
    page = text(logged_in.get("/trash"))
    assert "<h1>Trash</h1>" in page and 'aria-current="page"' in page
    assert f'id="trash-task-{gone.id}"' in page and "Old plan" in page
    assert "with 1 subtask" in page and "Deleted <time datetime=" in page
    for name in ("Restore", "Delete forever", "Empty trash"):
        assert f">{name}</button>" in page
    assert 'data-confirm="delete-forever-dialog"' in page
    assert '<dialog id="empty-trash-dialog"' in page
    fragment = text(logged_in.get("/trash", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith('<section id="trash"') or 'id="trash"' in fragment


def test_restore_from_the_trash_keeps_the_id(app: Flask, logged_in: FlaskClient, user: User,
                                             make_task, hx) -> None:
    task = make_task(user, "Keep", labels=["home"])
    logged_in.delete(f"/tasks/{task.id}", headers=hx)
    response = logged_in.post(f"/trash/{task.id}/restore", headers=hx)
    assert response.status_code == 200
    body = text(response)
    assert "Restored “Keep”." in body and "The trash is empty." in body
    assert 'id="sidebar-lists"' in body  # the counts change
    assert f'id="task-{task.id}"' in text(logged_in.get("/"))
    assert _trash(app) == []


def test_delete_forever_and_empty_trash_with_and_without_script(
        app: Flask, logged_in: FlaskClient, user: User, make_task, hx, token) -> None:
    ids = [make_task(user, f"t{n}").id for n in range(3)]
    for task_id in ids:
        logged_in.delete(f"/tasks/{task_id}", headers=hx)
    forever = logged_in.post(f"/trash/{ids[0]}/delete", headers=hx)
    assert forever.status_code == 200 and "Deleted the task for good." in text(forever)
    assert stored(app, ids[0]) is None
    plain = logged_in.post("/trash/empty", data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/trash")
    assert "The trash is empty." in text(logged_in.get("/trash"))
    assert _trash(app) == []


def test_trash_actions_need_csrf_and_a_task_in_the_trash(logged_in: FlaskClient, user: User,
                                                        make_task, hx) -> None:
    task = make_task(user, "Live")
    assert logged_in.post(f"/trash/{task.id}/delete").status_code == 400
    assert logged_in.post("/trash/empty").status_code == 400
    response = logged_in.post(f"/trash/{task.id}/restore", headers=hx)
    assert response.status_code == 404 and "is not in the trash" in text(response)


def test_rows_carry_the_selection_checkbox_and_the_bar(logged_in: FlaskClient, user: User,
                                                        make_task) -> None:
    task = make_task(user, "Pick me")
    page = text(logged_in.get("/"))
    assert (f'<input type="checkbox" class="task__select" name="ids" value="{task.id}" '
            f'form="bulk-actions" aria-label="Select Pick me">') in page
    assert '<form id="bulk-actions"' in page
    for name in ("Complete selected", "Delete selected", "Move to project", "Set priority",
                 "Set due date", "Add label", "Remove label"):
        assert f">{name}</button>" in page


def test_bulk_complete_answers_the_list_and_the_message(app: Flask, logged_in: FlaskClient,
                                                        user: User, make_task, hx) -> None:
    ids = [make_task(user, f"t{n}").id for n in range(4)]
    response = logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": [str(i) for i in ids[:3]], "action": "complete"})
    assert response.status_code == 200
    assert "Completed 3 tasks." in text(response)
    assert [stored(app, i).status for i in ids] == [TaskStatus.COMPLETED] * 3 + [TaskStatus.TODO]


def test_bulk_delete_offers_undo_that_restores_them_all(app: Flask, logged_in: FlaskClient,
                                                        user: User, make_task, hx) -> None:
    ids = [make_task(user, f"t{n}").id for n in range(3)]
    deleted = text(logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": [str(i) for i in ids[:2]], "action": "delete"}))
    assert "Deleted 2 tasks." in deleted and ">Undo</button>" in deleted
    assert titles(deleted) == ["t2"]
    undo = dict(re.findall(r'<input id="undo-\w+" name="(\w+)" type="hidden" value="([^"]*)">',
                           deleted))
    restored = text(logged_in.post("/tasks/restore", headers=hx,
                                   data={**undo, "csrf_token": hx["X-CSRFToken"]}))
    assert "Restored 2 tasks." in restored
    assert sorted(titles(restored)) == ["t0", "t1", "t2"]
    assert _trash(app) == []


def test_bulk_fields_and_errors(app: Flask, logged_in: FlaskClient, user: User, make_task,
                                hx, token) -> None:
    ids = [str(make_task(user, f"t{n}").id) for n in range(2)]
    labelled = logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": ids, "action": "add_labels", "label": "errand, home"})
    assert labelled.status_code == 200 and "Labelled 2 tasks." in text(labelled)
    assert stored_labels(app, int(ids[0])) == ["errand", "home"]
    dated = logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": ids, "action": "set_due_date", "due_date": "2030-05-06"})
    assert dated.status_code == 200 and stored(app, int(ids[0])).due_date is not None
    nothing = logged_in.post("/tasks/bulk", headers=hx, data={"action": "complete"})
    assert nothing.status_code == 422 and "Select at least one task" in text(nothing)
    bad = logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": ids, "action": "set_priority", "priority": "urgent"})
    assert bad.status_code == 422 and "Must be one of" in text(bad)
    missing = logged_in.post("/tasks/bulk", headers=hx, data={
        "ids": [*ids, "999999"], "action": "complete"})
    assert missing.status_code == 404
    assert stored(app, int(ids[0])).status is TaskStatus.TODO  # all or nothing
    plain = logged_in.post("/tasks/bulk", data={"ids": ids, "action": "complete",
                                                "csrf_token": token})
    assert plain.status_code == 303
    assert "Completed 2 tasks." in text(logged_in.get("/"))
    assert logged_in.post("/tasks/bulk", data={"ids": ids, "action": "delete"}
                          ).status_code == 400  # no CSRF token


def stored_labels(app: Flask, task_id: int) -> list[str]:
    with app.app_context():
        task = db.session.get(Task, task_id, options=[selectinload(Task.labels)])
        return task.label_names
