"""The rules of a password reset, on the fakes (no database, no Flask)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from taskweb.errors import ValidationFailed
from taskweb.models import BrowserSession, RefreshToken, User
from taskweb.security import PasswordHasher
from taskweb.services.password_reset import (
    RESET_LIFETIME,
    PasswordResetService,
    ResetLinkInvalid,
    token_hash,
)
from tests.unit.fakes import FakeUnitOfWork

NEW = "a brand new passphrase"


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(rounds=4)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork, hasher: PasswordHasher) -> PasswordResetService:
    return PasswordResetService(uow, hasher, uow.clock)


@pytest.fixture
def alice(uow: FakeUnitOfWork, hasher: PasswordHasher) -> User:
    user = User(email="alice@example.com", username="alice", hashed_password=hasher.hash("old"),
                is_active=True)
    uow.users.add(user)
    return user


def test_only_the_tokens_hash_is_kept(service, uow, alice) -> None:
    issued = service.issue("ALICE@example.com ")
    assert issued is not None and issued.user is alice
    assert list(uow.tokens.resets) == [token_hash(issued.token)]
    reset = uow.tokens.resets[token_hash(issued.token)]
    assert reset.expires_at == uow.clock() + RESET_LIFETIME


def test_no_link_for_an_unknown_inactive_or_impossible_address(service, uow, alice) -> None:
    assert service.issue("nobody@example.com") is None
    assert service.issue("a\x00@example.com") is None
    assert service.issue("a" * 300) is None
    alice.is_active = False
    assert service.issue(alice.email) is None
    assert uow.tokens.resets == {}


def test_a_request_is_an_address_or_a_422(service) -> None:
    assert PasswordResetService.clean_request(" Alice@Example.com") == "alice@example.com"
    for bad in (None, 3, "", "no-at-sign", "x@" + "a" * 300):
        with pytest.raises(ValidationFailed) as caught:
            PasswordResetService.clean_request(bad)
        assert list(caught.value.errors) == ["email"]


def test_confirm_sets_the_password_and_ends_everything(service, uow, alice, hasher) -> None:
    uow.tokens.add_refresh(RefreshToken(jti="r1", user_id=alice.id, family_id="f",
                                        expires_at=uow.clock() + timedelta(days=1)))
    uow.browser_sessions.add(BrowserSession(id_hash="s1", user_id=alice.id))
    first, second = service.issue(alice.email), service.issue(alice.email)
    version = alice.session_version
    assert service.confirm(second.token, NEW) is alice
    assert hasher.verify(NEW, alice.hashed_password)
    assert alice.session_version == version + 1
    assert uow.tokens.refresh["r1"].revoked_at is not None
    assert uow.browser_sessions.rows["s1"].revoked_at is not None
    for used in (first, second):
        with pytest.raises(ResetLinkInvalid):
            service.confirm(used.token, NEW)


def test_a_link_expires(service, uow, alice) -> None:
    issued = service.issue(alice.email)
    uow.clock.advance(seconds=RESET_LIFETIME.total_seconds() - 1)
    assert service.link_usable(issued.token)
    uow.clock.advance(seconds=1)
    assert not service.link_usable(issued.token)
    with pytest.raises(ResetLinkInvalid):
        service.confirm(issued.token, NEW)


def test_a_bad_password_is_a_422_and_spends_nothing(service, uow, alice) -> None:
    issued = service.issue(alice.email)
    for bad in ("short", None, "x" * 129, "with\x00nul"):
        with pytest.raises(ValidationFailed) as caught:
            service.confirm(issued.token, bad)
        assert list(caught.value.errors) == ["password"]
    assert service.link_usable(issued.token)
    for garbage in (None, 5, "", "short", "é" * 43):
        with pytest.raises(ResetLinkInvalid):
            service.confirm(garbage, NEW)
        assert not service.link_usable(garbage)


def test_a_withdrawn_link_no_longer_works(service, alice) -> None:
    issued = service.issue(alice.email)
    service.withdraw(issued.token)
    assert not service.link_usable(issued.token)
