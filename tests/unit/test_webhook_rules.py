"""The rules of webhooks without a database or a network: addresses, retries, events,
signatures, and registration on the fakes."""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from taskweb.domain.webhooks import (
    EVENTS,
    FIRST_RETRY,
    GIVE_UP_AFTER,
    LONGEST_WAIT,
    address_refusal,
    event_of,
    failing_too_long,
    next_attempt,
    parse_target,
    signature,
)
from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Project, Role, TaskEventKind, User
from taskweb.repositories.outbox import Subscription
from taskweb.services.maintenance import purge_expired_records
from taskweb.services.webhook_delivery import deliveries_for
from taskweb.services.webhooks import WebhookService
from taskweb.webhook_http import check_url
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.webhook_fakes import ReversibleSecrets

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("address", [
    "169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "240.0.0.1",
    "255.255.255.255",
])
def test_link_local_multicast_reserved_and_unspecified_are_never_reached(address) -> None:
    assert address_refusal(address, allow_private=True) is not None
    assert address_refusal(address, allow_private=False) is not None


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "::1", "fd00::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "100.64.0.1",
])
def test_private_and_loopback_are_reached_only_when_allowed(address) -> None:
    assert "private or loopback" in address_refusal(address, allow_private=False)
    assert address_refusal(address, allow_private=True) is None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111"])
def test_public_addresses_are_reached(address) -> None:
    assert address_refusal(address, allow_private=False) is None


@pytest.mark.parametrize(("url", "why"), [
    ("ftp://example.com/", "http:// or https://"), ("file:///etc/passwd", "http"),
    ("https://", "host"), ("https://user:pw@example.com/", "user name"),
    ("http://example.com:99999/", "not a valid URL"), ("http://" + "a" * 2000, "at most"),
])
def test_only_plain_http_urls_are_targets(url, why) -> None:
    assert why in parse_target(url)


def test_a_target_keeps_its_path_query_and_default_port() -> None:
    target = parse_target("HTTPS://Example.com/hook?x=1")
    assert (target.scheme, target.host, target.port, target.path) == (
        "https", "example.com", 443, "/hook?x=1")


def test_names_are_resolved_and_their_addresses_checked() -> None:
    assert "private or loopback" in check_url("http://localhost:8080/", allow_private=False)
    assert check_url("http://localhost:8080/", allow_private=True) is None
    assert "169.254.169.254" in check_url("http://169.254.169.254/", allow_private=True)


class Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_the_first_retry_comes_within_a_minute_and_the_waits_double_up_to_an_hour() -> None:
    waits = []
    now = T0
    for attempts in range(1, 12):
        later = next_attempt(T0, attempts, now, Fixed(0.999999))
        waits.append(later - now)
        now = later
    assert waits[0] <= timedelta(seconds=60) and waits[0] <= FIRST_RETRY
    assert all(b >= a for a, b in zip(waits, waits[1:]))
    assert waits[1] > waits[0] * 1.9 and max(waits) <= LONGEST_WAIT
    assert next_attempt(T0, 1, T0, Fixed(0.0)) == T0 + FIRST_RETRY / 2  # jitter: half


def test_a_delivery_is_given_up_on_after_a_day() -> None:
    assert next_attempt(T0, 20, T0 + GIVE_UP_AFTER - timedelta(minutes=1), Fixed(0.9)) is None
    assert next_attempt(T0, 3, T0 + timedelta(hours=2), Fixed(0.9)) is not None
    assert not failing_too_long(None, T0)
    assert not failing_too_long(T0, T0 + GIVE_UP_AFTER - timedelta(seconds=1))
    assert failing_too_long(T0, T0 + GIVE_UP_AFTER)


def test_every_history_kind_makes_an_event() -> None:
    assert {kind: event_of(kind) for kind in TaskEventKind} == {
        TaskEventKind.CREATED: "task.created", TaskEventKind.CHANGED: "task.updated",
        TaskEventKind.MOVED: "task.updated", TaskEventKind.COMPLETED: "task.completed",
        TaskEventKind.DELETED: "task.deleted", TaskEventKind.RESTORED: "task.restored"}
    assert set(EVENTS) >= {"task.created", "project.shared"}


def test_the_signature_is_the_hex_hmac_sha256_of_the_body() -> None:
    body = b'{"id":1}'
    assert signature("s3cret", body) == "sha256=" + hmac.new(
        b"s3cret", body, hashlib.sha256).hexdigest()


def test_events_fan_out_to_the_subscribers_that_can_see_them() -> None:
    events = [SimpleNamespace(id=1, event="task.created", project_id=7, task_id=3),
              SimpleNamespace(id=2, event="task.deleted", project_id=7, task_id=3),
              SimpleNamespace(id=3, event="task.created", project_id=8, task_id=4)]
    subscriptions = [Subscription(10, None, ("task.created",), 7),
                     Subscription(11, 7, ("task.created", "task.deleted"), 7)]
    assert deliveries_for(events, subscriptions) == [(10, 1, 3), (11, 1, 3), (11, 2, 3)]


@pytest.fixture
def service() -> WebhookService:
    uow = FakeUnitOfWork()
    refusals = {"http://10.0.0.1/": "10.0.0.1 is a private or loopback address."}
    return WebhookService(uow, uow.clock, ReversibleSecrets(), refusals.get)


def test_registration_names_each_bad_field(service) -> None:
    with pytest.raises(ValidationFailed) as failed:
        service.register(User(id=1), {"url": "http://10.0.0.1/", "events": ["task.made"],
                                      "project_id": "x", "colour": 1})
    assert set(failed.value.errors) == {"url", "events", "project_id", "colour"}
    assert "task.made" in failed.value.errors["events"][0]


def test_the_secret_is_returned_once_and_stored_sealed(service) -> None:
    registered = service.register(User(id=1), {"url": "https://example.com/h",
                                               "events": ["task.deleted", "task.created"]})
    assert registered.webhook.secret == registered.secret[::-1] != registered.secret
    assert registered.webhook.events == ["task.created", "task.deleted"]


def test_a_project_webhook_needs_a_role_that_manages_the_project(service) -> None:
    projects = service.uow.projects
    projects.add(Project(owner_id=1, name="Garden"))
    projects.members[(1, 2)] = Role.EDITOR
    fields = {"url": "https://example.com/h", "events": ["task.created"], "project_id": 1}
    assert service.register(User(id=1), fields).webhook.project_id == 1
    with pytest.raises(PermissionDenied):
        service.register(User(id=2), fields)
    with pytest.raises(NotFound):
        service.register(User(id=3), fields)


def test_another_person_s_webhook_is_not_found(service) -> None:
    registered = service.register(User(id=1), {"url": "https://example.com/h",
                                               "events": ["task.created"]})
    with pytest.raises(NotFound):
        service.delete(User(id=2), registered.webhook.id)
    service.delete(User(id=1), registered.webhook.id)
    assert service.list(User(id=1)) == []


def test_the_housekeeping_drops_events_fanned_out_a_month_ago() -> None:
    uow = FakeUnitOfWork()
    now = uow.clock()
    uow.outbox.dispatched_at = [now - timedelta(days=31), now - timedelta(days=29)]
    purge_expired_records(uow, uow.clock)
    assert uow.outbox.dispatched_at == [now - timedelta(days=29)]
