#!/usr/bin/env bash
# The benchmark: `bash bench/run.sh` (seed data, every endpoint, the ceiling), `bash bench/run.sh --growth`
# (1k vs 100k products), `--no-cache` (catalog response cache off), `--duration N` (seconds per endpoint).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
source scripts/venv.sh
ensure_venv requirements.txt
exec .venv/bin/python -m bench.run "$@"
