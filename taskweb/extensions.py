"""Flask extensions, created once and initialised by the app factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, has_request_context
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from taskweb.csrf import MaskedCSRFProtect

# Named constraints so that migrations can drop and compare them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay loaded after a commit: a request that has just written a task answers
# with it, and re-reading it would only cost another round trip.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()


class OncePerRequestJWTManager(JWTManager):
    """Decodes a request's token once: the API budget's key (taskweb/api/rate_limit.py)
    and the view's ``jwt_required`` both ask for it, and each decode verifies the
    signature and parses the token three times. A token that fails raises each time."""

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None,
                                allow_expired: bool = False) -> dict:
        if not has_request_context():
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        decoded = g.setdefault("decoded_tokens", {})
        key = (encoded_token, csrf_value, allow_expired)
        if key not in decoded:
            decoded[key] = super()._decode_jwt_from_config(encoded_token, csrf_value,
                                                           allow_expired)
        return decoded[key]


jwt = OncePerRequestJWTManager()
# Masked tokens in pages, so that nginx may gzip them (taskweb/csrf.py).
csrf = MaskedCSRFProtect()
cors = CORS()
# E-mail (Flask-Mailman): SMTP when MAIL_SERVER is set, else the console (see config.py).
mail = Mail()


# What a breached limit sets off (the security log, a metric) and how the API budget of
# programs is keyed live higher up (taskweb.observability, taskweb.metrics,
# taskweb/api/rate_limit.py) and need the services that need these extensions: the app
# factory hands them in here (``rate_limit_hooks``), so this module imports none of them.
rate_limit_hooks: dict[str, Callable[..., Any]] = {}
RATE_LIMIT_HIT_LISTENERS: list[Callable[[Any], None]] = []


def _log_rate_limit_hit(limit: Any) -> None:
    for listener in RATE_LIMIT_HIT_LISTENERS:
        listener(limit)


def _api_rate_limit() -> str:
    return rate_limit_hooks["api_rate_limit"]()


def _api_client_key() -> str:
    return rate_limit_hooks["api_client_key"]()


def _not_an_api_request() -> bool:
    # Before the API has handed its hooks in, nothing spends its budget.
    exempt = rate_limit_hooks.get("is_not_an_api_request")
    return True if exempt is None else exempt()


def _counted_endpoint() -> str:
    """The endpoint limits are counted for: Flask-Limiter counts nothing without one, so
    an /api/ URL that matches no route (a 404 or a 405) is counted, as "api", too."""
    from flask import request

    if request.endpoint:
        return request.endpoint
    return "api" if request.path.startswith("/api/") else ""


API_BUDGET = ApplicationLimit(limit_provider=_api_rate_limit, key_function=_api_client_key,
                              scope="api", exempt_when=_not_an_api_request)

limiter = Limiter(key_func=get_remote_address, on_breach=_log_rate_limit_hit,
                  application_limits=[API_BUDGET], request_identifier=_counted_endpoint)
