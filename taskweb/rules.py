"""Limits on user input, shared by the services (which enforce them) and the
adapters (which describe them in forms and in the OpenAPI document)."""

from __future__ import annotations

import re

EMAIL_MAX = 254
USERNAME_MIN, USERNAME_MAX = 3, 32
USERNAME_PATTERN = r"^[A-Za-z0-9_.\-]+$"
USERNAME_RE = re.compile(USERNAME_PATTERN)
FULL_NAME_MAX = 100
PASSWORD_MIN, PASSWORD_MAX = 8, 128
TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
SEARCH_MAX = 200
PAGE_LIMIT_MIN, PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT = 1, 100, 20
# The largest offset PostgreSQL's integer arithmetic and any sane client will need.
OFFSET_MAX = 2_147_483_647
# Python's datetime and PostgreSQL's timestamptz both hold these years.
DUE_YEAR_MIN, DUE_YEAR_MAX = 1900, 9999

# Control characters other than tab, newline and carriage return have no place in text.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same rule as a pattern for the OpenAPI document (ECMA-262 and Python alike).
_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
TEXT_PATTERN = rf"^[^{_CONTROL}]*$"
# Text that is more than whitespace once trimmed (titles).
NON_BLANK_TEXT_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"

# Labels: free tags on tasks.
LABEL_MAX = 50
LABELS_PER_TASK = 20
PROJECT_NAME_MAX = 100
PROJECT_DESCRIPTION_MAX = 2_000
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
