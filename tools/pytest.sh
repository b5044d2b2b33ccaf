#!/usr/bin/env bash
# The quick edit-and-test loop (pytest-odoo): run some of our tests with pytest on a
# database where the modules are already installed, without reinstalling anything.
#   tools/pytest.sh <database> [pytest arguments: test files, -k, --odoo-http, ...]
# e.g. tools/pytest.sh coworking addons/payment_br_base/tests/test_utils.py
# HTTP cases need --odoo-http (a server in the pytest process). CI keeps Odoo's own
# runner (tools/test.sh), as pytest-odoo's documentation advises; a module changed
# since the database was made needs `-u <module>` first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DB="${1:?usage: tools/pytest.sh <database> [pytest arguments]}"
shift
VENV="${VENV:-$ROOT/.venv}"
rc="$(mktemp -t odoo-pytest-XXXX.conf)"
trap 'rm -f "$rc"' EXIT
printf '[options]\naddons_path = %s\nhttp_interface = 127.0.0.1\nhttp_port = %s\n' \
    "$(bash tools/addons.sh)" "${HTTP_PORT:-8079}" >"$rc"
exec "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$rc" "$@"
