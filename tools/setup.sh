#!/usr/bin/env bash
# Idempotent setup: Debian packages (as root), PostgreSQL running, .venv with Odoo 18.0
# (from $ODOO_SRC) and the project's pinned requirements. Safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
ODOO_BRANCH_URL="https://github.com/odoo/odoo.git"

log() { printf '[setup] %s\n' "$*"; }

# 1. Debian packages -------------------------------------------------------------------
DEB_PACKAGES=(libldap2-dev libsasl2-dev libpq-dev wkhtmltopdf chromium postgresql)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        log "missing Debian packages (install them as root): ${missing[*]}"
        exit 1
    fi
fi

# 2. PostgreSQL ---------------------------------------------------------------------------
if command -v pg_lsclusters >/dev/null 2>&1; then
    if pg_lsclusters -h | awk '{print $4}' | grep -qv online; then
        log "starting PostgreSQL"
        pg_lsclusters -h | while read -r ver name _ status _; do
            [ "$status" = online ] || pg_ctlcluster "$ver" "$name" start
        done
    fi
fi
DB_USER="$(id -un)"
if [ "$(id -u)" = 0 ]; then
    # Odoo refuses the 'postgres' role: give the current user a role of its own.
    if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'\"" | grep -q 1; then
        log "creating PostgreSQL role $DB_USER"
        su postgres -c "createuser -s '$DB_USER'"
    fi
fi

# 3. Odoo sources ---------------------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
    if git ls-remote --exit-code "$ODOO_BRANCH_URL" 18.0 >/dev/null 2>&1; then
        log "cloning Odoo 18.0 into $ODOO_SRC"
        git clone -q --depth 1 --branch 18.0 "$ODOO_BRANCH_URL" "$ODOO_SRC"
    else
        log "Odoo 18.0 sources not found in $ODOO_SRC and the official repository is not reachable."
        log "Put an Odoo 18.0 Community tree there (the folder holding odoo-bin) or set ODOO_SRC."
        exit 1
    fi
fi

# 4. Virtualenv -------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip -q --disable-pip-version-check)
stamp="$VENV/.setup-stamp"
want="$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-16)-$ODOO_SRC"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing Python packages (Odoo requirements, Odoo, project requirements)"
    "${PIP[@]}" install -U 'pip>=25.3'
    constraints="$(mktemp)"
    echo 'setuptools<80' >"$constraints"
    "${PIP[@]}" install --build-constraint "$constraints" -r "$ODOO_SRC/requirements.txt"
    "${PIP[@]}" install --build-constraint "$constraints" --no-deps \
        --config-settings editable_mode=compat -e "$ODOO_SRC"
    "${PIP[@]}" install --build-constraint "$constraints" -r "$ROOT/requirements.txt"
    "${PIP[@]}" install --build-constraint "$constraints" -r "$ROOT/requirements-dev.txt"
    rm -f "$constraints"
    echo "$want" >"$stamp"
fi
"$VENV/bin/python" -c "import odoo.release as r; assert r.version_info[0] == 18, r.version" \
    || { log "the venv's odoo is not 18.0"; exit 1; }
log "ready: $VENV (Odoo from $ODOO_SRC)"
