#!/usr/bin/env bash
# ruff, ruff-format and pylint-odoo (OCA's mandatory checks) over our code.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
VENV="${VENV:-$ROOT/.venv}"
status=0
paths=()
for d in addons benchmarks tools; do [ -d "$d" ] && paths+=("$d"); done
"$VENV/bin/ruff" check "${paths[@]}" || status=1
"$VENV/bin/ruff" format --check "${paths[@]}" || status=1
# shellcheck disable=SC2046
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory $(bash tools/addons.sh --paths) || status=1
[ "$status" = 0 ] && echo "lint: clean" || echo "lint: violations found"
exit "$status"
