#!/usr/bin/env bash
# The opt-in long soak (issue #17): tests/system/test_soak.py for 10 minutes against gunicorn with 4 workers on a
# throwaway PostgreSQL and Redis. It prints each minute's p50/p99, the workers' RSS and the open database
# connections every ~10 s, and fails on any 5xx or network error, on a worker growing 10% or more after the warm-up
# (the first 20% of the run), on more connections than the pools allow, or when the books do not balance.
# Usage: scripts/soak.sh [pytest args...]    SOAK_SECONDS (default 600) and SOAK_WORKERS (default 4) override.
# The CI run (scripts/test.sh, system stage) is the same test for 60 s with 2 workers.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/venv.sh
ensure_venv requirements-dev.txt

source scripts/services.sh
trap stop_services EXIT
# Make Ctrl-C / SIGTERM go through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

start_redis
export TEST_REDIS_URL="$REDIS_URL"
start_postgres
export TEST_POSTGRES_URL="$PG_URL"

echo "== soak: ${SOAK_SECONDS:-600} s, ${SOAK_WORKERS:-4} gunicorn workers on PostgreSQL and Redis =="
SOAK_SECONDS="${SOAK_SECONDS:-600}" SOAK_WORKERS="${SOAK_WORKERS:-4}" \
    env -u TEST_DATABASE_URL .venv/bin/python -m pytest -m system tests/system/test_soak.py "$@"
