"""Fan-outs and dispatches running at once (as several workers do) hand each event and
each attempt out once; a worker whose claim was taken over records nothing."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select

from taskweb.extensions import db
from taskweb.models import WebhookDelivery
from taskweb.wiring import webhook_dispatcher
from tests.integration.api.sharing import new_task

DELIVER = "taskweb.jobs.webhooks.deliver_webhook"


def at_once(app, count: int, work) -> list:
    """``work()`` in ``count`` threads (each with its own app context and session),
    started together; their results."""
    barrier = threading.Barrier(count)
    results: list = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            results.append(work())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_simultaneous_fan_outs_and_claims_hand_each_out_once(
        app, client, auth_headers, register, receiver) -> None:
    register(receiver.url, ["task.created"])
    for n in range(12):
        new_task(client, auth_headers, f"T{n}")

    def fan_out_in_small_batches() -> int:
        done = 0
        while (batch := webhook_dispatcher().fan_out(limit=3)):
            done += batch
        return done

    assert sum(at_once(app, 3, fan_out_in_small_batches)) == 12
    with app.app_context():
        events = db.session.scalars(select(WebhookDelivery.event_id)).all()
    assert sorted(Counter(events).values()) == [1] * 12

    claims = at_once(app, 3, lambda: webhook_dispatcher().claim_due(limit=4))
    claimed = [delivery for batch in claims for delivery in batch]
    assert len(claimed) == len({delivery for delivery, _ in claimed}) == 12
    assert {attempt for _, attempt in claimed} == {1}


def test_an_attempt_taken_over_sends_and_records_nothing(
        app, client, auth_headers, register, receiver, run_jobs) -> None:
    hook = register(receiver.url, ["task.created"])
    new_task(client, auth_headers)
    run_jobs()
    [delivery] = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries",
                            headers=auth_headers).get_json()["items"]
    deliver = app.extensions["celery"].tasks[DELIVER]
    for stale_attempt in (1, 2):  # done already; never claimed
        assert deliver.apply(args=(delivery["id"], stale_attempt)).result is None
    assert len(receiver.received) == 1
