"""https webhooks: the connection goes to the resolved address, while SNI and the
certificate check use the URL's name (a server on 127.0.0.1 with a certificate for
``localhost`` only)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from taskweb.webhook_http import WebhookSender


def self_signed_for_localhost(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsReceiver:
    def __init__(self, directory: Path) -> None:
        self.cert, key = self_signed_for_localhost(directory)
        self.server_names: list[str | None] = []
        self.hosts: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name for it
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.hosts.append(self.headers["Host"])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        context.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def tls_receiver(tmp_path_factory) -> Iterator[TlsReceiver]:
    receiver = TlsReceiver(tmp_path_factory.mktemp("tls"))
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_https_checks_the_certificate_against_the_url_s_name(tls_receiver) -> None:
    sender = WebhookSender(allow_private=True, ca_certs=str(tls_receiver.cert), timeout=5)
    by_name = sender.post(f"https://localhost:{tls_receiver.port}/hook", b"{}", {})
    assert by_name.status == 204
    assert tls_receiver.server_names[-1] == "localhost"
    assert tls_receiver.hosts == [f"localhost:{tls_receiver.port}"]
    # The same server by its address: the certificate does not name it.
    by_address = sender.post(f"https://127.0.0.1:{tls_receiver.port}/hook", b"{}", {})
    assert by_address.status is None and len(tls_receiver.hosts) == 1
    # Nor does the system's trust store know this certificate.
    untrusted = WebhookSender(allow_private=True, timeout=5)
    assert untrusted.post(f"https://localhost:{tls_receiver.port}/hook", b"{}", {}).status is None
