"""The rules of personal access tokens, on the fakes (no database): the secret is shown
once and stored only hashed, scopes and expiry are checked, tokens are private to their
user, and revoked or expired ones stop authenticating."""

from __future__ import annotations

import pytest

from taskweb.errors import NotFound, ValidationFailed
from taskweb.models import User
from taskweb.services.personal_tokens import PREFIX, PersonalTokenService, hash_secret
from tests.unit.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock(uow: FakeUnitOfWork) -> FakeClock:
    return uow.clock


@pytest.fixture
def service(uow: FakeUnitOfWork, clock: FakeClock) -> PersonalTokenService:
    return PersonalTokenService(uow, clock)  # type: ignore[arg-type]


@pytest.fixture
def ann(uow: FakeUnitOfWork) -> User:
    user = User(username="ann", email="ann@example.com")
    uow.users.add(user)
    return user


@pytest.fixture
def ben(uow: FakeUnitOfWork) -> User:
    user = User(username="ben", email="ben@example.com")
    uow.users.add(user)
    return user


def errors_of(excinfo: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return excinfo.value.errors


def test_the_secret_is_returned_once_and_only_its_hash_is_kept(
        service: PersonalTokenService, uow: FakeUnitOfWork, ann: User) -> None:
    created = service.create(ann, {"name": " cron ", "scopes": ["tasks:write", "tasks:read"]})
    assert created.secret.startswith(PREFIX) and len(created.secret) == len(PREFIX) + 43
    stored = uow.personal_tokens.rows[0]
    assert stored.token_hash == hash_secret(created.secret) != created.secret
    assert created.secret not in {str(value) for value in vars(stored).values()}
    assert (stored.name, stored.scopes) == ("cron", ["tasks:read", "tasks:write"])
    assert uow.commits == 1


def test_two_tokens_never_share_a_secret(service: PersonalTokenService, ann: User) -> None:
    first = service.create(ann, {"name": "a", "scopes": ["profile:read"]})
    second = service.create(ann, {"name": "a", "scopes": ["profile:read"]})
    assert first.secret != second.secret


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": "x", "scopes": []}, "scopes"),
    ({"name": "x", "scopes": ["tasks:read", "admin"]}, "scopes"),
    ({"name": "x", "scopes": "tasks:read"}, "scopes"),
    ({"name": "x"}, "scopes"),
    ({"scopes": ["tasks:read"]}, "name"),
    ({"name": "  ", "scopes": ["tasks:read"]}, "name"),
    ({"name": "x", "scopes": ["tasks:read"], "expires_at": "2026-11-26T11:59:59Z"},
     "expires_at"),
    ({"name": "x", "scopes": ["tasks:read"], "expires_at": "soon"}, "expires_at"),
    ({"name": "x", "scopes": ["tasks:read"], "admin": True}, "admin"),
])
def test_refused_input_names_the_field_and_writes_nothing(
        service: PersonalTokenService, uow: FakeUnitOfWork, ann: User,
        fields: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        service.create(ann, fields)
    assert field in errors_of(excinfo)
    assert uow.personal_tokens.rows == [] and uow.commits == 0


def test_listed_newest_first_and_private(service: PersonalTokenService, clock: FakeClock,
                                         ann: User, ben: User) -> None:
    service.create(ann, {"name": "old", "scopes": ["tasks:read"]})
    clock.advance(minutes=1)
    service.create(ann, {"name": "new", "scopes": ["tasks:read"]})
    service.create(ben, {"name": "ben's", "scopes": ["tasks:read"]})
    assert [t.name for t in service.list(ann)] == ["new", "old"]
    assert [t.name for t in service.list(ben)] == ["ben's"]


def test_revoked_token_leaves_the_list_and_stops_authenticating(
        service: PersonalTokenService, uow: FakeUnitOfWork, clock: FakeClock,
        ann: User) -> None:
    created = service.create(ann, {"name": "cron", "scopes": ["tasks:read"]})
    token_hash = hash_secret(created.secret)
    assert uow.personal_tokens.usable_with_user(token_hash, clock()) == (created.token, ann)
    service.revoke(ann, created.token.id)
    assert created.token.revoked_at == clock()
    assert service.list(ann) == []
    assert uow.personal_tokens.usable_with_user(token_hash, clock()) is None
    with pytest.raises(NotFound):
        service.revoke(ann, created.token.id)


def test_another_persons_token_cannot_be_revoked(service: PersonalTokenService,
                                                 ann: User, ben: User) -> None:
    created = service.create(ann, {"name": "cron", "scopes": ["tasks:read"]})
    with pytest.raises(NotFound):
        service.revoke(ben, created.token.id)
    assert created.token.revoked_at is None


def test_expired_token_stops_authenticating(service: PersonalTokenService,
                                            uow: FakeUnitOfWork, clock: FakeClock,
                                            ann: User) -> None:
    created = service.create(ann, {"name": "day", "scopes": ["tasks:read"],
                                   "expires_at": "2026-11-27T12:00:00Z"})
    token_hash = hash_secret(created.secret)
    clock.advance(hours=23, minutes=59)
    assert uow.personal_tokens.usable_with_user(token_hash, clock()) is not None
    clock.advance(minutes=1)
    assert uow.personal_tokens.usable_with_user(token_hash, clock()) is None


def test_last_use_is_written_at_most_once_a_minute(
        service: PersonalTokenService, uow: FakeUnitOfWork, clock: FakeClock,
        ann: User) -> None:
    created = service.create(ann, {"name": "cron", "scopes": ["tasks:read"]})
    commits = uow.commits
    assert service.authenticate(created.secret) == (created.token, ann)
    first_use = clock()
    assert created.token.last_used_at == first_use and uow.commits == commits + 1
    clock.advance(seconds=59)
    service.authenticate(created.secret)
    assert created.token.last_used_at == first_use and uow.commits == commits + 1
    clock.advance(seconds=2)
    service.authenticate(created.secret)
    assert created.token.last_used_at == clock() and uow.commits == commits + 2
    assert service.authenticate("tw_pat_unknown") is None
