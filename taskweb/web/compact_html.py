"""Pages without their templates' indentation, removed once when a template compiles.

Task lists are rows of nested markup: the indentation that makes the templates readable
was a seventh of a page's bytes. Only ``.html`` templates are touched (the e-mails'
``.txt`` keep their layout), and no template holds a ``<pre>`` or ``<textarea>`` whose
text the indentation would belong to (form fields render theirs from Python). A line
holding only a tag or a comment leaves nothing behind (what Jinja's ``trim_blocks``
does, for these templates only); any other line break stays where it was, so words and
inline elements keep their spacing.
"""

from __future__ import annotations

import re

from jinja2.ext import Extension

# A line break and the indentation and blank lines after it.
INDENTATION = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")
# A line that is one block tag or one comment (which may span lines): its line break. Not
# after a tag that already strips the whitespace before it (``{%-``), which would join the
# lines on either side.
TAG_LINE = re.compile(r"^(\{%(?!-)(?:[^%]|%(?!\}))*%\}|\{#(?!-).*?#\})\n",
                      re.MULTILINE | re.DOTALL)


class CompactHtml(Extension):
    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.endswith(".html"):
            return source
        return TAG_LINE.sub(r"\1", INDENTATION.sub("\n", source.lstrip(" \t")))
