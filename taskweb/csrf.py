"""CSRF tokens masked afresh in every response, so that gzip may compress pages (BREACH).

A compressed page that carries a secret next to text an attacker chooses (a search
query echoed back) leaks the secret through the response's length, one guessed byte at
a time. As Django and Rails do, a page never carries the secret itself: every response
carries ``base64url(pad || pad XOR secret)`` with a fresh random ``pad``, so no two
responses share the bytes a guess could match. The secret is Flask-WTF's, kept in the
session; the masked form is the bare secret (20 bytes), shorter than the signed token
Flask-WTF would render, since pages repeat it in every row.

The check unmasks a token and hands Flask-WTF's own ``validate_csrf`` the signed token
of what it found, so the comparison with the session, the refusals and their messages
stay Flask-WTF's. A signed token as Flask-WTF renders it (it holds dots, a masked one
never does) is still accepted: pages opened before a deploy keep their token in forms
and in the meta tag that htmx requests send, and their next write must not fail.
"""

from __future__ import annotations

import binascii
import os
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

from flask import Flask, current_app, g, session
from flask_wtf.csrf import CSRFProtect, _FlaskFormCSRF, generate_csrf
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup, escape
from wtforms.csrf.core import CSRFTokenField

# Flask-WTF's salt for the signed token (flask_wtf/csrf.py).
FLASK_WTF_SALT = "wtf-csrf-token"
SIGNED_TOKEN_SEPARATOR = "."
MASKED_TOKEN_KEY = "csrf_token_masked"
# Flask-WTF's session secret is a SHA-1 hex digest: 20 bytes.
SECRET_LENGTH = 20


def _xor(left: bytes, right: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


def mask(secret: bytes) -> str:
    """``secret`` under a fresh one-time pad, pad first, in base64url without padding."""
    pad = os.urandom(len(secret))
    return urlsafe_b64encode(pad + _xor(pad, secret)).decode("ascii").rstrip("=")


def unmask(token: str) -> bytes | None:
    """The secret a masked token carries, or None when it cannot be one."""
    try:
        raw = urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 2 * SECRET_LENGTH:
        return None
    return _xor(raw[:SECRET_LENGTH], raw[SECRET_LENGTH:])


def masked_csrf_token() -> str:
    """The token pages render (the ``csrf_token()`` of templates, forms' hidden field).

    Masked once per response: a page repeats it in every row, and a repeat of the same
    string is not a leak (BREACH needs the secret's own bytes across responses).
    """
    if MASKED_TOKEN_KEY not in g:
        generate_csrf()  # makes the session's secret when there is none yet
        field_name = current_app.config["WTF_CSRF_FIELD_NAME"]
        setattr(g, MASKED_TOKEN_KEY, mask(bytes.fromhex(session[field_name])))
    return g.get(MASKED_TOKEN_KEY)


def masked_csrf_meta_tag(name: str | None = None) -> Markup:
    """Flask-WTF's ``csrf_meta_tag()`` (unused by our templates) with the masked token."""
    name = name or current_app.config["WTF_CSRF_META_NAME"]
    return Markup(f'<meta name="{escape(name)}" content="{escape(masked_csrf_token())}">')


def signed_token(token: str | None) -> str | None:
    """What Flask-WTF's ``validate_csrf`` checks, for a token a request sent.

    A signed token (an unmasked one from before masking) and anything that does not
    unmask are passed through unchanged, to be accepted or refused by Flask-WTF as before.
    """
    if not token or SIGNED_TOKEN_SEPARATOR in token:
        return token
    secret = unmask(token)
    if secret is None:
        return token
    serializer = URLSafeTimedSerializer(current_app.config.get("WTF_CSRF_SECRET_KEY")
                                        or current_app.secret_key, salt=FLASK_WTF_SALT)
    return serializer.dumps(secret.hex())


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's ``CSRFProtect`` whose pages render masked tokens and whose check
    unmasks them first.

    A masked token carries no timestamp, so ``WTF_CSRF_TIME_LIMIT`` must stay None (the
    token lives as long as the session): a limit is refused when the app starts.
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        if app.config["WTF_CSRF_TIME_LIMIT"] is not None:
            raise RuntimeError("masked CSRF tokens carry no time: "
                               "WTF_CSRF_TIME_LIMIT must be None")
        # Flask-WTF registered its unmasked helpers both ways; ours replace them (a
        # context processor registered later wins).
        helpers = {"csrf_token": masked_csrf_token, "csrf_meta_tag": masked_csrf_meta_tag}
        app.jinja_env.globals.update(helpers)
        app.context_processor(lambda: helpers)

    def _get_csrf_token(self) -> str | None:
        return signed_token(super()._get_csrf_token())


class MaskedFormCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF of forms (``WebForm.Meta.csrf_class``) whose hidden field renders
    the masked token; a form validated where ``MaskedCSRFProtect`` did not check (an
    exempt view) has its token unmasked before Flask-WTF's own check."""

    def generate_csrf_token(self, csrf_token_field: CSRFTokenField) -> str:
        return masked_csrf_token()

    def validate_csrf_token(self, form: Any, field: CSRFTokenField) -> None:
        field.data = signed_token(field.data)
        super().validate_csrf_token(form, field)
