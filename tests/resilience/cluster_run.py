"""`python -m deploy.cluster` as a test runs it: in a session of its own, on the test
services' PostgreSQL (a database of its own) and Redis, on the cluster test ports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from tests.resilience.workers import wait_for

REPO = Path(__file__).resolve().parents[2]
# CLUSTER_TEST_PORT moves nginx and the three instances after it (8180-8183 by default),
# so that two runs on one machine do not meet.
CLUSTER_PORT = int(os.environ.get("CLUSTER_TEST_PORT", "8180"))
APP_PORTS = (CLUSTER_PORT + 1, CLUSTER_PORT + 2, CLUSTER_PORT + 3)
DATABASE = "taskweb_cluster"


def fresh_cluster_database() -> str:
    """A new, empty database for the cluster on the test server."""
    admin = create_engine(os.environ["TEST_PG_ADMIN_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(os.environ["TEST_DATABASE_URL"]).set(database=DATABASE).render_as_string(
        hide_password=False)


class ClusterRun:
    """The orchestrator in the foreground of its own session, its output in a file."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        self.url = f"http://127.0.0.1:{CLUSTER_PORT}"
        self.run_directory = Path(tempfile.mkdtemp(prefix="taskweb-cluster-test-"))
        self.output = self.run_directory / "orchestrator.log"
        self.state_file = Path(tempfile.gettempdir()) / f"taskweb-cluster-{CLUSTER_PORT}.json"
        self.environment = {
            **os.environ,
            "CLUSTER_PORT": str(CLUSTER_PORT),
            "CLUSTER_APP_PORTS": ",".join(map(str, APP_PORTS)),
            "CLUSTER_RUN_DIR": str(self.run_directory),
            # Accounts are made by the dozen: the default bcrypt cost would dominate.
            "BCRYPT_ROUNDS": "4",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "ACCOUNT_RATE_LIMIT": "100000 per minute",
            **environment,
        }
        with open(self.output, "wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "deploy.cluster"], cwd=REPO, env=self.environment,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(self._serving, 180, "the cluster's start", every=0.2)
        except BaseException:
            self.stop()
            raise

    def _serving(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the cluster exited:\n{self.log()[-4000:]}")
        return "is serving on" in self.log()

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def state(self) -> dict:
        return json.loads(self.state_file.read_text())

    def instance_pid(self, port: int) -> int:
        return self.state()["instances"][str(port)]

    def restart(self, command: str = "restart") -> subprocess.CompletedProcess[str]:
        """`python -m deploy.cluster restart` (or reload), as a person would run it."""
        return subprocess.run([sys.executable, "-m", "deploy.cluster", command], check=False, cwd=REPO,
                              env=self.environment, capture_output=True, text=True, timeout=300)

    def process_groups(self) -> set[int]:
        """The process groups of everything the orchestrator started."""
        table = subprocess.run(["ps", "-eo", "pid=,ppid=,pgid="], check=False,
                               capture_output=True, text=True).stdout.split()
        rows = [tuple(map(int, table[n:n + 3])) for n in range(0, len(table), 3)]
        children = {pid: ppid for pid, ppid, _ in rows}
        groups: set[int] = set()
        for pid, _, group in rows:
            ancestor = children.get(pid)
            while ancestor not in (None, 0, 1):
                if ancestor == self.process.pid:
                    groups.add(group)
                    break
                ancestor = children.get(ancestor)
        return groups - {self.process.pid}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.run_directory, ignore_errors=True)


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False
