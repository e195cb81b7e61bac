"""The migrations build exactly the schema the models describe, and unwind cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from taskweb.extensions import db
from tests.conftest import make_app


def test_upgrade_matches_models_and_downgrade_empties(empty_database: str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        assert {"users", "tasks", "refresh_tokens", "revoked_access_tokens",
                "personal_access_tokens"} <= set(
            inspect(db.engine).get_table_names()
        )
        with db.engine.connect() as connection:
            search_indexes = connection.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' "
                "AND indexdef LIKE '%gin_trgm_ops%'"
            )).scalars().all()
        assert sorted(search_indexes) == ["ix_tasks_description_trgm", "ix_tasks_title_trgm"]
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_case_insensitive_uniqueness_is_enforced_by_the_database(empty_database: str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        insert = text(
            "INSERT INTO users (email, username, hashed_password) VALUES (:e, :u, 'x')"
        )
        with db.engine.begin() as connection:
            connection.execute(insert, {"e": "a@example.com", "u": "alice"})
        for values in ({"e": "A@EXAMPLE.COM", "u": "other"}, {"e": "b@example.com", "u": "ALICE"}):
            with pytest.raises(Exception, match="unique|duplicate"):
                with db.engine.begin() as connection:
                    connection.execute(insert, values)
        db.engine.dispose()


def test_skeletons_are_filled_for_existing_accounts_and_old_lookalikes_kept(
    empty_database: str,
) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="0003")
        insert = text("INSERT INTO users (email, username, hashed_password) "
                      "VALUES (:e, :u, 'x')")
        with db.engine.begin() as connection:
            for email, username in (("ada@example.com", "ada"),
                                    ("\u0430da@example.com", "ad\u0430"),  # Cyrillic а
                                    ("bob@example.com", "b0b")):
                connection.execute(insert, {"e": email, "u": username})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id, email_skeleton, username_skeleton FROM users ORDER BY id"
            )).all()
        assert [tuple(row) for row in rows] == [
            (1, "ada@example.com", "ada"),
            (2, "ada@example.com#2", "ada#2"),  # the younger look-alike keeps working
            (3, "bob@example.com", "bob"),
        ]
        downgrade(revision="0003")
        assert "email_skeleton" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
        db.engine.dispose()


def test_existing_tasks_move_into_an_inbox_of_their_creator(empty_database: str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            for name in ("ann", "bob"):
                connection.execute(text("INSERT INTO users (email, username, hashed_password) "
                                        "VALUES (:e, :u, 'x')"),
                                   {"e": f"{name}@example.com", "u": name})
            for owner, title, status in ((1, "a1", "todo"), (2, "b1", "completed"),
                                         (1, "a2", "todo")):
                connection.execute(text("INSERT INTO tasks (title, status, priority, owner_id) "
                                        "VALUES (:t, :s, 'medium', :o)"),
                                   {"t": title, "s": status, "o": owner})
        upgrade()
        with db.engine.connect() as connection:
            inboxes = dict(connection.execute(text(
                "SELECT owner_id, id FROM projects WHERE is_inbox")).all())
            members = connection.execute(text(
                "SELECT project_id, user_id, role FROM memberships ORDER BY user_id")).all()
            tasks = connection.execute(text(
                "SELECT title, project_id, position, completed_at IS NOT NULL FROM tasks "
                "ORDER BY id")).all()
        assert set(inboxes) == {1, 2}
        assert [tuple(m) for m in members] == [(inboxes[1], 1, "owner"), (inboxes[2], 2, "owner")]
        assert [tuple(t) for t in tasks] == [
            ("a1", inboxes[1], "0000000000000001", False),
            ("b1", inboxes[2], "0000000000000002", True),
            ("a2", inboxes[1], "0000000000000003", False),
        ]
        downgrade(revision="0005")
        assert "projects" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_0007_moves_what_the_previous_app_wrote_during_0006_then_tightens(
    empty_database: str,
) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as connection:  # as the app of revision 0005 writes
            connection.execute(text("INSERT INTO users (email, username, hashed_password) "
                                    "VALUES ('late@example.com', 'late', 'x')"))
            connection.execute(text("INSERT INTO tasks (title, status, priority, owner_id) "
                                    "VALUES ('late task', 'todo', 'medium', 1)"))
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT t.project_id = p.id FROM tasks t JOIN projects p "
                "ON p.owner_id = t.owner_id AND p.is_inbox")).scalar()
        assert row is True
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("tasks")}
        assert not columns["project_id"]["nullable"] and not columns["position"]["nullable"]
        downgrade(revision="0006")
        db.engine.dispose()
