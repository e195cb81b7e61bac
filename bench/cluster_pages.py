"""bench.cluster's page figures (issue 15): the full tasks page and its htmx fragment
through the cluster's nginx with 3 instances, asked for gzipped as a browser does
(``Accept-Encoding: gzip``), against the same through one instance direct (gunicorn
compresses nothing): req/s, p50/p99, errors, bytes on the wire against the page's own
size; and what gzip levels 1 and 5 cost in CPU against the size they reach on that page.

Each target and request is checked once before its load: status 200, compressed through
nginx and not direct, and the gzipped body the same page (its heading) as the plain one.
"""

from __future__ import annotations

import gzip
import time
import zlib
from dataclasses import dataclass

from bench.clients import Reply, exchange, session_cookie, with_cookies_of
from bench.cluster_cpu import CpuShares
from bench.load import LoadSettings, Request, run_wrk
from bench.mixed_load import PASSWORD, ApiClient
from tests.resilience.cluster_run import APP_PORTS, CLUSTER_PORT, ClusterRun

ROWS = 20
CONNECTIONS = 32
GZIP = {"Accept-Encoding": "gzip"}
# The levels compared; nginx's gzip_comp_level is the one deploy/cluster's template sets.
GZIP_LEVELS = (1, 5)
COMPRESSIONS_TIMED = 200
PAGE_MARKER = b"<h1>Tasks</h1>"


@dataclass(frozen=True)
class PageRequest:
    label: str
    headers: dict[str, str]


PAGE_REQUESTS = (PageRequest("full tasks page", {}),
                 PageRequest("htmx list fragment", {"HX-Request": "true"}))


def browser_with_tasks(cluster: ClusterRun) -> str:
    """The ``Cookie`` of a browser signed in to a new account holding ``ROWS`` tasks,
    after its first page (which puts the CSRF secret in the session, as in a browser)."""
    client = ApiClient(cluster.url)
    email = client.sign_up()
    for n in range(ROWS):
        status, _ = client.call("POST", "/api/v1/tasks", {"title": f"Task {n}"})
        if status != 201:
            raise RuntimeError(f"creating a task answered {status}")
    cookie = session_cookie(CLUSTER_PORT, email, PASSWORD)
    first = exchange(CLUSTER_PORT, Request("GET", "/", {"Cookie": cookie}))
    return with_cookies_of(cookie, first)


def _checked(port: int, request: Request, compressed: bool) -> Reply:
    """One exchange, refused unless it is the page, gzipped exactly when ``compressed``."""
    reply = exchange(port, request)
    encoding = reply.header("Content-Encoding")
    if reply.status != 200 or (encoding == "gzip") != compressed:
        raise RuntimeError(f"GET / on port {port} answered {reply.status}, "
                           f"Content-Encoding {encoding} (expected gzip: {compressed})")
    return reply


def _plain_size(port: int, headers: dict[str, str], gzipped: Reply | None) -> int:
    """The body's size uncompressed; a gzipped reply must decompress to the same page."""
    plain = _checked(port, Request("GET", "/", headers), compressed=False).body
    if gzipped is not None:
        unpacked = gzip.decompress(gzipped.body)
        if (PAGE_MARKER in plain) != (PAGE_MARKER in unpacked) or not unpacked:
            raise RuntimeError("the gzipped page is not the plain one")
    return len(plain)


def throughput(cluster: ClusterRun, seconds: int, cpu: CpuShares) -> None:
    cookie = browser_with_tasks(cluster)
    settings = LoadSettings(threads=2, connections=CONNECTIONS, seconds=seconds)
    targets = (("nginx, 3 instances", CLUSTER_PORT, True),
               ("one instance direct", APP_PORTS[0], False))
    for page in PAGE_REQUESTS:
        for label, port, compressed in targets:
            headers = {"Cookie": cookie, **page.headers}
            request = Request("GET", "/", {**headers, **GZIP})
            gzipped = _checked(port, request, compressed)
            plain = _plain_size(port, headers, gzipped if compressed else None)
            cpu.start()
            result, _ = run_wrk(f"http://127.0.0.1:{port}", request, settings)
            print(f"GET / ({page.label}, {ROWS} rows) with Accept-Encoding: gzip, "
                  f"{CONNECTIONS} connections, {seconds} s, {label}: {result.rps:.0f} req/s, "
                  f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
                  f"{result.errors} errors; {result.bytes_per_response / 1024:.1f} KB a "
                  f"response on the wire (headers included), the body "
                  f"{len(gzipped.body) / 1024:.1f} KB sent for {plain / 1024:.1f} KB "
                  f"uncompressed", flush=True)
            print(f"  {cpu.stop(result.requests)}", flush=True)
    gzip_levels(exchange(APP_PORTS[0], Request("GET", "/", {"Cookie": cookie})).body)


def gzip_levels(page: bytes) -> None:
    """CPU per compression and size at each of GZIP_LEVELS, with zlib (what nginx's gzip
    uses, with its defaults: a 32 KB window, memLevel 8)."""
    for level in GZIP_LEVELS:
        started = time.process_time()
        for _ in range(COMPRESSIONS_TIMED):
            packer = zlib.compressobj(level, zlib.DEFLATED, 16 + 15, 8)
            size = len(packer.compress(page) + packer.flush())
        cost = (time.process_time() - started) / COMPRESSIONS_TIMED
        print(f"gzip level {level} on the {len(page) / 1024:.1f} KB tasks page: "
              f"{size / 1024:.1f} KB ({size / len(page):.0%}), {cost * 1000:.2f} ms of CPU "
              f"a compression", flush=True)
