"""Real background processes for the reminder tests and the benchmark: a Redis server
of our own (so that a test may stop it), and `celery -A wsgi.celery_app worker` / `beat`
on the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.resilience.servers import free_port

REPO = Path(__file__).resolve().parents[2]
CELERY = [sys.executable, "-m", "celery", "-A", "wsgi.celery_app"]


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             every: float = 0.05) -> None:
    """Poll ``condition`` until it holds; TimeoutError naming ``what`` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(every)


class RedisServer:
    """redis-server on a free port, in memory only; ``stop`` and ``start`` again keep
    the port (and, like a restarted Redis without persistence, lose what it held)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, 10, "redis-server start")

    def _answers(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"],
                                capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def worker_environment(database_url: str, redis_url: str,
                       extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """What `celery -A wsgi.celery_app` needs to load the app on the test database."""
    return {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REMINDER_POLL_SECONDS": "1",
        "REMINDER_LEASE_SECONDS": "2",
        **(extra or {}),
    }


class CeleryProcess:
    """`celery -A wsgi.celery_app <command>`, in a process group of its own (a worker's
    pool processes die with it on ``kill``), its log in a file."""

    def __init__(self, environment: Mapping[str, str], *arguments: str) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="taskweb-celery-", suffix=".log")
        self.process = subprocess.Popen(
            [*CELERY, *arguments], cwd=REPO, env=dict(environment),
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    @classmethod
    def worker(cls, environment: Mapping[str, str], concurrency: int = 1,
               name: str = "worker", wait: bool = True) -> CeleryProcess:
        """A worker; with ``wait``, once it is ready to take jobs."""
        started = cls(environment, "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
                      f"--hostname={name}-{os.getpid()}@%h", "--without-gossip",
                      "--without-mingle", "--without-heartbeat")
        if not wait:
            return started
        wait_for(lambda: "ready." in started.log_text() or started.exited(), 60,
                 "the worker's start")
        if started.exited():
            raise RuntimeError(f"the worker exited: {started.log_text()[-3000:]}")
        return started

    @classmethod
    def beat(cls, environment: Mapping[str, str], directory: Path) -> CeleryProcess:
        return cls(environment, "beat", "--loglevel=INFO",
                   f"--schedule={directory / 'beat-schedule'}", "--pidfile=")

    def exited(self) -> bool:
        return self.process.poll() is not None

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group: the worker dies with whatever it was doing."""
        if not self.exited():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.flush()

    def stop(self) -> None:
        if not self.exited():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
