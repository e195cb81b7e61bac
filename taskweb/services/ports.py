"""What the services need from the outside world, as small interfaces.

The composition root (``taskweb/wiring.py``) hands real implementations in; the unit
tests hand in fakes. Nothing here knows Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

# The current instant, timezone-aware in UTC.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class TokenEncoder(Protocol):
    """Signs access and refresh tokens (JWTs in production)."""

    def access_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str: ...

    def refresh_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str: ...


class SecurityEvents(Protocol):
    """Where security-relevant events go (a structured log in production)."""

    def __call__(self, event: str, **fields: Any) -> None: ...
