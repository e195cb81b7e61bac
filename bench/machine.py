"""What the figures were measured on: machine, commit, server settings."""

from __future__ import annotations

import os
import platform
import runpy
import subprocess
from pathlib import Path

from bench.database import connect

ROOT = Path(__file__).resolve().parent.parent
APP_PATHS = ("taskweb", "config.py", "wsgi.py", "gunicorn.conf.py", "migrations")


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine() -> str:
    memory_kb = _first_line("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(memory_kb) / 1024 / 1024:.0f} GiB" if memory_kb.isdigit() else "unknown"
    return (f"{_first_line('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {memory} RAM, "
            f"Linux {platform.release()}, Python {platform.python_version()}")


def commit() -> str:
    """The commit, and the application paths that differ from it (others' work in progress)."""
    def git(*args: str) -> str:
        # rstrip: `status --porcelain` lines start with a space that line[3:] counts on.
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                              text=True).stdout.rstrip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = [line[3:] for line in git("status", "--porcelain", "--", *APP_PATHS).splitlines()]
    if not dirty:
        return f"{head} (no uncommitted change to the application)"
    shown = ", ".join(f"`{path}`" for path in dirty[:8])
    more = f" and {len(dirty) - 8} more" if len(dirty) > 8 else ""
    return f"{head} + uncommitted changes to {shown}{more}"


def gunicorn_settings() -> str:
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return (f"{config['workers']} workers × {config['threads']} threads "
            f"({config['worker_class']}), keepalive {config['keepalive']} s, "
            f"max_requests {config['max_requests']} ± {config['max_requests_jitter']}")


def postgres_settings() -> str:
    conn = connect()
    try:
        with conn.cursor() as cur:
            values = []
            for name in ("server_version", "shared_buffers", "work_mem", "fsync", "max_connections"):
                cur.execute(f"SHOW {name}")
                values.append(f"{name} {cur.fetchone()[0]}")
        conn.rollback()
    finally:
        conn.close()
    return "PostgreSQL " + ", ".join(values)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine shows here."""
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def wrk_version() -> str:
    output = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (output.stdout or output.stderr).split(" [")[0].strip()
