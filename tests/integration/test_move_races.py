"""Two people moving cards of one project at the same instant (PostgreSQL): each move
lands, and no two tasks ever share a position (the project's row is locked while a key
is computed in it)."""

from __future__ import annotations

import threading

from tests.integration.api.sharing import new_project, new_task, share
from tests.integration.test_races import ROUNDS, simultaneously

TASKS = "/api/v1/tasks"


def test_simultaneous_moves_to_one_spot_all_land_with_distinct_positions(
    app, client, auth_headers, other_auth_headers, other_user
) -> None:
    project = new_project(client, auth_headers, "Together")
    share(client, auth_headers, project["id"], other_user.username, "editor")
    anchor = new_task(client, auth_headers, "Anchor", project_id=project["id"])
    for round_number in range(ROUNDS):
        movers = [new_task(client, auth_headers, f"card {round_number}.{n}",
                           project_id=project["id"]) for n in range(4)]
        people = [auth_headers, other_auth_headers] * 2
        pending = list(zip(movers, people, strict=True))
        lock = threading.Lock()

        def move_one(c, lock=lock, pending=pending):
            with lock:
                task, headers = pending.pop()
            return c.post(f"{TASKS}/{task['id']}/move", json={"after_id": anchor["id"]},
                          headers=headers)

        responses = simultaneously(app, move_one, times=4)
        assert [r.status_code for r in responses] == [200] * 4
        items = client.get(f"{TASKS}?project_id={project['id']}&sort=position&limit=100",
                           headers=auth_headers).get_json()["items"]
        positions = [t["position"] for t in items]
        assert len(set(positions)) == len(positions), positions
        # Every mover sits right after the anchor, in the order the moves committed.
        titles = [t["title"] for t in items]
        start = titles.index("Anchor") + 1
        assert set(titles[start:start + 4]) == {m["title"] for m in movers}
        # The responses are the positions the tasks kept.
        stored = {t["id"]: t["position"] for t in items}
        assert all(stored[r.get_json()["id"]] == r.get_json()["position"] for r in responses)


def test_moves_across_two_projects_both_ways_never_deadlock(
    app, client, auth_headers
) -> None:
    here = new_project(client, auth_headers, "Here")
    there = new_project(client, auth_headers, "There")
    for round_number in range(ROUNDS // 2):
        one = new_task(client, auth_headers, f"one {round_number}", project_id=here["id"])
        two = new_task(client, auth_headers, f"two {round_number}", project_id=there["id"])
        bodies = [(one["id"], there["id"]), (two["id"], here["id"])]
        lock = threading.Lock()

        def move_one(c, lock=lock, bodies=bodies):
            with lock:
                task_id, project_id = bodies.pop()
            return c.post(f"{TASKS}/{task_id}/move", json={"project_id": project_id},
                          headers=auth_headers)

        responses = simultaneously(app, move_one)
        assert [r.status_code for r in responses] == [200, 200]
