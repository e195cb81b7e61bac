"""Where the benchmark database is, for psycopg2 (the seeder, the driver and the floor)."""

from __future__ import annotations

import os

import psycopg2
from psycopg2.extensions import connection as Connection

URL_VARIABLES = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL", "DATABASE_URL")


def database_url() -> str:
    """The SQLAlchemy URL of the benchmark database (set by scripts/test-services.sh)."""
    for name in URL_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    raise SystemExit(f"Set one of {', '.join(URL_VARIABLES)} to a PostgreSQL URL.")


def libpq_dsn(url: str) -> str:
    """``postgresql+psycopg2://...`` (SQLAlchemy) as a URL libpq accepts."""
    scheme, _, rest = url.partition("://")
    return "postgresql://" + rest if scheme.startswith("postgresql") else url


def connect(url: str | None = None, *, autocommit: bool = False) -> Connection:
    conn = psycopg2.connect(libpq_dsn(url or database_url()))
    conn.autocommit = autocommit
    return conn
