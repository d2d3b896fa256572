#!/usr/bin/env bash
# Install, build the schema, load the seed data and serve the API on the embedded SQLite database, with the
# background worker (mail written to the log unless MAIL_SERVER is set, webhooks, periodic clean-up) beside it.
# Usage: scripts/run_dev.sh     (PORT=5000 by default; the seed is skipped when the data is already there)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/venv.sh
ensure_venv requirements-local.txt

export FLASK_APP=run.py FLASK_ENV="${FLASK_ENV:-development}"
.venv/bin/flask db upgrade
.venv/bin/python seed_data_go2market.py
.venv/bin/flask worker &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
.venv/bin/flask run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
