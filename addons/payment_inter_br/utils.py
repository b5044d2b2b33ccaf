# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Banco Inter's formats, as functions of plain values and partners (as
`payment_stripe/utils.py` and `payment_adyen/utils.py` do): the payer of a charge,
the digitable line as printed, and the message of an Inter error body."""

import re

from odoo.exceptions import ValidationError

from odoo.addons.payment_br_base.utils import (
    normalize_cnpj,
    normalize_cpf,
    payer_partner,
    split_phone,
    split_street_number,
)

from . import const


def get_missing_payer_fields(partner):
    """The labels (translated, for a visitor) of the data Inter requires and the
    payer lacks; an empty list when nothing is missing."""
    partner = payer_partner(partner)
    _ = partner.env._
    labels = {
        "vat": _("CPF or CNPJ"),
        "street": _("street and number"),
        "city": _("city"),
        "state_id": _("state"),
        "zip": _("ZIP code (CEP)"),
    }
    return [
        labels[fname] for fname in const.PAYER_REQUIRED_FIELDS if not partner[fname]
    ]


def prepare_payer(partner):
    """The `pagador` of a charge, from ``partner`` (a person, a company, or a
    contact of a company), each value cut to Inter's length.

    :raise ValidationError: Naming every missing field, or if a number is invalid.
    """
    partner = payer_partner(partner)
    _ = partner.env._
    missing = get_missing_payer_fields(partner)
    if missing:
        raise ValidationError(
            const.ERROR_PREFIX
            + _(
                "To issue a boleto, the bank needs the payer's CPF or CNPJ and full"
                " address. Please fill in: %(fields)s.",
                fields=", ".join(missing),
            )
        )
    # a CPF, or a CNPJ in either format (digits, or the alphanumeric one issued
    # since July 2026), upper case and without punctuation
    document = normalize_cnpj(partner.vat) or normalize_cpf(partner.vat)
    # The messages may end in the transaction's state message, shown to other
    # users: they never repeat the payer's number or address (LGPD).
    if not document:
        raise ValidationError(
            const.ERROR_PREFIX + _("The payer's CPF or CNPJ is not valid.")
        )
    zip_code = re.sub(r"\D", "", partner.zip)
    if len(zip_code) != 8:
        raise ValidationError(
            const.ERROR_PREFIX + _("The payer's ZIP code (CEP) must have 8 digits.")
        )
    street, number = split_street_number(partner.street)
    payer = {
        "cpfCnpj": document,
        "tipoPessoa": (
            const.PERSON_TYPE_COMPANY
            if len(document) == 14
            else const.PERSON_TYPE_INDIVIDUAL
        ),
        "nome": (partner.name or "")[:100],
        "endereco": street[:100],
        "numero": number[:10],
        "bairro": (partner.street2 or "")[:60],
        "cidade": partner.city[:60],
        "uf": partner.state_id.code[:2],
        "cep": zip_code,
    }
    if partner.email:
        payer["email"] = partner.email[:50]
    phone = split_phone(partner.phone or partner.mobile)
    if phone:
        payer["ddd"], payer["telefone"] = phone
    return payer


def format_digitable_line(line):
    """The digitable line grouped as printed on boletos
    (`AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE`); Inter sends the 47
    digits without separators. Anything else is returned as it is."""
    digits = re.sub(r"\D", "", line or "")
    if len(digits) != const.DIGITABLE_LINE_LENGTH:
        return line or ""
    groups, position = [], 0
    for group in const.DIGITABLE_LINE_GROUPS:
        parts = []
        for size in group:
            parts.append(digits[position : position + size])
            position += size
        groups.append(".".join(parts))
    return " ".join(groups)


def format_error(content):
    """``(title, detail, violations)`` of an Inter error body: `violacoes` as
    "property: reason", never the refused `valor`, which may be the payer's CPF/CNPJ,
    e-mail or address (LGPD)."""
    if not isinstance(content, dict):
        content = {}
    violations = "; ".join(
        ": ".join(
            str(part)
            for part in (violation.get("propriedade"), violation.get("razao"))
            if part not in (None, "")
        )
        for violation in content.get("violacoes") or []
        if isinstance(violation, dict)
    )
    return content.get("title") or "", content.get("detail") or "", violations
