#!/usr/bin/env bash
# The shop-traffic benchmark (see bench/README.md): a random shop mix on SQLite and a throwaway PostgreSQL.
#   bash bench/shop.sh [--duration 20] [--kind-duration 5] [--rounds 2] [--databases sqlite,postgres]
#                      [--no-kinds] [--compare <git rev>]      -> bench/results/shop-latest.md
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/venv.sh
ensure_venv requirements.txt
source scripts/services.sh
ensure_wrk
trap stop_services EXIT
if [[ " $* " != *" --databases sqlite "* && " $* " != *" --databases=sqlite "* ]]; then
    start_postgres
fi
export PG_URL="${PG_URL:-}"
.venv/bin/python -m bench.shop "$@"
