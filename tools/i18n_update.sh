#!/usr/bin/env bash
# Export addons/<module>/i18n/<module>.pot from a database where the module is installed
# and up to date (default: coworking, made by `make run`), merge it into pt_BR.po (keeps existing
# translations, adds new msgids untranslated, drops obsolete ones), then list what is
# still untranslated. Usage: tools/i18n_update.sh <module> [database]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULE="$1"
DB="${2:-coworking}"
VENV="${VENV:-$ROOT/.venv}"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
mkdir -p "addons/$MODULE/i18n"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$(bash tools/addons.sh)" -d "$DB" \
    --i18n-export="addons/$MODULE/i18n/$MODULE.pot" --modules="$MODULE" \
    --stop-after-init --log-level=warn --http-interface=127.0.0.1 --http-port=0 >/dev/null
"$VENV/bin/python" tools/i18n_merge.py "addons/$MODULE/i18n/$MODULE.pot" \
    "addons/$MODULE/i18n/pt_BR.po" "${TRANSLATIONS:-}"
