"""The unit of work on a real database: commit or roll back, and unique constraints
reported as a Conflict naming the field (read from the constraint's name)."""

from __future__ import annotations

import pytest

from taskweb.domain.task_query import FILTERS
from taskweb.errors import Conflict
from taskweb.extensions import db
from taskweb.models import IdempotencyKey, User
from taskweb.repositories.tasks import FILTER_SQL
from taskweb.unit_of_work import UnitOfWork
from tests.conftest import make_app


def _user(name: str, email: str | None = None) -> User:
    return User(email=email or f"{name}@example.com", username=name, hashed_password="x")


@pytest.mark.parametrize(("existing", "duplicate", "field"), [
    (("ann", "ann@example.com"), ("other", "ANN@example.com"), "email"),
    (("ann", "ann@example.com"), ("ANN", "other@example.com"), "username"),
])
def test_unique_index_becomes_a_conflict_naming_the_field(app_context, existing, duplicate,
                                                          field) -> None:
    uow = UnitOfWork(db.session)
    with uow:
        uow.users.add(_user(*existing))
    with pytest.raises(Conflict) as caught, uow:
        uow.users.add(_user(*duplicate))
    assert list(caught.value.errors) == [field]
    assert db.session.query(User).count() == 1  # rolled back, session usable


def assert_second_key_conflicts(uow: UnitOfWork, user: User) -> None:
    """The same idempotency key twice: the composite primary key names the header."""
    record = {"user_id": user.id, "key": "k", "fingerprint": "f" * 64}
    with uow:
        uow.idempotency.add(IdempotencyKey(**record))
    db.session.expunge_all()
    with pytest.raises(Conflict) as caught, uow:
        uow.idempotency.add(IdempotencyKey(**record))
    assert list(caught.value.errors) == ["Idempotency-Key"]


def test_composite_primary_key_is_named_too(app_context) -> None:
    uow = UnitOfWork(db.session)
    with uow:
        uow.users.add(user := _user("ann"))
    assert_second_key_conflicts(uow, user)


def test_an_error_in_the_block_rolls_back(app_context) -> None:
    uow = UnitOfWork(db.session)
    with pytest.raises(RuntimeError), uow:
        uow.users.add(_user("ann"))
        uow.flush()
        raise RuntimeError("boom")
    assert db.session.query(User).count() == 0


def test_sqlite_reports_the_same_fields(tmp_path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with app.app_context():
        db.create_all()
        uow = UnitOfWork(db.session)
        with uow:
            uow.users.add(user := _user("ann"))
        for duplicate, field in ((_user("x", "ANN@example.com"), "email"),
                                 (_user("Ann", "y@example.com"), "username")):
            with pytest.raises(Conflict) as caught, uow:
                uow.users.add(duplicate)
            assert list(caught.value.errors) == [field]
        assert_second_key_conflicts(uow, user)
        db.session.remove()
        db.engine.dispose()


def test_every_described_filter_has_its_sql() -> None:
    assert {spec.attribute for spec in FILTERS} == set(FILTER_SQL)
