"""Prometheus metrics: requests by endpoint and status, database pool use, rate-limit
hits, and (read at scrape time) the Celery queue and the reminders' lag.

``init_metrics(app)`` wires them into an app; ``GET /metrics`` serves them
(``exposition.py``). README "Running at scale" / "Metrics" lists each one.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, request, request_finished, request_started
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from taskweb.extensions import RATE_LIMIT_HIT_LISTENERS, db
from taskweb.metrics.instruments import (
    DB_POOL_CHECKED_OUT,
    DB_POOL_SIZE,
    RATE_LIMIT_HITS,
    REQUEST_SECONDS,
    REQUESTS,
)

# Any other method is counted as 'other': the label stays bounded whatever clients send.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "none"


def init_metrics(app: Flask) -> None:
    """Count the app's requests and watch its database pool; serve ``/metrics``."""
    from taskweb.metrics.exposition import bp

    # Signals rather than before/after_request: request_started comes before every
    # before_request function (a 429 or a CSRF refusal is timed too), and
    # request_finished follows every answer, the error pages included.
    request_started.connect(_start_timer, app, weak=False)
    request_finished.connect(_count_request, app, weak=False)
    with app.app_context():
        _watch_pool(db.engine)
    app.register_blueprint(bp)
    if count_rate_limit_hit not in RATE_LIMIT_HIT_LISTENERS:
        RATE_LIMIT_HIT_LISTENERS.append(count_rate_limit_hit)


def count_rate_limit_hit(limit: Any) -> None:
    """Count a request refused by ``limit`` (a listener of Flask-Limiter's on_breach)."""
    RATE_LIMIT_HITS.labels(endpoint=request.endpoint or UNMATCHED).inc()


def _start_timer(sender: Flask, **_: Any) -> None:
    g.metrics_started = time.perf_counter()


def _count_request(sender: Flask, response: Response, **_: Any) -> None:
    endpoint = request.endpoint or UNMATCHED
    status = str(response.status_code)
    method = request.method if request.method in KNOWN_METHODS else "other"
    REQUESTS.labels(endpoint=endpoint, method=method, status=status).inc()
    started = g.get("metrics_started")
    if started is not None:
        REQUEST_SECONDS.labels(endpoint=endpoint, status=status).observe(
            time.perf_counter() - started)


def _watch_pool(engine: Any) -> None:
    """Follow the connections taken from and given back to the engine's pool.

    Events, not a read at scrape time: under gunicorn the worker answering a scrape
    sees only its own pool, while each worker's gauge file is summed.
    """
    if isinstance(engine.pool, QueuePool):
        DB_POOL_SIZE.inc(engine.pool.size())
    event.listen(engine, "checkout", lambda *_: DB_POOL_CHECKED_OUT.inc())
    event.listen(engine, "checkin", lambda *_: DB_POOL_CHECKED_OUT.dec())
