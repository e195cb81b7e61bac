"""Production refuses unsafe settings; debug is off; cookies are hardened."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from config import DEFAULT_SECRET, ConfigError, ProductionConfig

GOOD = "s" * 48


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("SECRET_KEY", GOOD)
    monkeypatch.setenv("JWT_SECRET_KEY", GOOD + "j")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://db/taskweb")
    return monkeypatch


def test_valid_production_settings_pass(production_env) -> None:
    ProductionConfig.validate()


@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
@pytest.mark.parametrize("value", [None, "", DEFAULT_SECRET, "short-secret-of-31-bytes-......"])
def test_missing_default_or_short_secret_stops_start_up(production_env, name, value) -> None:
    if value is None:
        production_env.delenv(name)
    else:
        production_env.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        ProductionConfig.validate()


def test_missing_database_url_stops_start_up(production_env) -> None:
    production_env.delenv("DATABASE_URL")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig.validate()


def test_gunicorn_entry_point_refuses_default_secrets() -> None:
    env = {"APP_ENV": "production", "DATABASE_URL": "sqlite://", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_production_app_is_hardened(production_env) -> None:
    from taskweb import create_app

    # Production logs do not propagate to pytest: listen on the logger itself.
    handler = ListHandler()
    logging.getLogger("taskweb.config").addHandler(handler)
    try:
        app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", REDIS_URL=None)
    finally:
        logging.getLogger("taskweb.config").removeHandler(handler)
    assert any("REDIS_URL is not set" in message for message in handler.messages)
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/api/v1/openapi.json")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert app.test_client().get("/docs").status_code == 404
