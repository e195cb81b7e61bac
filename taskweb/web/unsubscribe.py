"""Unsubscribe from notification e-mails by a signed link, with no login.

Each e-mail carries ``/unsubscribe/<token>``: the token signs the user's id
(taskweb/notification_mail.py), so it is the authority. A GET shows one button; its
POST — or a mail client's RFC 8058 one-click POST to the same URL, which carries no CSRF
token and no cookie — turns
``email_notifications`` off. That one route is exempt from CSRF and from the
cross-site check (web/origin.py); all it can do is stop e-mails to the link's owner.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from taskweb.errors import NotFound
from taskweb.extensions import csrf
from taskweb.notification_mail import user_id_of
from taskweb.wiring import notification_service

bp = Blueprint("web_unsubscribe", __name__)


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
