"""The rules of webhooks that need no database and no network: the event names and
which task write makes which event, which addresses a webhook may reach, when a failed
delivery is tried again, and how a body is signed."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from taskweb.models.history import TaskEventKind

TASK_CREATED = "task.created"
TASK_UPDATED = "task.updated"
TASK_COMPLETED = "task.completed"
TASK_DELETED = "task.deleted"
TASK_RESTORED = "task.restored"
PROJECT_SHARED = "project.shared"
EVENTS = (TASK_CREATED, TASK_UPDATED, TASK_COMPLETED, TASK_DELETED, TASK_RESTORED,
          PROJECT_SHARED)

# The event each kind of history entry makes: the history is the one place that sees
# every write of a task, so the outbox is filled from there.
EVENT_OF_HISTORY: dict[TaskEventKind, str] = {
    TaskEventKind.CREATED: TASK_CREATED,
    TaskEventKind.CHANGED: TASK_UPDATED,
    TaskEventKind.MOVED: TASK_UPDATED,
    TaskEventKind.COMPLETED: TASK_COMPLETED,
    TaskEventKind.DELETED: TASK_DELETED,
    TaskEventKind.RESTORED: TASK_RESTORED,
}

# Retries: the wait doubles from FIRST_RETRY (each drawn between half and all of it, so
# the deliveries of one outage do not all come back at once) up to LONGEST_WAIT; a
# delivery is given up on, and a webhook failing all along disabled, after GIVE_UP_AFTER.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
MAX_URL_LENGTH = 2000
SCHEMES = ("http", "https")


class AddressRefused(Exception):
    """A webhook URL that may not be reached (now): its message says why."""


def event_of(kind: TaskEventKind) -> str:
    return EVENT_OF_HISTORY[kind]


def unknown_events(names: Iterable[str]) -> list[str]:
    return [name for name in names if name not in EVENTS]


def next_attempt(first_attempt_at: datetime, attempts: int, now: datetime,
                 rng: random.Random) -> datetime | None:
    """When to try again after ``attempts`` failed attempts (the first retry within
    FIRST_RETRY), or None once the delivery has failed for GIVE_UP_AFTER."""
    wait = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)
    when = now + wait * (0.5 + rng.random() / 2)
    if when - first_attempt_at > GIVE_UP_AFTER:
        return None
    return when


def failing_too_long(failing_since: datetime | None, now: datetime) -> bool:
    """A webhook whose every attempt has failed for a day is disabled."""
    return failing_since is not None and now - failing_since >= GIVE_UP_AFTER


def signature(secret: str, body: bytes) -> str:
    """The X-Taskweb-Signature header: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Target:
    """A webhook URL taken apart: what to resolve and connect to, and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str  # with the query, as sent in the request line


def parse_target(url: str) -> Target | str:
    """The URL's parts, or why it cannot be a webhook's URL."""
    if len(url) > MAX_URL_LENGTH:
        return f"A webhook URL has at most {MAX_URL_LENGTH} characters."
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "This is not a valid URL."
    if parts.scheme.lower() not in SCHEMES:
        return "A webhook URL must start with http:// or https://."
    if not parts.hostname:
        return "A webhook URL must name a host."
    if parts.username is not None or parts.password is not None:
        return "A webhook URL cannot carry a user name or password; sign with the secret."
    scheme = parts.scheme.lower()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, parts.hostname, port or (443 if scheme == "https" else 80), path)


def address_refusal(address: str, *, allow_private: bool) -> str | None:
    """Why a webhook may not connect to ``address`` (an IP literal), or None.

    Multicast, reserved, unspecified and link-local addresses (the cloud metadata
    service at 169.254.169.254 among them) are never reached; private and loopback
    ones only when the deployment allows them (WEBHOOK_ALLOW_PRIVATE)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    never = f"{address} is not an address a webhook may reach."
    if ip.is_unspecified or ip.is_multicast or ip.is_link_local:
        return never
    # Loopback before reserved: ::1 lies in IPv6's reserved ::/8.
    if not ip.is_loopback and ip.is_reserved:
        return never
    if ip.is_loopback or ip.is_private or not ip.is_global:
        if allow_private:
            return None
        return f"{address} is a private or loopback address."
    return None


def host_literal(host: str) -> str | None:
    """``host`` as an IP address when it is one (an IPv6 literal without brackets)."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None
