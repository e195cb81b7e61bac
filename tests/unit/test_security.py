"""Password hashing: bcrypt behind a SHA-256 pre-hash, so length never truncates."""

from __future__ import annotations

from taskweb.security import PasswordHasher

hasher = PasswordHasher(rounds=4)


def test_hash_is_bcrypt_and_salted() -> None:
    first, second = hasher.hash("correct horse"), hasher.hash("correct horse")
    assert first.startswith("$2b$04$") and first != second
    assert hasher.verify("correct horse", first) and hasher.verify("correct horse", second)


def test_wrong_password_fails() -> None:
    assert not hasher.verify("Correct horse", hasher.hash("correct horse"))


def test_bytes_after_72_still_count() -> None:
    base = "é" * 40  # 80 bytes in UTF-8
    hashed = hasher.hash(base + "A")
    assert hasher.verify(base + "A", hashed)
    assert not hasher.verify(base + "B", hashed)


def test_garbage_hash_does_not_crash() -> None:
    assert not hasher.verify("anything", "not-a-bcrypt-hash")
