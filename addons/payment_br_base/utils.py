# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Brazilian identifiers and amounts, as pure functions (no Odoo environment).

Each ``normalize_*`` returns the canonical value or ``None`` when the input is not
valid, so callers can tell the visitor exactly which field is wrong.
"""

import base64
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import qrcode

# Punctuation people type in a CPF, CNPJ or CEP.
_PUNCTUATION_RE = re.compile(r"[\s./-]")
_CPF_RE = re.compile(r"^\d{11}$")
# Since July 2026 the Receita Federal issues CNPJs with letters in the first twelve
# positions (IN RFB 2.229/2024); the two check digits stay numeric.
_CNPJ_RE = re.compile(r"^[0-9A-Z]{12}\d{2}$")
_CEP_RE = re.compile(r"^\d{5}-?\d{3}$")


def _check_digit(values, weights):
    remainder = sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def cpf_check_digits(base):
    """The two check digits of a CPF's first nine digits."""
    values = [int(c) for c in base]
    first = _check_digit(values, range(10, 1, -1))
    second = _check_digit([*values, first], range(11, 1, -1))
    return f"{first}{second}"


def cnpj_check_digits(base):
    """The two check digits of a CNPJ's first twelve characters, numeric or
    alphanumeric: each character counts as its ASCII code minus 48."""
    values = [ord(c) - 48 for c in base]
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _check_digit(values, weights)
    second = _check_digit([*values, first], [6, *weights])
    return f"{first}{second}"


def _compact(value):
    return _PUNCTUATION_RE.sub("", value or "").upper()


def normalize_cpf(value):
    """11 digits with valid check digits, not all alike; else None."""
    digits = _compact(value)
    if not _CPF_RE.match(digits) or len(set(digits)) == 1:
        return None
    return digits if cpf_check_digits(digits[:9]) == digits[9:] else None


def normalize_cnpj(value):
    """14 characters (12 digits or capital letters, then 2 check digits) with valid
    check digits, not all alike; else None. Lower-case letters are accepted."""
    compact = _compact(value)
    if not _CNPJ_RE.match(compact) or len(set(compact)) == 1:
        return None
    return compact if cnpj_check_digits(compact[:12]) == compact[12:] else None


def normalize_tax_id(value):
    """A CPF or a CNPJ in canonical form; else None."""
    return normalize_cpf(value) or normalize_cnpj(value)


def format_cpf(cpf):
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def format_cnpj(cnpj):
    return f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"


def tax_id_key(vat):
    """The key to find a partner by CPF/CNPJ whatever punctuation it was typed with:
    letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", (vat or "").upper()) or False


def normalize_cep(value):
    """CEP as 00000-000; else None."""
    value = (value or "").strip()
    if not _CEP_RE.match(value):
        return None
    digits = value.replace("-", "")
    return f"{digits[:5]}-{digits[5:]}"


def split_phone(value):
    """``(ddd, number)`` of a Brazilian phone (an optional +55 country code, two
    area-code digits, 8 or 9 digits); else None."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) in (12, 13) and digits.startswith("55"):
        digits = digits[2:]
    if len(digits) not in (10, 11) or digits[0] == "0":
        return None
    return digits[:2], digits[2:]


def to_centavos(amount):
    """An amount in reais as whole centavos (half up), as Efí and Cielo expect."""
    return int(
        (Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    )


_STREET_NUMBER_RE = re.compile(r"^(.*?),?\s+(?:n[º°o.]*\s*)?(\d+[A-Za-z]?)\s*$")


def split_street_number(street):
    """``(street, number)`` of an address line typed the Brazilian way ("Av.
    Paulista, 1000", "Rua X nº 12A"); the number is empty when there is none."""
    street = (street or "").strip()
    match = _STREET_NUMBER_RE.match(street)
    if match:
        return match.group(1).strip(" ,"), match.group(2)
    return street, ""


def payer_partner(partner):
    """The partner whose data go on a charge: the partner, or its commercial
    partner when only the latter has a CPF/CNPJ (a contact of a company)."""
    if not partner.vat and partner.commercial_partner_id.vat:
        return partner.commercial_partner_id
    return partner


def qr_code_data_uri(text, box_size=6, border=2):
    """``text`` (a PIX code) as a PNG QR code in a data URI, for a page or a mail."""
    image = qrcode.make(text, box_size=box_size, border=border)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()
