"""Webhooks end to end: the API registers one, task writes fill the outbox, the jobs
(run as the schedule runs them) POST to a receiver in the test process. The clock is
frozen and moved by hand, so retries are checked by their times, not by waiting."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from taskweb.extensions import db
from taskweb.models import OutboxEvent, TaskEventKind
from taskweb.wiring import task_service
from tests.integration.api.sharing import new_project, new_task, share

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def deliveries(client, headers, webhook_id: int) -> list[dict]:
    response = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_each_event_is_posted_signed_with_the_task_as_the_api_shows_it(
        client, auth_headers, receiver, register, run_jobs) -> None:
    # By name: resolved once, connected to by address, asked for by name.
    hook = register(receiver.url.replace("127.0.0.1", "localhost"))
    task = new_task(client, auth_headers, "Signed", labels=["home"])
    run_jobs()

    [request] = receiver.received
    assert request.headers["Host"] == f"localhost:{receiver.server.server_address[1]}"
    assert request.path == "/hook"
    expected = "sha256=" + hmac.new(hook["secret"].encode(), request.body,
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-Taskweb-Signature"], expected)
    assert request.headers["X-Taskweb-Event"] == "task.created"
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert set(body) == {"id", "event", "occurred_at", "data"}
    assert body["event"] == "task.created" and body["data"] == task
    [delivery] = deliveries(client, auth_headers, hook["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 1
    assert delivery["last_response_code"] == 200 and delivery["duration_ms"] >= 0
    assert request.headers["X-Taskweb-Delivery"]


def test_failures_are_retried_with_growing_gaps_until_a_2xx(
        client, auth_headers, receiver, register, run_jobs, stand_at) -> None:
    stand_at(T0)
    hook = register(receiver.url, ["task.created"])
    receiver.statuses.extend([500, 503, 500])
    new_task(client, auth_headers)
    run_jobs()
    attempts = [T0]
    for expected in (1, 2, 3):
        [delivery] = deliveries(client, auth_headers, hook["id"])
        assert delivery["status"] == "pending" and delivery["attempts"] == expected
        assert delivery["last_response_code"] in (500, 503)
        attempts.append(at(delivery["next_attempt_at"]))
        stand_at(attempts[-1] - timedelta(seconds=1))
        run_jobs()  # not yet due
        assert len(receiver.received) == expected
        stand_at(attempts[-1])
        run_jobs()
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:])]
    assert gaps[0] <= timedelta(seconds=60)
    assert gaps[0] <= gaps[1] < gaps[2]
    [delivery] = deliveries(client, auth_headers, hook["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 4
    assert len(receiver.received) == 4
    assert len({request.headers["X-Taskweb-Delivery"] for request in receiver.received}) == 1


def test_a_task_s_events_arrive_in_order_even_when_the_first_fails(
        client, auth_headers, receiver, register, run_jobs, stand_at) -> None:
    stand_at(T0)
    register(receiver.url)
    other = new_task(client, auth_headers, "Other")
    receiver.statuses.append(500)  # the first request: the other task's creation
    task = new_task(client, auth_headers, "Ordered")
    for task_id, change in ((task["id"], {"title": "Ordered too"}),
                            (other["id"], {"status": "completed"})):
        response = client.patch(f"/api/v1/tasks/{task_id}", json=change, headers=auth_headers)
        assert response.status_code == 200, response.get_json()
    run_jobs()
    stand_at(T0 + timedelta(minutes=2))
    run_jobs()
    run_jobs()
    seen = [(json.loads(r.body)["data"]["title"], r.headers["X-Taskweb-Event"])
            for r in receiver.received]
    other_events = [event for title, event in seen if title == "Other"]
    assert other_events == ["task.created", "task.created", "task.completed"]
    assert [event for title, event in seen if title.startswith("Ordered")] == [
        "task.created", "task.updated"]


def test_redelivery_sends_the_same_event_again_as_a_new_delivery(
        client, auth_headers, receiver, register, run_jobs) -> None:
    hook = register(receiver.url)
    new_task(client, auth_headers)
    run_jobs()
    [first] = deliveries(client, auth_headers, hook["id"])
    response = client.post(
        f"/api/v1/webhooks/{hook['id']}/deliveries/{first['id']}/redeliver",
        headers=auth_headers)
    assert response.status_code == 202, response.get_json()
    run_jobs()
    assert len(receiver.received) == 2
    one, two = receiver.received
    assert one.body == two.body
    assert one.headers["X-Taskweb-Delivery"] != two.headers["X-Taskweb-Delivery"]
    newest, oldest = deliveries(client, auth_headers, hook["id"])
    assert newest["id"] == response.get_json()["id"] and newest["status"] == "delivered"
    assert oldest["id"] == first["id"] and oldest["attempts"] == 1


def test_a_webhook_failing_for_a_day_is_disabled_and_its_owner_told(
        client, auth_headers, receiver, register, run_jobs, stand_at) -> None:
    stand_at(T0)
    hook = register(receiver.url, ["task.created"])
    receiver.statuses.extend([500] * 10)
    new_task(client, auth_headers)
    run_jobs()
    stand_at(T0 + timedelta(hours=23))
    run_jobs()
    listed = client.get("/api/v1/webhooks", headers=auth_headers).get_json()["items"]
    assert listed[0]["disabled_at"] is None and at(listed[0]["failing_since"]) == T0
    stand_at(T0 + timedelta(hours=24, minutes=1))
    run_jobs()
    [listed] = client.get("/api/v1/webhooks", headers=auth_headers).get_json()["items"]
    assert listed["disabled_at"] is not None
    [delivery] = deliveries(client, auth_headers, hook["id"])
    assert delivery["status"] == "failed"
    notes = client.get("/api/v1/notifications", headers=auth_headers).get_json()["items"]
    assert any("webhook" in note["message"] and receiver.url in note["message"]
               for note in notes)
    sent = len(receiver.received)
    new_task(client, auth_headers)
    run_jobs()
    assert len(receiver.received) == sent  # disabled: nothing more is sent


def test_an_address_refused_at_delivery_is_not_connected_to(
        client, auth_headers, receiver, register, run_jobs, app, monkeypatch) -> None:
    # "localhost" resolves to 127.0.0.1: allowed at registration, refused once the
    # deployment no longer allows private addresses (a name can change what it means).
    hook = register(receiver.url.replace("127.0.0.1", "localhost"))
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    new_task(client, auth_headers)
    run_jobs()
    assert receiver.received == []
    [delivery] = deliveries(client, auth_headers, hook["id"])
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert delivery["last_response_code"] is None


def test_only_what_the_owner_can_see_is_sent(
        client, auth_headers, other_auth_headers, other_user, receiver, register,
        run_jobs) -> None:
    response = client.post("/api/v1/webhooks", headers=other_auth_headers, json={
        "url": receiver.url, "events": ["task.created", "project.shared"]})
    assert response.status_code == 201
    new_task(client, auth_headers, "Private")
    project = new_project(client, auth_headers, "Team")
    share(client, auth_headers, project["id"], other_user.username, "viewer")
    new_task(client, auth_headers, "Shared", project_id=project["id"])
    run_jobs()
    events = [(r.headers["X-Taskweb-Event"], json.loads(r.body)["data"]) for r in receiver.received]
    assert [event for event, _ in events] == ["project.shared", "task.created"]
    assert events[0][1]["member"]["username"] == other_user.username
    assert events[1][1]["title"] == "Shared"


def test_a_project_webhook_hears_of_its_project_only(
        client, auth_headers, receiver, register, run_jobs) -> None:
    project = new_project(client, auth_headers, "Garden")
    register(receiver.url, ["task.created"], project_id=project["id"])
    new_task(client, auth_headers, "Inbox task")
    new_task(client, auth_headers, "Garden task", project_id=project["id"])
    run_jobs()
    assert [json.loads(r.body)["data"]["title"] for r in receiver.received] == ["Garden task"]


def test_a_rolled_back_change_writes_no_event_and_a_committed_one_does(
        app, user, receiver, register) -> None:
    register(receiver.url)
    with app.app_context():
        service = task_service()
        task = service.create(user, {"title": "Kept"})
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 1
        try:
            with service.uow:
                service.uow.history.record(task.id, user.id, TaskEventKind.CHANGED, T0)
                raise RuntimeError("the change fails after its history was written")
        except RuntimeError:
            pass
        db.session.commit()
        events = db.session.scalars(select(OutboxEvent.event)).all()
    assert events == ["task.created"]


def test_a_bulk_action_writes_one_event_per_task(client, auth_headers, app, receiver,
                                                  register) -> None:
    register(receiver.url)
    ids = [new_task(client, auth_headers, f"T{n}")["id"] for n in range(3)]
    response = client.post("/api/v1/tasks/bulk", json={"ids": ids, "action": "complete"},
                           headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        rows = db.session.execute(select(OutboxEvent.event, OutboxEvent.task_id,
                                         OutboxEvent.payload)
                                  .where(OutboxEvent.event == "task.completed")).all()
    assert sorted(task_id for _, task_id, _ in rows) == sorted(ids)
    assert all(payload["status"] == "completed" for _, _, payload in rows)


def test_events_nobody_may_hear_are_not_written(
        client, auth_headers, other_auth_headers, app, receiver, register, run_jobs) -> None:
    """Only a webhook of a member of the task's project makes its events worth keeping: a
    stranger's webhook, or a project webhook elsewhere, does not."""
    response = client.post("/api/v1/webhooks", headers=other_auth_headers,
                           json={"url": receiver.url, "events": ["task.created"]})
    assert response.status_code == 201
    garden = new_project(client, auth_headers, "Garden")
    register(receiver.url, ["task.created"], project_id=garden["id"])
    new_task(client, auth_headers, "Unheard")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    new_task(client, auth_headers, "Heard", project_id=garden["id"])
    run_jobs()
    assert [json.loads(r.body)["data"]["title"] for r in receiver.received] == ["Heard"]
