"""Reading pages the way a browser would: the ids on a page and the values a form
would submit (with Python's own HTML parser)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("checkbox", "submit"):
            self.fields[name] = attributes.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def duplicate_ids(html: str) -> dict[str, int]:
    """Every id that appears on more than one element, with its count."""
    return {name: count for name, count in _parse(html).ids.items() if count > 1}


def form_values(html: str) -> dict[str, str]:
    """What submitting the (first and only) form in ``html`` untouched would send."""
    values = _parse(html).fields
    # A browser drops the single newline that starts a textarea's content.
    return {name: value.removeprefix("\r\n").removeprefix("\n") for name, value in values.items()}
