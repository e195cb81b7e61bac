#!/usr/bin/env bash
# `make test-cluster`, inside scripts/test-services.sh: the cluster's own tests with 32
# clients of load, then the Chromium journeys through a cluster's nginx (README,
# "make cluster"). The cluster runs on the suite's PostgreSQL database and Redis, so
# the data the tests' fixtures make is the data the instances serve.
#   scripts/test-cluster.sh .venv/bin/python [pytest arguments]
set -uo pipefail
PYTHON=$1
shift
CLUSTER_TEST_CLIENTS=32 "$PYTHON" -m pytest -p no:randomly tests/resilience/test_cluster.py "$@"
own=$?

LOG=$(mktemp /tmp/taskweb-test-cluster.XXXXXX)
CLUSTER_PORT=8180 CLUSTER_APP_PORTS=8181,8182,8183 \
  CLUSTER_DATABASE_URL=$TEST_DATABASE_URL CLUSTER_REDIS_URL=${TEST_REDIS_URL%/*}/15 \
  BCRYPT_ROUNDS=4 LOGIN_RATE_LIMIT="100000 per minute" ACCOUNT_RATE_LIMIT="100000 per minute" \
  "$PYTHON" -m deploy.cluster >"$LOG" 2>&1 &
cluster=$!
stop_cluster() {
  kill -TERM "$cluster" 2>/dev/null
  wait "$cluster"
  rm -f "$LOG"
}
trap stop_cluster EXIT
until grep -q "is serving on" "$LOG"; do
  if ! kill -0 "$cluster" 2>/dev/null; then cat "$LOG"; exit 1; fi
  sleep 0.5
done
CLUSTER_URL=http://127.0.0.1:8180 "$PYTHON" -m pytest -p no:randomly tests/e2e "$@"
journeys=$?
exit $((own ? own : journeys))
