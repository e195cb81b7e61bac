"""Entry point for gunicorn (``gunicorn wsgi:app``), the CLI (``flask --app wsgi``) and the
background workers (``celery -A wsgi.celery_app worker`` and ``... beat``)."""

import sys

from config import ConfigError
from taskweb import create_app

try:
    app = create_app()
except ConfigError as error:
    # The environment is wrong, not the code: say which variable, without a traceback.
    sys.exit(f"Error: {error}")
celery_app = app.extensions["celery"]
