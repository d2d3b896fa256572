#!/usr/bin/env bash
# Run the whole test suite on SQLite and on PostgreSQL (throwaway servers), then the Postman collection, the system
# tests (gunicorn + PostgreSQL + Redis: faults, several servers, soak) and the schemathesis fuzzing.
# Usage: scripts/test.sh [pytest args...]    TEST_DB=sqlite|postgres runs only one.
# The Postman, system and fuzz stages run when no pytest args are given; POSTMAN, SYSTEM or FUZZ=1 or 0 forces one
# on or off.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_DB="${TEST_DB:-both}"
if [[ $# == 0 ]]; then POSTMAN="${POSTMAN:-1}"; else POSTMAN="${POSTMAN:-0}"; fi
if [[ $# == 0 ]]; then SYSTEM="${SYSTEM:-1}" FUZZ="${FUZZ:-1}"; else SYSTEM="${SYSTEM:-0}" FUZZ="${FUZZ:-0}"; fi
case "$TEST_DB" in
    both|sqlite|postgres) ;;
    *) echo "TEST_DB must be sqlite or postgres (or unset for both)" >&2; exit 2 ;;
esac

source scripts/venv.sh
ensure_venv requirements-dev.txt

source scripts/services.sh
trap stop_services EXIT
# Make Ctrl-C / SIGTERM go through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_chromium
start_redis
export TEST_REDIS_URL="$REDIS_URL"
start_postgres  # also on the SQLite stage: tests of a plain postgresql:// URL connect to it
export TEST_POSTGRES_URL="$PG_URL"

result() {  # pytest rc -> word; rc 5 (nothing collected) is a failure too
    if [[ "$1" == - ]]; then echo skipped; elif [[ "$1" == 0 ]]; then echo passed; else echo "FAILED (rc=$1)"; fi
}

sqlite_rc=- pg_rc=- postman_rc=- system_rc=- fuzz_rc=-
set +e
if [[ "$TEST_DB" != postgres ]]; then
    echo "== tests on SQLite =="
    env -u TEST_DATABASE_URL .venv/bin/python -m pytest "$@"
    sqlite_rc=$?
fi
if [[ "$TEST_DB" != sqlite ]]; then
    echo "== tests on PostgreSQL =="
    TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "$@"
    pg_rc=$?
fi
if [[ "$POSTMAN" == 1 ]]; then
    echo "== Postman collection (newman against gunicorn) =="
    bash scripts/postman.sh
    postman_rc=$?
fi
if [[ "$SYSTEM" == 1 ]]; then
    echo "== system tests (gunicorn on PostgreSQL and Redis: database down, several servers, soak) =="
    env -u TEST_DATABASE_URL .venv/bin/python -m pytest -m system tests/system
    system_rc=$?
fi
if [[ "$FUZZ" == 1 ]]; then
    echo "== fuzzing (schemathesis against gunicorn, as customer and as admin) =="
    bash scripts/fuzz.sh
    fuzz_rc=$?
fi
set -e

echo "== summary: SQLite $(result "$sqlite_rc"), PostgreSQL $(result "$pg_rc"), Postman $(result "$postman_rc")," \
    "system $(result "$system_rc"), fuzz $(result "$fuzz_rc") =="
ok() { [[ "$1" == 0 || "$1" == - ]]; }
ok "$sqlite_rc" && ok "$pg_rc" && ok "$postman_rc" && ok "$system_rc" && ok "$fuzz_rc" || exit 1
