"""Static URLs carry a fingerprint of the file's content (for long caching at nginx)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, url_for
from flask.testing import FlaskClient

from taskweb.static_urls import static_fingerprint


def test_static_urls_carry_the_content_hash(app: Flask) -> None:
    expected = hashlib.sha256(Path(app.static_folder, "app.js").read_bytes()).hexdigest()[:12]
    with app.test_request_context():
        assert url_for("static", filename="app.js") == f"/static/app.js?v={expected}"


def test_pages_link_fingerprinted_assets(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert "/static/app.js?v=" in page and "/static/app.css?v=" in page


def test_a_changed_file_gets_a_new_fingerprint(tmp_path: Path) -> None:
    asset = tmp_path / "site.css"
    asset.write_text("a {}")
    before = static_fingerprint(str(tmp_path), "site.css")
    asset.write_text("a { color: red }")
    assert static_fingerprint(str(tmp_path), "site.css") not in (before, None)


def test_missing_or_outside_files_get_no_fingerprint(app: Flask) -> None:
    assert static_fingerprint(app.static_folder, "no-such-file.js") is None
    assert static_fingerprint(app.static_folder, "../__init__.py") is None
    with app.test_request_context():
        assert url_for("static", filename="no-such-file.js") == "/static/no-such-file.js"


def test_a_fingerprinted_url_serves_the_file(client: FlaskClient, app: Flask) -> None:
    with app.test_request_context():
        url = url_for("static", filename="app.css")
    assert client.get(url).status_code == 200
