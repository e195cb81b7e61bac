"""The process's Prometheus instruments, created once per process.

Under gunicorn, ``PROMETHEUS_MULTIPROC_DIR`` (read by prometheus_client when it is first
imported) makes every instrument write its values to a file of that directory; the
scrape adds up the files of all the workers (``exposition.py``). Without it, the values
live in this process and ``PROCESS_REGISTRY`` collects them.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

PROCESS_REGISTRY = CollectorRegistry()

# Labels are Flask endpoint names (a route's name, never the raw path) and status codes:
# a client inventing paths cannot make the series grow without bound.
REQUESTS = Counter(
    "taskweb_http_requests",
    "HTTP requests answered, by Flask endpoint ('none' when no route matched), method "
    "and status.",
    ["endpoint", "method", "status"], registry=PROCESS_REGISTRY,
)
REQUEST_SECONDS = Histogram(
    "taskweb_http_request_duration_seconds",
    "Time from the start of a request's handling to its answer, by Flask endpoint and "
    "status.",
    ["endpoint", "status"], registry=PROCESS_REGISTRY,
)
RATE_LIMIT_HITS = Counter(
    "taskweb_rate_limit_hits",
    "Requests refused with 429 by a rate limit, by Flask endpoint.",
    ["endpoint"], registry=PROCESS_REGISTRY,
)
# 'livesum': the sum over the workers that are alive (a dead worker's connections are
# gone with it; gunicorn.conf.py's child_exit drops its file).
DB_POOL_CHECKED_OUT = Gauge(
    "taskweb_db_pool_checked_out",
    "Database connections taken from the SQLAlchemy pools, summed over live workers.",
    registry=PROCESS_REGISTRY, multiprocess_mode="livesum",
)
DB_POOL_SIZE = Gauge(
    "taskweb_db_pool_size",
    "Connections the SQLAlchemy pools keep open (pool_size, without overflow), summed "
    "over live workers.",
    registry=PROCESS_REGISTRY, multiprocess_mode="livesum",
)
