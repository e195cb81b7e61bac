"""Sending the e-mails of notifications: the outbox's sweep, every few seconds on the
beat schedule, and a prompt extra sweep right after a commit that owes an e-mail."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app
from kombu.exceptions import OperationalError as BrokerUnreachable
from sqlalchemy import event
from sqlalchemy.orm import Session

from taskweb.extensions import db
from taskweb.repositories.notifications import EMAIL_OWED_FLAG
from taskweb.wiring import email_outbox

log = logging.getLogger("taskweb.jobs")
NO_RETRIES = {"max_retries": 0}


@shared_task(name="taskweb.jobs.notifications.send_owed_emails")
def send_owed_emails() -> int:
    """Send the owed e-mails whose time has come; how many went out."""
    if not current_app.config["MAIL_ENABLED"]:
        return 0
    result = email_outbox().send_owed()
    if result.sent or result.retrying or result.given_up:
        log.info("notification e-mails", extra={"sent": result.sent,
                                               "retrying": result.retrying,
                                               "given_up": result.given_up})
    return result.sent


@event.listens_for(db.session, "after_commit")
def _sweep_soon_after_an_owed_email(session: Session) -> None:
    """A commit that wrote an owed e-mail asks a worker for a sweep now, rather than at
    the next tick. Only with a broker: without one, the job would run here, in the
    request, and the schedule's thread sweeps within seconds anyway. The sweep on the
    schedule is what guarantees delivery, so a broker that is down is only logged."""
    if not session.info.pop(EMAIL_OWED_FLAG, False):
        return
    if current_app.config["CELERY"].get("task_always_eager") \
            or not current_app.config["MAIL_ENABLED"]:
        return
    celery_app = current_app.extensions["celery"]
    try:
        # One attempt, no retries: a request must not wait seconds on a broker that is down.
        with celery_app.connection_for_write(transport_options=NO_RETRIES) as connection:
            celery_app.tasks[send_owed_emails.name].apply_async(retry=False,
                                                                connection=connection)
    except (BrokerUnreachable, OSError):  # the scheduled sweep sends it later
        log.warning("could not ask for an e-mail sweep; the schedule will send it")


@event.listens_for(db.session, "after_rollback")
def _nothing_owed_after_a_rollback(session: Session) -> None:
    session.info.pop(EMAIL_OWED_FLAG, None)
