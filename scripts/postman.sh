#!/usr/bin/env bash
# Run the Postman collection with newman against gunicorn on a freshly migrated and seeded SQLite database.
# Usage: scripts/postman.sh [extra newman args...]    Exit status: newman's (non-zero when an assertion fails).
set -euo pipefail
cd "$(dirname "$0")/.."

NEWMAN_VERSION=6.2.2
NEWMAN=.tools/node_modules/.bin/newman
COLLECTION=postman/Go2Market.postman_collection.json

source scripts/venv.sh
[[ -x .venv/bin/gunicorn ]] || ensure_venv requirements-dev.txt
if [[ "$("$NEWMAN" --version 2>/dev/null)" != "$NEWMAN_VERSION" ]]; then
    npm install --prefix .tools --no-audit --no-fund --loglevel=error "newman@$NEWMAN_VERSION" >/dev/null
fi

WORK="$(mktemp -d)"
GUNICORN_PID=
cleanup() {
    if [[ -n "$GUNICORN_PID" ]]; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

random_secret() { .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))'; }
source scripts/services.sh
PORT="$(free_port)"
mkdir -p "$WORK/uploads"
export FLASK_APP=run.py FLASK_ENV=production RATELIMIT_ENABLED=false
export SECRET_KEY="$(random_secret)" JWT_SECRET_KEY="$(random_secret)"
export DATABASE_URL="sqlite:///$WORK/postman.db" UPLOAD_FOLDER="$WORK/uploads"
export TASK_QUEUE_URL="sqlite:///$WORK/tasks.db"  # the queue of this run, not instance/tasks.db

echo "== database: migrate and seed ($DATABASE_URL) =="
.venv/bin/flask db upgrade >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
.venv/bin/python seed_data_go2market.py

echo "== gunicorn on 127.0.0.1:$PORT =="
.venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" wsgi:app >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null || { echo "gunicorn did not answer /health" >&2; exit 1; }

echo "== newman $NEWMAN_VERSION: $COLLECTION =="
set +e
"$NEWMAN" run "$COLLECTION" --working-dir postman --env-var "base_url=http://127.0.0.1:$PORT" \
    --reporters cli "$@"
rc=$?
set -e
if [[ $rc != 0 ]]; then
    echo "-- last lines of the server log --" >&2
    tail -n 40 "$WORK/gunicorn.log" >&2
fi
exit $rc
