"""``GET /metrics``: the Prometheus text format, for a scraper holding METRICS_TOKEN.

A route of the app rather than a port of its own: prometheus_client's
``start_http_server`` in every gunicorn worker would need a port per worker and show
each worker's counts alone. Here any worker answers with the sum over all of them.
Unset METRICS_TOKEN, the route is a 404 like any unknown path; set, a request without
the token gets 401. nginx never passes /metrics on (deploy/compose/nginx.conf), so a
scraper reaches each instance directly, on the network the instances listen on.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from taskweb.metrics.collector import OperationsCollector
from taskweb.metrics.instruments import PROCESS_REGISTRY

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics() -> Response:
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    offered = request.headers.get("Authorization", "").encode()
    if not hmac.compare_digest(offered, f"Bearer {token}".encode()):
        return Response("A bearer token is needed.\n", 401, mimetype="text/plain",
                        headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return Response(generate_latest(_Scrape(current_app._get_current_object())),
                    mimetype=CONTENT_TYPE_LATEST)


class _Scrape:
    """What one scrape collects: the request instruments of every worker (or of this
    process alone) and the state read now from the database and Redis."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        # The state first: its database read then shows in the pool gauge it precedes.
        state = list(OperationsCollector(self.app).collect())
        directory = self.app.config.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            workers = CollectorRegistry()
            MultiProcessCollector(workers, path=directory)
            yield from workers.collect()
        else:
            yield from PROCESS_REGISTRY.collect()
        yield from state
