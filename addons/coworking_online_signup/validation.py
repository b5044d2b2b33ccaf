# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Input checks shared by the units, the signup form, partners and providers.

Pure functions, no Odoo environment: each returns a normalized value or None.
"""

import re

from odoo.tools.mail import email_normalize

from odoo.addons.payment_br_base.utils import (  # noqa: F401 (re-exported)
    normalize_cep,
    normalize_cnpj,
    normalize_cpf,
)

EMAIL_RE = re.compile(r"^[^@\s,;<>()\[\]\"']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def normalize_email(value):
    """A single, plain, syntactically valid address, lower-cased; else None."""
    value = (value or "").strip()
    if not EMAIL_RE.match(value):
        return None
    normalized = email_normalize(value)
    return normalized if normalized == value.lower() else None
