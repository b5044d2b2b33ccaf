"""The coworking billing run beside subscription_oca's stock cron, on the same data.

One database, one run: N contracts in progress, each due (its next invoice date is
yesterday in the company's time zone). Each measure runs in its own ``odoo shell``
process, inside one transaction rolled back at the end, so every measure starts
from the same data:

* stock: ``sale.subscription.cron_subscription_management()`` (subscription_oca's
  cron: one loop over every subscription, ``generate_invoice`` each, which posts
  the invoice and sends it with its PDF through ``account.move.send``);
* ours: ``_cron_coworking_billing(batch_size=200)`` called while it bills some, as
  the cron machinery does (without its commits: the measure is rolled back);
  invoice posted, charged (token) or e-mailed with its payment link, logged on
  the contract and the client, quotas of the period loaded.

Measured: wall time, SQL queries (``cr.sql_log_count``) and the growth of the
process's peak resident memory during the run (``VmHWM`` after resetting it, less
``VmRSS`` before). Only the first ``n`` contracts are in progress for a measure of
``n`` (the others are set aside inside the rolled-back transaction), so memory can
be compared across sizes on the same database. Run from the repository root after
``make setup``::

    .venv/bin/python benchmarks/billing_run.py --count 10000 --stock-count 200

With ``--workers 1`` our run is also measured as the cron machinery runs it in
production, committing each batch (on a copy of the database, dropped after):
the measure that holds at 10,000 contracts. Inside one rolled-back transaction,
PostgreSQL's statistics never see the rows the run adds: on 2026-11-30 the
10,000-contract measure had not ended after an hour, its time spent in one query
(the invoices' payment state) planned for the nearly empty tables of the start.
A property of that measure, not of the run.

It creates (or reuses with --reuse) the database ``coworking_bench_billing``.
The stock cron renders one PDF per invoice (wkhtmltopdf), hours for 10,000: give
it a smaller --stock-count and compare the per-contract figures.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

from bench_common import (
    db_exists,
    drop_db,
    install_fresh,
    odoo,
    odoo_command,
    sh,
    shell,
)

SETUP = r"""
from datetime import timedelta
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
company = env.company
company.partner_id.tz = "America/Sao_Paulo"
unit = env["coworking.unit"].create({"name": "Bench billing"})
plan = env["coworking.plan"].create({
    "name": "Bench billing desk", "unit_id": unit.id, "recurring_price": 800.0,
    "setup_fee": 0.0, "benefits_start": "signup",
    "quota_ids": [(0, 0, {"name": "Meeting room hours", "quantity": 10})],
})
pricelist = env["product.pricelist"].create(
    {"name": "Bench billing", "currency_id": company.currency_id.id}
)
stage = env["sale.subscription.stage"].search([("type", "=", "in_progress")], limit=1)
yesterday = company._coworking_today() - timedelta(days=1)
start = yesterday - timedelta(days=31)
COUNT = int(__COUNT__)
for offset in range(0, COUNT, 500):
    size = min(500, COUNT - offset)
    partners = env["res.partner"].create([
        {"name": f"Bench member {offset + i}", "email": f"m{offset + i}@example.com"}
        for i in range(size)
    ])
    contracts = env["sale.subscription"].create([
        {
            "partner_id": partner.id,
            "coworking_plan_id": plan.id, "coworking_unit_id": unit.id,
            "template_id": plan.subscription_template_id.id,
            "pricelist_id": pricelist.id, "date_start": start,
            "coworking_benefits_state": "active",
            "sale_subscription_line_ids": [
                (0, 0, {"product_id": plan.product_id.id, "price_unit": 800.0})
            ],
        }
        for partner in partners
    ])
    env.cr.execute(
        "UPDATE sale_subscription SET stage_id = %s, in_progress = TRUE, "
        "recurring_next_date = %s WHERE id IN %s",
        [stage.id, yesterday, tuple(contracts.ids)],
    )
    env.cr.commit()
    env.invalidate_all()
print("READY", env["sale.subscription"].search_count(
    [("coworking_plan_id", "=", plan.id)]
))
"""

# The process's resident memory in MB (``VmRSS``, or the peak ``VmHWM``), for the
# measures' scripts.
RSS = r"""
def rss(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) // 1024
"""

MEASURE = r"""
import resource, time
env = env(context=dict(env.context))
plan = env["coworking.plan"].search([("name", "=", "Bench billing desk")], limit=1)
N = int(__N__)
env.cr.execute(
    "UPDATE sale_subscription SET in_progress = FALSE "
    "WHERE coworking_plan_id = %s AND id NOT IN (SELECT id FROM sale_subscription "
    "WHERE coworking_plan_id = %s ORDER BY id LIMIT %s)",
    [plan.id, plan.id, N],
)
env.cr.execute(
    "UPDATE sale_subscription SET in_progress = FALSE "
    "WHERE coworking_plan_id IS DISTINCT FROM %s", [plan.id],
)
Contract = env["sale.subscription"]
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset the peak (VmHWM) to the current size
before = rss("VmRSS:")
queries = env.cr.sql_log_count
started = time.perf_counter()
if "__WHICH__" == "stock":
    Contract.cron_subscription_management()
else:
    while Contract._cron_coworking_billing(batch_size=200):
        pass
env.flush_all()
elapsed = time.perf_counter() - started
env.cr.execute(
    "SELECT COUNT(*) FROM account_move m JOIN sale_subscription s "
    "ON s.id = m.subscription_id WHERE s.coworking_plan_id = %s AND m.state = 'posted'",
    [plan.id],
)
invoices = env.cr.fetchone()[0]
print("RESULT", N, invoices, elapsed, env.cr.sql_log_count - queries,
      rss("VmHWM:") - before)
env.cr.rollback()
"""


# Parallel workers (the question OCA queue_job answers): W processes bill the same
# due contracts at once, on a copy of the database, each as a cron worker does
# (a batch, a commit, the next batch), the rows they hold skipped by the others.
# Each loads Odoo first, then waits for the others, so the time is billing only.
WORKER = r"""
import os, time
Contract = env["sale.subscription"]
open("__DIR__/ready-" + str(os.getpid()), "w").close()
while not os.path.exists("__DIR__/go"):
    time.sleep(0.05)
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset the peak (VmHWM) to the current size
before = rss("VmRSS:")
queries = env.cr.sql_log_count
started = time.time()
done = 0
while True:
    billed = Contract._cron_coworking_billing(batch_size=__BATCH__)
    env.cr.commit()
    if not billed:
        break
    done += billed
print("WORKER", done, started, time.time(), env.cr.sql_log_count - queries,
      rss("VmHWM:") - before)
"""

SET_DUE = r"""
plan = env["coworking.plan"].search([("name", "=", "Bench billing desk")], limit=1)
env.cr.execute(
    "UPDATE sale_subscription SET in_progress = (id IN (SELECT id FROM "
    "sale_subscription WHERE coworking_plan_id = %s ORDER BY id LIMIT %s))",
    [plan.id, int(__N__)],
)
env.cr.commit()
print("DUE", int(__N__))
"""


def measure_workers(db, workers, n, batch_size=50):
    """``workers`` billing processes at once over ``n`` due contracts."""
    copy = f"{db}_workers"
    drop_db(copy)
    sh("createdb", "-T", db, copy)
    try:
        shell(copy, SET_DUE.replace("__N__", str(n)))
        with tempfile.TemporaryDirectory() as folder:
            script = RSS + WORKER.replace("__DIR__", folder).replace(
                "__BATCH__", str(batch_size)
            )
            procs = [
                subprocess.Popen(
                    odoo_command(copy, "shell", "--no-http", "--log-level=error"),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for _ in range(workers)
            ]
            for proc in procs:
                proc.stdin.write(script)
                proc.stdin.close()
            while len(os.listdir(folder)) < workers:
                time.sleep(0.1)
            open(os.path.join(folder, "go"), "w").close()
            outputs = [proc.stdout.read().splitlines() for proc in procs]
            lines = [next(x for x in out if x.startswith("WORKER")) for out in outputs]
            for proc in procs:
                proc.wait()
    finally:
        drop_db(copy)
    rows = [line.split()[1:] for line in lines]
    done = sum(int(row[0]) for row in rows)
    started = min(float(row[1]) for row in rows)
    ended = max(float(row[2]) for row in rows)
    return {
        "which": f"ours, {workers} worker{'s' if workers > 1 else ''}",
        "n": n,
        "invoices": done,
        "seconds": ended - started,
        "queries": sum(int(row[3]) for row in rows),
        "memory_mb": max(int(row[4]) for row in rows),  # the largest worker's
    }


def prepare(db, count, reuse):
    if reuse and db_exists(db):
        odoo(
            db,
            "server",
            "-u",
            "coworking_online_signup",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            "--http-port=0",
        )
        return
    install_fresh(db)
    lines = shell(db, SETUP.replace("__COUNT__", str(count)))
    if not any(line.startswith("READY") for line in lines):
        raise RuntimeError("\n".join(lines))


def measure(db, which, n):
    script = RSS + MEASURE.replace("__N__", str(n)).replace("__WHICH__", which)
    line = next(x for x in shell(db, script) if x.startswith("RESULT "))
    _tag, n, invoices, elapsed, queries, memory = line.split()
    return {
        "which": which,
        "n": int(n),
        "invoices": int(invoices),
        "seconds": float(elapsed),
        "queries": int(queries),
        "memory_mb": int(memory),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="coworking_bench_billing")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--stock-count", type=int, default=None)
    parser.add_argument(
        "--sizes", default=None, help="our run's sizes, e.g. 1000,10000"
    )
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--workers",
        default=None,
        help="also bill --workers-count contracts with 1, 2, ... processes at "
        "once (committed, on a copy of the database), e.g. 1,2",
    )
    parser.add_argument("--workers-count", type=int, default=1000)
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args()
    stock_count = args.stock_count or args.count
    sizes = [int(x) for x in (args.sizes or str(args.count)).split(",")]
    prepare(args.db, args.count, args.reuse)
    results = []
    if not args.skip_single:
        for which, n in [("stock", stock_count)] + [("ours", n) for n in sizes]:
            results.append(measure(args.db, which, n))
            print("measured", results[-1], flush=True)
    for workers in [int(x) for x in (args.workers or "").split(",") if x]:
        results.append(measure_workers(args.db, workers, args.workers_count))
        print("measured", results[-1], flush=True)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(
        "run               contracts  invoices  seconds  ms/contract  queries"
        "  q/contract  peak RSS growth (MB)"
    )
    for r in results:
        print(
            f"{r['which']:<17} {r['n']:>9} {r['invoices']:>9} {r['seconds']:>8.1f}"
            f" {1000 * r['seconds'] / r['n']:>12.1f} {r['queries']:>8}"
            f" {r['queries'] / r['n']:>11.1f} {r['memory_mb']:>21}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
