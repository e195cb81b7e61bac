"""/api/v1/webhooks: the caller's webhooks and their deliveries. The signing secret is
in the answer to the create call only; another person's webhook is a 404. Managing
webhooks needs a login access token: a personal token that could add one could send
everything it sees anywhere."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.request_checks import body_optional
from taskweb.api.schemas import StrictSchema
from taskweb.api.serializers import json_response
from taskweb.domain.webhooks import EVENTS, MAX_URL_LENGTH
from taskweb.models import DeliveryStatus, Webhook
from taskweb.services.task_query import parse_page
from taskweb.services.webhooks import DeliveryPage
from taskweb.wiring import webhook_service

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Webhooks: taskweb POSTs each event you subscribe to, signed "
                "with the webhook's secret (`X-Taskweb-Signature: sha256=<hex HMAC-SHA256 of "
                "the body>`), retried with backoff for 24 h, in order per task. Managing them "
                "needs a login access token.")


class WebhookCreateSchema(StrictSchema):
    url = fields.Raw(required=True, metadata={
        "type": "string", "maxLength": MAX_URL_LENGTH,
        "description": "An http(s) URL. Private, loopback and link-local addresses are "
                       "refused (422 naming `url`) unless the server allows private ones."})
    events = fields.Raw(required=True, metadata={
        "type": "array", "minItems": 1, "items": {"type": "string", "enum": list(EVENTS)},
        "description": "The events to send (422 naming `events` for an unknown one)."})
    project_id = fields.Raw(allow_none=True, metadata={
        "type": "integer", "minimum": 1, "nullable": True,
        "description": "Only this project's events (you must be allowed to manage it: "
                       "403; a project you cannot see: 404). Omitted: every project "
                       "you belong to."})


class WebhookSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(metadata={"enum": list(EVENTS)}), required=True)
    project_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    failing_since = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "Since when every attempt has failed; null while it delivers."})
    disabled_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "Set after 24 h of failures (a redelivery turns it on again)."})


class CreatedWebhookSchema(WebhookSchema):
    secret = fields.String(required=True, metadata={
        "description": "The signing secret: shown this once."})


class WebhookListSchema(Schema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class DeliverySchema(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"enum": list(EVENTS)})
    status = fields.String(required=True,
                           metadata={"enum": [status.value for status in DeliveryStatus]})
    attempts = fields.Integer(required=True)
    last_response_code = fields.Integer(required=True, allow_none=True, metadata={
        "description": "null when nothing answered (timeout, refused connection or "
                       "address)."})
    last_attempt_at = fields.AwareDateTime(required=True, allow_none=True)
    duration_ms = fields.Integer(required=True, allow_none=True)
    next_attempt_at = fields.AwareDateTime(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)


class DeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class RedeliverySchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The new delivery's id."})
    status = fields.String(required=True, metadata={"enum": ["pending"]})


WEBHOOK_ID = {"in": "path", "name": "webhook_id", "required": True,
              "schema": {"type": "integer", "minimum": 1}}
DELIVERY_ID = {"in": "path", "name": "delivery_id", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
LOCATION = {"Location": {"description": "URL of the new webhook.", "schema": {"type": "string"}}}


def webhook_json(webhook: Webhook) -> dict[str, Any]:
    return {"id": webhook.id, "url": webhook.url, "events": webhook.events,
            "project_id": webhook.project_id, "created_at": webhook.created_at,
            "failing_since": webhook.failing_since, "disabled_at": webhook.disabled_at}


def deliveries_json(page: DeliveryPage) -> dict[str, Any]:
    return {"items": [
        {"id": view.delivery.id, "event": view.event, "status": view.delivery.status.value,
         "attempts": view.delivery.attempts,
         "last_response_code": view.delivery.last_response_code,
         "last_attempt_at": view.delivery.last_attempt_at,
         "duration_ms": view.delivery.duration_ms,
         "next_attempt_at": view.delivery.next_attempt_at,
         "created_at": view.delivery.created_at} for view in page.items],
        "total": page.total, "limit": page.limit, "offset": page.offset}


@blp.route("/")
class WebhookCollection(MethodView):
    @bearer_protected(blp)
    @blp.response(200, WebhookListSchema)
    @documents_problems(blp, 403)
    def get(self):
        """Your webhooks, newest first (without their secrets)."""
        return json_response({"items": [webhook_json(webhook)
                                         for webhook in webhook_service().list(current_user)]})

    @bearer_protected(blp)
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, CreatedWebhookSchema, headers=LOCATION)
    @documents_problems(blp, 400, 403, 404, 409, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Register a webhook; its signing secret is in this answer only."""
        registered = webhook_service().register(current_user, body)
        answer = {**webhook_json(registered.webhook), "secret": registered.secret}
        location = url_for("webhooks.WebhookItem", webhook_id=registered.webhook.id)
        return json_response(answer, 201, {"Location": location})


@blp.route("/<int:webhook_id>", parameters=[WEBHOOK_ID])
class WebhookItem(MethodView):
    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 403, 404)
    def delete(self, webhook_id: int):
        """Delete a webhook and its deliveries: nothing more is sent to it."""
        webhook_service().delete(current_user, webhook_id)


@blp.route("/<int:webhook_id>/deliveries", parameters=[WEBHOOK_ID])
class WebhookDeliveries(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=paging_parameters("Deliveries"))
    @blp.response(200, DeliveryPageSchema)
    @documents_problems(blp, 403, 404, 422)
    def get(self, webhook_id: int):
        """The webhook's deliveries, newest first: status, attempts, the last response's
        code and how long it took (response bodies are not kept)."""
        limit, offset = parse_page(request.args.to_dict(flat=False))
        return json_response(deliveries_json(
            webhook_service().deliveries(current_user, webhook_id, limit, offset)))


@blp.route("/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
           parameters=[WEBHOOK_ID, DELIVERY_ID])
class Redelivery(MethodView):
    @body_optional
    @bearer_protected(blp)
    @blp.response(202, RedeliverySchema)
    @documents_problems(blp, 400, 403, 404, 415)
    def post(self, webhook_id: int, delivery_id: int):
        """Send the delivery's event again, as a new delivery due now (still after any
        earlier delivery pending for the same task). A disabled webhook is turned on."""
        delivery = webhook_service().redeliver(current_user, webhook_id, delivery_id)
        return json_response({"id": delivery.id, "status": delivery.status.value}, 202)
