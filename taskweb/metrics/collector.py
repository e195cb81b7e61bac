"""State outside the web process, read when Prometheus scrapes (never per request):
the Celery queue's length in Redis and how late the reminders are."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask
from prometheus_client.core import GaugeMetricFamily, Metric
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from taskweb.extensions import db
from taskweb.repositories.metrics import oldest_due_reminder
from taskweb.wiring import clock

log = logging.getLogger("taskweb.metrics")
# Redis or PostgreSQL not answering must not hold a scrape for long (Prometheus gives up
# after 10 s by default); the source is then reported down instead.
REDIS_TIMEOUT_SECONDS = 1.0
REDIS_CLIENT_EXTENSION = "taskweb.metrics.redis"


class OperationsCollector:
    """A prometheus_client custom collector for one app."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def describe(self) -> list[Metric]:
        # Nothing to check for clashes: every scrape registers it in a fresh registry.
        return []

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("taskweb_metrics_source_up",
                               "1 if the source of the scrape-time metrics answered.",
                               labels=["source"])
        lag = self._reminder_lag()
        up.add_metric(["database"], 0 if lag is None else 1)
        if lag is not None:
            yield GaugeMetricFamily(
                "taskweb_reminder_lag_seconds",
                "Age of the oldest reminder that is due and not yet delivered; 0 when none "
                "is late.", value=lag)
        if self.app.config.get("REDIS_URL"):
            lengths = self._queue_lengths()
            up.add_metric(["redis"], 0 if lengths is None else 1)
            if lengths is not None:
                queues = GaugeMetricFamily("taskweb_celery_queue_length",
                                           "Jobs waiting in a Celery queue (Redis LLEN).",
                                           labels=["queue"])
                for queue, length in lengths.items():
                    queues.add_metric([queue], length)
                yield queues
        yield up

    def _reminder_lag(self) -> float | None:
        now = clock()()
        try:
            oldest = oldest_due_reminder(db.session, now)
        except SQLAlchemyError:
            log.warning("metrics: the database did not answer", exc_info=True)
            db.session.rollback()
            return None
        return (now - oldest).total_seconds() if oldest is not None else 0.0

    def _queue_lengths(self) -> dict[str, int] | None:
        queue = self.app.extensions["celery"].conf.task_default_queue
        try:
            return {queue: int(self._redis().llen(queue))}
        except RedisError:
            log.warning("metrics: Redis did not answer", exc_info=True)
            return None

    def _redis(self) -> Redis:
        client = self.app.extensions.get(REDIS_CLIENT_EXTENSION)
        if client is None:
            client = Redis.from_url(self.app.config["REDIS_URL"],
                                    socket_timeout=REDIS_TIMEOUT_SECONDS,
                                    socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
            self.app.extensions[REDIS_CLIENT_EXTENSION] = client
        return client
