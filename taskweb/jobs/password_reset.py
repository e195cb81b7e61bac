"""The password-reset e-mail, sent by a worker after the request has answered.

The request hands over only the normalised address, so its answer and its time are the
same whether or not an account has it; the job looks the account up, issues the
one-time link and sends it. A mail server that refuses is tried again with backoff; each
try issues a fresh link, and the link of a failed try is withdrawn at once.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from taskweb.jobs import CELERY_EXTENSION
from taskweb.services.password_reset import LINK_PATH, RESET_LIFETIME, IssuedReset
from taskweb.wiring import password_reset_service

log = logging.getLogger("taskweb.jobs")
SUBJECT = "Reset your taskweb password"


def reset_message(issued: IssuedReset) -> EmailMultiAlternatives:
    """The e-mail with the link, as plain text with an HTML alternative."""
    context = {
        "user": issued.user,
        "link": f"{current_app.config['PUBLIC_URL']}{LINK_PATH}{issued.token}",
        "minutes": int(RESET_LIFETIME.total_seconds() // 60),
    }
    message = EmailMultiAlternatives(
        subject=SUBJECT,
        body=render_template("email/password_reset.txt", **context),
        to=[issued.user.email],
    )
    message.attach_alternative(render_template("email/password_reset.html", **context),
                               "text/html")
    return message


@shared_task(
    name="taskweb.jobs.password_reset.send_password_reset",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5, retry_backoff_max=300, retry_jitter=True, max_retries=6,
)
def send_password_reset(email: str) -> bool:
    """E-mail a reset link to the account of ``email``, if there is one (True if sent)."""
    if not current_app.config["MAIL_ENABLED"]:
        return False
    service = password_reset_service()
    issued = service.issue(email)
    if issued is None:
        return False
    try:
        reset_message(issued).send()
    except Exception:
        service.withdraw(issued.token)  # the retry issues a new one
        raise
    log.info("password reset e-mail sent", extra={"user_id": issued.user.id})
    return True


def send_password_reset_later(email: str) -> None:
    """Queue ``send_password_reset`` on this Flask app's own Celery app: ``shared_task``
    alone would follow the Celery app made last, which in a process with several apps
    (the tests) may belong to another Flask app."""
    celery_app = current_app.extensions[CELERY_EXTENSION]
    celery_app.tasks[send_password_reset.name].delay(email)
