# taskweb: `make run` serves the app on http://127.0.0.1:5000 (SQLite);
# `make test` runs the whole suite against a throwaway PostgreSQL, Redis and Chromium.
VENV        := .venv
PYTHON      := $(VENV)/bin/python
FLASK       := $(VENV)/bin/flask --app wsgi
VENDOR      := taskweb/static/vendor
RUN_DONE    := $(VENV)/.installed-runtime
PY_DONE     := $(VENV)/.installed
JS_DONE     := $(VENDOR)/.installed
# Inside node_modules/: every `npm ci` removes it, so a runtime-only install invalidates it.
JS_DEV_DONE := node_modules/.installed-dev

.PHONY: install install-runtime run test bench bench-reminders clean cluster test-cluster

# Everything for development: what the app needs to run, and the test tools.
install: $(PY_DONE) $(JS_DONE) $(JS_DEV_DONE)

# Only what the app needs to run (`make run`, production).
install-runtime: $(RUN_DONE) $(JS_DONE)

# Each stamp is remade only when its requirements file changes.
$(RUN_DONE): requirements.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(PY_DONE): $(RUN_DONE) requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser assets come from the npm registry at install time, never from a CDN.
$(JS_DONE): package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/
	cp node_modules/idiomorph/dist/idiomorph.min.js $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js $(VENDOR)/swagger-ui/
	touch $@

# The npm devDependencies (test tools) on top.
$(JS_DEV_DONE): $(JS_DONE)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install-runtime
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) run --host 127.0.0.1 --port 5000

# Two processes for most of the suite, then the resilience tests alone (scripts/run-suite.sh).
test: install
	scripts/test-services.sh scripts/run-suite.sh $(PYTHON)

# The production shape on this machine (README, "make cluster"): nginx on
# http://127.0.0.1:8080 (CLUSTER_PORT) in front of 3 gunicorn instances, 2 Celery workers
# and a beat, on a throwaway PostgreSQL and Redis. Ctrl-C stops everything;
# `.venv/bin/python -m deploy.cluster restart` restarts the instances one by one.
cluster: install-runtime
	$(PYTHON) -m deploy.cluster

# The cluster's tests under 32 clients, then the Chromium journeys through its nginx.
test-cluster: install
	PG_PORT=54339 REDIS_PORT=63809 scripts/test-services.sh scripts/test-cluster.sh $(PYTHON)

# taskweb against a bare WSGI floor under the same gunicorn settings, on a throwaway
# PostgreSQL seeded with 1 M tasks (about 13 minutes). Results go to bench/results/;
# `make bench BENCH_ARGS=--update-results` also refreshes bench/RESULTS.md.
BENCH_ARGS ?=
bench: install
	WITH_BROWSER=0 PG_PORT=54349 REDIS_PORT=63819 scripts/test-services.sh $(PYTHON) -m bench.run $(BENCH_ARGS)
	$(MAKE) bench-reminders

# 10,000 reminders due in one minute, delivered by 2 Celery workers (about 3 minutes).
bench-reminders: install
	WITH_BROWSER=0 PG_PORT=54349 REDIS_PORT=63819 scripts/test-services.sh $(PYTHON) -m bench.reminders $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance .pytest_cache test-artifacts
