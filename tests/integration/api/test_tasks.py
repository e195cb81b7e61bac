"""/api/v1/tasks: create, list (filters, search, sort, pages), get, PUT, PATCH, DELETE."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.api.test_auth import assert_problem

TASKS = "/api/v1/tasks"


def create(client: FlaskClient, headers: dict, **fields):
    body = {"title": "Write report"}
    body.update(fields)
    return client.post(TASKS, json=body, headers=headers)


def created(client: FlaskClient, headers: dict, **fields) -> dict:
    response = create(client, headers, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


class TestCreate:
    def test_defaults_location_and_etag(self, client: FlaskClient, auth_headers, user) -> None:
        response = create(client, auth_headers, title="  Write report  ")
        assert response.status_code == 201
        task = response.get_json()
        assert set(task) == {
            "id", "title", "description", "status", "priority", "due_date", "owner_id",
            "created_at", "updated_at", "created_by", "project_id", "labels", "parent_id",
            "assignee_id", "position", "completed_at", "subtasks", "recurrence",
            "reminders",
        }
        assert task["created_by"] == task["owner_id"] and task["labels"] == []
        assert task["subtasks"] == {"total": 0, "completed": 0}
        assert task["title"] == "Write report"
        assert (task["status"], task["priority"], task["due_date"]) == ("todo", "medium", None)
        assert task["owner_id"] == user.id
        assert response.headers["Location"] == f"{TASKS}/{task['id']}"
        assert response.headers["ETag"] == '"1"'

    def test_trailing_slash(self, client: FlaskClient, auth_headers) -> None:
        assert client.post(f"{TASKS}/", json={"title": "x"}, headers=auth_headers).status_code == 201

    def test_naive_due_date_is_utc_and_offsets_are_kept(self, client, auth_headers) -> None:
        naive = created(client, auth_headers, due_date="2026-12-01T10:00:00")
        assert naive["due_date"] == "2026-12-01T10:00:00+00:00"
        offset = created(client, auth_headers, due_date="2026-12-01T10:00:00+02:00")
        assert offset["due_date"] == "2026-12-01T08:00:00+00:00"
        zulu = created(client, auth_headers, due_date="2026-12-01T10:00:00Z")
        assert zulu["due_date"] == "2026-12-01T10:00:00+00:00"

    def test_all_fields(self, client: FlaskClient, auth_headers) -> None:
        task = created(
            client, auth_headers, description="Quarterly", status="in_progress",
            priority="high", due_date=None,
        )
        assert (task["description"], task["status"], task["priority"]) == (
            "Quarterly", "in_progress", "high"
        )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"title": 5}, "title"),
            ({"title": None}, "title"),
            ({"description": "x" * 10_001}, "description"),
            ({"status": "done"}, "status"),
            ({"priority": "urgent"}, "priority"),
            ({"due_date": "tomorrow"}, "due_date"),
            ({"due_date": "0001-01-01T00:00:00Z"}, "due_date"),
            ({"owner_id": 2}, "owner_id"),
            ({"id": 1}, "id"),
            ({"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
        ],
    )
    def test_invalid_is_422_naming_the_field(self, client, auth_headers, fields, field) -> None:
        body = assert_problem(create(client, auth_headers, **fields), 422)
        assert field in body["errors"]
        assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 0

    def test_missing_title_is_422(self, client: FlaskClient, auth_headers) -> None:
        body = assert_problem(client.post(TASKS, json={}, headers=auth_headers), 422)
        assert "title" in body["errors"]

    def test_title_of_200_characters_is_accepted(self, client, auth_headers) -> None:
        assert created(client, auth_headers, title="é" * 200)["title"] == "é" * 200

    def test_needs_token(self, client: FlaskClient) -> None:
        assert_problem(client.post(TASKS, json={"title": "x"}), 401)


class TestReadAndOwnership:
    def test_get_one(self, client: FlaskClient, auth_headers) -> None:
        task = created(client, auth_headers)
        response = client.get(f"{TASKS}/{task['id']}", headers=auth_headers)
        assert response.status_code == 200 and response.get_json() == task
        assert response.headers["ETag"] == '"1"'

    def test_missing_task_is_404(self, client: FlaskClient, auth_headers) -> None:
        assert_problem(client.get(f"{TASKS}/999999", headers=auth_headers), 404)

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    def test_other_users_task_is_404_and_untouched(
        self, client: FlaskClient, auth_headers, other_auth_headers, method
    ) -> None:
        task = created(client, auth_headers)
        kwargs = {"json": {"title": "stolen"}} if method in ("put", "patch") else {}
        response = getattr(client, method)(
            f"{TASKS}/{task['id']}", headers=other_auth_headers, **kwargs
        )
        missing = client.get(f"{TASKS}/999999", headers=other_auth_headers)
        assert assert_problem(response, 404)["detail"].replace(str(task["id"]), "N") == \
            missing.get_json()["detail"].replace("999999", "N")
        assert client.get(f"{TASKS}/{task['id']}", headers=auth_headers).get_json() == task

    def test_list_shows_only_own_tasks(self, client, auth_headers, other_auth_headers) -> None:
        created(client, auth_headers, title="mine")
        created(client, other_auth_headers, title="theirs")
        page = client.get(TASKS, headers=auth_headers).get_json()
        assert [t["title"] for t in page["items"]] == ["mine"] and page["total"] == 1


class TestUpdate:
    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_partial_update_keeps_omitted_fields(self, client, auth_headers, method) -> None:
        task = created(client, auth_headers, description="keep me", priority="high")
        response = getattr(client, method)(
            f"{TASKS}/{task['id']}", json={"status": "completed"}, headers=auth_headers
        )
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "completed"
        assert (body["description"], body["priority"], body["title"]) == (
            "keep me", "high", task["title"]
        )
        assert body["updated_at"] > task["updated_at"]
        assert body["created_at"] == task["created_at"]
        assert response.headers["ETag"] == '"2"'

    def test_empty_update_still_moves_updated_at(self, client, auth_headers) -> None:
        task = created(client, auth_headers)
        body = client.patch(f"{TASKS}/{task['id']}", json={}, headers=auth_headers).get_json()
        assert body["updated_at"] > task["updated_at"]

    def test_clear_description_and_due_date(self, client, auth_headers) -> None:
        task = created(client, auth_headers, description="d", due_date="2026-12-01T00:00:00Z")
        body = client.put(
            f"{TASKS}/{task['id']}", json={"description": None, "due_date": None},
            headers=auth_headers,
        ).get_json()
        assert body["description"] is None and body["due_date"] is None

    @pytest.mark.parametrize(
        ("fields", "field"),
        [({"title": ""}, "title"), ({"status": "nope"}, "status"), ({"owner_id": 5}, "owner_id"),
         ({"priority": 3}, "priority")],
    )
    def test_invalid_update_is_422_and_changes_nothing(
        self, client, auth_headers, fields, field
    ) -> None:
        task = created(client, auth_headers)
        body = assert_problem(
            client.patch(f"{TASKS}/{task['id']}", json=fields, headers=auth_headers), 422
        )
        assert field in body["errors"]
        assert client.get(f"{TASKS}/{task['id']}", headers=auth_headers).get_json() == task

    def test_if_match_mismatch_is_412(self, client, auth_headers) -> None:
        task = created(client, auth_headers)
        url = f"{TASKS}/{task['id']}"
        ok = client.patch(url, json={"title": "v2"}, headers={**auth_headers, "If-Match": '"1"'})
        assert ok.status_code == 200
        stale = client.patch(url, json={"title": "v3"}, headers={**auth_headers, "If-Match": '"1"'})
        assert_problem(stale, 412)
        assert client.get(url, headers=auth_headers).get_json()["title"] == "v2"
        assert_problem(client.delete(url, headers={**auth_headers, "If-Match": '"1"'}), 412)

    @pytest.mark.parametrize(("header", "status"), [
        ('"9", "1"', 200),  # any tag of the list may match, not only the first
        ('"1", "9"', 200),
        ("*", 200),
        ('W/"1"', 412),  # If-Match compares strongly: a weak tag never matches
        ('"9", "8"', 412),
        ("garbage", 412),
        ('""', 412),  # found by the fuzzer: an empty tag was a 500
        ('"\u00b2"', 412),  # a digit to str.isdigit, not to int()
    ])
    def test_if_match_reads_the_whole_list(self, client, auth_headers, header, status) -> None:
        task = created(client, auth_headers)
        response = client.patch(f"{TASKS}/{task['id']}", json={"title": "v2"},
                                headers={**auth_headers, "If-Match": header})
        assert response.status_code == status, response.get_json()


class TestDelete:
    def test_delete(self, client: FlaskClient, auth_headers) -> None:
        task = created(client, auth_headers)
        response = client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
        assert response.status_code == 204 and response.data == b""
        assert_problem(client.get(f"{TASKS}/{task['id']}", headers=auth_headers), 404)
        assert_problem(client.delete(f"{TASKS}/{task['id']}", headers=auth_headers), 404)


class TestList:
    @pytest.fixture
    def seeded(self, client: FlaskClient, auth_headers) -> dict[str, dict]:
        specs = {
            "alpha": dict(status="todo", priority="low", due_date="2026-12-03T00:00:00Z",
                          description="groceries and milk"),
            "Bravo": dict(status="in_progress", priority="high", due_date=None),
            "charlie": dict(status="completed", priority="medium",
                            due_date="2026-12-01T00:00:00Z"),
            "delta": dict(status="todo", priority="high", due_date="2026-12-02T00:00:00Z",
                          description="100% done_ish"),
        }
        return {title: created(client, auth_headers, title=title, **spec)
                for title, spec in specs.items()}

    def titles(self, client, headers, query: str = "") -> list[str]:
        response = client.get(f"{TASKS}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [task["title"] for task in response.get_json()["items"]]

    def test_default_sort_is_newest_first(self, client, auth_headers, seeded) -> None:
        assert self.titles(client, auth_headers) == ["delta", "charlie", "Bravo", "alpha"]
        page = client.get(TASKS, headers=auth_headers).get_json()
        assert (page["total"], page["limit"], page["offset"]) == (4, 20, 0)

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status=todo", ["delta", "alpha"]),
            ("status=todo,completed", ["delta", "charlie", "alpha"]),
            ("status=todo&status=in_progress", ["delta", "Bravo", "alpha"]),
            ("priority=high", ["delta", "Bravo"]),
            ("status=todo&priority=high", ["delta"]),
            ("due_before=2026-12-02T00:00:00Z", ["delta", "charlie"]),
            ("due_after=2026-12-02T00:00:00Z", ["delta", "alpha"]),
            ("due_after=2026-12-02T00:00:00&due_before=2026-12-02T00:00:00", ["delta"]),
            ("q=MILK", ["alpha"]),
            ("q=brav", ["Bravo"]),
            ("q=100%25", ["delta"]),
            ("q=l_h", []),  # "_" is literal: it must not match "alpha"
            ("q=done_", ["delta"]),
        ],
    )
    def test_filters(self, client, auth_headers, seeded, query, expected) -> None:
        assert self.titles(client, auth_headers, query) == expected

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("title", ["alpha", "Bravo", "charlie", "delta"]),
            ("-title", ["delta", "charlie", "Bravo", "alpha"]),
            ("priority", ["alpha", "charlie", "Bravo", "delta"]),
            ("-priority", ["delta", "Bravo", "charlie", "alpha"]),
            ("due_date", ["charlie", "delta", "alpha", "Bravo"]),
            ("-due_date", ["alpha", "delta", "charlie", "Bravo"]),
            ("status", ["alpha", "delta", "Bravo", "charlie"]),
            ("created_at", ["alpha", "Bravo", "charlie", "delta"]),
            ("-updated_at", ["delta", "charlie", "Bravo", "alpha"]),
        ],
    )
    def test_sort(self, client, auth_headers, seeded, sort, expected) -> None:
        assert self.titles(client, auth_headers, f"sort={sort}") == expected

    def test_pagination_with_total(self, client, auth_headers, seeded) -> None:
        page = client.get(f"{TASKS}?limit=2&offset=1&sort=title", headers=auth_headers).get_json()
        assert [t["title"] for t in page["items"]] == ["Bravo", "charlie"]
        assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
        beyond = client.get(f"{TASKS}?offset=50", headers=auth_headers).get_json()
        assert beyond["items"] == [] and beyond["total"] == 4

    def test_search_pages_carry_the_total_even_past_the_end(self, client, auth_headers,
                                                             seeded) -> None:
        first = client.get(f"{TASKS}?q=a&limit=1&sort=title", headers=auth_headers).get_json()
        assert [t["title"] for t in first["items"]] == ["alpha"] and first["total"] == 4
        beyond = client.get(f"{TASKS}?q=a&offset=10", headers=auth_headers).get_json()
        assert beyond["items"] == [] and beyond["total"] == 4
        none = client.get(f"{TASKS}?q=zzz", headers=auth_headers).get_json()
        assert none["items"] == [] and none["total"] == 0

    def test_total_counts_the_filter(self, client, auth_headers, seeded) -> None:
        page = client.get(f"{TASKS}?status=todo&limit=1", headers=auth_headers).get_json()
        assert page["total"] == 2 and len(page["items"]) == 1

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
            ("offset=-1", "offset"), ("offset=99999999999999999999", "offset"),
            ("sort=owner_id", "sort"), ("sort=--title", "sort"),
            ("status=done", "status"), ("priority=urgent", "priority"),
            ("due_before=yesterday", "due_before"), ("q=" + "x" * 201, "q"),
        ],
    )
    def test_bad_query_is_422(self, client, auth_headers, query, field) -> None:
        body = assert_problem(client.get(f"{TASKS}?{query}", headers=auth_headers), 422)
        assert field in body["errors"]

    def test_limit_bounds_accepted(self, client, auth_headers, seeded) -> None:
        assert len(self.titles(client, auth_headers, "limit=1")) == 1
        assert len(self.titles(client, auth_headers, "limit=100")) == 4
