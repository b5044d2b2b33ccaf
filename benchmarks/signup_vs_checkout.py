"""Signup latency and SQL queries per signup, beside Odoo's stock website_sale checkout.

One database, one Odoo server, one run:

* our signup: N visitors each open the plan link (GET) and submit the form (POST);
  timed: the POST, which creates client, sale, contract and quotas;
* the same on a plan that asks for a password: the POST also hashes it (Odoo's
  PBKDF2, 600,000 rounds); the portal user is made from that hash by the finishing
  job;
* stock checkout of the same plan product: N visitors each add it to the cart,
  submit the billing address and confirm the order; timed: those three requests;
* both again under load: --concurrency clients at once against --workers Odoo
  processes, whole journeys per second and requests Odoo had to replay;
* the finishing cron job (user, first invoice, charge, e-mails) of those signups,
  per signup, one per run (a lone signup) and in the job's batches (a burst).

Queries per request come from Odoo's own request log line (werkzeug: ``... 303 -
<queries> <query time> <other time>``). Run from the repository root after
``make setup``::

    .venv/bin/python benchmarks/signup_vs_checkout.py --count 100

It creates (or reuses with --reuse) the database ``coworking_bench``, serves it on
127.0.0.1:8091 for the run and prints a table; the README keeps the figures.
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import requests
from bench_common import ODOO_SRC, PYTHON, addons_path, db_exists, drop_db, odoo

LOG_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')

SETUP = r"""
env = env(context=dict(env.context, tracking_disable=True))
company = env.company
company.partner_id.tz = "America/Sao_Paulo"
# a Brazilian coworking invoices in reais (Banco Inter takes nothing else); no
# journal item exists yet in this database, so the currency can change
brl = env.ref("base.BRL")
brl.active = True
company.currency_id = brl
env["ir.config_parameter"].set_param("coworking_online_signup.throttle_limit", 0)
provider = env["payment.provider"].search([("code", "=", "inter_br")], limit=1)
provider.write({
    "state": "test", "is_published": True, "company_id": company.id,
    # no bank here: the finishing job's boleto meets a closed local port (never a
    # bank host) and stays to be retried, as when the bank is down
    "inter_br_client_id": "bench", "inter_br_client_secret": "bench",
    "inter_br_api_url": "https://127.0.0.1:9",
})
provider.flush_recordset()
unit = env["coworking.unit"].create(
    {"name": "Bench", "notification_emails": "desk@example.com"}
)
plan = env["coworking.plan"].create({
    "name": "Bench desk", "unit_id": unit.id, "recurring_price": 800.0,
    "setup_fee": 0.0,
    "benefits_start": "signup", "is_published": True,
    "quota_ids": [(0, 0, {"name": "Meeting room hours", "quantity": 10})],
})
plan.product_id.product_tmpl_id.write({"is_published": True, "website_published": True})
password_plan = plan.copy({"name": "Bench desk (password)", "ask_password": True})
password_plan.is_published = True
company.coworking_signup_enabled = True
env.cr.commit()
print(
    "PLAN", plan.access_token, plan.product_id.id, provider.id,
    password_plan.access_token,
)
"""


def prepare(db, reuse):
    if reuse and db_exists(db):
        out = odoo(db, "shell", "--no-http", "--log-level=error", input=SETUP_LOOKUP)
    else:
        drop_db(db)
        modules = "coworking_online_signup,payment_inter_br,website_sale"
        odoo(
            db,
            "server",
            "-i",
            modules,
            "--stop-after-init",
            "--without-demo=all",
            "--log-level=warn",
            "--http-interface=127.0.0.1",
            "--max-cron-threads=0",
        )
        out = odoo(db, "shell", "--no-http", "--log-level=error", input=SETUP)
    line = next(x for x in out.stdout.splitlines() if x.startswith("PLAN "))
    _tag, token, product_id, provider_id, password_token = line.split()
    return token, int(product_id), int(provider_id), password_token


# The first invoice and the e-mails of each signup are made by a cron job right after
# the signup (not in the visitor's wait): time it too, for half of the signups one
# per run (a lone signup wakes the job), for the other half in the job's own batches
# (a burst: signups wait together while the job runs).
FINISH = r"""
import time
Sub = env["coworking.signup.submission"]
domain = [("state", "=", "pending"), ("finish_error", "=", False)]
lone = Sub.search_count(domain) // 2
for label, batch_size in (("lone", 1), ("burst", None)):
    count = Sub.search_count(domain)
    started = time.perf_counter()
    queries = env.cr.sql_log_count
    runs = 0
    while Sub.search_count(domain) and (batch_size is None or runs < lone):
        if batch_size:
            Sub._cron_finish_pending(batch_size=batch_size)
        else:
            Sub._cron_finish_pending()
        env.cr.commit()
        runs += 1
    elapsed = time.perf_counter() - started
    done = count - Sub.search_count(domain)
    print("FINISH", label, done, elapsed, env.cr.sql_log_count - queries)
"""


def finish_pending(db):
    """``{"lone": (signups, seconds, queries), "burst": (...)}``"""
    out = odoo(db, "shell", "--no-http", "--log-level=error", input=FINISH)
    results = {}
    for line in out.stdout.splitlines():
        if line.startswith("FINISH "):
            _tag, label, count, elapsed, queries = line.split()
            results[label] = (int(count), float(elapsed), int(queries))
    return results


SETUP_LOOKUP = r"""
plan = env["coworking.plan"].search([("name", "=", "Bench desk")], limit=1)
password_plan = env["coworking.plan"].search(
    [("name", "=", "Bench desk (password)")], limit=1
)
provider = env["payment.provider"].search([("code", "=", "inter_br")], limit=1)
print(
    "PLAN", plan.access_token, plan.product_id.id, provider.id,
    password_plan.access_token,
)
"""


class Server:
    def __init__(self, db, port, log_path, workers=0):
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        cmd = [
            PYTHON,
            str(ODOO_SRC / "odoo-bin"),
            f"--addons-path={addons_path()}",
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={port + 1}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=info",
        ]
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/web/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError("Odoo did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def cpf(seed):
    digits = [int(d) for d in f"{seed:09d}"[-9:]]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(size + 1, 1, -1), strict=False))
        rest = total * 10 % 11
        digits.append(0 if rest == 10 else rest)
    return "".join(map(str, digits))


def signup_once(base, token, provider_id, i, password=None):
    """One visitor: open the plan link, submit the form. Returns the POST's time."""
    s = requests.Session()
    page = s.get(f"{base}/coworking/plan/{token}", timeout=120).text
    form = {
        "csrf_token": csrf_of(page),
        "submission_token": re.search(
            r'name="submission_token" value="([^"]+)"', page
        ).group(1),
        "client_type": "individual",
        "name": f"Bench Person {i}",
        "email": f"bench{i}.{time.time_ns()}@example.com",
        "phone": "(11) 91234-5678",
        "cpf": cpf(100000000 + i * 7919 + int(time.time()) % 1000),
        "zip": "01310-100",
        "street": "Avenida Paulista",
        "street_number": "1000",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state_code": "SP",
        "provider_id": str(provider_id),
        "terms_accepted": "1",
    }
    if password:
        form.update(password=password, password_confirm=password)
    started = time.perf_counter()
    response = s.post(
        f"{base}/coworking/plan/{token}/signup",
        data=form,
        allow_redirects=False,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 303:
        raise RuntimeError(f"signup {i} answered {response.status_code}")
    return elapsed


def checkout_once(base, product_id, i):
    """One buyer: shop, add to cart, billing address, confirm. Returns the time of
    the last three."""
    s = requests.Session()
    page = s.get(f"{base}/shop", timeout=120).text
    csrf = csrf_of(page) if 'name="csrf_token"' in page else None
    started = time.perf_counter()
    s.post(
        f"{base}/shop/cart/update_json",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"product_id": product_id, "add_qty": 1},
        },
        timeout=120,
    ).raise_for_status()
    address_page = s.get(f"{base}/shop/address", timeout=120).text
    csrf = csrf_of(address_page) if 'name="csrf_token"' in address_page else csrf
    response = s.post(
        f"{base}/shop/address/submit",
        data={
            "csrf_token": csrf,
            "name": f"Bench Buyer {i}",
            "email": f"buyer{i}.{time.time_ns()}@example.com",
            "phone": "11912345678",
            "street": "Avenida Paulista, 1000",
            "city": "São Paulo",
            "zip": "01310-100",
            "country_id": str(BR_ID),
            "state_id": str(SP_ID),
            "address_type": "billing",
            "use_delivery_as_billing": "true",
        },
        timeout=120,
    )
    response.raise_for_status()
    if "redirectUrl" not in response.text:
        raise RuntimeError(f"address refused: {response.text[:300]}")
    s.get(f"{base}/shop/confirm_order", timeout=120, allow_redirects=False)
    return time.perf_counter() - started


def run_signups(base, token, provider_id, count, offset=0, password=None):
    return [
        signup_once(base, token, provider_id, offset + i, password)
        for i in range(count)
    ]


def run_checkouts(base, product_id, count, offset=0):
    return [checkout_once(base, product_id, offset + i) for i in range(count)]


def run_concurrently(journey, count, concurrency):
    """``count`` whole visitor journeys by ``concurrency`` clients at once; returns
    (completed journeys per second, failed journeys)."""

    def attempt(i):
        try:
            journey(i)
            return True
        except (RuntimeError, requests.RequestException):
            return False

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(attempt, range(count)))
    elapsed = time.perf_counter() - started
    return results.count(True) / elapsed, results.count(False)


def concurrency_retries(log_path):
    """Requests Odoo replayed after a serialization failure or a deadlock."""
    text = Path(log_path).read_text(errors="replace")
    return text.count("tries left, try again")


BR_ID = SP_ID = None


def queries(log_path, pattern):
    counts = []
    for line in Path(log_path).read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if match and re.search(pattern, match.group(2)) and match.group(1) == "POST":
            counts.append(int(match.group(4)))
    return counts


def checkout_queries(log_path):
    per = {
        "/shop/cart/update_json": [],
        "/shop/address/submit": [],
        "/shop/confirm_order": [],
    }
    for line in Path(log_path).read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if match and match.group(2).split("?")[0] in per:
            per[match.group(2).split("?")[0]].append(int(match.group(4)))
    n = min(len(v) for v in per.values())
    return [sum(per[k][i] for k in per) for i in range(n)]


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    global BR_ID, SP_ID
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--db", default="coworking_bench")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--reuse", action="store_true", help="reuse the database")
    parser.add_argument(
        "--concurrency", type=int, default=4, help="clients at once (0: skip)"
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="Odoo worker processes under load"
    )
    args = parser.parse_args()

    token, product_id, provider_id, password_token = prepare(args.db, args.reuse)
    with psycopg2.connect(dbname=args.db) as conn, conn.cursor() as cr:
        cr.execute("SELECT id FROM res_country WHERE code = 'BR'")
        BR_ID = cr.fetchone()[0]
        cr.execute(
            "SELECT id FROM res_country_state WHERE code = 'SP' AND country_id = %s",
            [BR_ID],
        )
        SP_ID = cr.fetchone()[0]
    log_path = f"/tmp/{args.db}-server.log"
    server = Server(args.db, args.port, log_path)
    try:
        # warm-up: first requests compile assets and templates
        run_signups(server.url, token, provider_id, 3)
        run_checkouts(server.url, product_id, 3)
        signup = run_signups(server.url, token, provider_id, args.count)
        checkout = run_checkouts(server.url, product_id, args.count)
        run_signups(server.url, password_token, provider_id, 3, 70000, "bench-pass")
        password_signup = run_signups(
            server.url, password_token, provider_id, args.count, 80000, "bench-pass"
        )
    finally:
        server.stop()
    load = None
    if args.concurrency:
        load_log = f"/tmp/{args.db}-server-load.log"
        server = Server(args.db, args.port, load_log, workers=args.workers)
        try:
            run_signups(server.url, token, provider_id, args.workers, offset=50000)
            run_checkouts(server.url, product_id, args.workers, offset=50000)
            signups_per_s, signup_failures = run_concurrently(
                lambda i: signup_once(server.url, token, provider_id, 100000 + i),
                args.count,
                args.concurrency,
            )
            checkouts_per_s, checkout_failures = run_concurrently(
                lambda i: checkout_once(server.url, product_id, 100000 + i),
                args.count,
                args.concurrency,
            )
        finally:
            server.stop()
        load = (
            signups_per_s,
            signup_failures,
            checkouts_per_s,
            checkout_failures,
            concurrency_retries(load_log),
        )
    finished = finish_pending(args.db)
    signup_q = queries(log_path, rf"^/coworking/plan/{token}/signup$")[3:]
    password_q = queries(log_path, rf"^/coworking/plan/{password_token}/signup$")[3:]
    checkout_q = checkout_queries(log_path)[3:]
    rows = [
        ("our signup (POST)", signup, signup_q),
        ("our signup, plan with password (POST)", password_signup, password_q),
        ("stock checkout (cart+address+confirm)", checkout, checkout_q),
    ]
    sys.stdout.write(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    sys.stdout.write(
        f"{'flow':40} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'queries p50':>12}\n"
    )
    for name, times, qs in rows:
        median_q = statistics.median(qs) if qs else 0
        sys.stdout.write(
            f"{name:40} {len(times):>4} {pct(times, 50) * 1000:>8.0f} "
            f"{pct(times, 95) * 1000:>8.0f} {median_q:>12.0f}\n"
        )
    ratio = pct(signup, 50) / pct(checkout, 50)
    sys.stdout.write(f"ratio signup/checkout (p50): {ratio:.2f}\n")
    sys.stdout.write(f"max queries per signup: {max(signup_q) if signup_q else 0}\n")
    most = max(password_q) if password_q else 0
    sys.stdout.write(f"max queries per signup with password: {most}\n")
    if load:
        sys.stdout.write(
            f"under load ({args.concurrency} clients, {args.workers} workers, "
            f"{args.count} whole journeys each): signups {load[0]:.1f}/s "
            f"({load[1]} failed), stock checkouts {load[2]:.1f}/s ({load[3]} failed), "
            f"requests replayed after a concurrency error: {load[4]}\n"
        )
    for label, (count, seconds, finish_queries) in finished.items():
        if not count:
            continue
        how = "one per run" if label == "lone" else "in the job's batches"
        sys.stdout.write(
            f"after the response, per signup (cron job: user, first invoice, charge, "
            f"e-mails; {how}): {seconds / count * 1000:.0f} ms, "
            f"{finish_queries / count:.0f} queries ({count} signups)\n"
        )


if __name__ == "__main__":
    main()
