"""Password hashing with bcrypt.

bcrypt reads only the first 72 bytes of a password, so every password is first reduced to a
fixed-length SHA-256 digest (base64, 44 bytes): long passwords are neither truncated nor
rejected by bcrypt, and every byte counts.
"""

from __future__ import annotations

import base64
import hashlib

import bcrypt


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


class PasswordHasher:
    def __init__(self, rounds: int = 12) -> None:
        self.rounds = rounds
        # Compared against when an account does not exist, so that a login costs the same.
        self._dummy_hash = self.hash("not-a-real-password-but-costs-the-same")

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self.rounds)).decode("ascii")

    def verify(self, password: str, hashed: str) -> bool:
        try:
            return bcrypt.checkpw(_prehash(password), hashed.encode("ascii"))
        except ValueError:
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True when ``hashed`` was made with fewer rounds than are configured now."""
        try:
            return int(hashed.split("$")[2]) < self.rounds
        except (IndexError, ValueError):
            return True

    def burn_time(self, password: str) -> None:
        """Spend the time of a real verification, for logins of unknown accounts."""
        self.verify(password, self._dummy_hash)
