"""Personal access tokens on PostgreSQL: only the hash reaches the database, and the
lookup that authenticates a request is one statement that skips revoked and expired
tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from taskweb.extensions import db
from taskweb.services.personal_tokens import PersonalTokenService, hash_secret
from taskweb.unit_of_work import UnitOfWork
from tests.integration.test_statement_counts import counted_statements

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def test_stored_hashed_found_in_one_statement_until_revoked_or_expired(
        app, app_context, user, other_user) -> None:
    clock = [NOW]
    service = PersonalTokenService(UnitOfWork(db.session), lambda: clock[0])
    lasting = service.create(user, {"name": "cron", "scopes": ["tasks:read"]})
    brief = service.create(user, {"name": "brief", "scopes": ["profile:read"],
                                  "expires_at": (NOW + timedelta(hours=1)).isoformat()})
    service.create(other_user, {"name": "theirs", "scopes": ["tasks:read"]})

    dump = db.session.execute(text(
        "SELECT row_to_json(t)::text FROM personal_access_tokens t")).scalars().all()
    assert not any(lasting.secret in row or brief.secret in row for row in dump)
    assert [t.name for t in service.list(user)] == ["brief", "cron"]

    repository = UnitOfWork(db.session).personal_tokens
    with counted_statements(app) as statements:
        found = repository.usable_with_user(hash_secret(lasting.secret), NOW)
    assert found is not None and found[1].id == user.id and len(statements) == 1
    assert found[0].scopes == ["tasks:read"]

    assert repository.usable_with_user(hash_secret(brief.secret), NOW) is not None
    assert repository.usable_with_user(
        hash_secret(brief.secret), NOW + timedelta(hours=1)) is None
    assert repository.usable_with_user(hash_secret("tw_pat_unknown"), NOW) is None

    service.revoke(user, lasting.token.id)
    assert repository.usable_with_user(hash_secret(lasting.secret), NOW) is None
    assert [t.name for t in service.list(user)] == ["brief"]
