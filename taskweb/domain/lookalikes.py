"""Skeletons of names and addresses, so that look-alikes count as the same.

Two strings with the same skeleton read alike to a person: ``ＡDA@example.com``
(fullwidth), ``аda@example.com`` (Cyrillic а) and ``ada@example.com``. The skeleton is
in the spirit of Unicode's UTS #39: compatibility forms folded (NFKC), case folded,
every character mapped to the Latin letter it is confusable with (Unicode's
confusables data, from confusable-homoglyphs), and the ASCII look-alikes ``0``/``o``,
``1``/``l``, ``rn``/``m`` and ``vv``/``w`` joined.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

ASCII_SEQUENCES = (("rn", "m"), ("vv", "w"))
ASCII_CHARACTERS = str.maketrans({"0": "o", "1": "l", "|": "l"})


@lru_cache(maxsize=4096)
def _latin_prototype(character: str) -> str:
    """The ASCII letter a non-ASCII character is confusable with, or the character."""
    if character.isascii():
        return character
    found = confusables.is_confusable(character, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for homoglyph in entry["homoglyphs"]:
            candidate = homoglyph["c"]
            if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
                return candidate.lower()
    return character


def skeleton(text: str) -> str:
    """What ``text`` looks like, as a key: equal skeletons mean look-alikes."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    mapped = "".join(_latin_prototype(character) for character in folded)
    mapped = unicodedata.normalize("NFKC", mapped).casefold().translate(ASCII_CHARACTERS)
    for sequence, letter in ASCII_SEQUENCES:
        mapped = mapped.replace(sequence, letter)
    return mapped
