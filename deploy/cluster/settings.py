"""What `make cluster` reads from the environment (README, "make cluster")."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8080


class ClusterConfigError(ValueError):
    """An environment variable of the cluster has an unusable value."""


@dataclass(frozen=True)
class ClusterSettings:
    port: int
    app_ports: tuple[int, ...]
    gunicorn_workers: int
    celery_workers: int
    database_url: str | None
    redis_url: str | None
    run_directory: Path | None
    pg_bin: Path
    app_environment: Mapping[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def state_file(self) -> Path:
        """Where the running orchestrator notes its pid, so that `restart` finds it."""
        return Path(tempfile.gettempdir()) / f"taskweb-cluster-{self.port}.json"


def load_cluster_settings(environ: Mapping[str, str] | None = None) -> ClusterSettings:
    env = os.environ if environ is None else environ
    port = _port(env, "CLUSTER_PORT", str(DEFAULT_PORT))
    app_ports = tuple(_port({"CLUSTER_APP_PORTS": part}, "CLUSTER_APP_PORTS", "") for part in
                      env.get("CLUSTER_APP_PORTS", f"{port + 1},{port + 2},{port + 3}").split(","))
    if len(set(app_ports)) != len(app_ports) or port in app_ports or not app_ports:
        raise ClusterConfigError("CLUSTER_APP_PORTS must list distinct ports other than CLUSTER_PORT")
    run_directory = env.get("CLUSTER_RUN_DIR", "").strip()
    return ClusterSettings(
        port=port,
        app_ports=app_ports,
        gunicorn_workers=_count(env, "CLUSTER_GUNICORN_WORKERS", 2, minimum=1),
        # 0: no Celery worker and no beat (the short test of `make test` needs none).
        celery_workers=_count(env, "CLUSTER_CELERY_WORKERS", 2, minimum=0),
        database_url=env.get("CLUSTER_DATABASE_URL", "").strip() or None,
        redis_url=env.get("CLUSTER_REDIS_URL", "").strip() or None,
        run_directory=Path(run_directory) if run_directory else None,
        pg_bin=Path(env.get("PG_BIN", "/usr/lib/postgresql/15/bin")),
        app_environment=_app_environment(env, port),
    )


def _app_environment(env: Mapping[str, str], port: int) -> dict[str, str]:
    """The production settings every instance and worker shares. Secrets not given are
    generated for this run (and never printed): sessions and tokens end with it."""
    return {
        "APP_ENV": "production",
        "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "JWT_SECRET_KEY": env.get("JWT_SECRET_KEY") or secrets.token_urlsafe(48),
        "PUBLIC_URL": env.get("PUBLIC_URL") or f"http://127.0.0.1:{port}",
        # nginx is the one proxy in front: believe the X-Forwarded-For/-Proto it sets.
        "TRUSTED_PROXIES": "1",
        # What a scraper sends to each instance's /metrics (nginx answers 404 there).
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or secrets.token_urlsafe(32),
    }


def _port(env: Mapping[str, str], name: str, default: str) -> int:
    value = env.get(name, default).strip()
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ClusterConfigError(f"{name} must be a port number (1-65535); got {value!r}")
    return int(value)


def _count(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    value = env.get(name, str(default)).strip()
    if not value.isdigit() or not minimum <= int(value) <= 16:
        raise ClusterConfigError(
            f"{name} must be a whole number from {minimum} to 16; got {value!r}")
    return int(value)
