"""Service rules: registration, login, token rotation, profile and task use cases."""

from __future__ import annotations

import bcrypt
import pytest
from flask_jwt_extended import decode_token

from taskweb.errors import (
    Conflict,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.extensions import db
from taskweb.models import RefreshToken, TaskStatus, User
from taskweb.services import auth_service, task_service, user_service
from tests.conftest import PASSWORD


@pytest.fixture
def alice(app_context) -> User:
    return auth_service().register("Alice@Example.com", "alice", PASSWORD, " Alice ")


class TestAuthService:
    def test_register_normalises_and_hashes(self, alice: User) -> None:
        assert alice.email == "alice@example.com" and alice.full_name == "Alice"
        assert alice.hashed_password.startswith("$2b$") and PASSWORD not in alice.hashed_password

    def test_register_conflicts_case_insensitively(self, alice: User) -> None:
        with pytest.raises(Conflict) as caught:
            auth_service().register("ALICE@example.com", "ALICE", PASSWORD)
        assert set(caught.value.errors) == {"email", "username"}

    def test_register_validates_every_field_at_once(self, app_context) -> None:
        with pytest.raises(ValidationFailed) as caught:
            auth_service().register("nope", "a", "short", "x" * 101)
        assert set(caught.value.errors) == {"email", "username", "password", "full_name"}

    def test_login_unknown_and_wrong_password_same_error(self, alice: User) -> None:
        messages = set()
        for email, password in (("ghost@example.com", PASSWORD), (alice.email, "wrong-password")):
            with pytest.raises(InvalidCredentials) as caught:
                auth_service().login(email, password)
            messages.add(caught.value.detail)
        assert len(messages) == 1

    def test_unknown_email_costs_a_bcrypt_check_like_a_known_one(self, alice: User,
                                                                   monkeypatch) -> None:
        # Timing must not tell whether an account exists: both paths run bcrypt once.
        service = auth_service()
        checks: list[str] = []
        real_checkpw = bcrypt.checkpw
        monkeypatch.setattr(bcrypt, "checkpw", lambda *a: checks.append("x") or real_checkpw(*a))
        for email in ("ghost@example.com", alice.email):
            with pytest.raises(InvalidCredentials):
                service.login(email, "wrong-password")
        assert checks == ["x", "x"]

    def test_refresh_rotation_and_family_revocation(self, alice: User) -> None:
        service = auth_service()
        first = service.login(alice.email, PASSWORD)
        first_claims = decode_token(first.refresh_token)
        second = service.refresh(first_claims)
        second_claims = decode_token(second.refresh_token)
        assert second_claims["fam"] == first_claims["fam"]
        assert db.session.get(RefreshToken, first_claims["jti"]).revoked_at is not None
        with pytest.raises(InvalidToken):
            service.refresh(first_claims)
        assert db.session.get(RefreshToken, second_claims["jti"]).revoked_at is not None
        with pytest.raises(InvalidToken):
            service.refresh(second_claims)

    def test_other_families_survive_a_reuse(self, alice: User) -> None:
        service = auth_service()
        laptop = decode_token(service.login(alice.email, PASSWORD).refresh_token)
        phone = decode_token(service.login(alice.email, PASSWORD).refresh_token)
        service.refresh(laptop)
        with pytest.raises(InvalidToken):
            service.refresh(laptop)
        service.refresh(phone)

    def test_access_token_is_not_accepted_for_refresh(self, alice: User) -> None:
        pair = auth_service().login(alice.email, PASSWORD)
        with pytest.raises(InvalidToken):
            auth_service().refresh(decode_token(pair.access_token))


class TestUserService:
    def test_password_change_needs_current_and_revokes(self, alice: User) -> None:
        pair = auth_service().login(alice.email, PASSWORD)
        version = alice.session_version
        with pytest.raises(PermissionDenied):
            user_service().change_password(alice, "wrong-password", "new password!")
        user_service().change_password(alice, PASSWORD, "new password!")
        assert alice.session_version == version + 1
        with pytest.raises(InvalidToken):
            auth_service().refresh(decode_token(pair.refresh_token))
        auth_service().login(alice.email, "new password!")

    def test_same_email_needs_no_password(self, alice: User) -> None:
        user_service().update_profile(alice, {"email": "ALICE@example.com", "full_name": "A"})
        assert alice.full_name == "A"


class TestTaskService:
    def test_create_trims_and_defaults(self, alice: User) -> None:
        task = task_service().create(alice, {"title": "  Plan  ", "description": "   "})
        assert task.title == "Plan" and task.description is None
        assert task.status is TaskStatus.TODO and task.version == 1

    def test_unknown_fields_are_refused(self, alice: User) -> None:
        with pytest.raises(ValidationFailed) as caught:
            task_service().create(alice, {"title": "x", "owner_id": 3})
        assert "owner_id" in caught.value.errors

    def test_update_bumps_version_and_checks_expected(self, alice: User) -> None:
        task = task_service().create(alice, {"title": "x"})
        task_service().update(alice, task.id, {"title": "y"}, expected_version=1)
        assert task.version == 2
        with pytest.raises(PreconditionFailed):
            task_service().update(alice, task.id, {"title": "z"}, expected_version=1)
        assert task.title == "y"

    def test_set_completed_toggles(self, alice: User) -> None:
        task = task_service().create(alice, {"title": "x"})
        assert task_service().set_completed(alice, task.id, True).status is TaskStatus.COMPLETED
        assert task_service().set_completed(alice, task.id, False).status is TaskStatus.TODO

    def test_other_owner_gets_not_found(self, alice: User) -> None:
        bob = auth_service().register("bob@example.com", "bob", PASSWORD)
        task = task_service().create(alice, {"title": "x"})
        for call in (
            lambda: task_service().get(bob, task.id),
            lambda: task_service().update(bob, task.id, {"title": "stolen"}),
            lambda: task_service().delete(bob, task.id),
        ):
            with pytest.raises(NotFound):
                call()
        assert task.title == "x"
