"""The Dockerfile and compose.yaml, checked without a container runtime (this machine
has none): their shape, parsed; hadolint on the Dockerfile; `docker-compose config` and
`nginx -t` where those are installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config import ConfigError, load_settings
from tests.integration.security.test_configuration import RecordingEnviron

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "Dockerfile").read_text()
COMPOSE_TEXT = (REPO / "compose.yaml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
TASKWEB_SERVICES = ("app", "worker", "beat", "migrate")
SECRETS = ("POSTGRES_PASSWORD", "SECRET_KEY", "JWT_SECRET_KEY", "METRICS_TOKEN",
           "MAIL_PASSWORD")
REFERENCE = re.compile(r"^\$\{(?P<name>[A-Z_]+)(?::[-?].*)?\}$")
EXAMPLE_SECRETS = {"POSTGRES_PASSWORD": "p" * 40, "SECRET_KEY": "s" * 40,
                   "JWT_SECRET_KEY": "j" * 40}


def instructions(keyword: str) -> list[str]:
    """The arguments of every ``keyword`` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [keyword]]


def interpolated(value: str) -> str:
    """A compose value with ${NAME...} filled in from EXAMPLE_SECRETS or its default."""
    def fill(match: re.Match[str]) -> str:
        name, rest = match.group(1), match.group(2) or ""
        return EXAMPLE_SECRETS.get(name, rest[2:] if rest.startswith(":-") else "")
    return re.sub(r"\$\{([A-Z_]+)(:[-?][^}]*)?\}", fill, value)


def test_compose_has_the_shape_of_make_cluster() -> None:
    assert set(SERVICES) == {"nginx", "app", "worker", "beat", "migrate", "db", "redis"}
    assert SERVICES["app"]["deploy"]["replicas"] == 3
    assert "replicas" not in SERVICES["beat"].get("deploy", {})  # exactly one beat
    # Only nginx is published; the app replicas are reached through it.
    assert [name for name, service in SERVICES.items() if "ports" in service] == ["nginx"]
    assert SERVICES["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    for name in ("app", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
    for name in ("nginx", "app", "worker", "db", "redis"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert "/health" in " ".join(SERVICES["app"]["healthcheck"]["test"])


def test_compose_takes_every_secret_from_the_env_file() -> None:
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if any(secret in key for secret in ("PASSWORD", "SECRET", "TOKEN")):
                match = REFERENCE.match(str(value))
                assert match, f"{name}: {key} is written inline"
                assert match.group("name") in SECRETS
    # The ones production cannot do without stop `docker compose` when .env lacks them.
    for required in EXAMPLE_SECRETS:
        assert f"${{{required}:?set {required} in .env}}" in COMPOSE_TEXT
    assert re.search(r"^\.env$", (REPO / ".gitignore").read_text(), re.MULTILINE)
    example = (REPO / "deploy/compose/env.example").read_text()
    for secret in SECRETS:
        assert re.search(rf"^{secret}=$", example, re.MULTILINE), secret


def test_compose_sets_what_production_requires_and_only_real_settings() -> None:
    read = RecordingEnviron()
    load_settings(read)
    with pytest.raises(ConfigError):  # no secrets: every variable is asked for all the same
        load_settings(read, app_env="production")
    for name in TASKWEB_SERVICES:
        environment = SERVICES[name]["environment"]
        assert set(environment) <= read.asked, set(environment) - read.asked
        settings = load_settings({key: interpolated(str(value))
                                  for key, value in environment.items()})
        assert settings.app_env == "production"
        assert settings.redis_url == "redis://redis:6379/0"
        assert settings.database_url.startswith("postgresql+psycopg2://taskweb:")
        assert settings.trusted_proxies == 1


def test_dockerfile_runs_gunicorn_under_tini_as_a_user() -> None:
    bases = instructions("FROM")
    assert bases[-1].startswith("python:3.11-slim")
    user = instructions("USER")[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0
    assert instructions("ENTRYPOINT") == ['["/usr/bin/tini", "--"]']
    assert instructions("CMD") == ['["gunicorn", "-c", "gunicorn.conf.py"]']
    assert "/health" in instructions("HEALTHCHECK")[0]
    steps = instructions("COPY") + instructions("RUN")
    assert not [step for step in steps if "requirements-dev" in step]
    assert "PROMETHEUS_MULTIPROC_DIR=" in DOCKERFILE


def test_the_image_gets_the_browser_assets_make_installs() -> None:
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("$(JS_DONE): package.json package-lock.json\n", 1)[1]
    sources = set(re.findall(r"node_modules/\S+", recipe.split("touch $@", 1)[0]))
    assert sources and sources == set(re.findall(r"node_modules/\S+", DOCKERFILE))
    assert "npm ci --omit=dev" in DOCKERFILE


def test_hadolint_finds_nothing() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), "--no-color", "Dockerfile"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # docker-compose takes 2 s to start
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    env_file = tmp_path / "complete.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in EXAMPLE_SECRETS.items()))
    # Its own schema of the compose specification, and the interpolation of ${...}.
    result = subprocess.run(
        [compose, "--env-file", str(env_file), "-f", "compose.yaml", "config", "--quiet"],
        cwd=REPO, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_nginx_accepts_the_compose_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed")
    site = (REPO / "deploy/compose/nginx.conf").read_text()
    # Debian's nginx (1.22) predates `resolve` in upstreams (1.27.3, the image's 1.28
    # has it); Docker's DNS name is not known here either.
    assert "server app:8000 resolve" in site
    (tmp_path / "site.conf").write_text(site.replace("server app:8000 resolve",
                                                     "server 127.0.0.1:8000"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ include {tmp_path}/site.conf; }}\n")
    result = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c",
                             str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "location = /metrics" in site
