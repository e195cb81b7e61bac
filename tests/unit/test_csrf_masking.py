"""The CSRF token's mask (taskweb/csrf.py): a fresh pad per mask, the secret back out."""

from __future__ import annotations

import os

from taskweb.csrf import mask, unmask

SECRET = bytes.fromhex("0123456789abcdef0123456789abcdef01234567")


def test_two_masks_differ_and_both_unmask_to_the_secret() -> None:
    first, second = mask(SECRET), mask(SECRET)
    assert first != second
    assert unmask(first) == unmask(second) == SECRET
    assert "." not in first and "=" not in first  # never taken for a signed token


def test_a_changed_byte_unmasks_to_another_secret() -> None:
    token = mask(SECRET)
    changed = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert unmask(changed) != SECRET


def test_what_is_not_a_masked_token_does_not_unmask() -> None:
    assert unmask("") is None
    assert unmask("not base64!") is None
    assert unmask(mask(SECRET)[:-3]) is None  # cut short
    assert unmask(mask(SECRET) + "AAAA") is None
    assert unmask(mask(os.urandom(20))) is not None
