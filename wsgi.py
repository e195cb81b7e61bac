"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from taskweb import create_app

app = create_app()
