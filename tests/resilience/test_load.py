"""A short version of bench/mixed_load.py: 32 clients against gunicorn, zero errors."""

from __future__ import annotations

import pytest

from bench.mixed_load import run_mixed_load
from tests.resilience.servers import Gunicorn

pytestmark = pytest.mark.slow


def test_mixed_load_has_no_errors(gunicorn: Gunicorn) -> None:
    report = run_mixed_load(gunicorn.base_url, clients=32, seconds=8)
    assert report.errors == 0, report.error_samples
    assert report.server_errors == 0
    assert report.requests > 100, report.summary()
    assert set(report.statuses) <= {200, 201}, report.summary()
