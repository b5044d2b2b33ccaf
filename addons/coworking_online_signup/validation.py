# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Input checks shared by the units, the signup form, partners and providers.

Pure functions, no Odoo environment: each returns a normalized value or None.
"""

import re

from stdnum.br import (
    cnpj as stdnum_cnpj,
    cpf as stdnum_cpf,
)

from odoo.tools.mail import email_normalize

EMAIL_RE = re.compile(r"^[^@\s,;<>()\[\]\"']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
CEP_RE = re.compile(r"^\d{5}-?\d{3}$")


def normalize_email(value):
    """A single, plain, syntactically valid address, lower-cased; else None."""
    value = (value or "").strip()
    if not EMAIL_RE.match(value):
        return None
    normalized = email_normalize(value)
    return normalized if normalized == value.lower() else None


def normalize_cpf(value):
    """11 digits with valid check digits, not all alike; else None."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 11 or len(set(digits)) == 1:
        return None
    return digits if stdnum_cpf.is_valid(digits) else None


def normalize_cnpj(value):
    """14 digits with valid check digits, not all alike; else None."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 14 or len(set(digits)) == 1:
        return None
    return digits if stdnum_cnpj.is_valid(digits) else None


def normalize_cep(value):
    """CEP as 00000-000; else None."""
    value = (value or "").strip()
    if not CEP_RE.match(value):
        return None
    digits = value.replace("-", "")
    return f"{digits[:5]}-{digits[5:]}"
