# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pix BR Code (EMV merchant-presented QR code) as pure Python, without Odoo.

The payload is a list of fields, each an ID of 2 digits, a length of 2 digits and a
value (BACEN's "Manual de Padrões para Iniciação do Pix"). `build` writes a static BR
Code (the receiver's key) or a dynamic one (the location URL of a charge made at the
PSP); `parse` reads one back and refuses any payload whose CRC, lengths or nesting are
wrong.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GUI = "br.gov.bcb.pix"
FORMAT_INDICATOR = "01"
INITIATION_SINGLE_USE = "12"  # dynamic: the location serves one charge
INITIATION_REUSABLE = "11"
MCC = "0000"
CURRENCY_BRL = "986"
COUNTRY = "BR"
TXID_ANY = "***"

KEY_MAX = 77
MESSAGE_MAX = 72
ACCOUNT_FIELD_MAX = 99
AMOUNT_MAX = 13
NAME_MAX = 25
CITY_MAX = 15
TXID_STATIC_MAX = 25
URL_MAX = 77

# Field IDs.
ID_FORMAT = "00"
ID_INITIATION = "01"
ID_ACCOUNT = "26"
ID_MCC = "52"
ID_CURRENCY = "53"
ID_AMOUNT = "54"
ID_COUNTRY = "58"
ID_NAME = "59"
ID_CITY = "60"
ID_POSTAL_CODE = "61"
ID_ADDITIONAL = "62"
ID_CRC = "63"
# Sub-fields of the merchant account (26) and of the additional data (62).
SUB_GUI = "00"
SUB_KEY = "01"
SUB_MESSAGE = "02"
SUB_URL = "25"
SUB_TXID = "05"

# Templates whose value is itself a list of fields: merchant accounts 26-51, the
# additional data 62, unreserved templates 80-99.
_TEMPLATE_IDS = {f"{i:02d}" for i in (*range(26, 52), 62, *range(80, 100))}
_TXID_STATIC_RE = re.compile(r"^[A-Za-z0-9]{1,25}$")
_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_CRC_RE = re.compile(r"^[0-9A-F]{4}$")
_PRINTABLE_RE = re.compile(r"^[\x20-\x7e]*$")


def crc16(payload):
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF) of the payload's
    UTF-8 bytes, as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in payload.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def normalize_text(value, limit=None, upper=True):
    """Accents removed, printable ASCII only, spaces collapsed, upper case unless
    `upper` is False, cut to `limit` characters (the receiver's name and city)."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join("".join(c for c in text if " " <= c <= "~").split())
    if upper:
        text = text.upper()
    return text[:limit].strip()


def format_amount(amount):
    """The amount as BR Code writes it (`10.00`), rounded half up to centavos.

    :raise ValueError: If it is not a positive number of at most 13 characters.
    """
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValueError(f"The amount {amount!r} is not a number.") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("The amount must be greater than zero.")
    text = f"{value:.2f}"
    if len(text) > AMOUNT_MAX:
        raise ValueError(
            f"The amount {text} is too large: at most {AMOUNT_MAX} characters."
        )
    return text


def _field(field_id, value):
    if len(value) > 99:
        raise ValueError(f"The field {field_id} is longer than 99 characters.")
    return f"{field_id}{len(value):02d}{value}"


def _check_printable(label, value):
    if not _PRINTABLE_RE.match(value):
        raise ValueError(f"The {label} must be printable ASCII characters.")


def build(
    key=None,
    name="",
    city="",
    amount=None,
    txid=TXID_ANY,
    message=None,
    url=None,
    upper=True,
):
    """Return a BR Code payload, its CRC included.

    Static with `key` (the receiver's Pix key), dynamic with `url` (the charge's
    location at the PSP, without `https://`); exactly one of the two.

    :param str key: The Pix key (at most 77 characters).
    :param str name: The receiver's name (normalized, cut to 25 characters).
    :param str city: The receiver's city (normalized, cut to 15 characters).
    :param amount: The amount in reais; None leaves it to the payer.
    :param str txid: Static: at most 25 letters and digits, or `***`. Dynamic: `***`.
    :param str message: Static only: a message to the payer's bank (at most 72).
    :param str url: The location URL of a dynamic BR Code.
    :param bool upper: Whether the name and city are written in upper case.
    :raise ValueError: With a clear message, if a value breaks a limit of the standard.
    """
    if bool(key) == bool(url):
        raise ValueError("Give either a Pix key (static) or a location URL (dynamic).")
    account = _field(SUB_GUI, GUI)
    if key:
        _check_printable("Pix key", key)
        if len(key) > KEY_MAX:
            raise ValueError(f"The Pix key is longer than {KEY_MAX} characters.")
        account += _field(SUB_KEY, key)
        message = normalize_text(message, upper=False)
        if message:
            if len(message) > MESSAGE_MAX:
                raise ValueError(
                    f"The message is longer than {MESSAGE_MAX} characters."
                )
            account += _field(SUB_MESSAGE, message)
        if txid != TXID_ANY and not _TXID_STATIC_RE.match(txid or ""):
            raise ValueError(
                "The txid of a static BR Code is *** or 1 to 25 letters and digits."
            )
    else:
        _check_printable("location URL", url)
        if url.lower().startswith(("https://", "http://")):
            raise ValueError("The location URL is written without https://.")
        if len(url) > URL_MAX:
            raise ValueError(f"The location URL is longer than {URL_MAX} characters.")
        if message:
            raise ValueError("A dynamic BR Code carries no message.")
        if txid != TXID_ANY:
            raise ValueError("The txid of a dynamic BR Code is ***.")
        account += _field(SUB_URL, url)
    if len(account) > ACCOUNT_FIELD_MAX:
        raise ValueError(
            f"The merchant account field (26) is longer than {ACCOUNT_FIELD_MAX}"
            " characters: shorten the key or the message."
        )
    name = normalize_text(name, NAME_MAX, upper)
    city = normalize_text(city, CITY_MAX, upper)
    if not name:
        raise ValueError("The receiver's name is required.")
    if not city:
        raise ValueError("The receiver's city is required.")

    payload = _field(ID_FORMAT, FORMAT_INDICATOR)
    if url:
        payload += _field(ID_INITIATION, INITIATION_SINGLE_USE)
    payload += _field(ID_ACCOUNT, account)
    payload += _field(ID_MCC, MCC) + _field(ID_CURRENCY, CURRENCY_BRL)
    if amount is not None:
        payload += _field(ID_AMOUNT, format_amount(amount))
    payload += _field(ID_COUNTRY, COUNTRY) + _field(ID_NAME, name)
    payload += _field(ID_CITY, city)
    payload += _field(ID_ADDITIONAL, _field(SUB_TXID, txid))
    payload += ID_CRC + "04"
    return payload + crc16(payload)


def _split(text, where):
    """The fields of `text` as a list of (id, value); every length must fit exactly."""
    fields = []
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise ValueError(f"Malformed field header at position {pos} of {where}.")
        field_id, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) != length:
            raise ValueError(
                f"The field {field_id} of {where} has a wrong length ({length})."
            )
        fields.append((field_id, value))
        pos += 4 + length
    ids = [field_id for field_id, _value in fields]
    duplicates = {field_id for field_id in ids if ids.count(field_id) > 1}
    if duplicates:
        raise ValueError(f"The field {min(duplicates)} appears twice in {where}.")
    return fields


def _parse_account(nested):
    """The key, URL and message of the one Pix merchant account (26-51)."""
    accounts = [
        dict(subs)
        for field_id, subs in nested.items()
        if field_id <= "51" and dict(subs).get(SUB_GUI, "").lower() == GUI
    ]
    if len(accounts) != 1:
        raise ValueError(
            "The BR Code must hold one Pix merchant account (br.gov.bcb.pix)."
        )
    account = accounts[0]
    if len(account.get(SUB_KEY, "")) > KEY_MAX:
        raise ValueError(f"The Pix key is longer than {KEY_MAX} characters.")
    if len(account.get(SUB_MESSAGE, "")) > MESSAGE_MAX:
        raise ValueError(f"The message is longer than {MESSAGE_MAX} characters.")
    if bool(account.get(SUB_KEY)) == bool(account.get(SUB_URL)):
        raise ValueError("The Pix account must hold either a key or a location URL.")
    return {
        "key": account.get(SUB_KEY),
        "url": account.get(SUB_URL),
        "message": account.get(SUB_MESSAGE),
    }


def _parse_amount(text):
    if text is None:
        return None
    if len(text) > AMOUNT_MAX or not _AMOUNT_RE.match(text):
        raise ValueError("The amount (54) must be a number such as 10.00.")
    if Decimal(text) <= 0:
        raise ValueError("The amount (54) must be greater than zero.")
    return Decimal(text)


def _check_text(value, label, limit):
    if not value or len(value) > limit:
        raise ValueError(f"The {label} must have 1 to {limit} characters.")
    return value


def _parse_txid(nested, dynamic):
    txid = dict(nested.get(ID_ADDITIONAL, [])).get(SUB_TXID)
    if not txid:
        raise ValueError("The BR Code has no txid (62, sub-field 05).")
    if dynamic and txid != TXID_ANY:
        raise ValueError("The txid of a dynamic BR Code must be ***.")
    if not dynamic and txid != TXID_ANY and not _TXID_STATIC_RE.match(txid):
        raise ValueError(
            "The txid of a static BR Code is *** or 1 to 25 letters and digits."
        )
    return txid


def parse(payload):
    """Read a BR Code payload.

    :return: `{"initiation", "key", "url", "message", "amount" (Decimal or None),
        "name", "city", "postal_code", "txid", "crc"}`; absent values are None.
    :raise ValueError: With a clear message, if the CRC, a length, the nesting or a
        mandatory field is wrong.
    """
    if not isinstance(payload, str):
        raise ValueError("The BR Code must be text.")
    _check_printable("BR Code", payload)
    if len(payload) < 8 or payload[-8:-4] != ID_CRC + "04":
        raise ValueError("The BR Code does not end with its CRC field (6304).")
    crc = payload[-4:]
    if not _CRC_RE.match(crc):
        raise ValueError("The CRC of the BR Code must be 4 upper-case hex digits.")
    if crc16(payload[:-4]) != crc:
        raise ValueError("The CRC of the BR Code does not match its content.")
    fields = _split(payload, "the BR Code")
    if fields[0] != (ID_FORMAT, FORMAT_INDICATOR):
        raise ValueError("The BR Code must start with the payload format 000201.")
    if fields[-1][0] != ID_CRC:
        raise ValueError("The CRC field must be the last one.")
    top = dict(fields)
    initiation = top.get(ID_INITIATION)
    if initiation not in (None, INITIATION_REUSABLE, INITIATION_SINGLE_USE):
        raise ValueError("The point of initiation method (01) must be 11 or 12.")
    nested = {
        field_id: _split(value, f"field {field_id}")
        for field_id, value in fields
        if field_id in _TEMPLATE_IDS
    }
    result = _parse_account(nested)
    for field_id, expected, label in (
        (ID_MCC, MCC, "merchant category code"),
        (ID_CURRENCY, CURRENCY_BRL, "currency"),
        (ID_COUNTRY, COUNTRY, "country code"),
    ):
        if top.get(field_id) != expected:
            raise ValueError(f"The {label} ({field_id}) must be {expected}.")
    result.update(
        initiation=initiation,
        amount=_parse_amount(top.get(ID_AMOUNT)),
        name=_check_text(top.get(ID_NAME), "receiver's name (59)", NAME_MAX),
        city=_check_text(top.get(ID_CITY), "receiver's city (60)", CITY_MAX),
        postal_code=top.get(ID_POSTAL_CODE),
        txid=_parse_txid(nested, dynamic=bool(result["url"])),
        crc=crc,
    )
    return result
