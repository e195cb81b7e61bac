"""Masked CSRF tokens: a fresh mask each time, the same token behind every mask."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taskweb.csrf_masking import mask, unmask

TOKEN = "ImFiY2RlZjAxMjM0NTY3ODkwYWJjZGVmIg.Z0YxAA.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def test_each_mask_reads_differently_and_unmasks_to_the_token() -> None:
    first, second = mask(TOKEN), mask(TOKEN)
    assert first != second
    assert "." not in first and TOKEN not in first
    assert unmask(first) == unmask(second) == TOKEN


def test_an_unmasked_token_passes_through_for_pages_rendered_before_masking() -> None:
    assert unmask(TOKEN) == TOKEN


@given(st.text(min_size=1, max_size=300))
def test_whatever_is_sent_unmasks_to_a_string_without_raising(sent: str) -> None:
    assert isinstance(unmask(sent), str)


def test_a_tampered_mask_does_not_give_the_token_back() -> None:
    masked = mask(TOKEN)
    flipped = masked[:10] + ("A" if masked[10] != "A" else "B") + masked[11:]
    assert unmask(flipped) != TOKEN
