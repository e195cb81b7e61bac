"""End-to-end fixtures: the real app served by werkzeug on a free port (PostgreSQL from
`make test`), Debian's Chromium driven by pytest-playwright, clean data per test, and a
guard that fails a test on any console error, uncaught exception or CSP violation."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import ConsoleMessage, Error, Page
from werkzeug.serving import make_server

from taskweb.extensions import db
from taskweb.wiring import CLOCK_EXTENSION
from tests.conftest import make_app, truncate_all

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_app(migrated_database: str) -> Flask:
    """The app the live server serves (a test may set its clock, see server_clock)."""
    return make_app(migrated_database)


# `make test-cluster` sets it: the journeys then go through the cluster's nginx (the
# cluster runs on this suite's database, so the fixtures' data is the cluster's too).
CLUSTER_URL = os.environ.get("CLUSTER_URL", "").rstrip("/")


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    if CLUSTER_URL:
        yield CLUSTER_URL
        return
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def server_clock(live_app: Flask) -> Iterator[Callable[[datetime], None]]:
    """``server_clock(moment)``: the live server's clock (``wiring.clock``) shows
    ``moment`` until the test ends."""
    if CLUSTER_URL:
        pytest.skip("the cluster's instances keep the real clock")

    def freeze(moment: datetime) -> None:
        live_app.extensions[CLOCK_EXTENSION] = lambda: moment

    yield freeze
    live_app.extensions.pop(CLOCK_EXTENSION, None)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright resolves page.goto("/") against this."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def clean_data(migrated_database: str) -> Iterator[None]:
    yield
    truncate_all(migrated_database)


@pytest.fixture(autouse=True)
def browser_errors(page: Page) -> Iterator[list[str]]:
    """Everything the browser reports as an error; the test fails unless it stays empty.

    Chromium reports CSP violations (an inline script or style) as console errors, so
    this also proves that the pages run under the strict policy.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        errors.append(f"page error: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.set_default_timeout(5_000)
    yield errors
    assert errors == [], "the browser reported errors"
