#!/usr/bin/env bash
# The whole suite, as `make test` runs it (inside scripts/test-services.sh): most tests in
# TEST_PROCESSES parallel processes (pytest-xdist; each has its own database), then the
# `serial` ones alone (browser journeys and resilience tests: they wait on timing or load
# the machine themselves).
#   scripts/run-suite.sh .venv/bin/python [pytest arguments]
set -uo pipefail
PYTHON=$1
shift
"$PYTHON" -m pytest -n "${TEST_PROCESSES:-2}" --dist load -m "not serial" "$@"
parallel=$?
# tests/fuzz has no serial test, and collecting it costs seconds (schemathesis builds
# its cases from the OpenAPI document as it collects).
"$PYTHON" -m pytest -m serial --ignore=tests/fuzz "$@"
serial=$?
((serial == 5)) && serial=0  # 5: no serial test among the ones asked for
((parallel == 5)) && parallel=0
exit $((parallel ? parallel : serial))
