#!/usr/bin/env bash
# Every benchmark at a small size (a few thousand rows), each one command, so that none can rot unnoticed.
# Usage: bench/ci.sh [postgres://…/database]   (or DATABASE_URL); the database's registry is replaced.
# Figures at this size mean nothing; the full-size runs are `make bench`, `make bench-matching`, `make bench-pages`, `make bench-publik`, `make bench-coverage`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${1:-${DATABASE_URL:-}}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "bench/ci.sh needs a PostgreSQL database: pass its URL as \$1 or set DATABASE_URL" >&2; exit 2 ;;
esac
PYTHON="${PYTHON:-.venv/bin/python}"
PORT="${BENCH_PORT:-8101}"

echo "== bench: import, undo and scoped re-import (3,000 rows) =="
"$PYTHON" bench/import_households.py --rows 3000 --reset --openpyxl-rows 3000

echo "== bench: matching (5,000 households) =="
"$PYTHON" bench/matching.py --households 5000 --beneficiaries 1500 --target 200 --reset

echo "== bench: registry pages (5,000 households) =="
"$PYTHON" bench/pages.py --households 5000 --beneficiaries 1500 --proposed 200 --requests 3 --port "$PORT"

echo "== bench: dashboards (5,000 households) =="
"$PYTHON" bench/dashboards.py --households 5000 --beneficiaries 1500 --target 200 --requests 3 --seconds 0.3 --port "$PORT"

echo "== bench: public page, downloads and public API (the same database) =="
"$PYTHON" bench/publik.py --requests 3 --port "$PORT"

echo "== bench: register of obligated companies, reminders, coverage and public list (500 companies) =="
"$PYTHON" bench/coverage.py --companies 500 --years 2 --requests 3 --port "$PORT"

echo "== bench: field app sync over an emulated link, and opening offline (50 records, 1 photo) =="
# 512 kbit/s rather than the full run's 64: the one 154 KB photo would otherwise take 20 s of the CI run.
"$PYTHON" bench/field.py --events 50 --photos 1 --households 600 --kbit 512 --port "$PORT"

echo "== bench: etalase (2,000 needs) =="
"$PYTHON" bench/etalase.py --needs 2000 --requests 3
