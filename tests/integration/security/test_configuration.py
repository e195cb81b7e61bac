"""Settings are read once, when the app is created, and validated in one place: production
refuses unsafe settings, a bad value names its variable, debug is off, cookies are hardened."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path

import pytest

from config import (
    DEFAULT_DATABASE_URLS,
    DEFAULT_SECRET,
    ENVIRONMENTS,
    ConfigError,
    ProductionConfig,
    TestingConfig,
    load_settings,
)

REPO = Path(__file__).resolve().parents[3]
GOOD = "s" * 48
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": GOOD,
    "JWT_SECRET_KEY": GOOD + "j",
    "DATABASE_URL": "postgresql+psycopg2://db/taskweb",
    "PUBLIC_URL": "https://tasks.example.com",
}


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_valid_production_settings_pass() -> None:
    settings = load_settings(PRODUCTION)
    assert settings.app_env == "production"
    assert settings.secret_key == GOOD and settings.jwt_secret_key == GOOD + "j"
    assert settings.docs_enabled is False and settings.rate_limits_enabled is True


@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
@pytest.mark.parametrize("value", [None, "", DEFAULT_SECRET, "short-secret-of-31-bytes-......"])
def test_missing_default_or_short_secret_stops_start_up(name: str, value: str | None) -> None:
    environ = {key: val for key, val in PRODUCTION.items() if key != name}
    if value is not None:
        environ[name] = value
    with pytest.raises(ConfigError, match=f"^{name} must"):
        load_settings(environ)


def test_a_32_byte_secret_is_long_enough() -> None:
    settings = load_settings({**PRODUCTION, "SECRET_KEY": "é" * 16})
    assert settings.secret_key == "é" * 16


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_database_url_stops_start_up(value: str | None) -> None:
    environ = {key: val for key, val in PRODUCTION.items() if key != "DATABASE_URL"}
    if value is not None:
        environ["DATABASE_URL"] = value
    with pytest.raises(ConfigError, match="^DATABASE_URL must be set in production"):
        load_settings(environ)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"APP_ENV": "production", "BCRYPT_ROUNDS": "many"})
    lines = str(raised.value).splitlines()
    assert [line.split()[0] for line in lines] == [
        "DATABASE_URL", "SECRET_KEY", "JWT_SECRET_KEY", "BCRYPT_ROUNDS", "PUBLIC_URL"
    ]


@pytest.mark.parametrize(("name", "value"), [
    ("APP_ENV", "staging"),
    ("BCRYPT_ROUNDS", "twelve"),
    ("BCRYPT_ROUNDS", "3"),
    ("BCRYPT_ROUNDS", "32"),
    ("ACCESS_TOKEN_MINUTES", "0"),
    ("ACCESS_TOKEN_MINUTES", "-5"),
    ("REFRESH_TOKEN_DAYS", "1.5"),
    ("DOCS_ENABLED", "maybe"),
    ("LOGIN_RATE_LIMIT", "lots"),
    ("ACCOUNT_RATE_LIMIT", "5 per fortnight"),
    ("TRUSTED_PROXIES", "yes"),
    ("TRUSTED_PROXIES", "-1"),
    ("TRUSTED_PROXIES", "6"),
])
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must"):
        load_settings({name: value})


def test_development_defaults_are_the_documented_ones() -> None:
    settings = load_settings({})
    assert settings.app_env == "development"
    assert settings.database_url == DEFAULT_DATABASE_URLS["development"]
    assert settings.database_url.endswith("/instance/taskweb.sqlite3")
    assert settings.secret_key == settings.jwt_secret_key == DEFAULT_SECRET
    assert settings.redis_url is None and settings.cors_origins == ()
    assert settings.access_token_lifetime == timedelta(minutes=30)
    assert settings.refresh_token_lifetime == timedelta(days=7)
    assert settings.login_rate_limit == "10 per minute"
    assert settings.account_rate_limit == "5 per minute; 50 per day"
    assert settings.bcrypt_rounds == 12
    assert settings.docs_enabled is True and settings.rate_limits_enabled is True
    assert settings.trusted_proxies == 0


def test_values_are_typed() -> None:
    settings = load_settings({
        "ACCESS_TOKEN_MINUTES": " 5 ", "REFRESH_TOKEN_DAYS": "2", "BCRYPT_ROUNDS": "4",
        "CORS_ORIGINS": "https://a.example, https://b.example,,", "DOCS_ENABLED": "Off",
        "REDIS_URL": "redis://cache:6379/0", "TRUSTED_PROXIES": "1",
    })
    assert settings.access_token_lifetime == timedelta(minutes=5)
    assert settings.refresh_token_lifetime == timedelta(days=2)
    assert settings.bcrypt_rounds == 4
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.docs_enabled is False
    assert settings.trusted_proxies == 1
    config = settings.flask_config()
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert config["CORS_ORIGINS"] == ["https://a.example", "https://b.example"]


def test_rate_limits_can_be_switched_off_in_tests_only() -> None:
    assert load_settings({"APP_ENV": "testing"}).rate_limits_enabled is False
    assert load_settings({"APP_ENV": "testing", "RATELIMIT_ENABLED": "1"}).rate_limits_enabled
    assert load_settings({**PRODUCTION, "RATELIMIT_ENABLED": "0"}).rate_limits_enabled is True


def test_a_config_class_names_the_environment() -> None:
    assert load_settings(PRODUCTION, app_env="testing").app_env == "testing"


def test_create_app_reads_the_environment_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not when config.py was imported: a variable set later still counts."""
    from taskweb import create_app

    monkeypatch.setenv("ACCESS_TOKEN_MINUTES", "5")
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example")
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "7 per minute")
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["APP_ENV"] == "testing" and app.config["TESTING"] is True
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(minutes=5)
    assert app.config["CORS_ORIGINS"] == ["https://app.example"]
    assert app.config["LOGIN_RATE_LIMIT"] == "7 per minute"
    assert app.config["RATELIMIT_ENABLED"] is False


def test_create_app_refuses_production_without_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from taskweb import create_app

    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig)


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, env={"PATH": "/usr/bin:/bin", **env}, check=False,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.slow  # a subprocess
def test_gunicorn_entry_point_refuses_default_secrets() -> None:
    result = _run([sys.executable, "-c", "import wsgi"],
                  {"APP_ENV": "production", "DATABASE_URL": "sqlite://"})
    assert result.returncode != 0
    assert result.stderr.startswith("Error: SECRET_KEY must be set")
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # a subprocess
def test_gunicorn_stops_with_one_line_before_starting_workers() -> None:
    result = _run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        {**PRODUCTION, "DATABASE_URL": "mysql://db/taskweb",
         "GUNICORN_CMD_ARGS": "--bind 127.0.0.1:0"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: DATABASE_URL must be a PostgreSQL or SQLite URL; got the scheme 'mysql'."
    )


class RecordingEnviron(Mapping[str, str]):
    """An empty environment that notes every variable asked for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def test_readme_documents_exactly_the_variables_the_settings_read() -> None:
    environ = RecordingEnviron()
    for app_env in (None, *ENVIRONMENTS):
        try:
            load_settings(environ, app_env=app_env)
        except ConfigError:
            pass  # production without secrets: every variable was read all the same
    readme = (REPO / "README.md").read_text()
    table = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))
    assert "DATABASE_URL" in environ.asked and "RATELIMIT_ENABLED" in environ.asked
    assert documented == environ.asked


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
    assert app.config["SECRET_KEY"] == GOOD and app.config["JWT_SECRET_KEY"] == GOOD + "j"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/api/v1/openapi.json")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert app.test_client().get("/docs").status_code == 404
