"""Real processes for resilience tests: a private PostgreSQL cluster, gunicorn, and
Debian's nginx with the shipped site configuration in front of it."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
TEST_SECRET = "resilience-test-secret-0123456789abcdef"
NGINX_SITE = REPO / "deploy" / "nginx" / "taskweb.conf"
NGINX_BIN = Path(os.environ.get("TEST_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_db_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root the cluster belongs to `postgres`.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass(frozen=True)
class Endpoint:
    """Where test clients connect: nginx over TLS, or gunicorn itself over plain HTTP.

    Every call opens a connection of its own, from ``source`` (any 127.x.y.z address is
    this machine's, so one test can play many clients).
    """

    port: int
    tls: ssl.SSLContext | None = None

    def connect(self, source: str = "127.0.0.1", timeout: float = 5) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout,
                                        source_address=(source, 0))
        return self.tls.wrap_socket(sock, server_hostname="localhost") if self.tls else sock

    def request(self, method: str, path: str, headers: Mapping[str, str] | None = None,
                body: object = None, source: str = "127.0.0.1",
                timeout: float = 5) -> tuple[int, http.client.HTTPMessage, bytes]:
        """Status, headers and body of one request; ``body`` is sent as JSON unless it is
        bytes already."""
        where = {"host": "127.0.0.1", "port": self.port, "timeout": timeout,
                 "source_address": (source, 0)}
        connection = (http.client.HTTPSConnection(**where, context=self.tls) if self.tls
                      else http.client.HTTPConnection(**where))
        try:
            payload = body if isinstance(body, bytes) or body is None else json.dumps(body)
            connection.request(method, path, body=payload,
                               headers={"Content-Type": "application/json", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.msg, response.read()
        finally:
            connection.close()

    def timed(self, path: str, headers: Mapping[str, str] | None = None) -> float:
        """Seconds a GET of ``path`` takes to answer 200, connecting included."""
        started = time.perf_counter()
        status, _, body = self.request("GET", path, headers)
        elapsed = time.perf_counter() - started
        assert status == 200, (path, status, body[:300])
        return elapsed


def untrusting_tls() -> ssl.SSLContext:
    """TLS to the test's self-signed certificate: encrypted, nothing verified."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class PostgresCluster:
    """A throwaway cluster this test can stop and start at will."""

    def __init__(self, copy_of: Path | None = None) -> None:
        """``copy_of``: the data directory of a stopped cluster to start from (a copy of a
        migrated one takes a tenth of a second; initdb and the migrations take seconds)."""
        self.directory = Path(tempfile.mkdtemp(prefix="taskweb-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"
        os.chmod(self.directory, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        if copy_of is not None:
            subprocess.run(_as_db_user(["cp", "-a", str(copy_of), str(self.data)]),
                           check=True, capture_output=True)
            return
        subprocess.run(
            _as_db_user([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth=trust"]),
            check=True, capture_output=True,
        )

    @classmethod
    @contextmanager
    def running_copy(cls, template: PostgresCluster) -> Iterator[PostgresCluster]:
        """A started copy of the stopped cluster ``template``, destroyed afterwards."""
        cluster = cls(copy_of=template.data)
        try:
            cluster.start()
            yield cluster
        finally:
            cluster.destroy()

    @classmethod
    def migrated_template(cls) -> PostgresCluster:
        """A stopped cluster at the latest schema, for ``PostgresCluster(copy_of=...)``."""
        template = cls()
        template.start()
        try:
            migrate(template.url)
        finally:
            template.stop()
        return template

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_db_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.data / "log"), "-o", options, "-w", *args]),
            check=True, capture_output=True,
        )

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def destroy(self) -> None:
        try:
            self._pg_ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.directory, ignore_errors=True)


def migrate(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=REPO, env={**os.environ, **server_environment(database_url)},
        check=True, capture_output=True,
    )


def server_environment(database_url: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "JWT_SECRET_KEY": TEST_SECRET + "-jwt",
        "PUBLIC_URL": "http://127.0.0.1",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "ACCOUNT_RATE_LIMIT": "100000 per minute",
        # Accounts are made by the hundred here; production keeps the default cost of 12.
        "BCRYPT_ROUNDS": "4",
    }


class Gunicorn:
    """taskweb under its production gunicorn configuration."""

    def __init__(self, database_url: str, environment: Mapping[str, str] | None = None,
                 arguments: str = "") -> None:
        """``environment`` adds to or overrides the test settings; ``arguments`` are more
        gunicorn command-line options."""
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **server_environment(database_url), **(environment or {}),
               "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{self.port} {arguments}".strip()}
        # Logs go to a file: an unread pipe would fill up and block the workers.
        self.log = tempfile.NamedTemporaryFile(prefix="taskweb-gunicorn-", suffix=".log")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.wait_until_healthy()

    def wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError("gunicorn did not become healthy")

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def endpoint(self) -> Endpoint:
        return Endpoint(self.port)

    def worker_pids(self) -> list[int]:
        output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                                capture_output=True, text=True).stdout
        return [int(pid) for pid in output.split()]

    def kill_a_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self, graceful: bool = True) -> None:
        """TERM: gunicorn lets the workers finish (up to graceful_timeout, and seconds even
        when idle); otherwise SIGKILL to the workers and the master, for a test's clean-up
        that has nothing left to wait for."""
        if graceful:
            self.process.terminate()
        else:
            for pid in self.worker_pids():
                os.kill(pid, signal.SIGKILL)
            self.process.kill()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Nginx:
    """Debian's nginx with deploy/nginx/taskweb.conf, as shipped, in front of ``upstream``.

    Only what a deployment fills in differs: the placeholders (a throwaway self-signed
    certificate, gunicorn's address) and the listening ports (free loopback ones instead
    of 80 and 443). It runs in the foreground of a private prefix directory.
    """

    def __init__(self, upstream: str) -> None:
        if not NGINX_BIN.exists():
            raise RuntimeError(
                f"nginx is not installed ({NGINX_BIN} is missing): `make test` installs "
                "Debian's nginx through scripts/test-services.sh, or run `apt-get install nginx`."
            )
        self.directory = Path(tempfile.mkdtemp(prefix="taskweb-nginx-"))
        # Run as root, nginx's workers are `nobody`: they need to reach their temporary files.
        os.chmod(self.directory, 0o755)
        self.port = free_port()
        self.certificate, key = self._self_signed_certificate()
        site = self.directory / "taskweb.conf"
        site.write_text(fill_in_site(NGINX_SITE.read_text(), {
            "{{SERVER_NAME}}": "localhost",
            "{{TLS_CERTIFICATE}}": str(self.certificate),
            "{{TLS_CERTIFICATE_KEY}}": str(key),
            "{{GUNICORN}}": upstream,
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.port} ssl http2;",
            "listen 80;": f"listen 127.0.0.1:{free_port()};",
            "listen [::]:443 ssl http2;": "",
            "listen [::]:80;": "",
        }))
        self.config = self.directory / "nginx.conf"
        self.config.write_text(self._main_configuration(site))
        self.error_log = self.directory / "error.log"
        command = [str(NGINX_BIN), "-p", str(self.directory), "-c", str(self.config),
                   "-e", str(self.error_log)]
        self.process: subprocess.Popen[bytes] | None = None
        try:
            checked = subprocess.run([*command, "-t"], check=False, capture_output=True,
                                     text=True)
            if checked.returncode != 0:
                raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
            self.process = subprocess.Popen([*command, "-g", "daemon off;"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._wait_until_listening()
        except BaseException:
            self.stop()
            raise

    def _self_signed_certificate(self) -> tuple[Path, Path]:
        certificate, key = self.directory / "cert.pem", self.directory / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-keyout", str(key), "-out", str(certificate)],
            check=True, capture_output=True,
        )
        return certificate, key

    def _main_configuration(self, site: Path) -> str:
        """What nginx.conf around an included site holds, pointed into the prefix."""
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        temporary = "\n".join(
            f"    {kind}_temp_path {self.directory / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""{user}
worker_processes 2;
pid {self.directory / "nginx.pid"};
error_log {self.directory / "error.log"} warn;
events {{
    worker_connections 4096;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.directory / "access.log"};
{temporary}
    include {site};
}}
"""

    def _wait_until_listening(self, timeout: float = 10) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("nginx did not start listening")

    def endpoint(self) -> Endpoint:
        return Endpoint(self.port, untrusting_tls())

    def error_log_text(self) -> str:
        return self.error_log.read_text(errors="replace") if self.error_log.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def fill_in_site(text: str, replacements: Mapping[str, str]) -> str:
    """The site configuration with each of ``replacements`` made, all of them required:
    if the shipped file changes, this fails instead of testing something else."""
    for old, new in replacements.items():
        if old not in text:
            raise ValueError(f"{NGINX_SITE} no longer contains {old!r}")
        text = text.replace(old, new)
    leftover = set(re.findall(r"\{\{[A-Z_]+\}\}", text))
    if leftover:
        raise ValueError(f"placeholders this test does not fill in: {sorted(leftover)}")
    return text
