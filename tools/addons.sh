#!/usr/bin/env bash
# Print the addons path (default), our module names (--modules) or their folders (--paths).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
VENV="${VENV:-$ROOT/.venv}"
ours=()
for manifest in "$ROOT"/addons/*/__manifest__.py; do
    [ -f "$manifest" ] && ours+=("$(basename "$(dirname "$manifest")")")
done
case "${1:-}" in
    --modules) (IFS=,; echo "${ours[*]}") ;;
    --paths) for m in "${ours[@]}"; do printf '%s ' "$ROOT/addons/$m"; done; echo ;;
    *)
        site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
        echo "$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$site/odoo/addons,$ROOT/addons"
        ;;
esac
