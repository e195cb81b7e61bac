"""Background jobs: Celery tasks, thin like views — each calls a service.

Celery is configured through the Flask app, as Flask's documentation shows ("Background
Tasks with Celery"): the app config's ``CELERY`` key holds the settings, every task runs
inside an app context, and ``wsgi.celery_app`` is what `celery -A` loads:

    .venv/bin/celery -A wsgi.celery_app worker     # runs the jobs
    .venv/bin/celery -A wsgi.celery_app beat       # sends the schedule (config.celery_config)

Without ``REDIS_URL`` there is no broker: jobs run where they are sent and, in
development, the schedule runs in a thread of each web process (``taskweb/jobs/inline.py``).
"""

from __future__ import annotations

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask, has_app_context

from taskweb.extensions import db

CELERY_EXTENSION = "celery"
# Each module of jobs; importing one registers its tasks.
JOB_MODULES = (
    "taskweb.jobs.maintenance",
    "taskweb.jobs.notifications",
    "taskweb.jobs.password_reset",
    "taskweb.jobs.reminders",
    "taskweb.jobs.webhooks",
)


def celery_init_app(app: Flask) -> Celery:
    """The Celery app for ``app``: its settings, and tasks that run in its context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            # A job run where it is sent (no broker) belongs to the app that sent it,
            # which need not be the last one created (tests build several).
            if has_app_context():
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=list(JOB_MODULES))
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions[CELERY_EXTENSION] = celery_app
    celery_app.loader.import_default_modules()

    @worker_process_init.connect(weak=False)
    def _fresh_connections_after_fork(**_: object) -> None:
        # A forked worker must not share the parent's database connections.
        with app.app_context():
            db.engine.dispose(close=False)

    return celery_app
