"""Fingerprinted static URLs: ``url_for('static', filename='app.js')`` gives
``/static/app.js?v=<content hash>``.

A changed file gets a new URL, so a front end (nginx in ``make cluster``) may let browsers
cache fingerprinted URLs for a year, and a deploy still reaches them at once; a URL
without ``v`` gets a short cache. The hash is remembered per file and modification time,
so an edited file in development gets a new one without a restart.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from typing import Any

from flask import Flask

FINGERPRINT_PARAMETER = "v"


def register_static_fingerprints(app: Flask) -> None:
    static_folder = app.static_folder
    if static_folder is None:
        return

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or FINGERPRINT_PARAMETER in values:
            return
        fingerprint = static_fingerprint(static_folder, values.get("filename", ""))
        if fingerprint:
            values[FINGERPRINT_PARAMETER] = fingerprint


def static_fingerprint(static_folder: str, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file
    inside ``static_folder``."""
    root = os.path.realpath(static_folder)
    path = os.path.realpath(os.path.join(root, filename))
    if not path.startswith(root + os.sep):
        return None
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return _content_hash(path, modified)


@lru_cache(maxsize=512)
def _content_hash(path: str, modified: int) -> str:
    """``modified`` is unused here but part of the cache key: an edited file is hashed again."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]
