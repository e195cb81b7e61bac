"""The filter language: a table of queries and the AST each parses to, a table of
malformed ones and the message and (0-based) position of each error, and two
properties: the printer's text parses back to the same AST, and no string makes the
parser raise anything but its own error."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskweb.domain.filter_grammar import (
    DATE_KEYS,
    HAS_VALUES,
    IS_VALUES,
    PERIODS,
    PRIORITIES,
    STATUSES,
    And,
    DateValue,
    FilterSyntaxError,
    Node,
    Not,
    Or,
    Term,
    Text,
    parse_filter,
)
from taskweb.domain.filter_printer import print_filter


def on(first: date | str) -> DateValue:
    return DateValue("on", first)


DEC1, DEC31 = date(2026, 12, 1), date(2026, 12, 31)
VALID: list[tuple[str, Node | None]] = [
    ("", None),
    ("   ", None),
    ("milk", Text("milk")),
    ("buy milk", And((Text("buy"), Text("milk")))),
    ('"tax form"', Text("tax form")),
    ('"  padded  "', Text("padded")),
    ("meeting 10:30", And((Text("meeting"), Text("10:30")))),
    ("e-mail", Text("e-mail")),
    ("status:todo", Term("status", ("todo",))),
    ("STATUS:TODO", Term("status", ("todo",))),
    ("status:todo,in_progress", Term("status", ("todo", "in_progress"))),
    ("status:todo,todo", Term("status", ("todo",))),
    ("priority:high", Term("priority", ("high",))),
    ("project:Home", Term("project", ("Home",))),
    ('project:"Two words"', Term("project", ("Two words",))),
    ('project:Home,"Big plans"', Term("project", ("Home", "Big plans"))),
    ("label:errand", Term("label", ("errand",))),
    ("label:Errand,home", Term("label", ("Errand", "home"))),
    ("assignee:me", Term("assignee", ("me",))),
    ("assignee:NONE", Term("assignee", ("none",))),
    ("assignee:olive.b", Term("assignee", ("olive.b",))),
    ("due:today", Term("due", (on("today"),))),
    ("due:tomorrow", Term("due", (on("tomorrow"),))),
    ("due:overdue", Term("due", (on("overdue"),))),
    ("due:none", Term("due", (on("none"),))),
    ("due:this-week", Term("due", (on("this-week"),))),
    ("due:next-7-days", Term("due", (on("next-7-days"),))),
    ("due:2026-12-01", Term("due", (on(DEC1),))),
    ("due:<=2026-12-01", Term("due", (DateValue("<=", DEC1),))),
    ("due:<2026-12-01", Term("due", (DateValue("<", DEC1),))),
    ("due:>2026-12-01", Term("due", (DateValue(">", DEC1),))),
    ("due:>=today", Term("due", (DateValue(">=", "today"),))),
    ("due:<=next-7-days", Term("due", (DateValue("<=", "next-7-days"),))),
    ("due:2026-12-01..2026-12-31", Term("due", (DateValue("..", DEC1, DEC31),))),
    ("due:today..next-7-days", Term("due", (DateValue("..", "today", "next-7-days"),))),
    ("due:overdue,today", Term("due", (on("overdue"), on("today")))),
    ("created:yesterday", Term("created", (on("yesterday"),))),
    ("updated:>=2026-12-01", Term("updated", (DateValue(">=", DEC1),))),
    ("is:recurring,shared", Term("is", ("recurring", "shared"))),
    ("has:due", Term("has", ("due",))),
    ("-priority:low", Not(Term("priority", ("low",)))),
    ("--x", Not(Not(Text("x")))),
    ('-"tax form"', Not(Text("tax form"))),
    ("-(a b)", Not(And((Text("a"), Text("b"))))),
    ("a OR b", Or((Text("a"), Text("b")))),
    ("a OR b OR c", Or((Text("a"), Text("b"), Text("c")))),
    ("a b OR c", Or((And((Text("a"), Text("b"))), Text("c")))),
    ("a (b OR c)", And((Text("a"), Or((Text("b"), Text("c")))))),
    ("(a OR b) OR c", Or((Or((Text("a"), Text("b"))), Text("c")))),
    ("(a)", Text("a")),
    ("((a))", Text("a")),
    ("a or b", And((Text("a"), Text("or"), Text("b")))),  # only upper-case OR is OR
    ("ORDER", Text("ORDER")),
    ('"OR"', Text("OR")),
    ("(a)(b)", And((Text("a"), Text("b")))),
    ('status:todo,in_progress (label:errand OR project:Home) due:<=next-7-days '
     '-priority:low "tax form"',
     And((Term("status", ("todo", "in_progress")),
          Or((Term("label", ("errand",)), Term("project", ("Home",)))),
          Term("due", (DateValue("<=", "next-7-days"),)),
          Not(Term("priority", ("low",))), Text("tax form")))),
]


@pytest.mark.parametrize(("query", "expected"), VALID, ids=[q or "blank" for q, _ in VALID])
def test_valid_queries_parse_to_their_ast(query: str, expected: Node | None) -> None:
    assert parse_filter(query) == expected


INVALID: list[tuple[str, str, int]] = [
    ("status:", "expected a value after 'status:'", 7),
    ("status: todo", "expected a value after 'status:'", 7),
    ("status:todo,", "expected a value after ',' in 'status:'", 12),
    ("status:nope", "expected a status (todo, in_progress, completed) after 'status:', "
                    "not 'nope'", 7),
    ("a status:todo,later", "expected a status", 14),
    ("priority:urgent", "expected a priority", 9),
    ("is:big", "expected one of (recurring, subtask, assigned, shared)", 3),
    ("has:cats", "expected one of (due, description, labels)", 4),
    ("colour:red", "expected a key (status, priority, project, label, assignee, due, "
                   "created, updated, is, has), not 'colour:'", 0),
    ("milk Re: budget", "expected a key", 5),
    ("due:2026-02-30", "expected a real calendar date, not '2026-02-30'", 4),
    ("due:soon", "expected a date (YYYY-MM-DD) or one of today, tomorrow, yesterday, "
                 "this-week, next-7-days after 'due:', not 'soon'", 4),
    ("due:<=", "expected a date (YYYY-MM-DD)", 6),
    ("due:2026-12-01..", "expected a date (YYYY-MM-DD)", 16),
    ("due:2026-12-01..later", "expected a date", 16),
    ("created:overdue", "expected a date or a period after 'created:' ('overdue' is for "
                        "'due:' only)", 8),
    ("updated:none", "expected a date or a period", 8),
    ("assignee:x", "expected 'me', 'none' or a username after 'assignee:', not 'x'", 9),
    ('label:"two words"', "expected a label", 6),
    ('project:""', "expected a value after 'project:'", 8),
    ("(a b", "expected ')' at character 4 (to close the '(' at character 0)", 4),
    ("a (b (c)", "expected ')'", 8),
    ("()", "expected a term after '('", 1),
    ("a )", "expected a term or the end of the filter, not ')'", 2),
    (")", "expected a term, not ')'", 0),
    ('"tax form', "expected '\"' at character 9 (to close the quote at character 0)", 9),
    ('""', "expected text inside the quotes", 0),
    ("OR a", "expected a term before 'OR'", 0),
    ("a OR", "expected a term after 'OR'", 4),
    ("a OR OR b", "expected a term after 'OR'", 5),
    ("a OR )", "expected a term after 'OR'", 5),
    ("- a", "expected a term after '-'", 1),
    ("a -", "expected a term after '-'", 3),
    ("-" * 30 + "a", "expected at most 20 negations in a row", 20),
    ("(" * 25 + "a" + ")" * 25, "expected at most 20 nested parentheses", 20),
    ("a\x00b", "expected no control characters", 1),
    ("x" * 1001, "expected at most 1000 characters", 1000),
]


@pytest.mark.parametrize(("query", "message", "position"), INVALID,
                         ids=[q[:30] for q, _, _ in INVALID])
def test_malformed_queries_say_what_was_expected_and_where(
    query: str, message: str, position: int
) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse_filter(query)
    assert caught.value.position == position
    assert message in caught.value.message
    assert caught.value.message.startswith("expected ")
    assert f"at character {position}" in caught.value.message


def test_the_printer_writes_the_canonical_text() -> None:
    query = 'STATUS:todo  -(a  OR "b c")   due:<=2026-12-01 project:"My home"'
    assert print_filter(parse_filter(query)) == \
        'status:todo -(a OR "b c") due:<=2026-12-01 project:"My home"'
    assert print_filter(None) == ""


# -- Properties -------------------------------------------------------------------------

_phrase_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"'),
    min_size=1, max_size=12,
).map(str.strip).filter(bool)
_names = st.one_of(
    st.text(alphabet="abcXYZ019_.-<>:", min_size=1, max_size=10), _phrase_text)
_labels = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                           blacklist_characters='",\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85'),
    min_size=1, max_size=10)
_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
_bounds = st.one_of(_dates, st.sampled_from(PERIODS))
_date_values = st.one_of(
    st.sampled_from([DateValue("on", "overdue"), DateValue("on", "none")]),
    _bounds.map(lambda b: DateValue("on", b)),
    st.builds(DateValue, st.sampled_from(["<", "<=", ">", ">="]), _bounds),
    st.builds(lambda a, b: DateValue("..", a, b), _bounds, _bounds),
)


def _values(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(values, min_size=1, max_size=3, unique=True).map(tuple)


_terms = st.one_of(
    st.builds(Term, st.just("status"), _values(st.sampled_from(STATUSES))),
    st.builds(Term, st.just("priority"), _values(st.sampled_from(PRIORITIES))),
    st.builds(Term, st.just("is"), _values(st.sampled_from(IS_VALUES))),
    st.builds(Term, st.just("has"), _values(st.sampled_from(HAS_VALUES))),
    st.builds(Term, st.just("project"), _values(_names)),
    st.builds(Term, st.just("label"), _values(_labels)),
    st.builds(Term, st.just("assignee"), _values(st.one_of(
        st.sampled_from(["me", "none"]),
        st.text(alphabet="abcNOEXYZ09_.-", min_size=3, max_size=12)
        .filter(lambda n: n.lower() != "none")))),
    st.builds(Term, st.just("due"), _values(_date_values)),
    st.builds(Term, st.sampled_from(DATE_KEYS[1:]), _values(
        _date_values.filter(lambda v: v.first not in ("overdue", "none")))),
)
_leaves = st.one_of(_terms, st.builds(Text, _phrase_text))


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    many = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(st.builds(Not, children), st.builds(And, many), st.builds(Or, many))


asts = st.recursive(_leaves, _extend, max_leaves=8)


@settings(max_examples=300)
@given(asts)
def test_what_the_printer_writes_parses_back_to_the_same_ast(node: Node) -> None:
    assert parse_filter(print_filter(node)) == node


_grammar_pieces = st.sampled_from(
    ["status:", "due:", "project:", "(", ")", '"', "-", " OR ", ",", "..", "<=", ">",
     "today", "2026-12-01", " ", "a", ":", "label:", "is:", "has:", "assignee:me"])


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=60),
                 st.lists(_grammar_pieces, max_size=15).map("".join)))
def test_random_strings_only_ever_raise_the_grammars_error(query: str) -> None:
    try:
        node = parse_filter(query)
    except FilterSyntaxError as error:
        assert 0 <= error.position <= len(query)
        assert error.message.startswith("expected ")
        return
    assert parse_filter(print_filter(node)) == node
