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
    echo "[run] creating database $DB: a Brazilian coworking with demo data (a few minutes)"
    # 1. Base only, then the main company becomes Brazilian (BRL, CNPJ, address in
    #    São Paulo) before accounting is installed: Odoo then installs the Brazilian
    #    chart of accounts and taxes (l10n_br) instead of a US one.
    "${BIN[@]}" "${ARGS[@]}" "${HTTP[@]}" -i base --stop-after-init \
        --max-cron-threads=0 --log-level=warn
    "${BIN[@]}" shell "${ARGS[@]}" --no-http --log-level=error <<'PY'
brl = env.ref("base.BRL")
brl.active = True
company = env.company
company.write({
    "name": "Coworking Paulista Ltda",
    "currency_id": brl.id,
    "country_id": env.ref("base.br").id,
    "state_id": env.ref("base.state_br_sp").id,
    "street": "Avenida Paulista, 1000",
    "street2": "Bela Vista",
    "city": "São Paulo",
    "zip": "01310-100",
    "vat": "11.222.333/0001-81",
    "email": "contato@coworking-paulista.example.com",
    "phone": "+55 11 3000-1000",
})
company.partner_id.tz = "America/Sao_Paulo"
env["res.lang"]._activate_lang("pt_BR")
env.cr.commit()
PY
    # 2. Our addons (their demo data: one unit, three plans, priced in reais now).
    "${BIN[@]}" "${ARGS[@]}" "${HTTP[@]}" -i "l10n_br,$MODULES" --stop-after-init \
        --max-cron-threads=0 --log-level=warn
    # 3. Portuguese first on the website (English available), PIX with a demo key
    #    (static: the operator confirms the payment, no bank needed), Banco Inter in
    #    test mode with placeholder credentials (enter your sandbox ones to issue
    #    real test boletos), online signup on.
    "${BIN[@]}" shell "${ARGS[@]}" --no-http --log-level=error <<'PY'
env["ir.module.module"].search([("state", "=", "installed")])._update_translations("pt_BR")
pt_br, en = env.ref("base.lang_pt_BR"), env.ref("base.lang_en")
website = env["website"].search([], limit=1)
website.write({
    "language_ids": [(6, 0, (pt_br | en).ids)],
    "default_lang_id": pt_br.id,
    "name": env.company.name,
})
env.user.lang = "pt_BR"
# Services pay ISS to the city, at rates the operator sets: the demo's plans carry no
# tax, so the price shown is the price charged.
plans = env["coworking.plan"].search([])
(plans.product_id | plans._get_setup_fee_product()).taxes_id = False
Provider = env["payment.provider"]
pix = Provider.search([("code", "=", "pix_br"), ("company_id", "=", env.company.id)])
if pix and pix.state == "disabled":
    pix.write({
        "state": "enabled",
        "is_published": True,
        "pix_br_key": "contato@coworking-paulista.example.com",
        "pix_br_receiver_name": "Coworking Paulista",
        "pix_br_receiver_city": "Sao Paulo",
    })
inter = Provider.search([("code", "=", "inter_br"), ("company_id", "=", env.company.id)])
if inter and inter.state == "disabled":
    inter.write({
        "state": "test",
        "is_published": True,
        "inter_br_client_id": "sandbox-client-id",
        "inter_br_client_secret": "sandbox-client-secret",
    })
if Provider._get_coworking_signup_providers(env.company):
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
