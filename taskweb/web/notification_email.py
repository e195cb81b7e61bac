"""The e-mail of a notification: plain text and HTML from the templates in
``templates/email/``, absolute links from ``PUBLIC_URL`` (a worker has no request to take
a host from), and the one-click unsubscribe headers of RFC 8058."""

from __future__ import annotations

import smtplib

from flask import current_app
from flask_mailman import EmailMultiAlternatives

from taskweb.repositories.notifications import OwedEmail
from taskweb.services.email_outbox import MailNotSent
from taskweb.web.unsubscribe import unsubscribe_token


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
