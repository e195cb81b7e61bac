"""A task as the API shows it, as a JSON-ready dict: the API's answers, the sync feed and
webhook events all carry this one shape (built directly: it is on the hot paths).

The marshmallow schemas in taskweb/api/schemas.py describe the same shape for the OpenAPI
document; a test holds the two together (tests/integration/api/test_serializers.py).
"""

from __future__ import annotations

from typing import Any

from taskweb.domain.task_query import TaskPage
from taskweb.models import Task


def task_json(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.value,
        "due_date": task.due_date,
        "owner_id": task.owner_id,
        "created_by": task.owner_id,
        "project_id": task.project_id,
        "labels": task.label_names,
        "parent_id": task.parent_id,
        "assignee_id": task.assignee_id,
        "position": task.position,
        "recurrence": task.recurrence,
        "completed_at": task.completed_at,
        "reminders": task.reminders,
        "subtasks": task.subtasks,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
    }


def page_json(page: TaskPage) -> dict[str, Any]:
    return {
        "items": [task_json(task) for task in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }
