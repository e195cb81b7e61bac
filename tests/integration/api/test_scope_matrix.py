"""The scope table of personal access tokens (domain/access.py ``SCOPES_NEEDED``), every
cell of it through the API, like test_access_matrix.py does for roles.

For every /api/v1 rule of ``app.url_map`` and each of its methods: a token holding exactly
the scopes the table asks gets past the scope check (whatever the view then answers), a
token lacking one of them gets 403 naming it in ``errors.scope``, a ``NEVER`` row is a 403
for a token holding every scope, and a public row never refuses a token. A last test
fails when a rule is missing from the table, so that a new endpoint must be listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from config import TestingConfig
from taskweb import create_app
from taskweb.domain.access import NEVER, PUBLIC, SCOPES_NEEDED, Scope, scopes_needed
from taskweb.extensions import db
from taskweb.wiring import auth_service, personal_token_service
from tests.conftest import PASSWORD, truncate_all

IGNORED_METHODS = {"HEAD", "OPTIONS"}
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def api_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")]


# The cells are read from an app's url_map; building one needs no database.
_TABLE_APP = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
CELLS = [(rule.endpoint, method) for rule in api_rules(_TABLE_APP)
         for method in sorted(rule.methods - IGNORED_METHODS)]
ENDPOINTS = {rule.endpoint for rule in _TABLE_APP.url_map.iter_rules()}


class Caller:
    """One user, and a personal token for each set of scopes a cell asks for."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self.adapter = app.url_map.bind("localhost")
        self.rules = {rule.endpoint: rule for rule in api_rules(app)}
        with app.app_context():
            self.user = auth_service().register("scopes@example.com", "scopes", PASSWORD)
            db.session.expunge(self.user)
        self.tokens: dict[frozenset[Scope], str] = {}

    def bearer(self, scopes: frozenset[Scope]) -> dict[str, str]:
        if scopes not in self.tokens:
            with self.app.app_context():
                created = personal_token_service().create(
                    self.user, {"name": "matrix", "scopes": sorted(s.value for s in scopes)})
            self.tokens[scopes] = created.secret
        return {"Authorization": f"Bearer {self.tokens[scopes]}"}

    def call(self, endpoint: str, method: str, scopes: frozenset[Scope]) -> Any:
        rule = self.rules[endpoint]
        values = {name: 1 if type(rule._converters[name]).__name__ == "IntegerConverter"
                  else "x" for name in rule.arguments}
        url = self.adapter.build(endpoint, values, method=method)
        return self.client.open(url, method=method, headers=self.bearer(scopes),
                                json={} if method in WRITE_METHODS else None)


@pytest.fixture(scope="module")
def caller(shared_app: Flask, migrated_database: str) -> Iterator[Caller]:
    truncate_all(migrated_database)
    yield Caller(shared_app)
    truncate_all(migrated_database)


def refused_for_scope(answer) -> bool:
    return answer.status_code == 403 and "scope" in (answer.get_json().get("errors") or {})


def refused_for_ever(answer) -> bool:
    """A 403 that no scope would lift (it names none)."""
    return answer.status_code == 403 and not refused_for_scope(answer)


@pytest.mark.parametrize(("endpoint", "method"), CELLS,
                         ids=[f"{method}-{endpoint}" for endpoint, method in CELLS])
def test_cell(caller: Caller, endpoint: str, method: str) -> None:
    needed = scopes_needed(endpoint, method)
    if needed is NEVER:
        answer = caller.call(endpoint, method, frozenset(Scope))
        assert refused_for_ever(answer), answer.get_json()
        return
    if needed == PUBLIC:
        answer = caller.call(endpoint, method, frozenset({Scope.PROFILE_READ}))
        assert answer.status_code not in (401, 403), answer.get_json()
        return
    answer = caller.call(endpoint, method, needed)
    assert answer.status_code not in (401, 403), answer.get_json()
    for lacking in needed:
        held = needed - {lacking} or frozenset(Scope) - {lacking}
        answer = caller.call(endpoint, method, held)
        assert answer.status_code == 403, answer.get_json()
        assert answer.get_json()["errors"] == {"scope": [lacking.value]}
        assert lacking.value in answer.get_json()["detail"]


def test_every_api_rule_and_method_is_in_the_table() -> None:
    """A new /api/v1 endpoint is closed to personal tokens by default; this makes its
    author decide, by listing it in SCOPES_NEEDED (NEVER is a decision too)."""
    unlisted = []
    for endpoint, method in CELLS:
        row = SCOPES_NEEDED.get(endpoint, SCOPES_NEEDED.get(endpoint.split(".", 1)[0]))
        if row is None or method not in row:
            unlisted.append(f"{method} {endpoint}")
    assert unlisted == [], "add these to SCOPES_NEEDED in taskweb/domain/access.py"


def test_no_row_of_the_table_is_stale() -> None:
    blueprints = {endpoint.split(".", 1)[0] for endpoint in ENDPOINTS}
    assert set(SCOPES_NEEDED) - ENDPOINTS - blueprints == set()


def test_a_personal_token_cannot_manage_tokens_or_the_account(caller: Caller) -> None:
    every = frozenset(Scope)
    for endpoint, method in [("personal_tokens.TokenCollection", "POST"),
                             ("personal_tokens.TokenItem", "DELETE"),
                             ("users.CurrentUser", "PATCH"),  # the password or the e-mail
                             ("users.CurrentUser", "PUT"),
                             ("users.CurrentUser", "DELETE")]:
        assert refused_for_ever(caller.call(endpoint, method, every)), (endpoint, method)
