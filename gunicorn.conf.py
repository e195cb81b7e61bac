"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Override any of them per deployment with GUNICORN_CMD_ARGS, e.g.
GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 8".
"""

import multiprocessing

wsgi_app = "wsgi:app"
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
# Trust X-Forwarded-* only from a proxy on this machine.
forwarded_allow_ips = "127.0.0.1"


def on_starting(server: object) -> None:
    """Check the environment in the master before any worker starts.

    A bad one then stops gunicorn with one line naming the variable (gunicorn prints the
    ConfigError, a RuntimeError, as "Error: ...") instead of every worker failing to boot
    with a traceback. Each worker reads the settings again when it creates the app.
    """
    from config import load_settings

    load_settings()
