"""Property-based checks of the field rules every adapter relies on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taskweb import rules
from taskweb.errors import ValidationFailed
from taskweb.services.tasks import clean_task_fields
from taskweb.services.validation import FieldErrors, clean_password, clean_username


@given(st.text(max_size=300))
def test_title_is_accepted_only_when_its_trimmed_form_fits(title: str) -> None:
    try:
        cleaned = clean_task_fields({"title": title}, creating=True)["title"]
    except ValidationFailed as error:
        stripped = title.strip()
        assert "title" in error.errors
        assert (
            not stripped
            or len(stripped) > rules.TITLE_MAX
            or rules.CONTROL_CHARS_RE.search(title)
        )
    else:
        assert cleaned == title.strip() and 1 <= len(cleaned) <= rules.TITLE_MAX


@given(st.text(max_size=60))
def test_usernames_accepted_match_the_documented_pattern(username: str) -> None:
    errors = FieldErrors()
    cleaned = clean_username(username, errors)
    if cleaned is not None:
        assert rules.USERNAME_RE.match(cleaned) and cleaned.isascii()
        assert rules.USERNAME_MIN <= len(cleaned) <= rules.USERNAME_MAX
    else:
        assert "username" in errors.errors


@given(st.text(max_size=200))
def test_passwords_are_never_altered(password: str) -> None:
    errors = FieldErrors()
    cleaned = clean_password(password, errors)
    assert cleaned is None or cleaned == password


@given(st.dictionaries(st.text(max_size=12), st.none() | st.integers() | st.text(max_size=5),
                       max_size=4))
def test_arbitrary_task_bodies_never_crash(body: dict) -> None:
    try:
        clean_task_fields(body, creating=False)
    except ValidationFailed as error:
        assert error.errors
