"""The filter language: one grammar for the API's ``filter=``, the pages' search box and
saved filters.

    query   := or EOF
    or      := and ("OR" and)*
    and     := unary unary*                  (terms side by side are ANDed)
    unary   := "-"* primary                  (each "-" negates)
    primary := "(" or ")" | phrase | key ":" value ("," value)* | word
    value   := phrase | bare                 (a comma list means any of the values)

A hand-written recursive-descent parser turns a query into an AST of frozen dataclasses
(``And``, ``Or``, ``Not``, ``Term``, ``Text``); ``domain.filter_printer`` writes the
canonical text of an AST, which parses back to the same AST. Every error is a ``FilterSyntaxError``
carrying the **0-based** character position (an index into the query string) and what
was expected there. Relative dates stay words here (``today``); they are resolved in a
person's time zone by ``domain.filter_dates``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from taskweb import rules

FILTER_MAX = 1000  # characters of a query (the saved_filters.query column holds as many)
DEPTH_MAX = 20  # nested parentheses and negations

STATUSES = ("todo", "in_progress", "completed")
PRIORITIES = ("low", "medium", "high")
IS_VALUES = ("recurring", "subtask", "assigned", "shared")
HAS_VALUES = ("due", "description", "labels")
ME, NONE, OVERDUE = "me", "none", "overdue"
PERIODS = ("today", "tomorrow", "yesterday", "this-week", "next-7-days")
DATE_KEYS = ("due", "created", "updated")
NAME_KEYS = ("project", "label", "assignee")
KEYS = ("status", "priority", *NAME_KEYS, *DATE_KEYS, "is", "has")
COMPARISONS = ("<=", ">=", "<", ">")  # longest first: "<=" before "<"
RANGE = ".."
ON = "on"

KEY_RE = re.compile(r"[A-Za-z_]+:")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNWRITABLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
BARE_STOP = frozenset('(),"')  # a bare value ends at these (and at white space)
WORD_STOP = frozenset('()"')  # a bare word ends at these (and at white space)

GRAMMAR_DOC = (
    "A query in the filter language. Terms separated by spaces are ANDed; `OR` between "
    "terms and parentheses group; a leading `-` negates a term. Keys, each `key:value`, "
    "a comma list meaning any of: `status:` (todo, in_progress, completed), `priority:` "
    "(low, medium, high), `project:` (a name, quoted if it has spaces), `label:`, "
    "`assignee:` (`me`, `none`, a username), `due:`, `created:`, `updated:` (`today`, "
    "`tomorrow`, `yesterday`, `this-week`, `next-7-days`, a date `2026-12-01`, a "
    "comparison `<=2026-12-01` or `>next-7-days`, a range `2026-12-01..2026-12-31`; "
    "`due:` also takes `overdue` and `none`), `is:` (recurring, subtask, assigned, "
    "shared), `has:` (due, description, labels). Bare words and `\"quoted phrases\"` "
    "match the title or description. Dates are in your time zone. Names and words "
    "compare case-insensitively. An error is a 422 whose `errors.filter` says what was "
    "expected and at which character (counted from 0). Example: `status:todo,in_progress "
    "(label:errand OR project:Home) due:<=next-7-days -priority:low \"tax form\"`. "
    "Combined with the other parameters by AND."
)
FILTER_EXAMPLE = ('status:todo,in_progress (label:errand OR project:Home) '
                  'due:<=next-7-days -priority:low "tax form"')


# -- The AST ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DateValue:
    """A value of a date key: ``op`` is ``on`` (that day or period, or ``overdue`` /
    ``none``), a comparison (``<``, ``<=``, ``>``, ``>=``) or ``..`` (``first`` to
    ``last``, both included). A bound is a calendar date or a period word."""

    op: str
    first: date | str
    last: date | str | None = None


Value = str | DateValue


@dataclass(frozen=True)
class Term:
    """``key:value,value``: any of the values. Words of a fixed set are lower-cased;
    names (project, label, username) are kept as written."""

    key: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Text:
    """A bare word or a quoted phrase: found in the title or the description."""

    text: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]  # two or more


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]  # two or more


Node = And | Or | Not | Term | Text


class FilterSyntaxError(ValueError):
    """A query that is not in the language: what was expected, at which character
    (0-based)."""

    def __init__(self, expected: str, position: int, note: str = "") -> None:
        self.expected = expected
        self.position = position
        super().__init__(f"{expected} at character {position}{note}")

    @property
    def message(self) -> str:
        return str(self)

    @property
    def sentence(self) -> str:
        """The message as a sentence, the way errors.filter and the pages show it."""
        return self.message[:1].upper() + self.message[1:] + "."


# -- The parser -------------------------------------------------------------------------

def parse_filter(query: str) -> Node | None:
    """The AST of ``query``; None for a blank one. Raises FilterSyntaxError."""
    if len(query) > FILTER_MAX:
        raise FilterSyntaxError(f"expected at most {FILTER_MAX} characters", FILTER_MAX)
    if (bad := _UNWRITABLE_RE.search(query)) is not None:
        raise FilterSyntaxError("expected no control characters", bad.start())
    return _Parser(query).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.depth = 0

    # Reading characters
    def _skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def _peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def _at_or(self) -> bool:
        end = self.at + 2
        return self.text[self.at:end] == "OR" and (
            end == len(self.text) or self.text[end].isspace() or self.text[end] in "()")

    def _fail(self, expected: str, position: int | None = None,
              note: str = "") -> FilterSyntaxError:
        return FilterSyntaxError(expected, self.at if position is None else position, note)

    # The grammar
    def parse(self) -> Node | None:
        self._skip_space()
        if not self._peek():
            return None
        node = self._or()
        self._skip_space()
        if self._peek() == ")":
            raise self._fail("expected a term or the end of the filter, not ')'")
        return node

    def _or(self) -> Node:
        operands = [self._and()]
        while True:
            self._skip_space()
            if not self._at_or():
                break
            self.at += 2
            self._skip_space()
            if not self._peek() or self._peek() == ")" or self._at_or():
                raise self._fail("expected a term after 'OR'")
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Node:
        operands = [self._unary()]
        while True:
            self._skip_space()
            if not self._peek() or self._peek() == ")" or self._at_or():
                break
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _unary(self) -> Node:
        if self._at_or():
            raise self._fail("expected a term before 'OR'")
        negations = 0
        while self._peek() == "-":
            if negations == DEPTH_MAX:
                raise self._fail(f"expected at most {DEPTH_MAX} negations in a row")
            negations += 1
            self.at += 1
        if negations and (not self._peek() or self._peek().isspace() or self._peek() == ")"):
            raise self._fail("expected a term after '-'")
        node = self._primary()
        for _ in range(negations):
            node = Not(node)
        return node

    def _primary(self) -> Node:
        char = self._peek()
        if char == "(":
            return self._group()
        if char == '"':
            start = self.at
            return Text(self._phrase(start, "expected text inside the quotes"))
        if (match := KEY_RE.match(self.text, self.at)) is not None:
            return self._term(match.group()[:-1])
        start = self.at
        while self._peek() and not self._peek().isspace() and self._peek() not in WORD_STOP:
            self.at += 1
        if self.at == start:
            raise self._fail(f"expected a term, not '{char}'")
        return Text(self.text[start:self.at])

    def _group(self) -> Node:
        opened = self.at
        self.depth += 1
        if self.depth > DEPTH_MAX:
            raise self._fail(f"expected at most {DEPTH_MAX} nested parentheses")
        self.at += 1
        self._skip_space()
        if not self._peek() or self._peek() == ")":
            raise self._fail("expected a term after '('")
        node = self._or()
        self._skip_space()
        if self._peek() != ")":
            raise self._fail("expected ')'", note=f" (to close the '(' at character {opened})")
        self.at += 1
        self.depth -= 1
        return node

    def _phrase(self, start: int, empty_message: str) -> str:
        """A quoted phrase starting at the opening quote (which cannot hold a quote)."""
        end = self.text.find('"', start + 1)
        if end == -1:
            raise self._fail("expected '\"'", len(self.text),
                             f" (to close the quote at character {start})")
        phrase = self.text[start + 1:end].strip()
        if not phrase:
            raise self._fail(empty_message, start)
        self.at = end + 1
        return phrase

    def _term(self, key: str) -> Term:
        key_at = self.at
        lowered = key.lower()
        if lowered not in KEYS:
            raise self._fail(f"expected a key ({', '.join(KEYS)}), not '{key}:'", key_at)
        self.at += len(key) + 1
        values: list[Value] = []
        while True:
            value_at = self.at
            raw = self._value(key)
            values.append(_interpret(lowered, raw, value_at))
            if self._peek() != ",":
                break
            self.at += 1
        return Term(lowered, tuple(dict.fromkeys(values)))

    def _value(self, key: str) -> str:
        after = f"expected a value after '{key}:'"
        if self._peek() == '"':
            return self._phrase(self.at, after)
        start = self.at
        while self._peek() and not self._peek().isspace() and self._peek() not in BARE_STOP:
            self.at += 1
        if self.at == start:
            raise self._fail(after if self.text[start - 1] == ":" else
                             f"expected a value after ',' in '{key}:'")
        return self.text[start:self.at]


def _interpret(key: str, raw: str, at: int) -> Value:
    """The value ``raw`` of ``key`` (at character ``at``) as the AST holds it."""
    if key == "status":
        return _one_of(raw, STATUSES, "a status", key, at)
    if key == "priority":
        return _one_of(raw, PRIORITIES, "a priority", key, at)
    if key == "is":
        return _one_of(raw, IS_VALUES, "one of", key, at)
    if key == "has":
        return _one_of(raw, HAS_VALUES, "one of", key, at)
    if key in DATE_KEYS:
        return _date_value(key, raw, at)
    return _name(key, raw, at)


def _one_of(raw: str, choices: tuple[str, ...], what: str, key: str, at: int) -> str:
    if raw.lower() in choices:
        return raw.lower()
    raise FilterSyntaxError(f"expected {what} ({', '.join(choices)}) after '{key}:', "
                            f"not '{raw}'", at)


def _name(key: str, raw: str, at: int) -> str:
    if key == "assignee" and raw.lower() in (ME, NONE):
        return raw.lower()
    if key == "assignee" and not (rules.USERNAME_MIN <= len(raw) <= rules.USERNAME_MAX
                                  and rules.USERNAME_RE.match(raw)):
        raise FilterSyntaxError("expected 'me', 'none' or a username after 'assignee:', "
                                f"not '{raw}'", at)
    if key == "label" and (len(raw) > rules.LABEL_MAX
                           or any(c.isspace() or c == "," for c in raw)):
        raise FilterSyntaxError(f"expected a label (at most {rules.LABEL_MAX} characters, "
                                "no spaces or commas) after 'label:'", at)
    if key == "project" and len(raw) > rules.PROJECT_NAME_MAX:
        raise FilterSyntaxError("expected a project name of at most "
                                f"{rules.PROJECT_NAME_MAX} characters", at)
    return raw


def _date_value(key: str, raw: str, at: int) -> DateValue:
    lowered = raw.lower()
    if lowered in (OVERDUE, NONE):
        if key != "due":
            raise FilterSyntaxError(f"expected a date or a period after '{key}:' "
                                    f"('{lowered}' is for 'due:' only)", at)
        return DateValue(ON, lowered)
    for op in COMPARISONS:
        if lowered.startswith(op):
            return DateValue(op, _bound(key, lowered[len(op):], at + len(op)))
    if RANGE in lowered:
        first, last = lowered.split(RANGE, 1)
        return DateValue(RANGE, _bound(key, first, at),
                         _bound(key, last, at + len(first) + len(RANGE)))
    return DateValue(ON, _bound(key, lowered, at))


def _bound(key: str, raw: str, at: int) -> date | str:
    if raw in PERIODS:
        return raw
    if _DATE_RE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise FilterSyntaxError(f"expected a real calendar date, not '{raw}'", at) from None
    shown = f", not '{raw}'" if raw else ""
    raise FilterSyntaxError(f"expected a date (YYYY-MM-DD) or one of {', '.join(PERIODS)} "
                            f"after '{key}:'{shown}", at)
