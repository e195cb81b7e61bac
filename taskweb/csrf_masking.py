"""CSRF tokens that read differently in every page, so pages may be compressed.

A compressed answer that holds a secret next to text an attacker chose (a search echoed
back) leaks the secret through its size, a byte at a time (BREACH). Flask-WTF's token
is the same for a whole session, so each page carries it masked instead: a fresh random
pad and the token XORed with it, ``base64url(pad + (pad XOR token))`` — the defence
Django and Rails use. The check unmasks what comes back before Flask-WTF compares it.

A token without a mask (it has the dots of Flask-WTF's signed form) is still accepted,
so pages opened before a deploy keep working; anything else that does not unmask is
refused as before.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from flask_wtf.csrf import CSRFProtect, _FlaskFormCSRF, generate_csrf


def mask(token: str) -> str:
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    hidden = bytes(a ^ b for a, b in zip(pad, raw, strict=True))
    return base64.urlsafe_b64encode(pad + hidden).rstrip(b"=").decode()


def unmask(sent: str) -> str:
    """The token behind a masked one; what was sent when it is not masked (or broken,
    which the check then refuses)."""
    if "." in sent:
        return sent  # an unmasked token, from a page rendered before masking
    try:
        data = base64.urlsafe_b64decode(sent + "=" * (-len(sent) % 4))
    except (binascii.Error, ValueError):
        return sent
    half = len(data) // 2
    if not data or len(data) % 2:
        return sent
    token = bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True))
    try:
        return token.decode("ascii")
    except UnicodeDecodeError:
        return sent


def masked_csrf_token(*args: Any, **kwargs: Any) -> str:
    """``csrf_token()`` in templates: this session's token, masked afresh."""
    return mask(generate_csrf(*args, **kwargs))


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's global check, reading a masked token from the form or the header."""

    def init_app(self, app: Any) -> None:
        super().init_app(app)
        # Flask-WTF offers its own as a global and through a context processor: a later
        # context processor's names win.
        app.jinja_env.globals["csrf_token"] = masked_csrf_token
        app.context_processor(lambda: {"csrf_token": masked_csrf_token})

    def _get_csrf_token(self) -> str | None:
        sent = super()._get_csrf_token()
        return unmask(sent) if sent else sent


class MaskedFormCSRF(_FlaskFormCSRF):
    """A form's own CSRF field renders masked. (Its own check runs only where the global
    one has not, and unmasks too.)"""

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return mask(super().generate_csrf_token(csrf_token_field))

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        if field.data:
            field.data = unmask(field.data)
        super().validate_csrf_token(form, field)
