"""Keys between two others (domain/positions.py): strictly between, short after many
moves at one spot, and made of the digits that sort the same under any collation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskweb.domain.positions import (
    DIGITS,
    MAX_KEY_LENGTH,
    NoRoom,
    key_after,
    key_between,
    needs_respace,
    new_position,
    position_of_existing,
    respaced_keys,
)

# Keys as they occur: clock keys, migrated keys, respaced keys and keys made by moves
# (which never end in "0"), plus arbitrary ones of the alphabet.
keys = st.one_of(
    st.text(alphabet=DIGITS, min_size=1, max_size=20),
    st.integers(min_value=1, max_value=2**62).map(position_of_existing),
)


@given(keys, keys)
def test_a_key_between_two_is_strictly_between_them(a: str, b: str) -> None:
    low, high = sorted((a, b))
    try:
        key = key_between(low, high)
    except NoRoom:
        # Only when nothing fits: equal keys, or high is low followed by zeros.
        assert high.startswith(low) and set(high[len(low):]) <= {"0"}
        return
    assert low < key < high
    assert set(key) <= set(DIGITS) and not key.endswith("0")


@given(keys)
def test_a_key_before_or_after_one_is_on_that_side(key: str) -> None:
    assert key_between(key, None) > key
    if key.strip("0"):
        assert "" < key_between(None, key) < key


def test_keys_of_the_alphabet_sort_as_their_code_points() -> None:
    assert list(DIGITS) == sorted(DIGITS)
    assert DIGITS.isascii() and DIGITS == DIGITS.lower()


@pytest.mark.parametrize("side", ["front", "back", "middle"])
def test_keys_stay_short_after_many_moves_at_the_same_spot(side: str) -> None:
    """Always between the same neighbour and the last key made: the length grows by one
    character every few moves, so a respace is needed only after about 150."""
    low, high = position_of_existing(1), position_of_existing(2)
    moves = 0
    while True:
        key = key_between(low if side != "front" else None, high if side != "back" else None)
        if needs_respace(key):
            break
        moves += 1
        if side == "front":
            high = key
        else:
            low = key
    assert moves >= 150
    assert len(key) <= MAX_KEY_LENGTH + 1 <= 64


def test_equal_or_reversed_neighbours_have_no_room() -> None:
    for low, high in [("a", "a"), ("b", "a"), (None, "000"), ("A", "b")]:
        with pytest.raises(NoRoom):
            key_between(low, high)


def test_respaced_keys_are_ordered_roomy_and_before_the_clock() -> None:
    spaced = respaced_keys(10_000)
    assert spaced == sorted(spaced) and len(set(spaced)) == 10_000
    assert all(len(key) == 16 for key in spaced)
    assert spaced[-1] < new_position()
    assert len(key_between(spaced[0], spaced[1])) <= 12


def test_the_end_of_a_list_is_the_clock_unless_the_last_key_is_later() -> None:
    last = position_of_existing(5)
    assert key_after(last) > last and len(key_after(last)) == 16
    later = "z"
    assert key_after(later) > later
    assert len(key_after(None)) == 16
