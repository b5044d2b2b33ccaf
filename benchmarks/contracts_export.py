"""Contracts export at scale (F10, N3): our Excel export beside Odoo's list export.

One database, one run, the same contracts and the same 14 columns exported twice:

* ours: the "Contracts (Excel)" report (``report_xlsx``), which streams rows to
  disk (xlsxwriter ``constant_memory``) and reads contracts 1,000 at a time;
* Odoo's: what ``/web/export/xlsx`` does for the list view's "Export" (all records
  through ``export_data``, then ``ExcelExport.from_data`` in memory).

Each export runs in a fresh Odoo process (``odoo-bin shell``), as the admin user, and
reports wall time and the process's peak memory during the export: the peak resident
set size (Linux ``VmHWM``, reset just before the export) minus the resident size
before it. Run from the repository root after ``make setup``::

    .venv/bin/python benchmarks/contracts_export.py --sizes 10000 100000

It creates (or reuses with --reuse) the database ``coworking_bench_export`` with as
many contracts as the largest size (bulk SQL copies of one contract made by the ORM)
and prints a table; the README keeps the figures.
"""

import argparse
import os
import platform
import time

from bench_common import db_exists, install_fresh, odoo

# One client and one contract made by the ORM, then copied row by row in SQL (every
# column of the model's table, a few overridden): 100,000 in well under a minute.
SEED = r"""
N = {count}
env = env(context=dict(env.context, tracking_disable=True))
cr = env.cr
company = env.company
unit = env["coworking.unit"].create(
    {{"name": "Bench unit", "notification_emails": "desk@example.com"}}
)
plans = env["coworking.plan"].create([
    {{"name": name, "unit_id": unit.id, "recurring_price": price}}
    for name, price in (("Fixed desk", 800.0), ("Hot desk", 450.0), ("Office", 2400.0))
])
client = env["res.partner"].create(
    {{"name": "Template client", "email": "t@example.com", "vat": "52998224725"}}
)
pricelist = env["product.pricelist"].search(
    [("currency_id", "=", company.currency_id.id)], limit=1
) or env["product.pricelist"].create(
    {{"name": "Bench", "currency_id": company.currency_id.id}}
)
contract = env["sale.subscription"].create({{
    "partner_id": client.id,
    "coworking_plan_id": plans[0].id, "coworking_unit_id": unit.id,
    "template_id": plans[0].subscription_template_id.id,
    "pricelist_id": pricelist.id, "coworking_signup_origin": "online",
    "sale_subscription_line_ids": [(0, 0, {{
        "product_id": plans[0].product_id.id, "price_unit": 800.0,
    }})],
}})
env.flush_all()


def columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " AND column_name != 'id'", [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(table, template_id, overrides, source):
    cols = columns(table)
    values = [overrides.get(col, f"t.{{col}}") for col in cols]
    # no parameters: the SQL below keeps its % signs
    cr.execute(
        f"INSERT INTO {{table}} ({{', '.join(cols)}}) SELECT {{', '.join(values)}}"
        f" FROM {{table}} t, {{source}} WHERE t.id = {{int(template_id)}}"
    )


# a quarter of the names typed with spreadsheet-looking text, as the public may
copy_rows("res_partner", client.id, {{
    "name": "CASE WHEN g % 4 = 0 THEN '=HYPERLINK(\"http://x\",\"y\") ' || g"
            " ELSE 'Cliente ' || g END",
    "complete_name": "'Cliente ' || g",
    "email": "'cliente' || g || '@example.com'",
    "vat": "lpad(g::text, 11, '0')",
    "coworking_vat_digits": "lpad(g::text, 11, '0')",
    "ref": "'bench-' || g",
}}, f"generate_series(1, {{N}}) g")
cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE 'bench-%'")
plan_ids = plans.ids
copy_rows("sale_subscription", contract.id, {{
    "name": "'CT' || lpad(p.g::text, 6, '0')",
    "partner_id": "p.id",
    "coworking_plan_id": f"(ARRAY{{plan_ids}})[p.g % 3 + 1]",
    "date_start": "DATE '2025-01-01' + (p.g % 365)::integer",
    "coworking_due_day": "extract(day FROM DATE '2025-01-01' + (p.g % 365)::integer)",
    "recurring_next_date": "DATE '2026-01-01' + (p.g % 365)::integer",
    "recurring_total": "400 + (p.g % 5) * 100",
    "coworking_signup_origin": "CASE WHEN p.g % 3 = 0 THEN 'manual' ELSE 'online' END",
    "coworking_benefits_state": "CASE WHEN p.g % 7 = 0 THEN 'held' ELSE 'active' END",
}}, "(SELECT id, row_number() OVER (ORDER BY id) AS g FROM res_partner"
    " WHERE ref LIKE 'bench-%') p")
cr.execute("ANALYZE res_partner")
cr.execute("ANALYZE sale_subscription")
cr.commit()
print("SEEDED", env["sale.subscription"].search_count([]))
"""

MEASURE = r"""
import time
from odoo.http import _request_stack
from odoo.addons.web.controllers.export import ExcelExport

METHOD, SIZE = {method!r}, {size}
env = env(user=env.ref("base.user_admin").id, su=False)
ids = env["sale.subscription"].search([], order="id", limit=SIZE).ids
FIELDS = [
    ("name", "Contract", "char"), ("partner_id", "Client", "many2one"),
    ("partner_id/vat", "CPF/CNPJ", "char"), ("partner_id/email", "E-mail", "char"),
    ("coworking_plan_id", "Plan", "many2one"),
    ("coworking_unit_id", "Unit", "many2one"),
    ("coworking_signup_origin", "Registered by", "selection"),
    ("date_start", "Start date", "date"), ("coworking_due_day", "Due day", "integer"),
    ("recurring_next_date", "Next invoice", "date"),
    ("recurring_total", "Amount per period", "monetary"),
    ("currency_id", "Currency", "many2one"),
    ("coworking_benefits_state", "Benefits", "selection"),
    ("stage_id", "Stage", "many2one"),
]


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024


class FakeRequest:  # ExcelExport reads request.env
    def __init__(self, env):
        self.env = env


def odoo_export():
    _request_stack.push(FakeRequest(env))
    try:
        records = env["sale.subscription"].browse(ids)
        rows = records.export_data([name for name, _l, _t in FIELDS])["datas"]
        fields = [{{"name": n, "label": l, "type": t}} for n, l, t in FIELDS]
        return ExcelExport().from_data(fields, [l for _n, l, _t in FIELDS], rows)
    finally:
        _request_stack.pop()


def our_export():
    return env["ir.actions.report"]._render_xlsx(
        "coworking_online_signup.contract_xlsx", ids, {{}}
    )[0]


env.invalidate_all()
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:  # resets VmHWM to the current RSS
    f.write("5")
started = time.perf_counter()
content = (our_export if METHOD == "ours" else odoo_export)()
elapsed = time.perf_counter() - started
peak = status("VmHWM")
print("RESULT", METHOD, len(ids), elapsed, before, peak - before, len(content))
"""


def seed(db, count, reuse):
    if reuse and db_exists(db):
        return
    install_fresh(db)
    out = odoo(
        db, "shell", "--no-http", "--log-level=error", input=SEED.format(count=count)
    )
    print(next(x for x in out.stdout.splitlines() if x.startswith("SEEDED ")))


def measure(db, method, size):
    out = odoo(
        db,
        "shell",
        "--no-http",
        "--log-level=error",
        input=MEASURE.format(method=method, size=size),
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    _tag, method, rows, elapsed, before, growth, size_bytes = line.split()
    return {
        "method": method,
        "rows": int(rows),
        "seconds": float(elapsed),
        "rss_before_mb": int(before) / 2**20,
        "peak_growth_mb": int(growth) / 2**20,
        "file_mb": int(size_bytes) / 2**20,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="coworking_bench_export")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--reuse", action="store_true", help="keep an existing db")
    args = parser.parse_args()
    started = time.time()
    seed(args.db, max(args.sizes), args.reuse)
    print(f"database ready in {time.time() - started:.0f} s")
    results = []
    for size in args.sizes:
        for method in ("ours", "odoo"):
            results.append(measure(args.db, method, size))
            print(results[-1], flush=True)
    print(
        f"\n{time.strftime('%Y-%m-%d')}, machine: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n"
    )
    print("| rows | export | wall time | peak memory growth | file |")
    print("|---:|---|---:|---:|---:|")
    labels = {"ours": "Contracts (Excel), streamed", "odoo": "Odoo list export"}
    for r in results:
        print(
            f"| {r['rows']:,} | {labels[r['method']]} | {r['seconds']:.1f} s "
            f"| {r['peak_growth_mb']:.0f} MB | {r['file_mb']:.1f} MB |"
        )


if __name__ == "__main__":
    main()
