"""nginx for the cluster: its configuration from nginx.conf.template, the upstream
block rewritten as instances leave and rejoin, and reloads that wait for the old workers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from deploy.cluster.processes import ManagedProcess
from deploy.cluster.services import NGINX
from deploy.cluster.settings import REPO

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
STATIC = REPO / "taskweb" / "static"
# A server that refuses a connection once is skipped for this long (then tried again).
FAIL_TIMEOUT_SECONDS = 5


def render_configuration(run: Path, port: int) -> str:
    # As root, nginx's workers run as nobody: the run directory must be readable to them.
    values = {"{{USER}}": "user nobody nogroup;" if os.geteuid() == 0 else "",
              "{{RUN}}": str(run), "{{PORT}}": str(port), "{{STATIC}}": str(STATIC)}
    text = TEMPLATE.read_text()
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    leftover = set(re.findall(r"\{\{[A-Z_]+\}\}", text))
    if leftover:
        raise ValueError(f"{TEMPLATE.name} has placeholders nobody fills in: {sorted(leftover)}")
    return text


def render_upstream(ports_in_service: Mapping[int, bool]) -> str:
    """The upstream block; a port out of service is marked ``down`` (nginx sends it
    nothing new), so its line stays and the order never changes."""
    lines = ["upstream taskweb_cluster {"]
    for port, in_service in ports_in_service.items():
        down = "" if in_service else " down"
        lines.append(f"    server 127.0.0.1:{port} max_fails=1 "
                     f"fail_timeout={FAIL_TIMEOUT_SECONDS}s{down};")
    lines.append("}")
    return "\n".join(lines) + "\n"


class ClusterNginx:
    def __init__(self, run: Path, port: int, ports_in_service: Mapping[int, bool]) -> None:
        self.run = run
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run / "nginx" / kind).mkdir(parents=True, exist_ok=True)
        self.config = run / "nginx.conf"
        self.config.write_text(render_configuration(run, port))
        self.write_upstream(ports_in_service)
        command = [str(NGINX), "-p", str(run / "nginx"), "-c", str(self.config),
                   "-e", str(run / "logs" / "nginx-error.log")]
        checked = subprocess.run([*command, "-t"], check=False, capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
        self.process = ManagedProcess("nginx", [*command, "-g", "daemon off;"],
                                      run / "logs" / "nginx.log")

    def write_upstream(self, ports_in_service: Mapping[int, bool]) -> None:
        target = self.run / "upstream.conf"
        staged = target.with_suffix(".new")
        staged.write_text(render_upstream(ports_in_service))
        staged.replace(target)

    def worker_pids(self) -> set[int]:
        output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                                check=False, capture_output=True, text=True).stdout
        return {int(pid) for pid in output.split()}

    def reload(self, ports_in_service: Mapping[int, bool], timeout: float = 15) -> None:
        """Apply a new upstream block and wait until the workers of the old configuration
        have finished their requests and exited (so none of them sends another request to
        a server now marked down)."""
        self.write_upstream(ports_in_service)
        old = self.worker_pids()
        self.process.send(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.worker_pids()
            if current and not current & old:
                return
            time.sleep(0.05)

    def stop(self) -> None:
        # SIGQUIT: a graceful shutdown (SIGTERM would drop requests in progress).
        self.process.stop(grace=15, first=signal.SIGQUIT)
