"""/api/v1/notifications: what the bell shows, marked read one by one or all at once."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.request_checks import body_optional
from taskweb.api.serializers import json_response
from taskweb.models import Notification, NotificationKind
from taskweb.services.notifications import parse_notification_query
from taskweb.wiring import notification_service

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/v1/notifications",
    description="Your notifications: a reminder came due, somebody assigned you a task or "
    "shared a project with you. Each is yours alone: another user's is a 404.",
)


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={
        "enum": [kind.value for kind in NotificationKind]})
    message = fields.String(required=True, metadata={
        "description": "One line for people, e.g. “Alice assigned you “Buy milk” in Home”."})
    task_id = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The task it is about (null for a shared project, or once the "
                       "task is deleted for good)."})
    project_id = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The project it is about (the task's, for a task)."})
    created_at = fields.AwareDateTime(required=True)
    read_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "When you marked it read; null while unread."})


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), required=True)


class MarkedReadSchema(Schema):
    marked_read = fields.Integer(required=True, metadata={
        "description": "How many were unread and are now read (0 when none were)."})


LIST_PARAMETERS = [
    {"in": "query", "name": "unread", "required": False,
     "schema": {"type": "boolean", "default": False},
     "description": "`true`: only the unread ones."},
    *paging_parameters("Notifications"),
]
NOTIFICATION_ID = {"in": "path", "name": "notification_id", "required": True,
                   "schema": {"type": "integer", "minimum": 1},
                   "description": "The notification's id."}


def notification_json(notification: Notification) -> dict[str, Any]:
    return {"id": notification.id, "kind": notification.kind.value,
            "message": notification.message, "task_id": notification.task_id,
            "project_id": notification.project_id, "created_at": notification.created_at,
            "read_at": notification.read_at}


@blp.route("/")
class NotificationCollection(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=LIST_PARAMETERS)
    @blp.response(200, NotificationPageSchema)
    @documents_problems(blp, 422)
    def get(self):
        """Your notifications, newest first."""
        query = parse_notification_query(request.args.to_dict(flat=False))
        items = notification_service().list(current_user, query)
        return json_response({"items": [notification_json(item) for item in items]})


@blp.route("/<int:notification_id>/read", parameters=[NOTIFICATION_ID])
class NotificationRead(MethodView):
    @bearer_protected(blp)
    @blp.response(200, NotificationSchema)
    @documents_problems(blp, 404, 422)
    @body_optional
    def post(self, notification_id: int):
        """Mark one notification read (one read already keeps its `read_at`)."""
        notification = notification_service().mark_read(current_user, notification_id)
        return json_response(notification_json(notification))


@blp.route("/read-all")
class NotificationsReadAll(MethodView):
    @bearer_protected(blp)
    @blp.response(200, MarkedReadSchema)
    @body_optional
    def post(self):
        """Mark every unread notification read; says how many there were."""
        return json_response({"marked_read": notification_service().mark_all_read(current_user)})
