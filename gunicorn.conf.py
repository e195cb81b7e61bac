"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`, behind nginx
(deploy/nginx/taskweb.conf). A gthread worker's thread reads a request's headers and body
with no time limit, so a few clients sending a byte a second would occupy every thread:
only nginx, which hands on complete requests alone, may connect.

Override any of them per deployment with GUNICORN_CMD_ARGS, e.g.
GUNICORN_CMD_ARGS="--bind unix:/run/taskweb/gunicorn.sock --workers 8".
"""

import multiprocessing
from pathlib import Path

wsgi_app = "wsgi:app"
# Loopback only: clients reach the app through nginx.
bind = "127.0.0.1:8000"
# Requests spend most of their time in PostgreSQL or bcrypt: a few processes per core.
workers = multiprocessing.cpu_count() * 2
worker_class = "gthread"
threads = 2
keepalive = 5
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so memory cannot creep up for ever.
max_requests = 20000
max_requests_jitter = 2000
# The app writes one JSON line per request itself; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = "warning"
# gunicorn believes no forwarded header from anyone (by default it takes X-Forwarded-Proto
# from any loopback or unix-socket peer): the app alone decides, from TRUSTED_PROXIES.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""


def on_starting(server: object) -> None:
    """Check the environment in the master before any worker starts.

    A bad one then stops gunicorn with one line naming the variable (gunicorn prints the
    ConfigError, a RuntimeError, as "Error: ...") instead of every worker failing to boot
    with a traceback. Each worker reads the settings again when it creates the app.
    """
    from config import load_settings

    load_settings()


def when_ready(server: object) -> None:
    """Start the metrics of this gunicorn from zero.

    With PROMETHEUS_MULTIPROC_DIR (several workers, one /metrics), each worker writes its
    counts to files there and a scrape adds them up; files left by an earlier run would
    be added in too. Each gunicorn needs a directory of its own.
    """
    from config import load_settings

    directory = load_settings().metrics_directory
    if directory:
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server: object, worker: object) -> None:
    """A worker has gone: its live gauges (connections in use) go with it; its counters
    stay in the totals."""
    from config import load_settings

    if load_settings().metrics_directory:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
