# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The content of BACEN Pix API charges (cob): pure functions, no Odoo environment."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from odoo.addons.payment_br_base import utils as br_utils

DEBTOR_NAME_MAX = 200


def debtor(vat, name):
    """The charge's `devedor` ({cpf|cnpj, nome}), or None when the CPF/CNPJ is not
    valid or the name is missing (the debtor is optional)."""
    name = (name or "").strip()[:DEBTOR_NAME_MAX]
    if not name:
        return None
    cpf = br_utils.normalize_cpf(vat)
    if cpf:
        return {"cpf": cpf, "nome": name}
    cnpj = br_utils.normalize_cnpj(vat)
    if cnpj:
        return {"cnpj": cnpj, "nome": name}
    return None


def paid_amount(cob):
    """The sum of the PIX received on the charge (its `pix` list)."""
    total = Decimal(0)
    for pix in cob.get("pix") or []:
        try:
            total += Decimal(str(pix.get("valor") or 0))
        except InvalidOperation:
            continue
    return total


def is_expired(cob, now, default_lifetime):
    """Whether the charge's lifetime (`calendario.criacao` + `expiracao`) is over at
    `now` (an aware datetime); False when the dates cannot be read."""
    calendar = cob.get("calendario") or {}
    try:
        created = datetime.fromisoformat(
            str(calendar.get("criacao")).replace("Z", "+00:00")
        )
        lifetime = int(calendar.get("expiracao") or default_lifetime)
    except (TypeError, ValueError):
        return False
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return now > created + timedelta(seconds=lifetime)
