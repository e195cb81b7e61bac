"""The running cluster: starts every part in order, supervises the instances, restarts
them one at a time on request, and stops everything it started."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy.cluster.nginx import ClusterNginx
from deploy.cluster.processes import ManagedProcess, answers_200, wait_for
from deploy.cluster.services import (
    ThrowawayPostgres,
    ThrowawayRedis,
    install_missing_packages,
)
from deploy.cluster.settings import REPO, ClusterSettings

CELERY = [sys.executable, "-m", "celery", "-A", "wsgi.celery_app"]
READY_TIMEOUT_SECONDS = 60


def say(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Instance:
    """One gunicorn master (its own process group) on its own port."""

    def __init__(self, number: int, port: int, cluster: Cluster) -> None:
        self.number = number
        self.port = port
        self.cluster = cluster
        self.process: ManagedProcess | None = None

    @property
    def name(self) -> str:
        return f"instance {self.number} (port {self.port})"

    def start(self) -> None:
        arguments = f"--bind 127.0.0.1:{self.port} --workers {self.cluster.settings.gunicorn_workers}"
        # Each instance sums its own workers' metrics (gunicorn.conf.py empties the
        # directory when the instance starts, so instances must not share one).
        metrics = self.cluster.run / f"metrics-{self.number}"
        metrics.mkdir(exist_ok=True)
        self.process = ManagedProcess(
            f"gunicorn-{self.number}", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            self.cluster.logs / f"gunicorn-{self.number}.log",
            {**self.cluster.environment, "GUNICORN_CMD_ARGS": arguments,
             "PROMETHEUS_MULTIPROC_DIR": str(metrics)}, cwd=REPO)

    def wait_until_ready(self) -> None:
        def ready() -> bool:
            assert self.process is not None
            if self.process.exited():
                raise RuntimeError(f"{self.name} exited:\n{self.process.log_tail()}")
            return answers_200(f"http://127.0.0.1:{self.port}/health/ready")

        wait_for(ready, READY_TIMEOUT_SECONDS, f"{self.name} ready", every=0.1)

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                                check=False, capture_output=True, text=True).stdout
        return {int(pid) for pid in output.split()}


class Cluster:
    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.run = settings.run_directory or Path(tempfile.mkdtemp(prefix="taskweb-cluster-"))
        self.remove_run_directory = settings.run_directory is None
        self.logs = self.run / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        # nginx's workers (nobody, when root) read their temporary and static paths.
        os.chmod(self.run, 0o755)
        self.postgres: ThrowawayPostgres | None = None
        self.redis: ThrowawayRedis | None = None
        self.nginx: ClusterNginx | None = None
        self.instances = [Instance(n + 1, port, self) for n, port in enumerate(settings.app_ports)]
        self.in_service = {port: False for port in settings.app_ports}
        self.background: list[ManagedProcess] = []
        self.environment: dict[str, str] = {}
        self.rolling_restarts = 0
        self.requests: list[str] = []

    # --- start and stop -------------------------------------------------------------

    def start(self) -> None:
        settings = self.settings
        install_missing_packages(settings.pg_bin, settings.database_url is None,
                                 settings.redis_url is None)
        database_url = settings.database_url
        if database_url is None:
            self.postgres = ThrowawayPostgres(self.run, settings.pg_bin, self.logs)
            database_url = self.postgres.url
        redis_url = settings.redis_url
        if redis_url is None:
            self.redis = ThrowawayRedis(self.logs)
            redis_url = self.redis.url
        self.environment = {**os.environ, **settings.app_environment,
                            "DATABASE_URL": database_url, "REDIS_URL": redis_url}
        say("migrating the database")
        migrated = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                                  check=False, cwd=REPO, env=self.environment, capture_output=True, text=True)
        if migrated.returncode != 0:
            raise RuntimeError(f"the migration failed:\n{migrated.stderr[-3000:]}")
        for instance in self.instances:
            instance.start()
        for instance in self.instances:
            instance.wait_until_ready()
            self.in_service[instance.port] = True
        self.nginx = ClusterNginx(self.run, settings.port, self.in_service)
        wait_for(lambda: answers_200(f"{settings.url}/health/ready"), 15, "nginx's start")
        for number in range(1, settings.celery_workers + 1):
            self.background.append(ManagedProcess(
                f"celery-worker-{number}",
                [*CELERY, "worker", "--loglevel=INFO", "--concurrency=1",
                 f"--hostname=worker{number}-{os.getpid()}@%h", "--without-gossip",
                 "--without-mingle"],
                self.logs / f"celery-worker-{number}.log", self.environment, cwd=REPO))
        if settings.celery_workers:
            self.background.append(ManagedProcess(
                "celery-beat", [*CELERY, "beat", "--loglevel=INFO",
                                f"--schedule={self.run / 'beat-schedule'}", "--pidfile="],
                self.logs / "celery-beat.log", self.environment, cwd=REPO))
        self._write_state()

    def stop(self) -> None:
        """Everything this cluster started, front to back: nginx first (no new requests),
        then the instances (each finishing its requests), workers, Redis, PostgreSQL."""
        if self.nginx is not None:
            self.nginx.stop()
        running = [instance.process for instance in self.instances if instance.process]
        # All at once: each drains its own requests, none waits for another.
        for process in (*running, *self.background):
            process.begin_stop()
        for process in running:
            process.stop()
        for process in self.background:
            process.stop(grace=15)
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
        self.settings.state_file.unlink(missing_ok=True)
        if self.remove_run_directory:
            shutil.rmtree(self.run, ignore_errors=True)

    def _write_state(self) -> None:
        state = {"pid": os.getpid(), "run_directory": str(self.run),
                 "rolling_restarts": self.rolling_restarts,
                 "instances": {str(instance.port): instance.process.pid
                               for instance in self.instances if instance.process}}
        staged = self.settings.state_file.with_suffix(".new")
        staged.write_text(json.dumps(state))
        staged.replace(self.settings.state_file)

    # --- rolling restart --------------------------------------------------------------

    def _take_out(self, instance: Instance) -> None:
        assert self.nginx is not None
        self.in_service[instance.port] = False
        self.nginx.reload(self.in_service)

    def _put_back(self, instance: Instance) -> None:
        assert self.nginx is not None
        self.in_service[instance.port] = True
        self.nginx.reload(self.in_service)

    def restart_instance(self, instance: Instance) -> None:
        """Out of nginx's upstream, drained (gunicorn TERM lets each request finish within
        graceful_timeout; for an instance that died, whatever its group still holds is
        killed), started again, ready, and back in."""
        assert instance.process is not None
        say(f"{instance.name}: out of the upstream")
        self._take_out(instance)
        say(f"{instance.name}: draining")
        instance.process.stop()
        say(f"{instance.name}: stopped; starting")
        instance.start()
        instance.wait_until_ready()
        self._put_back(instance)
        say(f"{instance.name}: ready and back in")

    def rolling_restart(self) -> None:
        for instance in self.instances:
            self.restart_instance(instance)
        self.rolling_restarts += 1
        self._write_state()

    def rolling_reload(self) -> None:
        """gunicorn HUP, one instance at a time: new workers load the code, the old ones
        finish their requests; the listening socket never closes, so nginx keeps sending."""
        for instance in self.instances:
            assert instance.process is not None
            old = instance.worker_pids()
            instance.process.send(signal.SIGHUP)
            wait_for(lambda instance=instance, old=old: _replaced(instance.worker_pids(), old),
                     READY_TIMEOUT_SECONDS, f"{instance.name}'s new workers")
            instance.wait_until_ready()
            say(f"{instance.name}: reloaded")
        self.rolling_restarts += 1
        self._write_state()

    # --- the foreground loop ---------------------------------------------------------

    def supervise(self) -> None:
        """Run the restarts asked for with SIGHUP (rolling restart) or SIGUSR1 (rolling
        reload) and bring back an instance that died, until a stop signal interrupts."""
        for number in (signal.SIGHUP, signal.SIGUSR1):
            signal.signal(number, lambda received, _frame: self.requests.append(
                signal.Signals(received).name))
        while True:
            while self.requests:
                if self.requests.pop(0) == "SIGHUP":
                    self.rolling_restart()
                else:
                    self.rolling_reload()
            for instance in self.instances:
                if instance.process is not None and instance.process.exited():
                    say(f"{instance.name} exited (status {instance.process.process.returncode}); "
                        "starting it again")
                    self.restart_instance(instance)
                    self._write_state()
            for process in self.background:
                if process.exited():
                    raise RuntimeError(f"{process.name} exited:\n{process.log_tail()}")
            time.sleep(0.2)


def _replaced(current: set[int], old: set[int]) -> bool:
    """Workers are running and none of them is one of ``old``."""
    return bool(current) and not current & old
