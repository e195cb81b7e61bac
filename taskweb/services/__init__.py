"""Service layer. The factories below are the composition root both adapters use:
they bind each service to the request's database session and the app's settings."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from taskweb.extensions import db
from taskweb.security import PasswordHasher
from taskweb.services.auth import AuthService
from taskweb.services.tasks import TaskService
from taskweb.services.tokens import TokenIssuer
from taskweb.services.users import UserService
from taskweb.unit_of_work import UnitOfWork


def _hasher() -> PasswordHasher:
    return current_app.extensions["taskweb.hasher"]


def auth_service() -> AuthService:
    issuer = TokenIssuer(
        current_app.config["JWT_ACCESS_TOKEN_EXPIRES"],
        current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
    )
    return AuthService(UnitOfWork(db.session), _hasher(), issuer)


def user_service() -> UserService:
    return UserService(UnitOfWork(db.session), _hasher())


def task_service() -> TaskService:
    return TaskService(UnitOfWork(db.session))


def database_answers() -> bool:
    """True when the database answers a trivial query (for /health)."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False
