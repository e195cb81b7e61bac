"""/api/v1/labels: counted over the tasks one can see; renamed (merging) and removed on
the tasks one can edit, and on no others."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.api.sharing import LABELS, TASKS, Team, make_team, new_task
from tests.integration.api.test_auth import assert_problem


@pytest.fixture
def team(client: FlaskClient, app) -> Team:
    return make_team(client, app)


def labels(client: FlaskClient, headers: dict) -> dict[str, int]:
    response = client.get(LABELS, headers=headers)
    assert response.status_code == 200
    return {item["name"]: item["count"] for item in response.get_json()["items"]}


def labels_of(client: FlaskClient, headers: dict, task: dict) -> list[str]:
    return client.get(f"{TASKS}/{task['id']}", headers=headers).get_json()["labels"]


class TestList:
    def test_counts_over_the_tasks_one_can_see(self, team: Team) -> None:
        client = team.client
        new_task(client, team.as_("olive"), "mine", labels=["errand", "home"],
                 status="completed")
        new_task(client, team.as_("eddie"), "his", labels=["work"])
        new_task(client, team.as_("nora"), "hers", labels=["errand", "secret"])
        # The shared task carries "Errand": its members count it, nora does not.
        assert labels(client, team.as_("olive")) == {"Errand": 2, "home": 1}
        assert labels(client, team.as_("vera")) == {"Errand": 1}
        assert labels(client, team.as_("eddie")) == {"Errand": 1, "work": 1}
        assert labels(client, team.as_("nora")) == {"errand": 1, "secret": 1}

    def test_sorted_by_name_and_with_the_shape_of_the_contract(self, client, auth_headers
                                                               ) -> None:
        new_task(client, auth_headers, labels=["b", "C", "a"])
        response = client.get(f"{LABELS}/", headers=auth_headers)
        assert response.status_code == 200
        assert response.get_json() == {"items": [{"name": "a", "count": 1},
                                                 {"name": "b", "count": 1},
                                                 {"name": "C", "count": 1}]}

    def test_one_label_in_its_most_common_spelling(self, client, auth_headers) -> None:
        new_task(client, auth_headers, labels=["home"])
        new_task(client, auth_headers, labels=["Home"])
        new_task(client, auth_headers, labels=["Home"])
        assert labels(client, auth_headers) == {"Home": 3}

    def test_equally_common_spellings_go_to_the_oldest_task(self, client, auth_headers
                                                           ) -> None:
        new_task(client, auth_headers, labels=["HOME"])
        new_task(client, auth_headers, labels=["home"])
        assert labels(client, auth_headers) == {"HOME": 2}

    def test_empty(self, client, auth_headers) -> None:
        assert client.get(LABELS, headers=auth_headers).get_json() == {"items": []}

    def test_needs_a_token(self, client) -> None:
        assert_problem(client.get(LABELS), 401)


class TestRename:
    def test_on_the_tasks_one_can_edit_and_no_others(self, team: Team) -> None:
        client = team.client
        mine = new_task(client, team.as_("eddie"), "his", labels=["x", "errand", "y"])
        viewed = new_task(client, team.as_("olive"), "olive's", labels=["errand"])
        nora = new_task(client, team.as_("nora"), "hers", labels=["errand"])
        response = client.patch(f"{LABELS}/ERRAND", json={"name": "Chore"},
                                headers=team.as_("eddie"))
        assert response.status_code == 200
        assert response.get_json() == {"name": "Chore", "count": 2}
        assert labels_of(client, team.as_("eddie"), mine) == ["x", "Chore", "y"]
        assert labels_of(client, team.as_("eddie"), team.task) == ["Chore"]
        # olive's Inbox task is not eddie's to see, nora's neither: both keep theirs.
        assert labels_of(client, team.as_("olive"), viewed) == ["errand"]
        assert labels_of(client, team.as_("nora"), nora) == ["errand"]

    def test_a_viewer_renames_nothing_and_gets_404(self, team: Team) -> None:
        before = team.client.get(team.task_url(), headers=team.as_("olive"))
        assert_problem(team.client.patch(f"{LABELS}/errand", json={"name": "Chore"},
                                         headers=team.as_("vera")), 404)
        after = team.client.get(team.task_url(), headers=team.as_("olive"))
        assert after.get_json() == before.get_json()
        assert after.headers["ETag"] == before.headers["ETag"]

    def test_onto_an_existing_label_merges(self, client, auth_headers) -> None:
        both = new_task(client, auth_headers, "both", labels=["Chore", "a", "errand"])
        one = new_task(client, auth_headers, "one", labels=["errand"])
        response = client.patch(f"{LABELS}/errand", json={"name": "chore"},
                                headers=auth_headers)
        assert response.get_json() == {"name": "chore", "count": 2}
        assert labels_of(client, auth_headers, both) == ["Chore", "a"]
        assert labels_of(client, auth_headers, one) == ["chore"]
        assert labels(client, auth_headers) == {"a": 1, "Chore": 2}

    def test_a_new_spelling_of_the_same_label(self, client, auth_headers) -> None:
        task = new_task(client, auth_headers, labels=["urgent", "x"])
        response = client.patch(f"{LABELS}/Urgent", json={"name": "URGENT"},
                                headers=auth_headers)
        assert response.get_json() == {"name": "URGENT", "count": 1}
        assert labels_of(client, auth_headers, task) == ["URGENT", "x"]

    def test_the_tasks_changed_get_a_new_etag(self, client, auth_headers) -> None:
        task = new_task(client, auth_headers, labels=["old"])
        untouched = new_task(client, auth_headers, labels=["other"])
        client.patch(f"{LABELS}/old", json={"name": "new"}, headers=auth_headers)
        changed = client.get(f"{TASKS}/{task['id']}", headers=auth_headers)
        assert changed.headers["ETag"] == '"2"' and changed.get_json()["updated_at"] > \
            task["updated_at"]
        assert client.get(f"{TASKS}/{untouched['id']}", headers=auth_headers
                          ).headers["ETag"] == '"1"'
        stale = client.patch(f"{TASKS}/{task['id']}", json={"labels": ["old"]},
                             headers={**auth_headers, "If-Match": '"1"'})
        assert_problem(stale, 412)

    @pytest.mark.parametrize("name", ["nothing", "a%20b", "x" * 51])
    def test_no_such_label_is_404(self, client, auth_headers, name) -> None:
        new_task(client, auth_headers, labels=["something"])
        assert_problem(client.patch(f"{LABELS}/{name}", json={"name": "new"},
                                    headers=auth_headers), 404)

    @pytest.mark.parametrize(("body", "field"), [
        *(({"name": bad}, "name") for bad in ("two words", "a,b", "", "x" * 51, 5, None,
                                              ["a"], "bell\x07")),
        ({}, "name"), ({"name": "ok", "count": 3}, "count"),
    ])
    def test_bad_names_are_422_and_change_nothing(self, client, auth_headers, body, field
                                                  ) -> None:
        task = new_task(client, auth_headers, labels=["old"])
        problem = assert_problem(client.patch(f"{LABELS}/old", json=body,
                                              headers=auth_headers), 422)
        assert list(problem["errors"]) == [field]
        assert client.get(f"{TASKS}/{task['id']}", headers=auth_headers).get_json() == task


class TestRemove:
    def test_from_the_tasks_one_can_edit_and_no_others(self, team: Team) -> None:
        client = team.client
        mine = new_task(client, team.as_("eddie"), "his", labels=["Errand", "keep"])
        nora = new_task(client, team.as_("nora"), "hers", labels=["errand"])
        response = client.delete(f"{LABELS}/eRRand", headers=team.as_("eddie"))
        assert response.status_code == 204 and response.get_data() == b""
        assert labels_of(client, team.as_("eddie"), mine) == ["keep"]
        assert labels_of(client, team.as_("olive"), team.task) == []
        assert labels_of(client, team.as_("nora"), nora) == ["errand"]
        assert_problem(client.delete(f"{LABELS}/errand", headers=team.as_("eddie")), 404)

    def test_a_viewer_removes_nothing_and_gets_404(self, team: Team) -> None:
        assert_problem(team.client.delete(f"{LABELS}/errand", headers=team.as_("vera")), 404)
        assert labels_of(team.client, team.as_("olive"), team.task) == ["Errand"]

    @pytest.mark.parametrize("name", ["nothing", "a%20b", "%00"])
    def test_no_such_label_is_404(self, client, auth_headers, name) -> None:
        assert_problem(client.delete(f"{LABELS}/{name}", headers=auth_headers), 404)
