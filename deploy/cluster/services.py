"""The throwaway PostgreSQL and Redis of a cluster run, and Debian's packages it needs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

from deploy.cluster.processes import ManagedProcess, wait_for

NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install_missing_packages(pg_bin: Path, need_database: bool, need_redis: bool) -> None:
    """Debian's nginx, redis-server and PostgreSQL when missing, as scripts/test-services.sh
    installs them (apt-get, through sudo unless root)."""
    missing = [] if NGINX.exists() else ["nginx"]
    if need_redis and not shutil.which("redis-server"):
        missing.append("redis-server")
    if need_database and not (pg_bin / "initdb").exists():
        missing.append("postgresql")
    if not missing:
        return
    print(f"Installing {' '.join(missing)} from Debian's packages...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                   stdout=subprocess.DEVNULL)


def as_database_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root the cluster belongs to `postgres`.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    """A new PostgreSQL cluster in ``directory``, in the foreground of its own group."""

    def __init__(self, directory: Path, pg_bin: Path, logs: Path) -> None:
        self.pg_bin = pg_bin
        self.data = directory / "pg"
        self.port = free_port()
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/taskweb"
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
            shutil.chown(self.data, "postgres")
        subprocess.run(as_database_user([str(pg_bin / "initdb"), "-D", str(self.data),
                                         "-U", "postgres", "--auth=trust"]),
                       check=True, capture_output=True)
        self.process = ManagedProcess("postgres", as_database_user([
            str(pg_bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
            "-k", str(self.data), "-c", "listen_addresses=127.0.0.1",
            # More than 3 instances x pool + Celery need; a throwaway run needs no fsync.
            "-c", "max_connections=200", "-c", "fsync=off"]), logs / "postgres.log")
        wait_for(self._answers, 30, "PostgreSQL's start")
        subprocess.run([str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "taskweb"], check=True, capture_output=True)

    def _answers(self) -> bool:
        if self.process.exited():
            raise RuntimeError(f"PostgreSQL exited:\n{self.process.log_tail()}")
        return subprocess.run([str(self.pg_bin / "pg_isready"), "-q", "-h", "127.0.0.1",
                               "-p", str(self.port)], check=False).returncode == 0

    def stop(self) -> None:
        # A fast shutdown (SIGINT to the postmaster); runuser only waits for it.
        subprocess.run(as_database_user([str(self.pg_bin / "pg_ctl"), "-D", str(self.data),
                                         "-m", "fast", "-w", "stop"]), check=False, capture_output=True)
        self.process.stop(grace=10)


class ThrowawayRedis:
    def __init__(self, logs: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = ManagedProcess("redis", [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no"], logs / "redis.log")
        wait_for(self._answers, 10, "Redis's start")

    def _answers(self) -> bool:
        if self.process.exited():
            raise RuntimeError(f"redis-server exited:\n{self.process.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.process.stop(grace=10)
