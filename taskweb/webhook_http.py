"""Sending one webhook request over the network, safely.

The name in the URL is resolved once, every address it resolves to is checked
(``domain.webhooks.address_refusal``: a name can change what it points to between the
registration and any delivery), and the connection goes to the checked address itself:
urllib3 connects to the IP, while the Host header, TLS's SNI and the certificate check
use the name (``server_hostname`` and ``assert_hostname``). No redirects, no retries
here (the delivery job has its own), 10 s at most.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError, NewConnectionError

from taskweb.domain.webhooks import (
    AddressRefused,
    Target,
    address_refusal,
    host_literal,
    parse_target,
)

TIMEOUT_SECONDS = 10.0


class NameNotResolved(AddressRefused):
    """The name has no address (now)."""


@dataclass(frozen=True)
class SendResult:
    """What one attempt got: the status code (None when nothing answered) and how long
    it took. The response body is never kept."""

    status: int | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def resolve_checked(target: Target, *, allow_private: bool) -> list[str]:
    """The addresses to connect to for ``target`` (every one checked), or
    AddressRefused when any of them is refused."""
    literal = host_literal(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise NameNotResolved(f"The name {target.host} does not resolve.") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise NameNotResolved(f"The name {target.host} does not resolve.")
    for address in addresses:
        refusal = address_refusal(address.split("%")[0], allow_private=allow_private)
        if refusal is not None:
            raise AddressRefused(f"{target.host} resolves to {refusal}"
                                 if literal is None else refusal)
    return addresses


def check_url(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` cannot be a webhook's URL (bad form, or an address refused), or None.
    A name that does not resolve yet is accepted: every delivery checks it again."""
    target = parse_target(url)
    if isinstance(target, str):
        return target
    try:
        resolve_checked(target, allow_private=allow_private)
    except NameNotResolved:
        return None
    except AddressRefused as refusal:
        return str(refusal)
    return None


class WebhookSender:
    """POSTs a signed body to a webhook URL (see the module's docstring)."""

    def __init__(self, *, allow_private: bool, timeout: float = TIMEOUT_SECONDS,
                 ca_certs: str | None = None) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.ca_certs = ca_certs  # None: the system's trusted certificates

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        """Send ``body``; AddressRefused when the URL may not be reached now."""
        target = parse_target(url)
        if isinstance(target, str):
            raise AddressRefused(target)
        addresses = resolve_checked(target, allow_private=self.allow_private)
        host_header = target.host if ":" not in target.host else f"[{target.host}]"
        default_port = 443 if target.scheme == "https" else 80
        if target.port != default_port:
            host_header += f":{target.port}"
        headers = {**headers, "Host": host_header, "Content-Type": "application/json",
                   "User-Agent": "taskweb-webhooks"}
        started = time.monotonic()
        status = None
        # Each address the one lookup gave, in its order, until one takes the connection
        # (a name may resolve to ::1 and 127.0.0.1, with a server on only one of them).
        for address in addresses:
            pool = self._pool(target, address)
            try:
                response = pool.urlopen("POST", target.path, body=body, headers=headers,
                                        redirect=False, retries=False,
                                        preload_content=False, assert_same_host=False)
                status = response.status
                response.close()  # the body is never read, let alone kept
                break
            except NewConnectionError:
                if time.monotonic() - started >= self.timeout:
                    break
                continue
            except (HTTPError, OSError):
                break
            finally:
                pool.close()
        return SendResult(status, int((time.monotonic() - started) * 1000))

    def _pool(self, target: Target, address: str) -> HTTPConnectionPool:
        timeout = Timeout(total=self.timeout)
        if target.scheme == "https":
            return HTTPSConnectionPool(address, target.port, timeout=timeout, maxsize=1,
                                       retries=False, cert_reqs="CERT_REQUIRED",
                                       ca_certs=self.ca_certs,
                                       assert_hostname=target.host,
                                       server_hostname=target.host)
        return HTTPConnectionPool(address, target.port, timeout=timeout, maxsize=1,
                                  retries=False)
