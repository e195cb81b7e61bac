"""POST /api/v1/tasks with Idempotency-Key: a retry returns the first task."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask.testing import FlaskClient

from tests.integration.api.test_auth import assert_problem

TASKS = "/api/v1/tasks"


def post(client: FlaskClient, headers: dict, key: str, title: str = "Pay rent"):
    return client.post(TASKS, json={"title": title}, headers={**headers, "Idempotency-Key": key})


def test_retry_returns_the_first_task(client: FlaskClient, auth_headers) -> None:
    first = post(client, auth_headers, "key-1")
    again = post(client, auth_headers, "key-1")
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert (first.headers["Idempotent-Replayed"], again.headers["Idempotent-Replayed"]) == (
        "false", "true"
    )
    assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 1


def test_other_keys_and_no_key_create_new_tasks(client: FlaskClient, auth_headers) -> None:
    post(client, auth_headers, "a")
    post(client, auth_headers, "b")
    client.post(TASKS, json={"title": "Pay rent"}, headers=auth_headers)
    assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 3


def test_same_key_other_body_is_422(client: FlaskClient, auth_headers) -> None:
    post(client, auth_headers, "k")
    body = assert_problem(post(client, auth_headers, "k", title="Something else"), 422)
    assert "Idempotency-Key" in body["errors"]
    assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 1


def test_keys_are_per_user(client: FlaskClient, auth_headers, other_auth_headers) -> None:
    mine = post(client, auth_headers, "shared").get_json()
    theirs = post(client, other_auth_headers, "shared").get_json()
    assert mine["id"] != theirs["id"] and theirs["owner_id"] != mine["owner_id"]


def test_bad_key_is_422(client: FlaskClient, auth_headers) -> None:
    assert_problem(post(client, auth_headers, "x" * 256), 422)
    assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 0


def test_concurrent_retries_create_one_task(app, auth_headers) -> None:
    def attempt(_: int) -> dict:
        response = post(app.test_client(), auth_headers, "race")
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(attempt, range(12)))
    assert len({task["id"] for task in results}) == 1
    total = app.test_client().get(TASKS, headers=auth_headers).get_json()["total"]
    assert total == 1


def test_purge_command_removes_expired_records(runner, client, auth_headers) -> None:
    post(client, auth_headers, "fresh")
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0 and "Removed 0 expired records." in result.output
    assert post(client, auth_headers, "fresh").headers["Idempotent-Replayed"] == "true"
