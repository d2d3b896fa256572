#!/usr/bin/env bash
# Fuzz every operation of /api/openapi.json with schemathesis against a live gunicorn server on a throwaway
# SQLite database (migrated and seeded): once as a customer, once as an admin, then the token-ending
# operations (logout, change-password) last. Zero failures or the script fails.
# Usage: scripts/fuzz.sh    FUZZ_MAX_EXAMPLES=N cases per operation and phase (default 50); FUZZ_KEEP=1 keeps
# the database and the server logs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY="$(command -v python3)"
BIN="$(dirname "$PY")"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
WORK="$(mktemp -d)"
source scripts/services.sh
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
GUNICORN_PID=

cleanup() {
    if [[ -n "$GUNICORN_PID" ]]; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [[ -n "${FUZZ_KEEP:-}" ]]; then echo "fuzz logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

export FLASK_APP=wsgi.py FLASK_ENV=production
export SECRET_KEY="fuzz-$RANDOM-$RANDOM-$RANDOM" JWT_SECRET_KEY="fuzz-jwt-secret-$RANDOM-$RANDOM-$RANDOM-$RANDOM"
export DATABASE_URL="sqlite:///$WORK/fuzz.db" UPLOAD_FOLDER="$WORK/uploads" RATELIMIT_ENABLED=false
export TASK_QUEUE_URL="sqlite:///$WORK/tasks.db"  # the queue of this run, not instance/tasks.db
# Cheap password hashes: the fuzzer logs in and registers a lot; the cost is not what is under test.
export PASSWORD_HASH_MEMORY_KIB=1024 PASSWORD_HASH_TIME_COST=1
mkdir -p "$UPLOAD_FOLDER"

"$BIN/flask" db upgrade >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
"$BIN/flask" seed >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }

HOST=127.0.0.1 PORT="$PORT" WEB_CONCURRENCY=2 GUNICORN_THREADS=4 \
    "$BIN/gunicorn" -c gunicorn.conf.py --access-logfile "$WORK/access.log" --error-logfile "$WORK/error.log" \
    wsgi:app >"$WORK/server.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/error.log" "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

login() {  # login <email> <password> -> "<user id> <access token>"
    curl -fsS -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email_or_username\": \"$1\", \"password\": \"$2\"}" |
        "$PY" -c 'import json, sys; b = json.load(sys.stdin); print(b["user"]["id"], b["access_token"])'
}

read -r ADMIN_ID ADMIN_TOKEN < <(login admin@ecommerce.com 'Admin123!')
read -r CUSTOMER_ID CUSTOMER_TOKEN < <(login customer1@email.com 'Customer123!')
export SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}"
read -r SPARE_ID _ < <(login customer50@email.com 'Customer123!')
export FUZZ_PROTECTED_USER_IDS="$ADMIN_ID,$CUSTOMER_ID" FUZZ_SPARE_USER_ID="$SPARE_ID"

TOKEN_ENDERS='^/api/auth/(logout|change-password)$'
TOTAL=0
FAILED=0
fuzz() {  # fuzz <label> <token> [schemathesis options...]
    local label="$1" token="$2" rc cases
    shift 2
    echo "== fuzz: $label =="
    set +e
    # From $WORK: schemathesis keeps a cache directory in its working directory. One worker: concurrent
    # ast.parse inside hypothesis trips a CPython 3.11 bug ("AST constructor recursion depth mismatch").
    (cd "$WORK" && "$BIN/schemathesis" run "$BASE/api/openapi.json" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$MAX_EXAMPLES" --seed 20240601 --workers 1 --request-timeout 30 \
        --phases examples,coverage,fuzzing --suppress-health-check all --no-color \
        -H "Authorization: Bearer $token" "$@") 2>&1 | tee "$WORK/$label.log"
    rc=${PIPESTATUS[0]}
    set -e
    cases="$(grep -oE '[0-9]+ generated' "$WORK/$label.log" | tail -n1 | grep -oE '[0-9]+' || echo 0)"
    echo "== fuzz $label: $cases cases generated, exit $rc =="
    TOTAL=$((TOTAL + cases))
    [[ "$rc" == 0 ]] || FAILED=1
}

fuzz customer "$CUSTOMER_TOKEN" --exclude-path-regex "$TOKEN_ENDERS"
fuzz admin "$ADMIN_TOKEN" --exclude-path-regex "$TOKEN_ENDERS"
# Last: the operations that end the presented token (or every token of the account).
fuzz customer-token-enders "$CUSTOMER_TOKEN" --include-path-regex "$TOKEN_ENDERS"
fuzz admin-token-enders "$ADMIN_TOKEN" --include-path-regex "$TOKEN_ENDERS"

if grep -q 'Traceback' "$WORK/error.log" "$WORK/server.log"; then
    echo "== fuzz: the server logged a traceback ==" >&2
    grep -h -B2 -A30 'Traceback' "$WORK/error.log" "$WORK/server.log" | head -n 80 >&2
    FAILED=1
fi
echo "== fuzz summary: $TOTAL cases generated in total, $([[ $FAILED == 0 ]] && echo 'no failures' || echo FAILED) =="
exit "$FAILED"
