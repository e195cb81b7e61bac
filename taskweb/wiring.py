"""The composition root: the only module that knows Flask and the services together.

Each factory builds a service for the current request: a unit of work on the request's
database session, the app's password hasher and settings, the system clock, JWTs from
Flask-JWT-Extended and security events to the structured log. The adapters (``api/``,
``web/``, ``commands.py``) get their services here and nowhere else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from taskweb.extensions import db
from taskweb.notification_mail import SmtpMailer
from taskweb.observability import security_event
from taskweb.repositories.accounts import AccountRepository
from taskweb.repositories.calendar import CalendarRepository
from taskweb.secret_box import SecretBox
from taskweb.security import PasswordHasher
from taskweb.services.accounts import AccountService
from taskweb.services.agenda import AgendaService
from taskweb.services.auth import AuthService
from taskweb.services.browser_sessions import BrowserSessionService
from taskweb.services.bulk import BulkService
from taskweb.services.calendar import CalendarService
from taskweb.services.email_outbox import EmailOutbox
from taskweb.services.history import HistoryService
from taskweb.services.labels import LabelService
from taskweb.services.live_updates import LiveUpdateService
from taskweb.services.moves import MoveService
from taskweb.services.notifications import Notices, NotificationService
from taskweb.services.password_reset import PasswordResetService
from taskweb.services.personal_tokens import PersonalTokenService
from taskweb.services.ports import Clock, system_clock
from taskweb.services.projects import ProjectService
from taskweb.services.quick_add import QuickAddService
from taskweb.services.reminders import ReminderDelivery
from taskweb.services.saved_filters import SavedFilterService
from taskweb.services.sync import SyncService
from taskweb.services.tasks import TaskService
from taskweb.services.tokens import TokenIssuer
from taskweb.services.trash import TrashService
from taskweb.services.users import UserService
from taskweb.services.webhook_delivery import WebhookDispatcher
from taskweb.services.webhooks import WebhookService
from taskweb.unit_of_work import UnitOfWork
from taskweb.webhook_http import WebhookSender, check_url

HASHER_EXTENSION = "taskweb.hasher"
# Tests that stand at a chosen moment put a clock here (`app.extensions[CLOCK_EXTENSION]
# = lambda: moment`); without one, the system clock.
CLOCK_EXTENSION = "taskweb.clock"


class JwtEncoder:
    """Tokens signed by Flask-JWT-Extended with the app's JWT settings."""

    def access_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str:
        return create_access_token(identity, expires_delta=lifetime, additional_claims=claims)

    def refresh_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str:
        return create_refresh_token(identity, expires_delta=lifetime, additional_claims=claims)


def unit_of_work() -> UnitOfWork:
    return UnitOfWork(db.session)


def _hasher() -> PasswordHasher:
    return current_app.extensions[HASHER_EXTENSION]


def auth_service() -> AuthService:
    issuer = TokenIssuer(
        JwtEncoder(),
        system_clock,
        current_app.config["JWT_ACCESS_TOKEN_EXPIRES"],
        current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
    )
    return AuthService(unit_of_work(), _hasher(), issuer, system_clock, security_event)


def browser_session_service() -> BrowserSessionService:
    return BrowserSessionService(unit_of_work(), system_clock)


def user_service() -> UserService:
    return UserService(unit_of_work(), _hasher())


def clock() -> Clock:
    """The app's clock: the system clock unless the app was given another one."""
    return current_app.extensions.get(CLOCK_EXTENSION, system_clock)


def notices(uow: UnitOfWork) -> Notices:
    """Assigned and shared notifications, with e-mail owed only when the app sends any."""
    return Notices(uow, clock(), mail_enabled=current_app.config["MAIL_ENABLED"])


def notification_service() -> NotificationService:
    return NotificationService(unit_of_work(), clock())


def email_outbox() -> EmailOutbox:
    return EmailOutbox(unit_of_work(), SmtpMailer(), clock())


def task_service() -> TaskService:
    uow = unit_of_work()
    return TaskService(uow, clock(), notices(uow))


def agenda_service() -> AgendaService:
    return AgendaService(unit_of_work(), clock())


def quick_add_service() -> QuickAddService:
    uow = unit_of_work()
    app_clock = clock()
    return QuickAddService(uow, TaskService(uow, app_clock, notices(uow)), app_clock)


def move_service() -> MoveService:
    return MoveService(unit_of_work(), clock())


def account_service() -> AccountService:
    uow = unit_of_work()
    return AccountService(uow, AccountRepository(uow.session), _hasher(), system_clock,
                          security_event)


def project_service() -> ProjectService:
    uow = unit_of_work()
    return ProjectService(uow, notices(uow))


def label_service() -> LabelService:
    return LabelService(unit_of_work())


def saved_filter_service() -> SavedFilterService:
    return SavedFilterService(unit_of_work())


def personal_token_service() -> PersonalTokenService:
    return PersonalTokenService(unit_of_work(), clock())
def trash_service() -> TrashService:
    return TrashService(unit_of_work(), clock())


def bulk_service() -> BulkService:
    uow = unit_of_work()
    return BulkService(uow, clock(), notices(uow))


def password_reset_service() -> PasswordResetService:
    return PasswordResetService(unit_of_work(), _hasher(), clock())


def calendar_service() -> CalendarService:
    uow = unit_of_work()
    return CalendarService(uow, CalendarRepository(uow.session))


def history_service() -> HistoryService:
    return HistoryService(unit_of_work())


def reminder_delivery() -> ReminderDelivery:
    return ReminderDelivery(
        unit_of_work(), clock(),
        email_enabled=bool(current_app.config.get("MAIL_ENABLED")),
        lease=timedelta(seconds=current_app.config["REMINDER_LEASE_SECONDS"]),
    )


def webhook_service() -> WebhookService:
    return WebhookService(unit_of_work(), clock(), SecretBox(current_app.config["SECRET_KEY"]),
                          _webhook_url_check)


def _webhook_url_check(url: str) -> str | None:
    return check_url(url, allow_private=bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE")))


def webhook_dispatcher() -> WebhookDispatcher:
    sender = WebhookSender(allow_private=bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE")))
    return WebhookDispatcher(unit_of_work(), clock(), sender,
                             SecretBox(current_app.config["SECRET_KEY"]))


def database_answers() -> bool:
    """True when the database answers a trivial query (for /health)."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def sync_service() -> SyncService:
    return SyncService(unit_of_work())


def live_update_service() -> LiveUpdateService:
    return LiveUpdateService(unit_of_work())
REDIS_CHECK_EXTENSION = "taskweb.redis_check"


def redis_answers() -> bool | None:
    """True when Redis answers PING within a second, False when it does not, None when no
    REDIS_URL is configured (development and tests without a broker: nothing to ask)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get(REDIS_CHECK_EXTENSION)
    if client is None:
        # One small client per process; each check borrows a pooled connection.
        client = Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions[REDIS_CHECK_EXTENSION] = client
    try:
        return bool(client.ping())
    except RedisError:
        return False

