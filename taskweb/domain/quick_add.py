"""Quick add: one line of text read as a task.

``parse_quick_add("Pay rent tomorrow 5pm #Home @money !high every month", zone, now)``
gives the title "Pay rent" and the fields the tokens name. The grammar is ours and
small; the calendar arithmetic is dateutil's (``domain.quick_add_dates``).

Tokens, anywhere in the text (words are separated by spaces; case does not matter):

- priority ``!high`` ``!medium`` ``!low`` or ``!1`` ``!2`` ``!3`` (1 highest); given
  twice, the last one counts;
- project ``#Home`` or ``#"Two words"`` (the last one counts; ``#123`` stays in the title,
  as issue numbers do);
- labels ``@money`` (each one; duplicates are the service's to drop);
- a due date and an optional time (``quick_add_dates`` lists them); when the text has
  several date phrases, the last one counts and the others stay in the title;
- a recurrence ``every …`` (the first one counts).

Text in double quotes is taken literally (the quotes themselves are dropped), so
``Read "next monday" notes`` has the title ``Read next monday notes`` and no date. What
no token consumed, joined by single spaces, is the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from taskweb.domain.quick_add_dates import (
    DatePhrase,
    QuickAddError,
    TimeOfDay,
    match_date,
    match_recurrence,
    match_time,
    resolve_due,
)

__all__ = ["QuickAdd", "QuickAddError", "parse_quick_add"]

PRIORITIES = {"!high": "high", "!1": "high", "!medium": "medium", "!2": "medium",
              "!low": "low", "!3": "low"}
# A quoted project, a quoted literal, or a run of anything else up to a space or a quote.
_TOKEN_RE = re.compile(r'(?P<project>#"[^"]+")|(?P<quoted>"[^"]*")|(?P<word>[^\s"]+|")')
_PROJECT_RE = re.compile(r"#(?P<name>\S+)")
_LABEL_RE = re.compile(r"@(?P<name>[^\s@]+)")


@dataclass(frozen=True)
class Word:
    text: str
    literal: bool = False  # came from double quotes: never a token


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add text says; ``due_date`` is an aware UTC instant."""

    title: str
    priority: str | None = None
    project: str | None = None
    labels: tuple[str, ...] = ()
    due_date: datetime | None = None
    has_time: bool = False
    recurrence: str | None = None


def _words(text: str) -> list[Word]:
    words: list[Word] = []
    for match in _TOKEN_RE.finditer(text):
        if match.group("project"):
            words.append(Word(match.group("project")))
        elif match.group("quoted") is not None:
            words.append(Word(match.group("quoted")[1:-1], literal=True))
        else:
            words.append(Word(match.group("word")))
    return words


def _project_name(word: str) -> str | None:
    if word.startswith('#"'):
        name = word[2:-1].strip()
        return " ".join(name.split()) or None
    match = _PROJECT_RE.fullmatch(word)
    if match is None or match.group("name").isdigit():
        return None
    return match.group("name")


def parse_quick_add(text: str, zone: tzinfo, now: datetime) -> QuickAdd:
    """Read ``text`` in ``zone`` at ``now`` (aware). Raises QuickAddError."""
    words = _words(text)
    plain = [None if word.literal else word.text.lower() for word in words]
    used = [False] * len(words)
    priority: str | None = None
    project: str | None = None
    labels: list[str] = []
    dates: list[tuple[int, int, DatePhrase]] = []
    times: list[tuple[int, int, TimeOfDay]] = []
    recurrence: tuple[int, int, str] | None = None
    index = 0
    while index < len(words):
        word = plain[index]
        if word is None:
            index += 1
            continue
        if word in PRIORITIES:
            priority = PRIORITIES[word]
            used[index] = True
            index += 1
            continue
        if word.startswith("#") and (name := _project_name(words[index].text)):
            project = name
            used[index] = True
            index += 1
            continue
        if (label := _LABEL_RE.fullmatch(words[index].text)) is not None:
            labels.append(label.group("name"))
            used[index] = True
            index += 1
            continue
        if recurrence is None and (found := match_recurrence(plain, index)) is not None:
            length, rule = found
            recurrence = (index, length, rule)
            index += length
            continue
        if (phrase := match_date(plain, index)) is not None:
            dates.append((index, phrase.length, phrase))
            index += phrase.length
            continue
        if (clock := match_time(plain, index)) is not None:
            times.append((index, clock.length, clock))
            index += clock.length
            continue
        index += 1
    # The last date and the last time count; earlier ones are part of the title.
    for start, length, _ in [*dates[-1:], *times[-1:]]:
        used[start:start + length] = [True] * length
    if recurrence is not None:
        used[recurrence[0]:recurrence[0] + recurrence[1]] = [True] * recurrence[1]
    title = " ".join(word.text for word, taken in zip(words, used, strict=True)
                     if not taken and (word.text or not word.literal)).strip()
    if not title:
        raise QuickAddError("Write a title: the text is only dates, tags or other tokens.")
    due, has_time = resolve_due(
        dates[-1][2] if dates else None,
        times[-1][2] if times else None,
        recurrence[2] if recurrence else None,
        zone, now,
    )
    return QuickAdd(title=title, priority=priority, project=project, labels=tuple(labels),
                    due_date=due, has_time=has_time,
                    recurrence=recurrence[2] if recurrence else None)
