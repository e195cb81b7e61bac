"""What every /api/ request shares: media types, sizes, errors, tokens, CORS, docs."""

from __future__ import annotations

import time

import jwt as pyjwt
import pytest
from flask.testing import FlaskClient

from tests.conftest import make_app
from tests.integration.api.test_auth import assert_problem

TASKS = "/api/v1/tasks"


class TestBodies:
    def test_non_json_content_type_is_415(self, client: FlaskClient, auth_headers) -> None:
        response = client.post(TASKS, data="title=x", headers=auth_headers,
                               content_type="application/x-www-form-urlencoded")
        assert_problem(response, 415)

    def test_missing_content_type_is_415(self, client: FlaskClient) -> None:
        assert_problem(client.post("/api/v1/auth/login", data='{"email": "a"}'), 415)

    def test_invalid_json_is_400(self, client: FlaskClient, auth_headers) -> None:
        response = client.post(TASKS, data='{"title": ', headers=auth_headers,
                               content_type="application/json")
        assert_problem(response, 400)

    def test_body_that_is_not_an_object_is_422(self, client: FlaskClient, auth_headers) -> None:
        assert_problem(client.post(TASKS, json=["title"], headers=auth_headers), 422)

    def test_body_over_one_mebibyte_is_413(self, client: FlaskClient, auth_headers) -> None:
        body = '{"title": "' + "x" * (1024 * 1024) + '"}'
        response = client.post(TASKS, data=body, headers=auth_headers,
                               content_type="application/json")
        assert_problem(response, 413)
        assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 0

    def test_unknown_path_is_404_problem(self, client: FlaskClient) -> None:
        assert_problem(client.get("/api/v1/nothing-here"), 404)

    def test_wrong_method_is_405_problem_with_allow(self, client: FlaskClient) -> None:
        response = client.delete("/api/v1/auth/login")
        assert_problem(response, 405)
        assert "POST" in response.headers["Allow"]

    def test_unexpected_error_is_500_without_internals(self, migrated_database) -> None:
        app = make_app(migrated_database)

        def explode():
            raise RuntimeError("secret internals: SELECT password FROM users")

        app.add_url_rule("/api/v1/explode", view_func=explode)
        response = app.test_client().get("/api/v1/explode")
        body = assert_problem(response, 500)
        text = response.get_data(as_text=True)
        assert "secret" not in text and "SELECT" not in text and "Traceback" not in text
        assert body["detail"]


class TestTokens:
    def claims(self, user_id: int, **overrides) -> dict:
        now = int(time.time())
        claims = {"sub": str(user_id), "type": "access", "jti": "j-1", "iat": now, "nbf": now,
                  "exp": now + 600, "fresh": False, "sv": 1}
        claims.update(overrides)
        return claims

    def get_me(self, client: FlaskClient, token: str):
        return client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})

    def test_valid_forged_with_the_real_key_works(self, app, client: FlaskClient, user) -> None:
        # Shows that the refusals below are about the token, not the test's forging.
        token = pyjwt.encode(self.claims(user.id), app.config["JWT_SECRET_KEY"], "HS256")
        assert self.get_me(client, token).status_code == 200

    @pytest.mark.parametrize(
        "forge",
        [
            pytest.param(lambda c, key: pyjwt.encode(c, None, algorithm="none"), id="alg-none"),
            pytest.param(lambda c, key: pyjwt.encode(c, "x" * 40, "HS256"), id="wrong-key"),
            pytest.param(lambda c, key: pyjwt.encode(c, key, "HS512"), id="other-algorithm"),
            pytest.param(
                lambda c, key: pyjwt.encode({**c, "exp": int(time.time()) - 10}, key, "HS256"),
                id="expired",
            ),
            pytest.param(
                lambda c, key: pyjwt.encode({**c, "type": "refresh"}, key, "HS256"),
                id="refresh-as-access",
            ),
            pytest.param(
                lambda c, key: pyjwt.encode({**c, "sub": "999999"}, key, "HS256"),
                id="unknown-user",
            ),
            pytest.param(
                lambda c, key: pyjwt.encode(c, key, "HS256")[:-3] + "AAA", id="tampered"
            ),
            pytest.param(lambda c, key: "not.a.token", id="malformed"),
        ],
    )
    def test_bad_tokens_are_401(self, app, client: FlaskClient, user, forge) -> None:
        token = forge(self.claims(user.id), app.config["JWT_SECRET_KEY"])
        response = self.get_me(client, token)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_a_token_of_an_older_session_version_is_401(self, app, client, user) -> None:
        for claims in ({**self.claims(user.id), "sv": 0}, self.claims(user.id)):
            if claims["sv"] == 1:
                del claims["sv"]
            token = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], "HS256")
            assert_problem(self.get_me(client, token), 401)

    @pytest.mark.parametrize("missing", ["exp", "jti", "type", "sub"])
    def test_a_signed_token_without_a_required_claim_is_401(self, app, client, user,
                                                             missing) -> None:
        claims = self.claims(user.id)
        del claims[missing]
        token = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], "HS256")
        assert_problem(self.get_me(client, token), 401)

    def test_a_refresh_token_without_exp_cannot_be_rotated(self, app, client, user) -> None:
        claims = self.claims(user.id, type="refresh")
        del claims["exp"]
        token = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], "HS256")
        assert_problem(client.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)

    @pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
    def test_the_auth_scheme_is_case_insensitive(self, client, tokens, scheme) -> None:
        response = client.get("/api/v1/users/me",
                              headers={"Authorization": f"{scheme} {tokens['access_token']}"})
        assert response.status_code == 200

    @pytest.mark.parametrize("header", ["Token abc", "Bearer", "Basic dXNlcjpwYXNz", "abc"])
    def test_malformed_authorization_header_is_401(self, client: FlaskClient, header) -> None:
        assert_problem(client.get("/api/v1/users/me", headers={"Authorization": header}), 401)

    def test_refresh_token_cannot_reach_tasks(self, client: FlaskClient, tokens) -> None:
        response = client.get(TASKS, headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
        assert_problem(response, 401)


class TestCorsAndDocs:
    def test_cors_only_for_configured_origins_and_only_on_api(self, migrated_database) -> None:
        app = make_app(migrated_database, CORS_ORIGINS=["https://app.example.com"])
        client = app.test_client()
        allowed = client.get("/api/v1/openapi.json", headers={"Origin": "https://app.example.com"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        denied = client.get("/api/v1/openapi.json", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in denied.headers
        page = client.get("/health", headers={"Origin": "https://app.example.com"})
        assert "Access-Control-Allow-Origin" not in page.headers

    def test_openapi_describes_every_endpoint(self, client: FlaskClient) -> None:
        spec = client.get("/api/v1/openapi.json").get_json()
        assert spec["openapi"].startswith("3.")
        paths = spec["paths"]
        expected = {
            "/api/v1/auth/register": {"post"},
            "/api/v1/auth/login": {"post"},
            "/api/v1/auth/refresh": {"post"},
            "/api/v1/auth/logout": {"post"},
            "/api/v1/users/me": {"get", "put"},
            "/api/v1/tasks/": {"get", "post"},
            "/api/v1/tasks/{task_id}": {"get", "put", "patch", "delete"},
            "/health": {"get"},
        }
        for path, methods in expected.items():
            assert methods <= set(paths[path]), path
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        listing = paths["/api/v1/tasks/"]["get"]
        names = {parameter["name"] for parameter in listing["parameters"]}
        assert {"status", "priority", "due_before", "due_after", "q", "sort", "limit",
                "offset"} <= names
        assert "401" in listing["responses"] and "422" in listing["responses"]
        schemas = spec["components"]["schemas"]
        assert {"Task", "TaskPage", "User", "TokenPair", "Problem"} <= set(schemas)

    def test_swagger_ui_served_locally(self, client: FlaskClient) -> None:
        page = client.get("/docs")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
        assert "<script>" not in html and "http" not in html.split("<body>")[1]

    def test_docs_can_be_turned_off(self, migrated_database) -> None:
        app = make_app(migrated_database, DOCS_ENABLED=False)
        assert app.test_client().get("/docs").status_code == 404


class TestCaching:
    @pytest.mark.parametrize(("method", "path"), [
        ("get", "/api/v1/users/me"), ("get", TASKS), ("get", f"{TASKS}/999"),
    ])
    def test_personal_answers_are_never_stored(self, client, auth_headers, method, path) -> None:
        response = getattr(client, method)(path, headers=auth_headers)
        assert response.headers["Cache-Control"] == "no-store"

    def test_token_answers_are_never_stored(self, client, user) -> None:
        response = client.post("/api/v1/auth/login",
                               json={"email": user.email, "password": "correct horse battery"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"

    def test_the_public_openapi_document_may_be_cached(self, client) -> None:
        assert "no-store" not in client.get("/api/v1/openapi.json").headers.get(
            "Cache-Control", "")


class TestHealth:
    def test_503_when_database_is_unreachable(self) -> None:
        app = make_app("postgresql+psycopg2://postgres@127.0.0.1:1/none")
        response = app.test_client().get("/health")
        assert response.status_code == 503
        assert response.get_json()["database"] == "unavailable"
