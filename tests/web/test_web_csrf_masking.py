"""Pages carry the CSRF token masked afresh per response (taskweb/csrf.py), so that gzip
leaks nothing of it (BREACH); every masked form of it is accepted, a tampered one is not,
and the unmasked token of a page opened before masking still is."""

from __future__ import annotations

import re

from flask import Flask, render_template_string, session
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from taskweb.csrf import FLASK_WTF_SALT, unmask
from tests.web.conftest import HX, csrf_token, text

HIDDEN_TOKEN_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def add(client: FlaskClient, title: str, token: str) -> int:
    return client.post("/tasks", headers=HX, data={"title": title, "csrf_token": token}
                       ).status_code


def test_two_renders_carry_different_tokens_that_both_validate(logged_in: FlaskClient) -> None:
    first, second = csrf_token(logged_in, "/"), csrf_token(logged_in, "/")
    assert first != second
    assert add(logged_in, "With the first", first) == 201
    assert add(logged_in, "With the second", second) == 201
    # The header htmx sends from the meta tag is checked the same way.
    response = logged_in.post("/tasks", headers={**HX, "X-CSRFToken": first},
                              data={"title": "From the header"})
    assert response.status_code == 201


def test_one_page_repeats_one_masked_token(logged_in: FlaskClient) -> None:
    add(logged_in, "A row with forms", csrf_token(logged_in, "/"))
    page = text(logged_in.get("/"))
    hidden = HIDDEN_TOKEN_RE.findall(page)
    # the add form's WTForms field, the row's forms, the nav's log out, all matched
    assert len(hidden) == page.count('name="csrf_token"') > 2
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert set(hidden) == {meta}


def test_a_tampered_or_malformed_token_is_refused(logged_in: FlaskClient) -> None:
    token = csrf_token(logged_in, "/")
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert add(logged_in, "Tampered", tampered) == 400
    assert add(logged_in, "Malformed", "not a token!") == 400
    assert add(logged_in, "Cut short", token[:-3]) == 400


def test_a_token_masked_for_another_session_is_refused(app: Flask, logged_in: FlaskClient
                                                       ) -> None:
    other = app.test_client()
    assert add(logged_in, "Another's", csrf_token(other)) == 400


def test_an_unmasked_token_from_before_masking_still_validates(
    app: Flask, logged_in: FlaskClient
) -> None:
    csrf_token(logged_in, "/")
    with logged_in.session_transaction() as session:
        secret = session["csrf_token"]
    signed = URLSafeTimedSerializer(app.secret_key, salt=FLASK_WTF_SALT).dumps(secret)
    assert add(logged_in, "From an old page", signed) == 201
    assert add(logged_in, "Old and tampered", signed[:-2] + "xx") == 400


def test_every_template_helper_renders_the_token_masked(app: Flask) -> None:
    with app.test_request_context("/"):
        rendered = render_template_string("{{ csrf_token() }} {{ csrf_meta_tag() }}")
        token, meta = rendered.split(" ", 1)
        assert meta == f'<meta name="csrf-token" content="{token}">'
        assert unmask(token) == bytes.fromhex(session["csrf_token"])


def test_a_form_checked_on_its_own_accepts_its_masked_token_and_refuses_a_tampered_one(
        app: Flask) -> None:
    """Where the global check has not run (an exempt view), a form's own CSRF check
    unmasks the token before Flask-WTF compares it."""
    from taskweb.csrf import masked_csrf_token
    from taskweb.web.forms import LoginForm

    with app.test_request_context("/"):
        token = masked_csrf_token()
        tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
        cookie = session["csrf_token"]
    for sent, valid in ((token, True), (tampered, False)):
        with app.test_request_context("/", method="POST", data={"csrf_token": sent}):
            session["csrf_token"] = cookie
            form = LoginForm()
            form.validate()
            assert ("csrf_token" not in form.errors) is valid
