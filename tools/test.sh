#!/usr/bin/env bash
# The test command (README: `make test`): lint, then install every addon of ours with
# tests enabled on a fresh throwaway database, run all tests, drop the database.
# Fails on any failed test, on any ERROR/WARNING line in Odoo's log, and on lint
# violations. Prints "N passed, N failed" last.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
bash tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

VENV="${VENV:-$ROOT/.venv}"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
ADDONS="$(bash tools/addons.sh)"
MODULES="${MODULES:-$(bash tools/addons.sh --modules)}"
DB="coworking_test_$$_$(date +%s)"
LOG="$(mktemp -t odoo-test-XXXX.log)"
status=0

# 1. Lint ------------------------------------------------------------------------------------
if [ "${SKIP_LINT:-0}" != 1 ]; then
    echo "== lint"
    bash tools/lint.sh || status=1
    [ "$status" = 0 ] || echo "lint failed"
fi

# 2. Tests on a fresh database -----------------------------------------------------------
echo "== tests on database $DB (log: $LOG)"
port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" \
    --addons-path="$ADDONS" \
    -d "$DB" -i "$MODULES" \
    --test-enable --test-tags="${TEST_TAGS:-$(bash tools/addons.sh --modules | sed 's|^|/|; s|,|,/|g')}" \
    --stop-after-init --log-level=test \
    --http-interface=127.0.0.1 --http-port="$port" --gevent-port=0 \
    --max-cron-threads=0 --workers=0 --without-demo="${WITHOUT_DEMO:-}" \
    >"$LOG" 2>&1
odoo_rc=$?
"$VENV/bin/python" - "$DB" <<'EOF' >/dev/null 2>&1
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres"); conn.autocommit = True
conn.cursor().execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}" WITH (FORCE)')
EOF

# 3. Verdict ------------------------------------------------------------------------------
"$VENV/bin/python" "$ROOT/tools/test_summary.py" "$LOG" "$odoo_rc" "$status"
