from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.webhook_receiver import Receiver, running_receiver

FAN_OUT = "taskweb.jobs.webhooks.fan_out_webhook_events"
DISPATCH = "taskweb.jobs.webhooks.dispatch_webhook_deliveries"


@pytest.fixture(scope="module")
def _receiver() -> Iterator[Receiver]:
    yield from running_receiver()


@pytest.fixture
def receiver(_receiver: Receiver, app: Flask, monkeypatch) -> Receiver:
    """The module's receiver, emptied; the app may reach loopback for this test."""
    _receiver.reset()
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    return _receiver


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], None]:
    """One tick of the schedule: the fan-out (which sends what is due at once) and the
    dispatch of the deliveries whose retry time has come."""

    def run() -> None:
        tasks = app.extensions["celery"].tasks
        for name in (FAN_OUT, DISPATCH):
            result = tasks[name].apply()
            assert result.successful(), result.result

    return run


@pytest.fixture
def register(client: FlaskClient, auth_headers: dict[str, str]
             ) -> Callable[..., dict[str, Any]]:
    def make(url: str, events: list[str] | None = None, **fields: Any) -> dict[str, Any]:
        response = client.post("/api/v1/webhooks", headers=auth_headers, json={
            "url": url, "events": events or ["task.created", "task.updated",
                                             "task.completed", "task.deleted"], **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make
