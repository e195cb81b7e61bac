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


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (index 0 is field 3, the state)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_cpu_seconds(parent: int) -> float:
    """User + system CPU seconds of ``parent``'s children, living and exited.

    gunicorn recycles workers (max_requests) and PostgreSQL ends backends: an exited
    child's time is no longer in its own stat but in its parent's cutime and cstime.
    """
    ticks = 0
    for pid in children(parent):
        fields = _stat(pid)
        if fields is not None:
            ticks += int(fields[11]) + int(fields[12])
    fields = _stat(parent)
    if fields is not None:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def _parent_of(pid: int) -> int:
    fields = _stat(pid)
    if fields is None:
        raise OSError(f"no process {pid}")
    return int(fields[1])


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
        return tree_cpu_seconds(self.postmaster)
