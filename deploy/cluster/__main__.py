"""python -m deploy.cluster [run | restart | reload] (see deploy/cluster/__init__.py)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from deploy.cluster.orchestrator import Cluster, say
from deploy.cluster.settings import (
    ClusterConfigError,
    ClusterSettings,
    load_cluster_settings,
)


class Stopping(Exception):
    """SIGINT or SIGTERM arrived: unwind to the clean-up."""


def run(settings: ClusterSettings) -> int:
    def stop(_received: int, _frame: object) -> None:
        raise Stopping

    # Before anything starts, so that no signal can leave a part running.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    cluster = Cluster(settings)
    status = 0
    try:
        cluster.start()
        say(f"taskweb is serving on {settings.url} ({len(settings.app_ports)} instances, "
            f"logs in {cluster.logs}); Ctrl-C stops it")
        cluster.supervise()
    except Stopping:
        say("stopping")
    except Exception as error:  # noqa: BLE001 - reported, then everything is stopped
        say(f"failed: {error}")
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
        say("stopped")
    return status


def ask_running_cluster(settings: ClusterSettings, number: int, what: str) -> int:
    """Send ``number`` to the orchestrator serving CLUSTER_PORT and wait until it has
    finished (its count of rolling restarts goes up)."""
    try:
        state = json.loads(settings.state_file.read_text())
        os.kill(state["pid"], 0)
    except (OSError, ValueError, KeyError):
        print(f"No cluster is running on port {settings.port} (`make cluster` starts one).",
              file=sys.stderr)
        return 1
    before = state["rolling_restarts"]
    os.kill(state["pid"], number)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            os.kill(state["pid"], 0)
            if json.loads(settings.state_file.read_text())["rolling_restarts"] > before:
                print(f"{what}: done, every instance ready.")
                return 0
        except (OSError, ValueError):
            print(f"The cluster stopped during the {what}.", file=sys.stderr)
            return 1
        time.sleep(0.2)
    print(f"The {what} did not finish within 10 minutes.", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster",
                                     description="taskweb's cluster on this machine.")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "restart", "reload"],
                        help="run (default): start it in the foreground; restart: restart "
                             "the running cluster's instances one by one; reload: gunicorn "
                             "HUP (new code) on each instance in turn")
    arguments = parser.parse_args()
    try:
        settings = load_cluster_settings()
    except ClusterConfigError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if arguments.command == "restart":
        return ask_running_cluster(settings, signal.SIGHUP, "rolling restart")
    if arguments.command == "reload":
        return ask_running_cluster(settings, signal.SIGUSR1, "rolling reload")
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
