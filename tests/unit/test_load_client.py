"""The load test's HTTP client survives a server closing idle keep-alive connections
(gunicorn does after its keep-alive timeout), instead of counting it as an error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.mixed_load import ApiClient


class ClosesAfterEachAnswer(BaseHTTPRequestHandler):
    """Answers as if keeping the connection alive, then drops it (an idle timeout)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ClosesAfterEachAnswer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_request_on_a_connection_the_server_closed_is_sent_again(server_url) -> None:
    client = ApiClient(server_url)
    assert [client.call("GET", "/")[0] for _ in range(3)] == [200, 200, 200]


def test_a_fresh_connection_that_fails_is_an_error() -> None:
    client = ApiClient("http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(OSError):
        client.call("GET", "/")
