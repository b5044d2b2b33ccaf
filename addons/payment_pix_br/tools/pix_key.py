# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pix keys (DICT): CPF, CNPJ (numeric or alphanumeric), e-mail, +55 phone, random
key (EVP, a UUID). Pure functions (no Odoo environment)."""

import re

from odoo.addons.payment_br_base import utils

from .. import const
from . import brcode

_EVP_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
)
_PHONE_RE = re.compile(r"^\+55\d{10,11}$")


def normalize_key(value):
    """Return `(key_type, key)` with the key as the DICT stores it, or None.

    A phone key starts with +55 (a bare 11-digit number is read as a CPF).
    """
    value = (value or "").strip()
    if not value:
        return None
    if _EVP_RE.match(value.lower()):
        return const.KEY_TYPE_EVP, value.lower()
    if "@" in value:
        email = value.lower()
        if _EMAIL_RE.match(email) and len(email) <= brcode.KEY_MAX:
            return const.KEY_TYPE_EMAIL, email
        return None
    if value.startswith("+"):
        phone = "+" + re.sub(r"\D", "", value)
        if _PHONE_RE.match(phone) and utils.split_phone(phone):
            return const.KEY_TYPE_PHONE, phone
        return None
    cpf = utils.normalize_cpf(value)
    if cpf:
        return const.KEY_TYPE_CPF, cpf
    cnpj = utils.normalize_cnpj(value)
    if cnpj:
        return const.KEY_TYPE_CNPJ, cnpj
    return None
