"""The schedule without a broker: for ``make run`` on a machine with no Redis
(``APP_ENV=development`` only; see ``taskweb._init_jobs``).

With no ``REDIS_URL``, Celery runs each job in the process that sends it
(``task_always_eager``) and nothing runs ``celery beat``. Each web process then runs the
beat schedule itself, in a daemon thread started by its first request, so reminders are
delivered and the trash is purged by the development server alone. The jobs are safe to
run from several processes at once (they lock what they take), so two web processes
with a thread each deliver every reminder once all the same.
"""

from __future__ import annotations

import logging
import threading
import time

from celery import Celery
from flask import Flask

log = logging.getLogger("taskweb.jobs")
# Where the app keeps its scheduler (to stop it, or to see whether it runs).
INLINE_SCHEDULE_EXTENSION = "taskweb.inline_schedule"
# How often the thread looks at the schedule; the shortest entry is a few seconds.
TICK_SECONDS = 1.0


class InlineScheduler:
    """Runs each entry of ``celery_app``'s beat schedule every ``schedule`` seconds."""

    def __init__(self, celery_app: Celery) -> None:
        self.celery_app = celery_app
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread, once; later calls do nothing."""
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="taskweb-inline-schedule", daemon=True
                )
                self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def run_due(self, last_runs: dict[str, float], now: float) -> None:
        """Run every entry whose interval has passed since it last ran (or since start)."""
        for name, entry in self.celery_app.conf.beat_schedule.items():
            interval = float(entry["schedule"])
            if now - last_runs.setdefault(name, now) < interval:
                continue
            last_runs[name] = now
            result = self.celery_app.tasks[entry["task"]].apply()
            if result.failed():
                log.error("scheduled job %s failed: %r", name, result.result)

    def _run(self) -> None:
        last_runs: dict[str, float] = {}
        while not self._stopped.wait(TICK_SECONDS):
            try:
                self.run_due(last_runs, time.monotonic())
            except Exception:  # the thread must outlive any one bad run
                log.exception("the inline schedule failed")


def run_schedule_in_process(app: Flask, celery_app: Celery) -> InlineScheduler:
    """Start the schedule's thread at the app's first request, when jobs run inline."""
    scheduler = InlineScheduler(celery_app)
    app.extensions[INLINE_SCHEDULE_EXTENSION] = scheduler

    @app.before_request
    def _start_inline_schedule() -> None:
        scheduler.start()

    return scheduler
