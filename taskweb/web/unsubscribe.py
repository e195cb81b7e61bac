"""Unsubscribe from notification e-mails by a signed link, with no login.

Each e-mail carries ``/unsubscribe/<token>``: the token signs the user's id
(itsdangerous, with the app's secret key, as Flask signs its sessions), so it is the
authority. A GET shows one button; its POST — or a mail client's RFC 8058 one-click
POST to the same URL, which carries no CSRF token and no cookie — turns
``email_notifications`` off. That one route is exempt from CSRF and from the
cross-site check (web/origin.py); all it can do is stop e-mails to the link's owner.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from itsdangerous import BadSignature, URLSafeSerializer

from taskweb.errors import NotFound
from taskweb.extensions import csrf
from taskweb.wiring import notification_service

bp = Blueprint("web_unsubscribe", __name__)
SALT = "taskweb.unsubscribe"
BAD_LINK = "This unsubscribe link is not valid. Copy the whole link from the e-mail, or " \
           "turn e-mail notifications off on your profile page."


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int) -> str:
    return _serializer().dumps(user_id)


def user_id_of(token: str) -> int:
    """The user id ``token`` signs, or NotFound for anything else."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        raise NotFound(BAD_LINK) from None
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise NotFound(BAD_LINK)
    return user_id


def _not_found(error: NotFound) -> tuple[str, int]:
    return render_template("error.html", status=404, title="Link not valid",
                           detail=error.detail), 404


bp.register_error_handler(NotFound, _not_found)


@bp.get("/unsubscribe/<token>")
def confirm(token: str) -> tuple[str, int]:
    user_id_of(token)
    return render_template("notifications/unsubscribe.html", token=token, done=False), 200


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str) -> tuple[str, int]:
    notification_service().stop_emails(user_id_of(token))
    return render_template("notifications/unsubscribe.html", token=token, done=True), 200
