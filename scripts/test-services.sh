#!/usr/bin/env bash
# Runs a command with the services the test suite needs, then tears them down:
# a throwaway PostgreSQL cluster, Redis, and Debian's Chromium (installed if missing;
# WITH_BROWSER=0 skips it, for the benchmarks). Debian's nginx is installed if missing
# too: tests/resilience starts its own, with deploy/nginx/taskweb.conf.
#   scripts/test-services.sh .venv/bin/pytest
set -euo pipefail
# Byte-code caches on, even where the environment turns them off: the suite starts some
# hundred Python processes (pytest's, gunicorn's and Celery's workers), and without them
# each compiles taskweb again and pytest rewrites every test module's asserts again
# (collecting the suite: 24 s without, 9.5 s with).
unset PYTHONDONTWRITEBYTECODE

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-54329}
REDIS_PORT=${REDIS_PORT:-63799}
# /usr/sbin is not on every user's PATH.
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

apt_install() {
  local missing=()
  [[ ${WITH_BROWSER:-1} == 0 ]] || command -v chromium >/dev/null || missing+=(chromium)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ -x $NGINX ]] || missing+=(nginx)
  command -v openssl >/dev/null || missing+=(openssl)  # the nginx tests' certificate
  [[ -x $PG_BIN/initdb ]] || missing+=(postgresql)
  if ((${#missing[@]})); then
    echo "Installing ${missing[*]} from Debian's packages..."
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_db_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

apt_install
WORK=$(mktemp -d /tmp/taskweb-test.XXXXXX)
chmod 755 "$WORK"
PGDATA=$WORK/pg
mkdir -p "$PGDATA"
[[ $(id -u) -eq 0 ]] && chown postgres "$PGDATA"

teardown() {
  as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  [[ -f $WORK/redis.pid ]] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap teardown EXIT

as_db_user "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust >/dev/null
as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" \
  -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
  -w start >/dev/null
"$PG_BIN/../bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres taskweb_test 2>/dev/null \
  || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE taskweb_test" >/dev/null

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize yes --pidfile "$WORK/redis.pid" >/dev/null

export TEST_DATABASE_URL="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/taskweb_test"
export TEST_PG_ADMIN_URL="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/postgres"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TEST_PG_DATA=$PGDATA TEST_PG_BIN=$PG_BIN TEST_PG_PORT=$PG_PORT
export TEST_NGINX=$NGINX
"$@"
