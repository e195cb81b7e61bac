"""/api/v1/filters: saved filters, private to their user, names unique per user
case-insensitively, queries checked when saved."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.api.test_auth import assert_problem
from tests.integration.test_races import ROUNDS, simultaneously

FILTERS = "/api/v1/filters"


def save(client: FlaskClient, headers: dict, name: str = "Urgent",
         query: str = "priority:high status:todo") -> dict:
    response = client.post(FILTERS, json={"name": name, "query": query}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_read_list_rename_and_delete(client: FlaskClient, auth_headers) -> None:
    response = client.post(FILTERS, json={"name": "  Urgent ", "query": " priority:high "},
                           headers=auth_headers)
    assert response.status_code == 201
    saved = response.get_json()
    assert response.headers["Location"].endswith(f"{FILTERS}/{saved['id']}")
    assert (saved["name"], saved["query"]) == ("Urgent", "priority:high")
    assert set(saved) == {"id", "name", "query", "created_at", "updated_at"}
    assert client.get(f"{FILTERS}/{saved['id']}", headers=auth_headers).get_json() == saved
    save(client, auth_headers, "another one", "due:today")
    listed = client.get(f"{FILTERS}/", headers=auth_headers).get_json()["items"]
    assert [item["name"] for item in listed] == ["another one", "Urgent"]  # by name
    renamed = client.patch(f"{FILTERS}/{saved['id']}", json={"name": "Hot"},
                           headers=auth_headers)
    assert renamed.status_code == 200
    assert (renamed.get_json()["name"], renamed.get_json()["query"]) == ("Hot", "priority:high")
    requeried = client.patch(f"{FILTERS}/{saved['id']}", json={"query": "label:x OR -is:shared"},
                             headers=auth_headers).get_json()
    assert requeried["query"] == "label:x OR -is:shared"
    assert requeried["updated_at"] >= saved["updated_at"]
    assert client.delete(f"{FILTERS}/{saved['id']}", headers=auth_headers).status_code == 204
    assert_problem(client.get(f"{FILTERS}/{saved['id']}", headers=auth_headers), 404)


def test_another_users_filter_is_not_there(client: FlaskClient, auth_headers,
                                           other_auth_headers) -> None:
    saved = save(client, auth_headers)
    url = f"{FILTERS}/{saved['id']}"
    assert_problem(client.get(url, headers=other_auth_headers), 404)
    assert_problem(client.patch(url, json={"name": "Mine"}, headers=other_auth_headers), 404)
    assert_problem(client.delete(url, headers=other_auth_headers), 404)
    assert client.get(FILTERS, headers=other_auth_headers).get_json() == {"items": []}
    # The same name is free for somebody else.
    save(client, other_auth_headers, "URGENT")
    assert client.get(url, headers=auth_headers).get_json()["name"] == "Urgent"


def test_a_name_is_unique_per_user_case_insensitively(client: FlaskClient,
                                                      auth_headers) -> None:
    save(client, auth_headers, "Urgent")
    other = save(client, auth_headers, "Later")
    problem = assert_problem(client.post(FILTERS, json={"name": "URGENT ", "query": "x"},
                                         headers=auth_headers), 409)
    assert problem["errors"] == {"name": ["You already have a filter with this name."]}
    assert_problem(client.patch(f"{FILTERS}/{other['id']}", json={"name": "urgent"},
                                headers=auth_headers), 409)
    # Renaming a filter to its own name in another case is no conflict.
    response = client.patch(f"{FILTERS}/{other['id']}", json={"name": "LATER"},
                            headers=auth_headers)
    assert response.status_code == 200 and response.get_json()["name"] == "LATER"


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"name": ["Required."], "query": ["Required."]}),
    ({"name": "x", "query": "status:"},
     {"query": ["Expected a value after 'status:' at character 7."]}),
    ({"name": "x", "query": "(a"},
     {"query": ["Expected ')' at character 2 (to close the '(' at character 0)."]}),
    ({"name": "x", "query": "  "}, {"query": ["Must not be empty."]}),
    ({"name": "x", "query": "a" * 1001}, {"query": ["Must be at most 1000 characters."]}),
    ({"name": "x", "query": 5}, {"query": ["Must be a string."]}),
    ({"name": "", "query": "a"}, {"name": ["Must be 1 to 100 characters once trimmed."]}),
    ({"name": "n" * 101, "query": "a"}, {"name": ["Must be 1 to 100 characters once trimmed."]}),
    ({"name": None, "query": "a"}, {"name": ["Must be a string."]}),
    ({"name": "a\x00b", "query": "a"}, {"name": ["Must not contain control characters."]}),
    ({"name": "x", "query": "a", "user_id": 2}, {"user_id": ["Unknown field."]}),
])
def test_bad_input_is_a_422_naming_each_field(client: FlaskClient, auth_headers, body,
                                              errors) -> None:
    problem = assert_problem(client.post(FILTERS, json=body, headers=auth_headers), 422)
    assert problem["errors"] == errors
    assert client.get(FILTERS, headers=auth_headers).get_json() == {"items": []}


def test_a_bad_change_changes_nothing(client: FlaskClient, auth_headers) -> None:
    saved = save(client, auth_headers)
    url = f"{FILTERS}/{saved['id']}"
    problem = assert_problem(client.patch(url, json={"name": "New", "query": "due:soon"},
                                          headers=auth_headers), 422)
    assert list(problem["errors"]) == ["query"]
    assert client.get(url, headers=auth_headers).get_json() == saved


def test_the_protocol_rules_hold(client: FlaskClient, auth_headers) -> None:
    assert client.get(FILTERS).status_code == 401
    assert_problem(client.post(FILTERS, data="name=x", headers=auth_headers), 415)
    assert_problem(client.post(FILTERS, data="{", content_type="application/json",
                               headers=auth_headers), 400)
    assert_problem(client.get(f"{FILTERS}/999999", headers=auth_headers), 404)


def test_of_two_simultaneous_saves_under_one_name_exactly_one_wins(app, client,
                                                                   auth_headers) -> None:
    for round_number in range(ROUNDS):
        body = {"name": f"Race {round_number}", "query": "status:todo"}
        responses = simultaneously(app, lambda c, body=body: c.post(FILTERS, json=body,
                                                                   headers=auth_headers))
        assert sorted(r.status_code for r in responses) == [201, 409], \
            [r.get_json() for r in responses]
        loser = next(r for r in responses if r.status_code == 409)
        assert list(loser.get_json()["errors"]) == ["name"]
    assert len(client.get(FILTERS, headers=auth_headers).get_json()["items"]) == ROUNDS
