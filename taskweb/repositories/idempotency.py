"""Idempotency keys: the task a client created under a key, kept for a day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from taskweb.models import IdempotencyKey


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int, key: str) -> IdempotencyKey | None:
        return self.session.get(IdempotencyKey, (user_id, key))

    def add(self, record: IdempotencyKey) -> None:
        self.session.add(record)

    def purge_older_than(self, cutoff: datetime) -> int:
        return self.session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
        ).rowcount
