"""The search box speaks the filter language: plain words still just search (``q``, as
they always did), anything more (a ``key:``, ``OR``, ``-``, parentheses) is a filter,
ANDed with the saved filter of the page it is on. A malformed one is reported next to
the box, and the list is shown without it."""

from __future__ import annotations

from dataclasses import dataclass

from taskweb.domain.filter_grammar import (
    And,
    FilterSyntaxError,
    Node,
    Text,
    parse_filter,
)

SEARCH, FILTER = "q", "filter"


@dataclass(frozen=True)
class SearchError:
    """What the box says under itself: what was expected, at which character."""

    message: str
    position: int

    @classmethod
    def of(cls, error: FilterSyntaxError) -> SearchError:
        return cls(error.sentence, error.position)


def _plain_words(node: Node | None) -> bool:
    if isinstance(node, And):
        return all(isinstance(operand, Text) for operand in node.operands)
    return node is None or isinstance(node, Text)


def route_search(scoped: dict[str, list[str]], saved_query: str | None = None
                 ) -> SearchError | None:
    """Rewrite list parameters (``scoped``, in place) so that the box's text is a text
    search or a filter, and a saved filter's query is ANDed in. Returns the error of a
    malformed box (whose text is then left out)."""
    box = next((value for value in reversed(scoped.get(SEARCH, [])) if value.strip()), "")
    queries = [query for query in ([saved_query] if saved_query else [])
               + scoped.get(FILTER, []) if query.strip()]
    error = None
    if box.strip():
        try:
            node = parse_filter(box)
        except FilterSyntaxError as syntax_error:
            error = SearchError.of(syntax_error)
            scoped.pop(SEARCH, None)
        else:
            if not _plain_words(node) or '"' in box:
                scoped.pop(SEARCH, None)
                queries.append(box)
    if queries:
        scoped[FILTER] = [" ".join(f"({query})" for query in queries)]
    return error
