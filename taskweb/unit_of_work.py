"""The unit of work: one database session and the repositories that share it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from taskweb.repositories import (
    IdempotencyRepository,
    TaskRepository,
    TokenRepository,
    UserRepository,
)


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.tasks = TaskRepository(session)
        self.tokens = TokenRepository(session)
        self.idempotency = IdempotencyRepository(session)

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()

    def rollback(self) -> None:
        self.session.rollback()
