"""What the benchmark scripts share: Odoo run as a subprocess on a database of
their own, from the repository's venv and addons path."""

import os
import subprocess
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-src"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs)


def addons_path():
    return sh("bash", str(ROOT / "tools" / "addons.sh")).stdout.strip()


def db_exists(name):
    with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def drop_db(name):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def odoo_command(db, *args):
    """``odoo-bin <args[0]> -d db <args[1:]>`` (a command: server, shell)."""
    cmd = [
        PYTHON,
        str(ODOO_SRC / "odoo-bin"),
        *args[:1],
        f"--addons-path={addons_path()}",
    ]
    return [*cmd, "-d", db, *args[1:]]


def odoo(db, *args, **kwargs):
    """Run ``odoo_command(db, *args)`` to its end."""
    return subprocess.run(
        odoo_command(db, *args), text=True, capture_output=True, check=True, **kwargs
    )


def shell(db, script):
    """Run ``script`` in ``odoo shell`` on ``db``; its output lines."""
    out = odoo(db, "shell", "--no-http", "--log-level=error", input=script)
    return out.stdout.splitlines()


def install_fresh(db, module="coworking_online_signup"):
    """A new database ``db`` with ``module`` installed, without demo data."""
    drop_db(db)
    odoo(
        db,
        "server",
        "-i",
        module,
        "--stop-after-init",
        "--without-demo=all",
        "--log-level=warn",
        "--max-cron-threads=0",
        "--http-port=0",
    )
