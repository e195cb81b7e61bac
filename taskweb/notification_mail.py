"""The e-mail of a notification: plain text and HTML from the templates in
``templates/email/``, absolute links from ``PUBLIC_URL`` (a worker has no request to take
a host from), and the one-click unsubscribe headers of RFC 8058 with their signed token.

The token signs the user's id (itsdangerous, with the app's secret key, as Flask signs
its sessions), so the link itself is the authority: web/unsubscribe.py reads it back.
"""

from __future__ import annotations

import smtplib

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from itsdangerous import BadSignature, URLSafeSerializer

from taskweb.errors import NotFound
from taskweb.repositories.notifications import OwedEmail
from taskweb.services.email_outbox import MailNotSent

UNSUBSCRIBE_SALT = "taskweb.unsubscribe"
BAD_LINK = "This unsubscribe link is not valid. Copy the whole link from the e-mail, or " \
           "turn e-mail notifications off on your profile page."


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


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


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def links_of(email: OwedEmail) -> dict[str, str]:
    """What the e-mail links to: its task (or project), the panel, unsubscribing."""
    if email.task_id is not None:
        subject = public_url(f"/tasks/{email.task_id}")
    elif email.project_id is not None:
        subject = public_url(f"/projects/{email.project_id}")
    else:
        subject = public_url("/notifications")
    return {"subject_url": subject, "notifications_url": public_url("/notifications"),
            "unsubscribe_url": public_url(f"/unsubscribe/{unsubscribe_token(email.user_id)}")}


def _render(name: str, **context: object) -> str:
    """A template on its own: the pages' context processors read the request, and a
    worker has none."""
    return current_app.jinja_env.get_template(name).render(**context)


def notification_message(email: OwedEmail) -> EmailMultiAlternatives:
    links = links_of(email)
    context = {"email": email, **links}
    message = EmailMultiAlternatives(
        subject=email.message,
        body=_render("email/notification.txt", **context),
        to=[email.address],
        headers={"List-Unsubscribe": f"<{links['unsubscribe_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(_render("email/notification.html", **context),
                               "text/html")
    return message


class SmtpMailer:
    """Sends through Flask-Mailman (the ``MAIL_*`` settings)."""

    def send(self, email: OwedEmail) -> None:
        try:
            notification_message(email).send()
        except (smtplib.SMTPException, OSError) as error:
            raise MailNotSent(f"{type(error).__name__}: {error}") from error
