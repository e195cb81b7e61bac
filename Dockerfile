# syntax=docker/dockerfile:1
# taskweb's image: gunicorn (gunicorn.conf.py) under tini, as an unprivileged user.
#   docker build -t taskweb .
# The same image runs the web app (default), the Celery worker and beat, and the
# migrations (`flask --app wsgi db upgrade`): see compose.yaml and README "Containers".

# The browser assets come from the npm registry at build time, as `make install-runtime`
# fetches them (the same files: Makefile, $(JS_DONE)); only they reach the final image.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
    && mkdir -p vendor/swagger-ui \
    && cp node_modules/htmx.org/dist/htmx.min.js vendor/ \
    && cp node_modules/sortablejs/Sortable.min.js vendor/ \
    && cp node_modules/idiomorph/dist/idiomorph.min.js vendor/ \
    && cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js vendor/swagger-ui/

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000"
# gunicorn listens on every interface of the container: on compose's network only nginx
# (and a Prometheus beside it) reaches it; compose.yaml publishes no port of the app.
# tini as PID 1: it passes SIGTERM on to gunicorn (which drains its workers) and reaps
# orphans, which a Python PID 1 would not.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini=0.19.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/taskweb
# Runtime dependencies only: requirements-dev.txt (test tools) never enters the image.
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY config.py wsgi.py gunicorn.conf.py ./
COPY migrations ./migrations
COPY taskweb ./taskweb
COPY --from=assets /build/vendor ./taskweb/static/vendor
# The code belongs to root and is read-only for the app's user; it may write only the
# metrics directory (PROMETHEUS_MULTIPROC_DIR) and beat's schedule.
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin taskweb \
    && mkdir -p /var/lib/taskweb /run/taskweb-metrics \
    && chown taskweb:taskweb /var/lib/taskweb /run/taskweb-metrics
ENV PROMETHEUS_MULTIPROC_DIR=/run/taskweb-metrics
USER 10001:10001
EXPOSE 8000
# /health: 200 when the app answers and the database does.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
