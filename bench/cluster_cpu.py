"""Where the CPU goes while the cluster is under load: nginx, the gunicorn instances,
PostgreSQL, the load generator and the whole machine (bench/cluster.py and
bench/cluster_pages.py print it after each measure)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.cpu import tree_cpu_seconds
from tests.resilience.cluster_run import APP_PORTS, ClusterRun


class CpuShares:
    """CPU seconds of nginx, the gunicorn instances, PostgreSQL, the load generator (wrk,
    this process's children) and the whole machine between ``start`` and ``stop``."""

    def __init__(self, cluster: ClusterRun) -> None:
        self.parents = {
            "nginx": [int((cluster.run_directory / "nginx.pid").read_text())],
            "gunicorn": [cluster.instance_pid(port) for port in APP_PORTS],
            "postgres": [int(Path(os.environ["TEST_PG_DATA"], "postmaster.pid")
                             .read_text().split()[0])],
        }

    def _sample(self) -> dict[str, float]:
        sample = {name: sum(map(tree_cpu_seconds, pids)) for name, pids in self.parents.items()}
        own = os.times()
        sample["load generator"] = own.children_user + own.children_system
        with open("/proc/stat") as handle:
            ticks = [int(n) for n in handle.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
        sample["machine"] = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
        return sample

    def start(self) -> None:
        self.started, self.at = self._sample(), time.monotonic()

    def stop(self, requests: int) -> str:
        ended, seconds = self._sample(), time.monotonic() - self.at
        used = {name: ended[name] - self.started[name] for name in ended}
        parts = ", ".join(f"{name} {value:.1f} s ({value / seconds * 100:.0f}% of a core, "
                          f"{value / requests * 1000:.2f} ms/request)"
                          for name, value in used.items() if name != "machine")
        return (f"CPU over {seconds:.0f} s: {parts}; the machine busy {used['machine']:.1f} s "
                f"of {seconds * os.cpu_count():.0f} core-seconds")
