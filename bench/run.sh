#!/usr/bin/env bash
# The benchmark: `bash bench/run.sh` (seed data, every endpoint, the ceiling), `bash bench/run.sh --growth`
# (1k vs 100k products), `--no-cache` (catalog response cache off), `--duration N` (seconds per endpoint).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/services.sh
ensure_wrk
source scripts/venv.sh
ensure_venv requirements.txt
exec .venv/bin/python -m bench.run "$@"
