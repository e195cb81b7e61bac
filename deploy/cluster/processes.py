"""Child processes of the cluster, each in a process group of its own: stopping one
stops everything it started (gunicorn's workers, a Celery pool), and a terminal's Ctrl-C
reaches only the orchestrator, which stops them in order."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             every: float = 0.1) -> None:
    """Poll ``condition`` until it holds; TimeoutError naming ``what`` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(every)


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


class ManagedProcess:
    """One command in its own session and process group, its output in ``log``."""

    def __init__(self, name: str, command: Sequence[str], log: Path,
                 environment: Mapping[str, str] | None = None, cwd: Path | None = None) -> None:
        self.name = name
        self.log = log
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                list(command), cwd=cwd, env=dict(environment or os.environ),
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def exited(self) -> bool:
        return self.process.poll() is not None

    def send(self, number: int) -> None:
        if not self.exited():
            os.kill(self.pid, number)

    def begin_stop(self, first: int = signal.SIGTERM) -> None:
        """Ask the process to stop without waiting (``stop`` then waits), so that several
        processes drain at once."""
        self.send(first)

    def stop(self, grace: float = 25, first: int = signal.SIGTERM) -> None:
        """``first`` to the leader (it stops its own children gracefully), then, after
        ``grace`` seconds, SIGKILL to the whole group; whatever the group still holds
        afterwards is killed too, so nothing outlives the cluster."""
        if not self.exited():
            os.kill(self.pid, first)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._kill_group()
                self.process.wait(timeout=10)
        self._kill_group()

    def _kill_group(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def log_tail(self, characters: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-characters:]
        except OSError:
            return ""
