"""DATABASE_URL in every form hosting providers and tutorials give, with the driver taskweb
installs; a URL that cannot be loaded stops start-up with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from config import ConfigError, TestingConfig, load_settings
from taskweb import create_app
from taskweb.extensions import db

REPO = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"


def plain(url: str, scheme: str = "postgresql") -> str:
    """``postgresql+psycopg2://rest`` as ``<scheme>://rest``, the form users are given."""
    return f"{scheme}://{url.partition('://')[2]}"


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db:5432/taskweb", "postgresql+psycopg2://u:p@db:5432/taskweb"),
    ("postgresql://u:p@db/taskweb?sslmode=require",
     "postgresql+psycopg2://u:p@db/taskweb?sslmode=require"),
    ("postgresql+psycopg2://u:p%40ss@db/taskweb", "postgresql+psycopg2://u:p%40ss@db/taskweb"),
    ("sqlite:////var/lib/taskweb/taskweb.sqlite3", "sqlite:////var/lib/taskweb/taskweb.sqlite3"),
    ("sqlite://", "sqlite://"),
])
def test_accepted_forms_use_the_installed_driver(given: str, used: str) -> None:
    assert load_settings({"DATABASE_URL": given}).database_url == used


@pytest.mark.parametrize(("given", "message"), [
    ("garbage", "DATABASE_URL is not a database URL"),
    ("postgresql://u:secret@db:port/taskweb", "DATABASE_URL is not a database URL"),
    ("mysql://u:secret@db/taskweb", "DATABASE_URL must be a PostgreSQL or SQLite URL"),
    ("postgresql+nosuchdriver://u:secret@db/taskweb", "DATABASE_URL names the unknown driver"),
    ("postgresql+psycopg://u:secret@db/taskweb",
     "DATABASE_URL asks for the driver 'postgresql+psycopg', which is not installed"),
])
def test_a_url_that_cannot_be_loaded_is_refused_by_name(given: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"DATABASE_URL": given})
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value) and "secret" not in str(raised.value)


def test_the_app_serves_from_a_plain_postgresql_url(
    migrated_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", plain(migrated_database))
    app = create_app(TestingConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == migrated_database
    assert app.test_client().get("/health").get_json() == {"status": "ok", "database": "ok"}
    with app.app_context():
        assert db.engine.dialect.driver == "psycopg2"
        db.engine.dispose()




def flask_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url}
    return subprocess.run([str(FLASK), "--app", "wsgi", *args], cwd=REPO, env=env, check=False,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # a subprocess
@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_flask_db_upgrade_accepts_a_plain_url(empty_database: str, scheme: str) -> None:
    result = flask_cli("db", "upgrade", database_url=plain(empty_database, scheme))
    assert result.returncode == 0, result.stderr
    engine = create_engine(empty_database)
    try:
        assert {"alembic_version", "users", "tasks"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.slow  # a subprocess
def test_flask_cli_with_a_bad_url_says_so_in_one_line() -> None:
    result = flask_cli("db", "upgrade", database_url="postgresql+psycopg://u:secret@db/x")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: DATABASE_URL asks for the driver 'postgresql+psycopg'")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and "No such command" not in result.stderr
    assert "secret" not in result.stderr
