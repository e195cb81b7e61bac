"""Flask extensions, created once and initialised by the app factory."""

from __future__ import annotations

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

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
jwt = JWTManager()
csrf = CSRFProtect()
cors = CORS()
# E-mail (Flask-Mailman): SMTP when MAIL_SERVER is set, else the console (see config.py).
mail = Mail()


def _log_rate_limit_hit(limit) -> None:
    from taskweb.metrics import count_rate_limit_hit
    from taskweb.observability import security_event

    security_event("rate_limited", limit=str(limit.limit))
    count_rate_limit_hit()


# The budget of programs on /api/v1: its functions live with the API
# (taskweb/api/rate_limit.py) and are imported when first called, since they need the
# services that need these extensions.
def _api_rate_limit() -> str:
    from taskweb.api.rate_limit import api_rate_limit

    return api_rate_limit()


def _api_client_key() -> str:
    from taskweb.api.rate_limit import api_client_key

    return api_client_key()


def _not_an_api_request() -> bool:
    from taskweb.api.rate_limit import is_not_an_api_request

    return is_not_an_api_request()


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
