"""Service rules on fakes (no database, no app): registration, login, token rotation,
profile and task use cases. The same rules against PostgreSQL are exercised by the API
and browser tests."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from taskweb.errors import (
    ChangedMeanwhile,
    Conflict,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.models import TaskStatus, User
from taskweb.security import PasswordHasher
from taskweb.services.auth import AuthService
from taskweb.services.maintenance import purge_expired_records
from taskweb.services.tasks import TaskService
from taskweb.services.tokens import TokenIssuer
from taskweb.services.users import UserService
from tests.unit.fakes import FakeEncoder, FakeUnitOfWork, RecordedEvents, claims_of

PASSWORD = "correct horse battery"
SERVICES = Path(__file__).resolve().parents[2] / "taskweb" / "services"


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(rounds=4)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def events() -> RecordedEvents:
    return RecordedEvents()


@pytest.fixture
def auth(uow: FakeUnitOfWork, hasher: PasswordHasher, events: RecordedEvents) -> AuthService:
    issuer = TokenIssuer(FakeEncoder(), uow.clock, timedelta(minutes=30), timedelta(days=7))
    return AuthService(uow, hasher, issuer, uow.clock, events)


@pytest.fixture
def users(uow: FakeUnitOfWork, hasher: PasswordHasher) -> UserService:
    return UserService(uow, hasher)


@pytest.fixture
def tasks(uow: FakeUnitOfWork) -> TaskService:
    return TaskService(uow)


@pytest.fixture
def alice(auth: AuthService) -> User:
    return auth.register("Alice@Example.com", "alice", PASSWORD, " Alice ")


def test_no_service_module_imports_flask_or_sqlalchemy_exceptions() -> None:
    forbidden = ("flask", "flask_", "sqlalchemy.exc")
    offenders = []
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names
                          if name == "flask" or name.startswith(forbidden)]
    assert offenders == []


class TestAuthService:
    def test_register_normalises_hashes_and_commits(self, alice: User, uow) -> None:
        assert alice.email == "alice@example.com" and alice.full_name == "Alice"
        assert alice.hashed_password.startswith("$2b$") and PASSWORD not in alice.hashed_password
        assert uow.commits == 1

    def test_register_conflicts_case_insensitively(self, auth, alice: User) -> None:
        with pytest.raises(Conflict) as caught:
            auth.register("ALICE@example.com", "ALICE", PASSWORD)
        assert set(caught.value.errors) == {"email", "username"}

    def test_a_unique_index_firing_at_commit_is_a_conflict_and_rolls_back(self, auth, uow) -> None:
        # Two sign-ups racing past the check: the unit of work maps the index to a field.
        uow.conflict_on_commit = Conflict("taken", {"username": ["taken"]})
        with pytest.raises(Conflict):
            auth.register("carol@example.com", "carol", PASSWORD)
        assert uow.rollbacks >= 1 and uow.commits == 0

    def test_register_validates_every_field_at_once(self, auth) -> None:
        with pytest.raises(ValidationFailed) as caught:
            auth.register("nope", "a", "short", "x" * 101)
        assert set(caught.value.errors) == {"email", "username", "password", "full_name"}

    def test_login_unknown_and_wrong_password_same_error(self, auth, alice, events) -> None:
        messages = set()
        for email, password in (("ghost@example.com", PASSWORD), (alice.email, "wrong-password")):
            with pytest.raises(InvalidCredentials) as caught:
                auth.login(email, password)
            messages.add(caught.value.detail)
        assert len(messages) == 1
        assert events.names == ["login_failed", "login_failed"]

    def test_unknown_email_costs_a_bcrypt_check_like_a_known_one(self, auth, alice,
                                                                   hasher, monkeypatch) -> None:
        # Timing must not tell whether an account exists: both paths run bcrypt once.
        checks: list[str] = []
        real_verify = PasswordHasher.verify
        monkeypatch.setattr(PasswordHasher, "verify",
                            lambda self, *a: checks.append("x") or real_verify(self, *a))
        for email in ("ghost@example.com", alice.email):
            with pytest.raises(InvalidCredentials):
                auth.login(email, "wrong-password")
        assert checks == ["x", "x"]

    def test_login_rehashes_a_password_hashed_with_fewer_rounds(self, uow, events) -> None:
        weak = PasswordHasher(rounds=4)
        issuer = TokenIssuer(FakeEncoder(), uow.clock, timedelta(minutes=30), timedelta(days=7))
        AuthService(uow, weak, issuer, uow.clock, events).register("d@example.com", "dora",
                                                                    PASSWORD)
        stronger = PasswordHasher(rounds=5)
        service = AuthService(uow, stronger, issuer, uow.clock, events)
        user = service.authenticate("d@example.com", PASSWORD)
        assert user.hashed_password.startswith("$2b$05$")
        assert not stronger.needs_rehash(user.hashed_password)
        service.login("d@example.com", PASSWORD)  # and the new hash still verifies

    def test_login_keeps_a_hash_at_the_configured_rounds(self, auth, alice, uow) -> None:
        stored = alice.hashed_password
        auth.authenticate(alice.email, PASSWORD)
        assert alice.hashed_password == stored and uow.commits == 1

    def test_refresh_rotation_and_family_revocation(self, auth, alice, uow, events) -> None:
        first = claims_of(auth.login(alice.email, PASSWORD).refresh_token)
        second = claims_of(auth.refresh(first).refresh_token)
        assert second["fam"] == first["fam"]
        assert uow.tokens.refresh[first["jti"]].revoked_at == uow.clock()
        with pytest.raises(InvalidToken):
            auth.refresh(first)
        assert "refresh_token_reused" in events.names
        assert uow.tokens.refresh[second["jti"]].revoked_at is not None
        with pytest.raises(InvalidToken):
            auth.refresh(second)

    def test_other_families_survive_a_reuse(self, auth, alice) -> None:
        laptop = claims_of(auth.login(alice.email, PASSWORD).refresh_token)
        phone = claims_of(auth.login(alice.email, PASSWORD).refresh_token)
        auth.refresh(laptop)
        with pytest.raises(InvalidToken):
            auth.refresh(laptop)
        auth.refresh(phone)

    def test_access_token_is_not_accepted_for_refresh(self, auth, alice) -> None:
        pair = auth.login(alice.email, PASSWORD)
        with pytest.raises(InvalidToken):
            auth.refresh(claims_of(pair.access_token))

    def test_refresh_tokens_expire_by_the_clock(self, auth, alice, uow) -> None:
        claims = claims_of(auth.login(alice.email, PASSWORD).refresh_token)
        assert uow.tokens.refresh[claims["jti"]].expires_at == uow.clock() + timedelta(days=7)
        uow.clock.advance(days=8)
        assert purge_expired_records(uow, uow.clock) == 1


class TestUserService:
    def test_password_change_needs_current_and_revokes(self, auth, users, alice) -> None:
        pair = auth.login(alice.email, PASSWORD)
        version = alice.session_version
        with pytest.raises(PermissionDenied):
            users.change_password(alice, "wrong-password", "new password!")
        users.change_password(alice, PASSWORD, "new password!")
        assert alice.session_version == version + 1
        with pytest.raises(InvalidToken):
            auth.refresh(claims_of(pair.refresh_token))
        auth.login(alice.email, "new password!")

    def test_same_email_needs_no_password(self, users, alice) -> None:
        users.update_profile(alice, {"email": "ALICE@example.com", "full_name": "A"})
        assert alice.full_name == "A"

    def test_a_failed_change_changes_nothing(self, users, alice, uow) -> None:
        with pytest.raises(ValidationFailed):
            users.update_profile(alice, {"full_name": "B", "username": "x"})
        assert alice.full_name == "Alice" and alice.username == "alice"


class TestTaskService:
    def test_create_trims_and_defaults(self, tasks, alice) -> None:
        task = tasks.create(alice, {"title": "  Plan  ", "description": "   "})
        assert task.title == "Plan" and task.description is None
        assert task.status is TaskStatus.TODO and task.version == 1

    def test_unknown_fields_are_refused(self, tasks, alice) -> None:
        with pytest.raises(ValidationFailed) as caught:
            tasks.create(alice, {"title": "x", "owner_id": 3})
        assert "owner_id" in caught.value.errors

    def test_update_bumps_version_and_checks_expected(self, tasks, alice) -> None:
        task = tasks.create(alice, {"title": "x"})
        tasks.update(alice, task.id, {"title": "y"}, expected_versions={1})
        assert task.version == 2
        with pytest.raises(PreconditionFailed):
            tasks.update(alice, task.id, {"title": "z"}, expected_versions={1})
        assert task.title == "y"

    def test_any_listed_version_matches(self, tasks, alice) -> None:
        task = tasks.create(alice, {"title": "x"})
        tasks.update(alice, task.id, {"title": "y"}, expected_versions={9, 1})
        with pytest.raises(PreconditionFailed):
            tasks.update(alice, task.id, {"title": "z"}, expected_versions=set())

    def test_a_write_that_matched_no_row_is_a_412_and_changes_nothing(
        self, tasks, alice, uow
    ) -> None:
        task = tasks.create(alice, {"title": "x"})
        uow.conflict_on_commit = ChangedMeanwhile()
        with pytest.raises(PreconditionFailed) as caught:
            tasks.update(alice, task.id, {"title": "z"})
        assert "another tab" in caught.value.detail and uow.rollbacks == 1

    def test_set_completed_toggles(self, tasks, alice) -> None:
        task = tasks.create(alice, {"title": "x"})
        assert tasks.set_completed(alice, task.id, True).status is TaskStatus.COMPLETED
        assert tasks.set_completed(alice, task.id, False).status is TaskStatus.TODO

    def test_other_owner_gets_not_found(self, auth, tasks, alice) -> None:
        bob = auth.register("bob@example.com", "bob", PASSWORD)
        task = tasks.create(alice, {"title": "x"})
        for call in (
            lambda: tasks.get(bob, task.id),
            lambda: tasks.update(bob, task.id, {"title": "stolen"}),
            lambda: tasks.delete(bob, task.id),
        ):
            with pytest.raises(NotFound):
                call()
        assert task.title == "x"

    def test_idempotent_create_replays_and_refuses_another_body(self, tasks, alice) -> None:
        first, replayed = tasks.create_idempotent(alice, {"title": "x"}, "key-1")
        again, replayed_again = tasks.create_idempotent(alice, {"title": "x"}, "key-1")
        assert (replayed, replayed_again) == (False, True) and again is first
        with pytest.raises(ValidationFailed) as caught:
            tasks.create_idempotent(alice, {"title": "other"}, "key-1")
        assert "Idempotency-Key" in caught.value.errors
