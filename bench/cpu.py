"""CPU time of process trees, from /proc.

On a saturated 2-core machine CPU time per request is the cost that decides throughput,
and it is far less disturbed by other work on the machine than requests/s.
"""

from __future__ import annotations

import os
import subprocess

from bench.database import connect

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    listing = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],
                             capture_output=True, text=True, check=False).stdout
    return [int(child) for child in listing.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (processes gone count as 0)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


class PostgresCpu:
    """CPU used by the benchmark cluster's processes, when it runs on this machine."""

    def __init__(self) -> None:
        conn = connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                backend = cur.fetchone()[0]
            self.postmaster: int | None = _parent_of(backend)
        except OSError:
            self.postmaster = None  # not on this machine, or not visible
        finally:
            conn.close()

    def seconds(self) -> float | None:
        if self.postmaster is None:
            return None
        return cpu_seconds(children(self.postmaster))
