"""A test client that sends real HTTP to a running cluster's nginx (CLUSTER_URL, set by
`make test-cluster`) and answers like Flask's: the same calls and response objects, so
API tests that only talk HTTP run unchanged through nginx and several instances."""

from __future__ import annotations

from typing import Any

import requests
from flask import Response


class ClusterClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def open(self, method: str, path: str, *, json: Any = None, data: Any = None,
             headers: dict[str, str] | None = None, query_string: Any = None,
             content_type: str | None = None) -> Response:
        sent = dict(headers or {})
        if content_type:
            sent["Content-Type"] = content_type
        answer = self.session.request(method, self.base_url + path, json=json, data=data,
                                      headers=sent, params=query_string,
                                      allow_redirects=False, timeout=30)
        # requests has already undone any transfer coding: do not announce one again.
        passed_on = [(name, value) for name, value in answer.headers.items()
                     if name.lower() not in ("transfer-encoding", "content-encoding",
                                             "content-length", "connection")]
        return Response(answer.content, status=answer.status_code, headers=passed_on)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.open("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Response:
        return self.open("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Response:
        return self.open("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.open("DELETE", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Response:
        return self.open("HEAD", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> Response:
        return self.open("OPTIONS", path, **kwargs)
