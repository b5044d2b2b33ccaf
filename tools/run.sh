#!/usr/bin/env bash
# The run command (README: `make run`): setup, create the `coworking` database with our
# addons and demo data when it is missing, print the admin login and the demo plan
# links, then serve Odoo on 127.0.0.1:8069.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh

VENV="${VENV:-$ROOT/.venv}"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
DB="${DB:-coworking}"
PORT="${PORT:-8069}"
ADDONS="$(bash tools/addons.sh)"
MODULES="$(bash tools/addons.sh --modules)"
BIN=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")
ARGS=(--addons-path="$ADDONS" -d "$DB")
HTTP=(--http-interface=127.0.0.1 --http-port="$PORT")

if ! "$VENV/bin/python" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
sys.exit(0 if cur.fetchone() else 1)
PY
then
    echo "[run] creating database $DB with $MODULES and demo data (a few minutes)"
    "${BIN[@]}" "${ARGS[@]}" "${HTTP[@]}" -i "$MODULES" --stop-after-init \
        --max-cron-threads=0 --log-level=warn
    # Demo: Portuguese on the website, Banco Inter in test mode with placeholder
    # credentials (enter your sandbox ones to issue real test boletos), signup on.
    "${BIN[@]}" shell "${ARGS[@]}" --no-http --log-level=error <<'PY'
env["res.lang"]._activate_lang("pt_BR")
env["ir.module.module"].search([("state", "=", "installed")])._update_translations("pt_BR")
website = env["website"].search([], limit=1)
website.language_ids |= env.ref("base.lang_pt_BR")
env.company.partner_id.tz = "America/Sao_Paulo"
provider = env["payment.provider"].search([("code", "=", "inter_br")], limit=1)
if provider and provider.state == "disabled":
    provider.write({
        "state": "test",
        "is_published": True,
        "inter_br_client_id": "sandbox-client-id",
        "inter_br_client_secret": "sandbox-client-secret",
    })
if env["payment.provider"]._get_coworking_signup_providers(env.company):
    env.company.coworking_signup_enabled = True
env.cr.commit()
PY
fi

"${BIN[@]}" shell "${ARGS[@]}" --no-http --log-level=error <<'PY'
base = env["ir.config_parameter"].sudo().get_param("web.base.url")
print("")
print("Odoo:        %s/odoo  (login: admin, password: admin)" % base)
company = env.company
state = "on" if company.coworking_signup_enabled else "off (Coworking > Configuration > Settings)"
print("Online signup for %s: %s" % (company.name, state))
for plan in env["coworking.plan"].search([("is_published", "=", True)]):
    print("Plan link:   %-28s %s" % (plan.name, plan.public_url))
print("")
PY

exec "${BIN[@]}" "${ARGS[@]}" "${HTTP[@]}" --max-cron-threads=1
