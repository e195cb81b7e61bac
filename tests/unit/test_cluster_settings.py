"""`make cluster`'s settings and the nginx configuration it writes (no processes)."""

from __future__ import annotations

import re

import pytest

from deploy.cluster.nginx import render_configuration, render_upstream
from deploy.cluster.settings import ClusterConfigError, load_cluster_settings


def test_defaults_serve_on_8080_with_three_instances_after_it() -> None:
    settings = load_cluster_settings({})
    assert settings.url == "http://127.0.0.1:8080"
    assert settings.app_ports == (8081, 8082, 8083)
    assert (settings.gunicorn_workers, settings.celery_workers) == (2, 2)
    assert settings.database_url is None and settings.redis_url is None


def test_generated_secrets_are_strong_and_differ_per_run() -> None:
    first, second = load_cluster_settings({}), load_cluster_settings({})
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        assert len(first.app_environment[name]) >= 64
        assert first.app_environment[name] != second.app_environment[name]
    assert first.app_environment["TRUSTED_PROXIES"] == "1"
    assert first.app_environment["APP_ENV"] == "production"


def test_given_secrets_and_services_are_used() -> None:
    settings = load_cluster_settings({
        "CLUSTER_PORT": "8180", "CLUSTER_APP_PORTS": "8181, 8182", "SECRET_KEY": "s" * 40,
        "CLUSTER_DATABASE_URL": "postgresql://db/x", "CLUSTER_REDIS_URL": "redis://r/1",
        "CLUSTER_CELERY_WORKERS": "0"})
    assert settings.app_ports == (8181, 8182)
    assert settings.app_environment["SECRET_KEY"] == "s" * 40
    assert settings.app_environment["PUBLIC_URL"] == "http://127.0.0.1:8180"
    assert (settings.database_url, settings.redis_url) == ("postgresql://db/x", "redis://r/1")
    assert settings.celery_workers == 0


@pytest.mark.parametrize(("name", "value", "named"), [
    ("CLUSTER_PORT", "eighty", "CLUSTER_PORT"),
    ("CLUSTER_PORT", "70000", "CLUSTER_PORT"),
    ("CLUSTER_APP_PORTS", "8081,8081", "CLUSTER_APP_PORTS"),
    ("CLUSTER_APP_PORTS", "8080", "CLUSTER_APP_PORTS"),
    ("CLUSTER_GUNICORN_WORKERS", "0", "CLUSTER_GUNICORN_WORKERS"),
    ("CLUSTER_CELERY_WORKERS", "-1", "CLUSTER_CELERY_WORKERS"),
])
def test_bad_values_are_refused_naming_the_variable(name: str, value: str, named: str) -> None:
    with pytest.raises(ClusterConfigError, match=named):
        load_cluster_settings({name: value})


def test_an_instance_out_of_service_is_marked_down_in_place() -> None:
    upstream = render_upstream({8081: True, 8082: False, 8083: True})
    lines = [line.strip() for line in upstream.splitlines()]
    assert lines[1] == "server 127.0.0.1:8081 max_fails=1 fail_timeout=5s;"
    assert lines[2] == "server 127.0.0.1:8082 max_fails=1 fail_timeout=5s down;"
    assert lines[3] == "server 127.0.0.1:8083 max_fails=1 fail_timeout=5s;"


def test_the_configuration_has_no_placeholder_left(tmp_path) -> None:
    text = render_configuration(tmp_path, 8180)
    assert not re.search(r"\{\{[A-Z_]+\}\}", text)
    assert "listen 127.0.0.1:8180;" in text
    assert f"include {tmp_path}/upstream.conf;" in text
