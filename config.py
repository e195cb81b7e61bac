"""taskweb's configuration: the environment, read and validated once, when the app is created.

``load_settings()`` turns the environment variables listed in README ("Configuration") into
one typed, frozen :class:`Settings`, or raises one :class:`ConfigError` naming every
variable that is missing or wrong. The ``Config`` classes hold the Flask settings that do
not come from the environment, fixed for each ``APP_ENV`` (``development`` | ``testing`` |
``production``). This is the only module that reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-insecure-secret-change-me-0123456789"
MIN_SECRET_BYTES = 32
ENVIRONMENTS = ("development", "testing", "production")
DEFAULT_DATABASE_URLS = {
    "development": f"sqlite:///{BASE_DIR / 'instance' / 'taskweb.sqlite3'}",
    "testing": "sqlite://",
}
SUPPORTED_BACKENDS = ("postgresql", "sqlite")
# Hosting providers and tutorials hand out postgres:// and postgresql:// URLs. SQLAlchemy
# dropped the first and, since 2.1, maps the second to psycopg 3; taskweb ships psycopg2.
POSTGRES_SCHEMES = ("postgres", "postgresql")
POSTGRES_DRIVER = "postgresql+psycopg2"
URL_EXAMPLES = "postgresql://user:password@host/database or sqlite:////absolute/path.sqlite3"
# More reverse proxies than this in front of one app is a mistake, not a deployment.
MAX_TRUSTED_PROXIES = 5
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
MAIL_BACKENDS_WITHOUT_SERVER = {"development": "console", "testing": "locmem",
                                "production": "dummy"}
# The maintenance that used to be a daily cron line (`flask purge-expired`).
PURGE_EVERY = timedelta(days=1)
# The outbox of notification e-mails (a prompt sweep also follows each commit that owes one).
SEND_EMAILS_EVERY = timedelta(seconds=5)
# Webhooks: events become deliveries, and due deliveries go to the workers (a prompt
# fan-out also follows each commit that wrote events).
WEBHOOKS_EVERY = timedelta(seconds=5)


class ConfigError(RuntimeError):
    """The environment does not describe a usable, safe configuration.

    The message has one line per problem, each naming its variable.
    """


@dataclass(frozen=True)
class Settings:
    """Everything taskweb takes from the environment, typed and already validated."""

    app_env: str
    database_url: str
    secret_key: str
    jwt_secret_key: str
    redis_url: str | None
    cors_origins: tuple[str, ...]
    access_token_lifetime: timedelta
    refresh_token_lifetime: timedelta
    login_rate_limit: str
    account_rate_limit: str
    bcrypt_rounds: int
    docs_enabled: bool
    rate_limits_enabled: bool
    trusted_proxies: int
    mail_server: str | None
    mail_port: int
    mail_username: str | None
    mail_password: str | None
    mail_use_tls: bool
    mail_from: str
    public_url: str
    reminder_poll_seconds: int
    reminder_lease_seconds: int = 30
    metrics_token: str | None = None
    metrics_directory: str | None = None
    api_rate_limit: str = "600 per minute"
    live_update_ms: int = 1000
    webhook_allow_private: bool = False

    def flask_config(self) -> dict[str, Any]:
        """The Flask config keys these settings decide."""
        return {
            "APP_ENV": self.app_env,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SECRET_KEY": self.secret_key,
            "JWT_SECRET_KEY": self.jwt_secret_key,
            "REDIS_URL": self.redis_url,
            "CORS_ORIGINS": list(self.cors_origins),
            "JWT_ACCESS_TOKEN_EXPIRES": self.access_token_lifetime,
            "JWT_REFRESH_TOKEN_EXPIRES": self.refresh_token_lifetime,
            "LOGIN_RATE_LIMIT": self.login_rate_limit,
            "ACCOUNT_RATE_LIMIT": self.account_rate_limit,
            "BCRYPT_ROUNDS": self.bcrypt_rounds,
            "DOCS_ENABLED": self.docs_enabled,
            "RATELIMIT_ENABLED": self.rate_limits_enabled,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "TRUSTED_PROXIES": self.trusted_proxies,
            "CELERY": celery_config(self.redis_url, self.reminder_poll_seconds),
            # Without MAIL_SERVER, e-mails are written to the console in development, kept
            # in memory in tests (that do not start an SMTP server of their own), and not
            # sent at all in production.
            "MAIL_BACKEND": (
                "smtp" if self.mail_server else MAIL_BACKENDS_WITHOUT_SERVER[self.app_env]
            ),
            "MAIL_ENABLED": bool(self.mail_server) or self.app_env != "production",
            "MAIL_SERVER": self.mail_server or "localhost",
            "MAIL_PORT": self.mail_port,
            "MAIL_USERNAME": self.mail_username,
            "MAIL_PASSWORD": self.mail_password,
            "MAIL_USE_TLS": self.mail_use_tls,
            "MAIL_DEFAULT_SENDER": self.mail_from,
            # A mail server that does not answer must not hold a worker for long.
            "MAIL_TIMEOUT": 10,
            "PUBLIC_URL": self.public_url,
            "REMINDER_LEASE_SECONDS": self.reminder_lease_seconds,
            "METRICS_TOKEN": self.metrics_token,
            "PROMETHEUS_MULTIPROC_DIR": self.metrics_directory,
            "API_RATE_LIMIT": self.api_rate_limit,
            "LIVE_UPDATE_MS": self.live_update_ms,
            "WEBHOOK_ALLOW_PRIVATE": self.webhook_allow_private,
        }


def load_settings(
    environ: Mapping[str, str] | None = None, app_env: str | None = None
) -> Settings:
    """Read and validate the settings from ``environ`` (default: the process environment).

    ``app_env`` overrides ``APP_ENV``, for a caller that names its environment itself.
    Raises ConfigError listing every problem, so that one start-up reports them all.
    """
    reader = _Reader(os.environ if environ is None else environ)
    app_env = environment_name(app_env or reader.text("APP_ENV"))
    production = app_env == "production"
    settings = Settings(
        app_env=app_env,
        database_url=reader.database_url(DEFAULT_DATABASE_URLS.get(app_env)),
        secret_key=reader.secret("SECRET_KEY", strict=production),
        jwt_secret_key=reader.secret("JWT_SECRET_KEY", strict=production),
        redis_url=reader.text("REDIS_URL"),
        cors_origins=reader.items("CORS_ORIGINS"),
        access_token_lifetime=timedelta(
            minutes=reader.integer("ACCESS_TOKEN_MINUTES", 30, 1, 60 * 24 * 365)
        ),
        refresh_token_lifetime=timedelta(days=reader.integer("REFRESH_TOKEN_DAYS", 7, 1, 3650)),
        # Per client address on login, registration and refresh; per account on login and
        # registration, so that one account cannot be brute-forced from many addresses.
        login_rate_limit=reader.rate_limit("LOGIN_RATE_LIMIT", "10 per minute"),
        account_rate_limit=reader.rate_limit("ACCOUNT_RATE_LIMIT", "5 per minute; 50 per day"),
        # bcrypt's own bounds; the cost of a stored hash is raised at its owner's next login.
        bcrypt_rounds=reader.integer("BCRYPT_ROUNDS", 12, 4, 31),
        docs_enabled=reader.boolean("DOCS_ENABLED", not production),
        # Rate limits can only be switched off in tests, never by a production typo.
        rate_limits_enabled=(
            reader.boolean("RATELIMIT_ENABLED", False) if app_env == "testing" else True
        ),
        # The reverse proxies in front (nginx: 1). Only their X-Forwarded-For and
        # X-Forwarded-Proto are believed; with none, a client could name any address and
        # get a fresh rate-limit budget with every request.
        trusted_proxies=reader.integer("TRUSTED_PROXIES", 0, 0, MAX_TRUSTED_PROXIES),
        mail_server=reader.text("MAIL_SERVER"),
        mail_port=reader.integer("MAIL_PORT", 25, 1, 65535),
        mail_username=reader.text("MAIL_USERNAME"),
        mail_password=reader.text("MAIL_PASSWORD"),
        mail_use_tls=reader.boolean("MAIL_USE_TLS", False),
        mail_from=reader.text("MAIL_FROM", "taskweb <taskweb@localhost>"),
        # Links in e-mails are written by workers, which have no request to take a host
        # from: the address people reach taskweb at.
        public_url=reader.public_url(production),
        reminder_poll_seconds=reader.integer("REMINDER_POLL_SECONDS", 5, 1, 60),
        # How long a worker has to deliver the reminders handed to it before they are
        # handed out again (it may have died with them).
        reminder_lease_seconds=reader.integer("REMINDER_LEASE_SECONDS", 30, 2, 3600),
        # /metrics answers only a scraper that sends this bearer token; unset, it is a 404.
        metrics_token=reader.optional_secret("METRICS_TOKEN"),
        # prometheus_client's multiprocess mode (several gunicorn workers): it reads the
        # variable itself at import; here it is only checked, so a typo stops start-up.
        metrics_directory=reader.writable_directory("PROMETHEUS_MULTIPROC_DIR"),
        # Every /api/v1 request counts against its caller's budget: per personal access
        # token, per user with a login token, per client address without a token.
        api_rate_limit=reader.rate_limit("API_RATE_LIMIT", "600 per minute"),
        # How often an open project page asks whether its tasks changed (bench/RESULTS.md
        # "Live updates": 100 idle pages at 1 s cost a few percent of one core).
        live_update_ms=reader.integer("LIVE_UPDATE_MS", 1000, 200, 60000),
        # Webhooks may reach private and loopback addresses (a receiver on the same
        # network); link-local, multicast and reserved ones stay refused.
        webhook_allow_private=reader.boolean("WEBHOOK_ALLOW_PRIVATE", False),
    )
    if reader.problems:
        raise ConfigError("\n".join(reader.problems))
    return settings


class _Reader:
    """Typed reads of environment variables; a bad value is noted, not raised, so that
    every problem is found in one pass."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, name: str, default: str | None = None) -> str | None:
        """The value without surrounding blanks; unset and blank are the same."""
        value = self.environ.get(name, "").strip()
        return value or default

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in self.environ.get(name, "").split(",") if item.strip())

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        if value.isascii() and value.isdigit() and minimum <= int(value) <= maximum:
            return int(value)
        self.problems.append(
            f"{name} must be a whole number from {minimum} to {maximum}; got {value!r}."
        )
        return default

    def boolean(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in TRUE_WORDS | FALSE_WORDS:
            return value.lower() in TRUE_WORDS
        self.problems.append(
            f"{name} must be one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}; got {value!r}."
        )
        return default

    def rate_limit(self, name: str, default: str) -> str:
        value = self.text(name, default)
        try:
            parse_many(value)
        except ValueError:
            self.problems.append(
                f"{name} must be rate limits like '10 per minute; 100 per day'; got {value!r}."
            )
            return default
        return value

    def public_url(self, production: bool) -> str:
        value = self.text("PUBLIC_URL")
        if value is None:
            if production:
                self.problems.append(
                    "PUBLIC_URL must be set in production: the address people open taskweb "
                    "at, e.g. https://tasks.example.com (links in e-mails start with it)."
                )
            return DEFAULT_PUBLIC_URL
        parsed = urlsplit(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query:
            self.problems.append(
                f"PUBLIC_URL must be an http(s) address like https://tasks.example.com; "
                f"got {value!r}."
            )
            return DEFAULT_PUBLIC_URL
        return value.rstrip("/")

    def secret(self, name: str, *, strict: bool) -> str:
        """A signing key; in production it must be set, not the default, and long enough.

        Taken as it is, blanks included: another process may sign with the same bytes.
        """
        value = self.environ.get(name, "")
        if not strict:
            return value or DEFAULT_SECRET
        if not value or value == DEFAULT_SECRET:
            self.problems.append(
                f"{name} must be set to a secret value in production "
                f"(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        elif len(value.encode()) < MIN_SECRET_BYTES:
            self.problems.append(
                f"{name} must be at least {MIN_SECRET_BYTES} bytes long in production; "
                f"it has {len(value.encode())}."
            )
        return value

    def optional_secret(self, name: str) -> str | None:
        """A bearer token that may be unset; set, it must be long enough not to be guessed."""
        value = self.environ.get(name, "")
        if value and len(value.encode()) < MIN_SECRET_BYTES:
            self.problems.append(
                f"{name} must be at least {MIN_SECRET_BYTES} bytes long; it has "
                f"{len(value.encode())} (e.g. python3 -c 'import secrets; "
                f"print(secrets.token_urlsafe(48))')."
            )
            return None
        return value or None

    def writable_directory(self, name: str) -> str | None:
        value = self.text(name)
        if value is None and name in self.environ:
            # prometheus_client takes a blank one as set (and writes to the working directory).
            self.problems.append(f"{name} must be unset or a directory; it is blank.")
            return None
        if value is not None and not (os.path.isdir(value) and os.access(value, os.W_OK)):
            self.problems.append(f"{name} must be an existing directory this user can write; "
                                 f"got {value!r}.")
            return None
        return value

    def database_url(self, default: str | None) -> str:
        """DATABASE_URL for the driver taskweb installs, checked as far as can be
        without connecting: a URL that SQLAlchemy cannot load is refused here."""
        value = self.text("DATABASE_URL", default)
        if value is None:
            self.problems.append(f"DATABASE_URL must be set in production, e.g. {URL_EXAMPLES}.")
            return ""
        problem = database_url_problem(value)
        if problem:
            self.problems.append(problem)
            return ""
        return with_installed_driver(value)


def celery_config(redis_url: str | None, reminder_poll_seconds: int) -> dict[str, Any]:
    """Celery's settings (Flask's pattern: the app config's ``CELERY`` key).

    With Redis, jobs go through it to the workers (`celery -A wsgi.celery_app worker`) and
    `celery beat` sends the schedule. Without it (``make run`` on a bare machine), a job
    runs in the process that sends it and, in development, each web process runs the
    schedule in a thread (taskweb/jobs/inline.py), so reminders are still delivered.
    """
    return {
        "broker_url": redis_url or "memory://",
        "task_always_eager": redis_url is None,
        "task_ignore_result": True,
        # A job is acknowledged when it has finished, not when it starts: one whose
        # worker died is run again. The jobs are written to be run twice.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "timezone": "UTC",
        "beat_schedule": {
            "purge-expired": {
                "task": "taskweb.jobs.maintenance.purge_expired",
                "schedule": PURGE_EVERY.total_seconds(),
            },
            "send-owed-emails": {
                "task": "taskweb.jobs.notifications.send_owed_emails",
                "schedule": SEND_EMAILS_EVERY.total_seconds(),
            },
            # One indexed query that hands the due reminders to the workers.
            "dispatch-due-reminders": {
                "task": "taskweb.jobs.reminders.dispatch_due_reminders",
                "schedule": float(reminder_poll_seconds),
            },
            "fan-out-webhook-events": {
                "task": "taskweb.jobs.webhooks.fan_out_webhook_events",
                "schedule": WEBHOOKS_EVERY.total_seconds(),
            },
            "dispatch-webhook-deliveries": {
                "task": "taskweb.jobs.webhooks.dispatch_webhook_deliveries",
                "schedule": WEBHOOKS_EVERY.total_seconds(),
            },
        },
    }


def with_installed_driver(url: str) -> str:
    """``postgres://`` and ``postgresql://`` as ``postgresql+psycopg2://``; any other
    URL, an explicit driver included, as it is."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme.lower() in POSTGRES_SCHEMES:
        return f"{POSTGRES_DRIVER}://{rest}"
    return url


def database_url_problem(url: str) -> str | None:
    """Why SQLAlchemy could not load ``url`` (never quoting it: it may hold a password)."""
    try:
        parsed = make_url(with_installed_driver(url))
    except (ArgumentError, ValueError):
        return f"DATABASE_URL is not a database URL; expected e.g. {URL_EXAMPLES}."
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        return (f"DATABASE_URL must be a PostgreSQL or SQLite URL; "
                f"got the scheme {parsed.drivername!r}.")
    try:
        parsed.get_dialect().import_dbapi()
    except NoSuchModuleError:
        return f"DATABASE_URL names the unknown driver {parsed.drivername!r}."
    except ImportError as error:
        return (f"DATABASE_URL asks for the driver {parsed.drivername!r}, which is not "
                f"installed ({error}); leave the driver out to use the installed one, "
                f"as in {URL_EXAMPLES}.")
    return None


class Config:
    """Flask settings that no variable configures; each subclass names an APP_ENV and
    sets what differs in it."""

    APP_ENV = "development"
    # pre_ping: after a database restart the same processes serve again, with no 500.
    # reset_on_return=None: the request's session always ends its transaction itself
    # (rollback or commit at teardown), so the pool's second ROLLBACK is a wasted round trip.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_reset_on_return": None}
    MAX_CONTENT_LENGTH = 1024 * 1024

    JWT_ALGORITHM = "HS256"
    JWT_DECODE_ALGORITHMS = ["HS256"]
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_COOKIE_CSRF_PROTECT = False
    JWT_ERROR_MESSAGE_KEY = "detail"

    # taskweb writes the rate-limit headers itself (rate_limits.write_rate_limit_headers):
    # Flask-Limiter's RateLimit-Reset would be a timestamp, the IETF draft's is seconds.
    RATELIMIT_HEADERS_ENABLED = False
    # Password-reset e-mails asked for (rate_limits.limit_password_reset_request).
    PASSWORD_RESET_ADDRESS_LIMIT = "20 per hour"
    PASSWORD_RESET_ACCOUNT_LIMIT = "3 per 15 minutes; 10 per day"
    # Redis down: limits are counted in the process's memory until it is back, so that
    # signing in keeps working through an outage (tests/resilience/test_reminder_workers).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None

    API_TITLE = "taskweb API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


class DevelopmentConfig(Config):
    APP_ENV = "development"


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def environment_name(value: str | None) -> str:
    """The environment ``value`` names (default: development), or ConfigError."""
    name = (value or "").strip() or "development"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}; got {name!r}.")
    return name


def config_for_environment(environ: Mapping[str, str] | None = None) -> type[Config]:
    """The configuration class named by ``APP_ENV`` (default: development)."""
    return CONFIGS[environment_name((os.environ if environ is None else environ).get("APP_ENV"))]
