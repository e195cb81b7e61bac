"""Concurrent writes while a worker is SIGKILLed and PostgreSQL restarts: every
acknowledged write is stored exactly as acknowledged, and no task exists twice."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, text

from bench.mixed_load import ApiClient
from tests.resilience.servers import Gunicorn, PostgresCluster

pytestmark = pytest.mark.slow

CLIENTS = 8
SECONDS = 10


@dataclass
class Ledger:
    """What one client was told: created tasks and, per task, the titles it sent."""

    created: dict[str, int] = field(default_factory=dict)  # idempotency key -> task id
    titles_sent: dict[int, list[tuple[str, bool]]] = field(default_factory=dict)


def writer(base_url: str, stop: threading.Event, ledger: Ledger, prefix: str) -> None:
    client = ApiClient(base_url)
    while True:
        try:
            client.sign_up()
            break
        except (OSError, RuntimeError):
            time.sleep(0.2)
    serial = 0
    while not stop.is_set():
        serial += 1
        key = f"{prefix}-{serial}"
        title = f"{key} v0"
        # Retry a create with the same key until it is acknowledged: never a duplicate.
        while not stop.is_set():
            try:
                status, task = client.call("POST", "/api/v1/tasks", {"title": title},
                                           {"Idempotency-Key": key})
            except OSError:
                time.sleep(0.05)
                continue
            if status == 201:
                ledger.created[key] = task["id"]
                ledger.titles_sent[task["id"]] = [(title, True)]
                break
            time.sleep(0.05)
        for task_id in list(ledger.created.values())[-3:]:
            new_title = f"{prefix} {task_id} {uuid.uuid4().hex[:6]}"
            sent = ledger.titles_sent[task_id]
            try:
                status, _ = client.call("PATCH", f"/api/v1/tasks/{task_id}", {"title": new_title})
                sent.append((new_title, status == 200))
            except OSError:
                sent.append((new_title, False))


def test_acknowledged_writes_survive_worker_kill_and_database_restart(
    cluster: PostgresCluster, gunicorn: Gunicorn
) -> None:
    stop = threading.Event()
    ledgers = [Ledger() for _ in range(CLIENTS)]
    threads = [threading.Thread(target=writer, args=(gunicorn.base_url, stop, ledger, f"c{n}"))
               for n, ledger in enumerate(ledgers)]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 3)
    gunicorn.kill_a_worker()
    time.sleep(SECONDS / 3)
    cluster.restart()
    time.sleep(SECONDS / 3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    engine = create_engine(cluster.url)
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT id, title FROM tasks")).all())
        # Every task was created under an idempotency key: a duplicate would be a task
        # that no key points at, or a key that points at two.
        tasks_without_key = connection.execute(text(
            "SELECT count(*) FROM tasks t WHERE NOT EXISTS "
            "(SELECT 1 FROM idempotency_keys k WHERE k.task_id = t.id)"
        )).scalar_one()
    engine.dispose()

    acknowledged_creates = sum(len(ledger.created) for ledger in ledgers)
    assert acknowledged_creates > 20, "the load was too light to prove anything"
    assert tasks_without_key == 0
    for ledger in ledgers:
        for key, task_id in ledger.created.items():
            assert task_id in stored, f"acknowledged task {key} ({task_id}) was lost"
            sent = ledger.titles_sent[task_id]
            last_ack = max(i for i, (_, acked) in enumerate(sent) if acked)
            # The stored title is the last acknowledged one, or a later attempt whose
            # answer was lost in the crash (it may have committed before the connection died).
            allowed = {title for title, _ in sent[last_ack:]}
            assert stored[task_id] in allowed, (task_id, stored[task_id], sent)
