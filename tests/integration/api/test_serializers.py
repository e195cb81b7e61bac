"""The hand-built JSON of the hot paths says exactly what the documented schemas say."""

from __future__ import annotations

import json

from taskweb.api.schemas import TaskPageSchema, TaskSchema
from taskweb.domain.task_json import page_json, task_json
from taskweb.domain.task_query import TaskQuery
from taskweb.wiring import task_service


def test_task_and_page_json_match_the_schemas(app, user, make_task) -> None:
    make_task(user, "plain")
    make_task(user, "full", description="d", priority="high", status="completed",
              due_date="2026-12-01T10:00:00+02:00")
    with app.app_context():
        page = task_service().list(user, TaskQuery())
        encoded = json.loads(app.json.dumps(page_json(page)))
        assert encoded == TaskPageSchema().dump(page)
        for task in page.items:
            assert json.loads(app.json.dumps(task_json(task))) == TaskSchema().dump(task)
