"""taskweb and the floor under the committed gunicorn configuration, on loopback ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.clients import wait_healthy
from bench.cpu import tree_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"


@dataclass
class Server:
    """One gunicorn master and its workers; ``rss_seen`` keeps every worker's largest RSS."""

    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    rss_seen: dict[int, int] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_rss_kb(self) -> dict[int, int]:
        """RSS (KiB) of each worker now, as ``ps -o rss=`` reports it; recorded in ``rss_seen``."""
        listing = subprocess.run(
            ["ps", "-o", "pid=,rss=", "--ppid", str(self.process.pid)],
            capture_output=True, text=True, check=False,
        ).stdout
        current = {}
        for line in listing.splitlines():
            pid, rss = line.split()
            current[int(pid)] = int(rss)
            self.rss_seen[int(pid)] = max(self.rss_seen.get(int(pid), 0), int(rss))
        return current

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers (user + system), recycled ones included."""
        return tree_cpu_seconds(self.process.pid)

    def settle(self, timeout: float = 90, interval: float = 0.5) -> float:
        """Wait until the workers are idle; returns the seconds waited.

        When wrk stops, requests it abandoned are still queued in the workers (a backlog of
        bcrypt checks after the login scenario lasts seconds); the next run must not pay
        for them.
        """
        started = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(interval)
            after = self.cpu_seconds()
            if after - before < 0.05 * interval:
                break
            before = after
        return time.monotonic() - started

    def stop(self) -> None:
        """Graceful stop, then the whole process group if it lingers."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def start(name: str, app: str, port: int, env: dict[str, str], log_dir: Path) -> Server:
    """``gunicorn -c gunicorn.conf.py APP`` bound to 127.0.0.1:PORT; waits for /health."""
    log_path = log_dir / f"{name}.log"
    environment = {**os.environ, **env, "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}"}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(GUNICORN_CONFIG), app],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log_path)
    try:
        wait_healthy(port)
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"{name} did not start; see {log_path}") from None
    return server
