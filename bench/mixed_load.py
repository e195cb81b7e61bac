"""Mixed read/write load on the JSON API from many concurrent clients, counting errors.

    .venv/bin/python -m bench.mixed_load http://127.0.0.1:8000 --clients 32 --seconds 60

Each client is a thread with its own keep-alive connection and its own account; it lists,
searches, reads, creates and updates tasks in a fixed mix. Any transport error or 5xx is
an error; the run passes only with none.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PASSWORD = "load-test password"
MIX = ["list"] * 4 + ["search"] * 2 + ["get"] * 2 + ["create", "update"]


@dataclass
class LoadReport:
    requests: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (f"{self.requests} requests in {self.seconds:.1f} s ({rate:.0f}/s), "
                f"{self.errors} errors, {self.server_errors} 5xx, statuses {dict(self.statuses)}")


# What a server closing an idle keep-alive connection looks like to the next request on it.
STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class StaleConnection(OSError):
    """The connection was closed by the server before this request was read."""


class ApiClient:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.token: str | None = None
        self.reused = False  # True once a response came back on the current connection

    def call(self, method: str, path: str, body: dict | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict | None]:
        """One request; a transport failure raises OSError and reconnects next time."""
        sent = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps(body) if body is not None else None
        try:
            response, raw = self._exchange(method, path, payload, sent)
        except StaleConnection:
            if not self.reused:
                raise
            # The server closed the idle connection before reading this request (as
            # browsers and HTTP libraries do): send it again on a fresh connection.
            self.reused = False
            response, raw = self._exchange(method, path, payload, sent)
        is_json = "json" in (response.getheader("Content-Type") or "")
        return response.status, (json.loads(raw) if raw and is_json else None)

    def _exchange(self, method: str, path: str, payload: str | None,
                  headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            kind = StaleConnection if isinstance(error, STALE_CONNECTION_ERRORS) else OSError
            raise kind(f"{type(error).__name__}: {error}") from error
        self.reused = not response.will_close
        if response.will_close:
            self.connection.close()
        return response, raw

    def sign_up(self) -> str:
        """A new account, logged in with this client; returns its email."""
        name = f"load{uuid.uuid4().hex[:12]}"
        self.call("POST", "/api/v1/auth/register",
                  {"email": f"{name}@example.com", "username": name, "password": PASSWORD})
        status, tokens = self.call("POST", "/api/v1/auth/login",
                                   {"email": f"{name}@example.com", "password": PASSWORD})
        if status != 200 or not tokens:
            raise RuntimeError(f"login failed with {status}")
        self.token = tokens["access_token"]
        return f"{name}@example.com"


def _client_loop(client: ApiClient, start: threading.Barrier, seconds: float,
                 report: LoadReport, lock: threading.Lock, seed: int,
                 stop: threading.Event | None = None) -> None:
    rng = random.Random(seed)
    task_ids: list[int] = []
    start.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        action = rng.choice(MIX) if task_ids else "create"
        try:
            status = _act(client, action, task_ids, rng)
            error = None
        except OSError as exc:
            status, error = None, f"{action}: {exc}"
        with lock:
            report.requests += 1
            if status is not None:
                report.statuses[status] += 1
            if error is not None or (status is not None and status >= 500):
                report.errors += 1
                if len(report.error_samples) < 10:
                    report.error_samples.append(error or f"{action}: HTTP {status}")


def _act(client: ApiClient, action: str, task_ids: list[int], rng: random.Random) -> int:
    if action == "create":
        status, task = client.call("POST", "/api/v1/tasks", {
            "title": f"Task {rng.randint(1, 10**6)}", "description": "generated by the load test",
            "priority": rng.choice(["low", "medium", "high"]),
        })
        if status == 201 and task:
            task_ids.append(task["id"])
        return status
    if action == "update":
        status, _ = client.call("PATCH", f"/api/v1/tasks/{rng.choice(task_ids)}",
                                {"status": rng.choice(["todo", "in_progress", "completed"])})
        return status
    if action == "get":
        return client.call("GET", f"/api/v1/tasks/{rng.choice(task_ids)}")[0]
    if action == "search":
        return client.call("GET", "/api/v1/tasks?q=task&status=todo,in_progress&sort=-priority")[0]
    return client.call("GET", "/api/v1/tasks?limit=20")[0]


def run_mixed_load(base_url: str, clients: int = 32, seconds: float = 60.0,
                   stop: threading.Event | None = None) -> LoadReport:
    """Run the mix from ``clients`` threads for ``seconds`` (or until ``stop`` is set);
    returns what happened.

    Accounts are signed up first (bcrypt makes that slow on purpose), outside the timing.
    """
    report, lock = LoadReport(), threading.Lock()
    api_clients = [ApiClient(base_url) for _ in range(clients)]
    for client in api_clients:
        client.sign_up()
    start = threading.Barrier(clients + 1)
    threads = [
        threading.Thread(target=_client_loop,
                         args=(client, start, seconds, report, lock, n, stop))
        for n, client in enumerate(api_clients)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    report = run_mixed_load(args.base_url, args.clients, args.seconds)
    print(report.summary())
    for sample in report.error_samples:
        print("  error:", sample)
    return 0 if report.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
