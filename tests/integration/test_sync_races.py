"""The sync feed under concurrent writers (PostgreSQL): a client syncing in a loop while
writers on connections of their own create, change, move, trash and delete tasks and
take the client in and out of a shared project — some holding their transaction open
after taking a change number, so numbers commit out of order. Afterwards the client's
copy equals what the database shows that user, and no task ever went back in time."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, create_engine, text

from tests.integration.api.sharing import new_project, share
from tests.integration.api.test_sync import SYNC, Copy

WRITERS = 4
WRITES_EACH = 45
HOLD_MAX = 0.03  # seconds a writer may keep its transaction open after writing


def _writer(url: str, projects: list[int], owner_id: int, seed: int,
            errors: list[BaseException], write_waits: list[float]) -> None:
    rng = random.Random(seed)
    engine = create_engine(url, pool_size=1)
    try:
        for n in range(WRITES_EACH):
            with engine.begin() as connection:
                started = time.perf_counter()
                _one_write(connection, rng, projects, owner_id, f"w{seed}.{n}")
                write_waits.append(time.perf_counter() - started)
                if rng.random() < 0.5:
                    time.sleep(rng.uniform(0, HOLD_MAX))  # hold the number a while
    except BaseException as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        engine.dispose()


def _one_write(connection: Connection, rng: random.Random, projects: list[int],
               owner_id: int, title: str) -> None:
    task_id = connection.scalar(text("SELECT id FROM tasks ORDER BY random() LIMIT 1"))
    action = rng.choice(["create", "create", "update", "update", "move", "trash", "restore",
                         "delete"])
    if action == "create" or task_id is None:
        connection.execute(text(
            "INSERT INTO tasks (title, status, priority, owner_id, project_id, position, "
            "version, created_at, updated_at) VALUES (:title, 'todo', 'medium', :owner, "
            ":project, :title, 1, now(), now())"),
            {"title": title, "owner": owner_id, "project": rng.choice(projects)})
    elif action == "update":
        connection.execute(text(
            "UPDATE tasks SET title = :title, version = version + 1, "
            "updated_at = clock_timestamp() "
            "WHERE id = :id"), {"title": title, "id": task_id})
    elif action == "move":
        connection.execute(text(
            "UPDATE tasks SET project_id = :project, version = version + 1, "
            "updated_at = clock_timestamp() WHERE id = :id"),
            {"project": rng.choice(projects), "id": task_id})
    elif action == "trash":
        connection.execute(text(
            "UPDATE tasks SET deleted_at = now(), version = version + 1, "
            "updated_at = clock_timestamp() WHERE id = :id"),
            {"id": task_id})
    elif action == "restore":
        connection.execute(text(
            "UPDATE tasks SET deleted_at = NULL, version = version + 1, "
            "updated_at = clock_timestamp() WHERE id = :id"),
            {"id": task_id})
    else:
        connection.execute(text("DELETE FROM tasks WHERE id = :id"), {"id": task_id})


def _membership_toggler(url: str, project_id: int, user_id: int, stop: threading.Event,
                        errors: list[BaseException]) -> None:
    """Take the syncing user out of the shared project and back in, again and again."""
    engine = create_engine(url, pool_size=1)
    try:
        while not stop.is_set():
            for statement in ("DELETE FROM memberships WHERE project_id = :p AND user_id = :u",
                              ("INSERT INTO memberships (project_id, user_id, role, joined_at) "
                               "VALUES (:p, :u, 'editor', now())")):
                with engine.begin() as connection:
                    connection.execute(text(statement), {"p": project_id, "u": user_id})
                    time.sleep(0.01)
                time.sleep(0.05)
    except BaseException as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        engine.dispose()


def _truth(url: str, user_id: int) -> tuple[dict[int, tuple], set[int]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        tasks = connection.execute(text(
            "SELECT t.id, t.updated_at, t.title, t.project_id FROM tasks t "
            "JOIN memberships m ON m.project_id = t.project_id AND m.user_id = :u "
            "WHERE t.deleted_at IS NULL"), {"u": user_id}).all()
        projects = connection.execute(text(
            "SELECT project_id FROM memberships WHERE user_id = :u"), {"u": user_id}
        ).scalars().all()
    engine.dispose()
    return {row[0]: tuple(row[1:]) for row in tasks}, set(projects)


def _keyed(copy: Copy) -> dict[int, tuple]:
    return {task_id: (datetime.fromisoformat(task["updated_at"]), task["title"],
                      task["project_id"])
            for task_id, task in copy.tasks.items()}


def test_a_client_syncing_while_others_write_ends_with_the_true_state(
    app, client, user, auth_headers, other_user, other_auth_headers, migrated_database
) -> None:
    mine = new_project(client, auth_headers, "Mine")["id"]
    shared = new_project(client, other_auth_headers, "Shared")["id"]
    share(client, other_auth_headers, shared, user.username, "editor")
    hidden = new_project(client, other_auth_headers, "Hidden")["id"]
    projects = [mine, shared, hidden]

    errors: list[BaseException] = []
    write_waits: list[float] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_writer, args=(
        migrated_database, projects, other_user.id if n % 2 else user.id, n, errors,
        write_waits)) for n in range(WRITERS)]
    toggler = threading.Thread(target=_membership_toggler,
                               args=(migrated_database, shared, user.id, stop, errors))
    for thread in [*threads, toggler]:
        thread.start()

    copy = Copy()
    versions: dict[int, str] = {}
    cursors: list[int] = []
    read_times: list[float] = []

    def one_page() -> dict:
        started = time.perf_counter()
        response = client.get(SYNC, query_string={} if copy.cursor is None
                              else {"since": copy.cursor}, headers=auth_headers)
        read_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        for task in page["tasks"]:  # in order: a task never goes back in time
            assert task["updated_at"] >= versions.get(task["id"], ""), task
            versions[task["id"]] = task["updated_at"]
        copy.apply(page)
        if copy.cursor.isdigit():
            cursors.append(int(copy.cursor))
        return page

    def writing() -> bool:
        return any(thread.is_alive() for thread in threads)

    pages = 0
    while writing():
        one_page()
        pages += 1
    stop.set()
    toggler.join(timeout=30)
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    while one_page()["has_more"]:
        pass

    # Pages cover consecutive, disjoint ranges of numbers: none is delivered twice.
    assert cursors == sorted(cursors)
    truth_tasks, truth_projects = _truth(migrated_database, user.id)
    assert _keyed(copy) == truth_tasks
    assert set(copy.projects) == truth_projects
    assert pages > 3 and len(truth_tasks) > 10
    _report(read_times, write_waits)


def _report(read_times: list[float], write_waits: list[float]) -> None:
    """How long a sync read and a write took (printed with -s, never asserted)."""
    def summary(values: list[float]) -> str:
        ordered = sorted(values)
        return (f"n={len(ordered)} median={ordered[len(ordered) // 2] * 1000:.1f}ms "
                f"max={ordered[-1] * 1000:.1f}ms")

    show: Callable[[str], None] = print
    show(f"\nsync reads: {summary(read_times)}; writes (the statement, lock wait included): {summary(write_waits)}")


def test_a_writer_waiting_behind_a_sync_read_for_a_lock_is_let_through(
    app, client, user, auth_headers, migrated_database
) -> None:
    """The soft deadlock: writer A holds a number and waits for the project row that
    writer B holds; B waits for its number behind the reader, who waits for A.
    PostgreSQL's deadlock check lets B ahead of the queued reader: nobody fails."""
    project = new_project(client, auth_headers, "Contended")["id"]
    first, second = (client.post("/api/v1/tasks", json={"title": t, "project_id": project},
                                 headers=auth_headers).get_json()["id"] for t in "ab")
    engine = create_engine(migrated_database, pool_size=4)
    fast_check = text("SET deadlock_timeout = '50ms'")
    outcomes: dict[str, object] = {}

    def in_thread(name: str, action: Callable[[], object]) -> threading.Thread:
        def run() -> None:
            try:
                outcomes[name] = action()
            except Exception as error:  # noqa: BLE001 - the assertion reports it
                outcomes[name] = error
        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def waiting(count: int) -> None:
        with engine.connect() as probe:
            for _ in range(200):
                if probe.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                                ) >= count:
                    return
                time.sleep(0.01)
        raise AssertionError("the expected lock waits never formed")

    a, b = engine.connect(), engine.connect()
    try:
        for connection in (a, b):
            connection.execute(fast_check)
        a.execute(text("UPDATE tasks SET title = 'A' WHERE id = :id"), {"id": first})
        b.execute(text("SELECT id FROM projects WHERE id = :id FOR UPDATE"), {"id": project})
        reader = in_thread("reader", lambda: client.get(SYNC, headers=auth_headers).status_code)
        waiting(1)

        def b_writes() -> str:
            b.execute(text("UPDATE tasks SET title = 'B' WHERE id = :id"), {"id": second})
            b.commit()
            return "committed"

        writer_b = in_thread("b", b_writes)
        waiting(2)

        def a_locks_project() -> str:
            a.execute(text("SELECT id FROM projects WHERE id = :id FOR UPDATE"),
                      {"id": project})
            a.commit()
            return "committed"

        writer_a = in_thread("a", a_locks_project)
        for thread in (writer_a, writer_b, reader):
            thread.join(timeout=20)
    finally:
        a.close()
        b.close()
        engine.dispose()
    assert outcomes == {"reader": 200, "a": "committed", "b": "committed"}
