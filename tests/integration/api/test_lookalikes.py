"""No account can pass for another with look-alike letters (found by an attack run)."""

from __future__ import annotations

import pytest

from taskweb.domain.lookalikes import skeleton
from tests.conftest import PASSWORD, login_tokens
from tests.integration.api.test_auth import assert_problem

REGISTER = "/api/v1/auth/register"


@pytest.mark.parametrize(("one", "other"), [
    ("ada@example.com", "\uff21DA@example.com"),  # fullwidth Ａ
    ("ada@example.com", "\u0430da@example.com"),  # Cyrillic а
    ("alice", "a1ice"), ("modem", "modern"), ("bob", "B0B"), ("Stra\u00dfe", "strasse"),
])
def test_lookalikes_have_one_skeleton(one: str, other: str) -> None:
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("ada", "adb"), ("anna", "ana"), ("x.y", "xy")])
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert skeleton(one) != skeleton(other)


@pytest.mark.parametrize(("field", "value"), [
    ("email", "\uff21DA@example.com"), ("email", "\u0430da@example.com"),
    ("username", "ADA"), ("username", "Ad\u0430"),
])
def test_a_lookalike_of_an_existing_account_is_a_409(client, field, value) -> None:
    body = {"email": "ada@example.com", "username": "ada", "password": PASSWORD}
    assert client.post(REGISTER, json=body).status_code == 201
    other = {"email": "other@example.com", "username": "other", "password": PASSWORD,
             field: value}
    response = client.post(REGISTER, json=other)
    if response.status_code == 422:  # a username must be ASCII in the first place
        assert field == "username"
        return
    problem = assert_problem(response, 409)
    assert list(problem["errors"]) == [field]


def test_a_profile_cannot_become_a_lookalike(client, user, other_user) -> None:
    tokens = login_tokens(client, other_user.email)
    response = client.put("/api/v1/users/me", json={"username": "a1ice"},
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert list(assert_problem(response, 409)["errors"]) == ["username"]
