"""Use cases of webhooks for their owner: register (the secret shown once), list,
delete, see the deliveries, redeliver one.

A webhook is a user's (every task the user can see) or a project's (``project_id``:
that project's only, registered by someone who may manage the project). Its URL is
checked when it is registered and again before every delivery (services/
webhook_delivery.py): http(s) only, and no private, loopback or link-local address
unless the deployment allows private ones.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from taskweb.domain.access import Action, may
from taskweb.domain.webhooks import EVENTS, unknown_events
from taskweb.errors import Conflict, NotFound, PermissionDenied
from taskweb.models import DeliveryStatus, User, Webhook, WebhookDelivery
from taskweb.repositories.webhooks import DeliveryView
from taskweb.services.ports import Clock
from taskweb.services.validation import REQUIRED, UNKNOWN_FIELD, FieldErrors
from taskweb.unit_of_work import UnitOfWork

FIELDS = ("url", "events", "project_id")
MAX_WEBHOOKS_PER_USER = 20
# Why a URL cannot be a webhook's (None when it can): form and resolved addresses.
UrlCheck = Callable[[str], "str | None"]


class Secrets(Protocol):
    """Encrypts the signing secrets at rest (SecretBox in production)."""

    def seal(self, secret: str) -> str: ...

    def open(self, sealed: str) -> str: ...


@dataclass(frozen=True)
class RegisteredWebhook:
    webhook: Webhook
    secret: str  # shown this once


@dataclass(frozen=True)
class DeliveryPage:
    items: list[DeliveryView]
    total: int
    limit: int
    offset: int


def _webhook_not_found(webhook_id: int) -> NotFound:
    return NotFound(f"Webhook {webhook_id} was not found.")


class WebhookService:
    def __init__(self, uow: UnitOfWork, clock: Clock, secrets_box: Secrets,
                 check_url: UrlCheck) -> None:
        self.uow = uow
        self.clock = clock
        self.secrets = secrets_box
        self.check_url = check_url

    def register(self, user: User, fields: dict[str, Any]) -> RegisteredWebhook:
        """A webhook from ``{url, events, project_id?}``: 422 naming the field for a URL
        that is not http(s) or reaches a refused address and for unknown events; 404 for
        a project the user cannot see, 403 when their role may not manage it."""
        errors = FieldErrors()
        for name in sorted(set(fields) - set(FIELDS)):
            errors.add(name, UNKNOWN_FIELD)
        url = self._clean_url(fields.get("url"), errors)
        events = self._clean_events(fields.get("events"), errors)
        project_id = fields.get("project_id")
        if project_id is not None and (not isinstance(project_id, int)
                                       or isinstance(project_id, bool) or project_id < 1):
            errors.add("project_id", "Must be a project's id.")
            project_id = None
        errors.raise_if_any()
        secret = "whsec_" + secrets.token_urlsafe(32)
        with self.uow:
            if project_id is not None:
                role = self.uow.projects.role_of(user.id, project_id)
                if role is None:
                    raise NotFound(f"Project {project_id} was not found.")
                if not may(role, Action.MANAGE_PROJECT):
                    raise PermissionDenied("Only who may manage the project may add its webhooks.")
            if len(self.uow.webhooks.of_user(user.id)) >= MAX_WEBHOOKS_PER_USER:
                raise Conflict(f"You may have at most {MAX_WEBHOOKS_PER_USER} webhooks.")
            webhook = Webhook(user_id=user.id, project_id=project_id, url=url, events=events,
                              secret=self.secrets.seal(secret), created_at=self.clock())
            self.uow.webhooks.add(webhook)
        return RegisteredWebhook(webhook, secret)

    def list(self, user: User) -> list[Webhook]:
        """The caller's webhooks, newest first (no secrets)."""
        return self.uow.webhooks.of_user(user.id)

    def delete(self, user: User, webhook_id: int) -> None:
        """Delete the caller's webhook and its deliveries; another's is 404."""
        with self.uow:
            webhook = self.uow.webhooks.get(user.id, webhook_id, to_write=True)
            if webhook is None:
                raise _webhook_not_found(webhook_id)
            self.uow.webhooks.delete(webhook)

    def deliveries(self, user: User, webhook_id: int, limit: int, offset: int) -> DeliveryPage:
        """A page of the webhook's deliveries, newest first."""
        found = self.uow.webhooks.deliveries(user.id, webhook_id, limit, offset)
        if found is None:
            raise _webhook_not_found(webhook_id)
        items, total = found
        return DeliveryPage(items, total, limit, offset)

    def redeliver(self, user: User, webhook_id: int, delivery_id: int) -> WebhookDelivery:
        """A new delivery of the same event, due now (after any earlier one pending for
        the same task). A disabled webhook is enabled again: asking for a delivery is
        asking for it to be tried."""
        with self.uow:
            webhook = self.uow.webhooks.get(user.id, webhook_id, to_write=True)
            if webhook is None:
                raise _webhook_not_found(webhook_id)
            original = self.uow.webhooks.delivery(webhook_id, delivery_id)
            if original is None:
                raise NotFound(f"Delivery {delivery_id} was not found.")
            now = self.clock()
            webhook.disabled_at = None
            webhook.failing_since = None
            delivery = WebhookDelivery(
                uuid=str(uuid.uuid4()), webhook_id=webhook_id, event_id=original.event_id,
                task_id=original.task_id, status=DeliveryStatus.PENDING, attempts=0,
                next_attempt_at=now, created_at=now)
            self.uow.webhooks.add_delivery(delivery)
        return delivery

    def _clean_url(self, value: Any, errors: FieldErrors) -> str | None:
        if value is None:
            errors.add("url", REQUIRED)
            return None
        if not isinstance(value, str):
            errors.add("url", "Must be a string.")
            return None
        problem = self.check_url(value.strip())
        if problem is not None:
            errors.add("url", problem)
            return None
        return value.strip()

    @staticmethod
    def _clean_events(value: Any, errors: FieldErrors) -> list[str]:
        if value is None:
            errors.add("events", REQUIRED)
            return []
        if not isinstance(value, list) or not value \
                or not all(isinstance(item, str) for item in value):
            errors.add("events", "Must be a list of event names: " + ", ".join(EVENTS) + ".")
            return []
        unknown = unknown_events(value)
        if unknown:
            errors.add("events", f"Unknown events: {', '.join(sorted(set(unknown)))}. "
                                 f"Known: {', '.join(EVENTS)}.")
            return []
        return [name for name in EVENTS if name in value]
