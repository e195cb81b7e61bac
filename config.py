"""Configuration classes, read from the environment.

This is the only module that reads ``os.environ``; the app factory picks a class by
``APP_ENV`` (``development`` | ``testing`` | ``production``).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-insecure-secret-change-me-0123456789"
MIN_SECRET_BYTES = 32


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


class Config:
    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'taskweb.sqlite3'}"
    )
    # pre_ping: after a database restart the same processes serve again, with no 500.
    # reset_on_return=None: the request's session always ends its transaction itself
    # (rollback or commit at teardown), so the pool's second ROLLBACK is a wasted round trip.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_reset_on_return": None}
    REDIS_URL = os.environ.get("REDIS_URL")
    CORS_ORIGINS = _env_list("CORS_ORIGINS")
    MAX_CONTENT_LENGTH = 1024 * 1024

    JWT_ALGORITHM = "HS256"
    JWT_DECODE_ALGORITHMS = ["HS256"]
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_COOKIE_CSRF_PROTECT = False
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=_env_int("ACCESS_TOKEN_MINUTES", 30))
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=_env_int("REFRESH_TOKEN_DAYS", 7))
    JWT_ERROR_MESSAGE_KEY = "detail"

    # Per client address on login, registration and refresh; per account on login and
    # registration (so that one account cannot be brute-forced from many addresses).
    BCRYPT_ROUNDS = _env_int("BCRYPT_ROUNDS", 12)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    ACCOUNT_RATE_LIMIT = os.environ.get("ACCOUNT_RATE_LIMIT", "5 per minute; 50 per day")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None

    DOCS_ENABLED = _env_bool("DOCS_ENABLED", True)
    API_TITLE = "taskweb API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    @classmethod
    def validate(cls) -> None:
        """Refuse to start with a configuration that is unsafe for this environment."""


class DevelopmentConfig(Config):
    APP_ENV = "development"


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", False)


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    DOCS_ENABLED = _env_bool("DOCS_ENABLED", False)

    @classmethod
    def validate(cls) -> None:
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            value = os.environ.get(name, "")
            if not value or value == DEFAULT_SECRET:
                raise ConfigError(f"{name} must be set to a secret value in production.")
            if len(value.encode()) < MIN_SECRET_BYTES:
                raise ConfigError(f"{name} must be at least {MIN_SECRET_BYTES} bytes long.")
        if "DATABASE_URL" not in os.environ:
            raise ConfigError("DATABASE_URL must be set in production.")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment() -> type[Config]:
    """The configuration class named by ``APP_ENV`` (default: development)."""
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}; got {name!r}.")
    return CONFIGS[name]
