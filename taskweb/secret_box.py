"""Secrets the app must read back (a webhook's signing secret), encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with a key derived from the
app's SECRET_KEY by HKDF, so the database alone does not give the secrets away. Changing
SECRET_KEY makes the stored secrets unreadable: such webhooks must be registered again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PURPOSE = b"taskweb webhook secrets"


class SecretBox:
    def __init__(self, app_secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=_PURPOSE).derive(app_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()
