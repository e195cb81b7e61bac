"""Requests that race each other on PostgreSQL: of two simultaneous writers that start
from the same state, exactly one wins (found by an attack run, not by ordinary tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from werkzeug.test import TestResponse

from tests.conftest import login_tokens

ROUNDS = 12


def simultaneously(app: Flask, request: Callable[..., TestResponse], times: int = 2
                   ) -> list[TestResponse]:
    """Run ``request(client)`` in ``times`` threads released at the same instant."""
    barrier = threading.Barrier(times)
    responses: list[TestResponse] = []

    def run() -> None:
        client = app.test_client()
        barrier.wait()
        responses.append(request(client))

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_one_of_two_simultaneous_refreshes_wins_and_the_loser_counts_as_reuse(
    app, client, user
) -> None:
    for _ in range(ROUNDS):
        pair = login_tokens(client, user.email)
        body = {"refresh_token": pair["refresh_token"]}
        responses = simultaneously(app, lambda c: c.post("/api/v1/auth/refresh", json=body))
        assert sorted(r.status_code for r in responses) == [200, 401]
        # The loser's attempt is reuse: the family dies, the winner's new token with it.
        [winner] = [r.get_json() for r in responses if r.status_code == 200]
        again = client.post("/api/v1/auth/refresh",
                            json={"refresh_token": winner["refresh_token"]})
        assert again.status_code == 401


def test_one_of_two_simultaneous_conditional_patches_wins(app, client, auth_headers) -> None:
    for round_number in range(ROUNDS):
        task = client.post("/api/v1/tasks", json={"title": "shared"}, headers=auth_headers)
        url = f"/api/v1/tasks/{task.get_json()['id']}"
        headers = {**auth_headers, "If-Match": '"1"'}
        responses = simultaneously(app, lambda c, n=round_number: c.patch(
            url, json={"title": f"writer {threading.get_ident()} {n}"}, headers=headers))
        assert sorted(r.status_code for r in responses) == [200, 412]
        [winner] = [r.get_json() for r in responses if r.status_code == 200]
        stored = client.get(url, headers=auth_headers)
        assert stored.get_json()["title"] == winner["title"]
        assert stored.headers["ETag"] == '"2"'


def test_unconditional_patches_all_land_one_after_another(app, client, auth_headers) -> None:
    task = client.post("/api/v1/tasks", json={"title": "counter"}, headers=auth_headers)
    url = f"/api/v1/tasks/{task.get_json()['id']}"
    responses = simultaneously(
        app, lambda c: c.patch(url, json={"priority": "high"}, headers=auth_headers), times=4)
    assert [r.status_code for r in responses] == [200] * 4
    assert client.get(url, headers=auth_headers).headers["ETag"] == '"5"'


def test_one_of_two_simultaneous_saves_of_the_edit_form_wins(app, user, make_task) -> None:
    from tests.web.conftest import HX, csrf_token, login
    from tests.web.html import form_values

    for round_number in range(ROUNDS // 2):
        task = make_task(user, f"Shared {round_number}")
        tabs = []
        for _ in range(2):
            tab = app.test_client()
            login(tab, user.email)
            headers = {**HX, "X-CSRFToken": csrf_token(tab, "/"),
                       "HX-Current-URL": "http://localhost/"}
            opened = form_values(tab.get(f"/tasks/{task.id}/edit", headers=headers)
                                 .get_data(as_text=True))
            tabs.append((tab, headers, opened))
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def save(tab, headers, opened, title: str) -> None:
            barrier.wait()
            response = tab.put(f"/tasks/{task.id}", headers=headers,
                               data={**opened, "title": title})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=save, args=(*tab, f"tab {n}"))
                   for n, tab in enumerate(tabs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(statuses) == [200, 409]
