"""Running wrk: one scenario against one server, bounded in time, parsed into figures."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "scenario.lua"
MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class Request:
    """What wrk sends; ``{id}`` in ``path`` takes ``ids`` round-robin."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    ids: tuple[int, ...] = ()

    def spec(self) -> str:
        lines = [f"method {self.method}", f"path {self.path}"]
        lines += [f"header {name}: {value}" for name, value in self.headers.items()]
        if self.body is not None:
            lines.append(f"body {self.body}")
        if self.ids:
            lines.append("ids " + " ".join(map(str, self.ids)))
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class LoadSettings:
    threads: int = 2
    connections: int = 32
    seconds: int = 10
    timeout_seconds: int = 30


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    @property
    def bytes_per_response(self) -> float:
        return self.bytes / self.requests if self.requests else 0.0


def _parse(output: str) -> LoadResult:
    line = next((line for line in output.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    data = json.loads(line[len(MARKER):])
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non2xx=data["non2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


def run_wrk(base_url: str, request: Request, settings: LoadSettings) -> tuple[LoadResult, str]:
    """Drive ``base_url`` with ``request`` for ``settings.seconds``; the figures and wrk's text."""
    with tempfile.NamedTemporaryFile("w", suffix=".spec", prefix="bench-") as spec:
        spec.write(request.spec())
        spec.flush()
        command = [
            "wrk", f"-t{settings.threads}", f"-c{settings.connections}",
            f"-d{settings.seconds}s", f"--timeout={settings.timeout_seconds}s", "--latency",
            "-s", str(LUA_SCRIPT), base_url, "--", spec.name,
        ]
        completed = subprocess.run(command, capture_output=True, text=True,
                                   timeout=settings.seconds + settings.timeout_seconds + 30)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}):\n{output}")
    return _parse(output), output
