"""The canonical text of a filter AST (``domain.filter_grammar``): what saved filters
store and the search box shows. ``parse_filter(print_filter(node)) == node`` for every
AST the parser can make: words and values are quoted where they would otherwise read
as something else, and groups are parenthesized where precedence needs it."""

from __future__ import annotations

from datetime import date

from taskweb.domain.filter_grammar import (
    BARE_STOP,
    KEY_RE,
    ON,
    RANGE,
    WORD_STOP,
    And,
    DateValue,
    Node,
    Not,
    Or,
    Term,
    Value,
)


def print_filter(node: Node | None) -> str:
    """The canonical text of ``node``: it parses back to ``node``."""
    if node is None:
        return ""
    if isinstance(node, And):
        return " ".join(_grouped(operand, (And, Or)) for operand in node.operands)
    if isinstance(node, Or):
        return " OR ".join(_grouped(operand, (Or,)) for operand in node.operands)
    if isinstance(node, Not):
        return "-" + _grouped(node.operand, (And, Or))
    if isinstance(node, Term):
        return f"{node.key}:" + ",".join(_print_value(value) for value in node.values)
    return _print_word(node.text)


def _grouped(node: Node, needs_parentheses: tuple[type, ...]) -> str:
    text = print_filter(node)
    return f"({text})" if isinstance(node, needs_parentheses) else text


def _print_word(text: str) -> str:
    """A bare word where it reads back as that word, else a quoted phrase."""
    bare = (text and text != "OR" and not text.startswith("-")
            and not KEY_RE.match(text)
            and not any(c.isspace() or c in WORD_STOP for c in text))
    return text if bare else f'"{text}"'


def _print_value(value: Value) -> str:
    if isinstance(value, DateValue):
        first = _print_bound(value.first)
        if value.op == ON:
            return first
        if value.op == RANGE:
            assert value.last is not None
            return f"{first}{RANGE}{_print_bound(value.last)}"
        return f"{value.op}{first}"
    quoted = not value or any(c.isspace() or c in BARE_STOP for c in value)
    return f'"{value}"' if quoted else value


def _print_bound(bound: date | str) -> str:
    return bound.isoformat() if isinstance(bound, date) else bound
