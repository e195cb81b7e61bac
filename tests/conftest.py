"""Fixtures shared by every test: one app per session on PostgreSQL, clean tables for
each test, and factories for users, tokens and tasks.

Building the app costs more than most tests (blueprints, the OpenAPI document, a bcrypt
hash), so it is built once; a test that needs other settings builds its own with
``make_app(migrated_database, SETTING=value)``. Each test still starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg2.errors import DeadlockDetected
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from config import TestingConfig
from taskweb import create_app
from taskweb.extensions import db, limiter
from taskweb.models import Task, User
from taskweb.wiring import CLOCK_EXTENSION, auth_service, task_service
from tests.mail_server import MailServer

PASSWORD = "correct horse battery"
TABLES = ("tasks", "refresh_tokens", "revoked_access_tokens", "idempotency_keys", "sync_events",
          "browser_sessions", "users", "outbox_events")


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (`make test` runs two processes), each process gets a database
    and a Redis database of its own, through the same variables, so no test can see
    another process's rows or counters."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ.get("TEST_DATABASE_URL"):
        _use_databases_of(worker)


def _use_databases_of(worker: str) -> None:
    admin_url = os.environ["TEST_PG_ADMIN_URL"]
    name = f"taskweb_test_{worker}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["TEST_DATABASE_URL"] = (
        make_url(os.environ["TEST_DATABASE_URL"]).set(database=name)
        .render_as_string(hide_password=False)
    )
    if redis_url := os.environ.get("TEST_REDIS_URL"):
        # Redis database 0 is the single-process run's; gw0 uses 1, gw1 2, and so on.
        index = int(worker.removeprefix("gw")) + 1
        os.environ["TEST_REDIS_URL"] = f"{redis_url.rsplit('/', 1)[0]}/{index}"


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("TEST_DATABASE_URL is not set: run the suite with `make test`.", returncode=2)
    return url


def make_app(database_url: str, **overrides: Any) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BCRYPT_ROUNDS": 4,
        "RATELIMIT_ENABLED": False,
    }
    settings.update(overrides)
    return create_app(TestingConfig, **settings)


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """The test database, migrated once to the latest schema."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


_cleaners: dict[str, tuple[Engine, str]] = {}

# The tables TABLES reach through foreign keys (what TRUNCATE ... CASCADE would empty).
_REACHED = """
WITH RECURSIVE reached(relid) AS (
    SELECT oid FROM pg_class WHERE relname = ANY(:tables) AND relnamespace = 'public'::regnamespace
    UNION
    SELECT c.conrelid FROM pg_constraint c JOIN reached r ON c.confrelid = r.relid
    WHERE c.contype = 'f'
)
SELECT (SELECT string_agg(format('DELETE FROM %I;', relid::regclass::text), ' ')
          FROM reached),
       (SELECT string_agg(format('setval(%L, 1, false)', s.objid::regclass::text), ', ')
          FROM pg_depend s JOIN reached r ON s.refobjid = r.relid
         WHERE s.classid = 'pg_class'::regclass AND s.deptype IN ('a', 'i')
           AND (SELECT relkind FROM pg_class WHERE oid = s.objid) = 'S')
"""


def _cleaner(database_url: str) -> tuple[Engine, str]:
    """One connection for the session, and the SQL that empties the tables over it."""
    if database_url not in _cleaners:
        engine = create_engine(database_url, poolclass=StaticPool)
        with engine.connect() as connection:
            deletes, sequences = connection.execute(text(_REACHED), {"tables": list(TABLES)}).one()
        # Triggers (foreign keys, the sync numbering) stay quiet while the rows go.
        sql = f"SET LOCAL session_replication_role = replica; {deletes} SELECT {sequences};"
        _cleaners[database_url] = (engine, sql)
    return _cleaners[database_url]


def truncate_all(database_url: str) -> None:
    """Empty every table TABLES reach and restart their ids at 1, as TRUNCATE ... RESTART
    IDENTITY CASCADE would, over one connection kept for the session.

    DELETE rather than TRUNCATE: a test leaves a handful of rows, and TRUNCATE gives each
    of some forty tables and their indexes new files (about 70 ms a test, a fifth of the
    suite). A page a browser journey left open may still be polling (a project's live
    updates, the bell) while this runs; should PostgreSQL pick this as the victim of a
    deadlock with it, it is simply run again."""
    engine, sql = _cleaner(database_url)
    for attempt in range(1, 4):
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(sql)
            return
        except OperationalError as error:
            if not isinstance(error.orig, DeadlockDetected) or attempt == 3:
                raise


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A database of its own, dropped afterwards, as a postgresql+psycopg2:// URL (for
    tests of migrations and of start-up, which must not touch the shared one)."""
    admin_url = os.environ["TEST_PG_ADMIN_URL"]
    name = f"scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def shared_app(migrated_database: str) -> Iterator[Flask]:
    app = make_app(migrated_database)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app: Flask, migrated_database: str) -> Iterator[Flask]:
    # Flask-Limiter keeps its on/off switch on the one Limiter object, not per app: a test
    # that built a rate-limited app of its own must not leave limits on for the next.
    limiter.enabled = shared_app.config["RATELIMIT_ENABLED"]
    yield shared_app
    with shared_app.app_context():
        db.session.remove()
    truncate_all(migrated_database)


@pytest.fixture
def stand_at(app: Flask) -> Iterator[Callable[[datetime], None]]:
    """``stand_at(moment)``: the app's clock (``wiring.clock``) shows ``moment`` until the
    test ends, for the pages and the services alike."""
    if os.environ.get("CLUSTER_URL"):
        # `make test-cluster`: the requests go to the cluster, not to this app.
        pytest.skip("the cluster's instances keep the real clock")

    def freeze(moment: datetime) -> None:
        app.extensions[CLOCK_EXTENSION] = lambda: moment

    yield freeze
    app.extensions.pop(CLOCK_EXTENSION, None)


@pytest.fixture(scope="session")
def _mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_server(app: Flask, _mail_server: MailServer) -> Iterator[MailServer]:
    """A real SMTP server in the test process that ``app`` sends its e-mails to (instead
    of the in-memory outbox), emptied for each test and running at its start."""
    _mail_server.start()
    _mail_server.clear()
    state = app.extensions["mailman"]
    saved = (state.backend, state.server, state.port)
    state.backend, state.server, state.port = "smtp", _mail_server.host, _mail_server.port
    yield _mail_server
    state.backend, state.server, state.port = saved
    _mail_server.start()


@pytest.fixture
def app_context(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    if cluster_url := os.environ.get("CLUSTER_URL"):
        # `make test-cluster`: real HTTP through the cluster's nginx (same database).
        from tests.cluster_client import ClusterClient

        return ClusterClient(cluster_url)  # type: ignore[return-value]
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(username: str | None = None, email: str | None = None,
                password: str = PASSWORD, full_name: str | None = None) -> User:
        number = next(counter)
        username = username or f"user{number}"
        email = email or f"{username}@example.com"
        with app.app_context():
            user = auth_service().register(email, username, password, full_name)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user("alice", "alice@example.com", full_name="Alice Liddell")


@pytest.fixture
def other_user(make_user: Callable[..., User]) -> User:
    return make_user("bob", "bob@example.com")


def login_tokens(client: FlaskClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def tokens(client: FlaskClient, user: User) -> dict[str, Any]:
    return login_tokens(client, user.email)


@pytest.fixture
def auth_headers(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
def other_auth_headers(client: FlaskClient, other_user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {login_tokens(client, other_user.email)['access_token']}"}


@pytest.fixture
def make_task(app: Flask) -> Callable[..., Task]:
    def factory(owner: User, title: str = "A task", **fields: Any) -> Task:
        with app.app_context():
            task = task_service().create(owner, {"title": title, **fields})
            db.session.refresh(task)
            db.session.expunge(task)
            return task

    return factory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser journeys are slow by nature: `pytest -m "not slow"` leaves them out too.
    The resilience tests compare timings and load the machine, and the browser journeys
    wait on focus and animation frames that a second busy process makes late: both run
    alone (`-m serial`, after the parallel part of `make test`)."""
    for item in items:
        if item.nodeid.startswith(("tests/resilience/", "tests/e2e/")):
            item.add_marker(pytest.mark.serial)
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.slow)
