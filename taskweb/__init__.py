"""taskweb: a task manager for browsers (htmx) and programs (JSON API)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, Config, load_settings
from taskweb.extensions import (
    cors,
    csrf,
    db,
    jwt,
    limiter,
    login_manager,
    mail,
    migrate,
)
from taskweb.json_provider import OrjsonProvider
from taskweb.rate_limits import write_rate_limit_headers
from taskweb.security import PasswordHasher
from taskweb.wiring import HASHER_EXTENSION


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app for ``config`` (default: the class named by APP_ENV).

    The environment is read and validated here, once (ConfigError names each bad
    variable); ``overrides`` are Flask config keys set last, for tests and tools.
    """
    settings = load_settings(app_env=config.APP_ENV if config else None)
    config = config or CONFIGS[settings.app_env]
    app = Flask(__name__, template_folder="web/templates", static_folder="static")
    app.json = OrjsonProvider(app)
    app.config.from_object(config)
    app.config.update(settings.flask_config())
    app.config.update(overrides)
    app.url_map.strict_slashes = False
    _trust_proxies(app)

    _init_extensions(app)
    app.extensions[HASHER_EXTENSION] = PasswordHasher(app.config["BCRYPT_ROUNDS"])

    from taskweb.api import init_api
    from taskweb.commands import register_commands
    from taskweb.error_handling import register_error_handlers
    from taskweb.headers import register_security_headers
    from taskweb.metrics import init_metrics
    from taskweb.observability import configure_logging, register_request_logging
    from taskweb.static_urls import register_static_fingerprints
    from taskweb.web import init_web

    configure_logging(app)
    _warn_about_process_local_limits(app)
    register_request_logging(app)
    init_metrics(app)
    init_api(app)
    init_web(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    register_static_fingerprints(app)
    _init_jobs(app)
    return app


def _init_jobs(app: Flask) -> None:
    from taskweb.jobs import celery_init_app
    from taskweb.jobs.inline import run_schedule_in_process

    celery_app = celery_init_app(app)
    # No broker in development (`make run` on a bare machine): the web process runs the
    # schedule itself. Production runs `celery beat` and workers on Redis; tests run the
    # jobs they are about themselves, or start a real worker.
    if app.config["CELERY"]["task_always_eager"] and app.config["APP_ENV"] == "development":
        run_schedule_in_process(app, celery_app)


def _trust_proxies(app: Flask) -> None:
    """Take the client's address and scheme from the TRUSTED_PROXIES proxies in front.

    Each proxy appends the address it saw to X-Forwarded-For and says in X-Forwarded-Proto
    whether the client came over https; the last TRUSTED_PROXIES entries are theirs, any
    earlier one the client's own invention. With none in front nothing is believed, so a
    spoofed header can neither change the address rate limits count nor make a request
    look like https. X-Forwarded-Host, -Port and -Prefix are never believed: the shipped
    nginx file passes the Host the client asked for, and no prefix.
    """
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0
        )


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_directory()))
    jwt.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    app.after_request(write_rate_limit_headers)
    mail.init_app(app)
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
        expose_headers=["Location", "ETag", "Retry-After", "X-Request-ID",
                        "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
    )


def _warn_about_process_local_limits(app: Flask) -> None:
    if app.config["APP_ENV"] == "production" and not app.config.get("REDIS_URL"):
        logging.getLogger("taskweb.config").warning(
            "REDIS_URL is not set: rate limits are counted per process, so several gunicorn "
            "workers or instances each allow the full limit, and there is no broker for the "
            "Celery workers, so reminders are not delivered and e-mails are not retried. "
            "Set REDIS_URL in production."
        )


def _migrations_directory() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"
