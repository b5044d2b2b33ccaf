# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What Efí's charges API refuses in `POST /v1/charge/one-step` (boleto), from Efí's
documentation of the one-step billet: only the documented field names; amounts in
centavos as integers; a total of R$ 5.00 at least; a person's full name and CPF, or a
company's `juridical_person` (corporate name and CNPJ); an address, optional, complete
when given; a due date not in the past; `days_to_write_off` 0 to 120, `fine` 0 to
1000, `interest` 0 to 330. Efí answers the first violation found.
"""

import re
from datetime import date

from odoo.addons.payment_br_base.utils import normalize_cnpj, normalize_cpf

MINIMUM_TOTAL = 500
NAME_RE = re.compile(r"^[ ]*(.+[ ]+)+.+[ ]*$")
EMAIL_RE = re.compile(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")
PHONE_RE = re.compile(r"^[1-9]{2}9?[0-9]{8}$")
ZIPCODE_RE = re.compile(r"^[0-9]{8}$")
STATE_RE = re.compile(
    r"^(?:A[CLPM]|BA|CE|DF|ES|GO|M[ATSG]|P[RBAEI]|R[JNSOR]|S[CEP]|TO)$"
)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FIELDS = {
    "": {"items", "shippings", "metadata", "payment"},
    "/items": {"name", "value", "amount", "marketplace"},
    "/shippings": {"name", "value", "payee_code"},
    "/metadata": {"custom_id", "notification_url"},
    "/payment": {"banking_billet"},
    "/payment/banking_billet": {
        "customer",
        "expire_at",
        "discount",
        "conditional_discount",
        "configurations",
        "message",
    },
    "/payment/banking_billet/customer": {
        "name",
        "cpf",
        "email",
        "phone_number",
        "birth",
        "address",
        "juridical_person",
    },
    "/payment/banking_billet/customer/address": {
        "street",
        "number",
        "neighborhood",
        "zipcode",
        "city",
        "complement",
        "state",
    },
    "/payment/banking_billet/customer/juridical_person": {"corporate_name", "cnpj"},
    "/payment/banking_billet/configurations": {
        "days_to_write_off",
        "fine",
        "interest",
    },
}


class Refused(Exception):
    def __init__(self, prop, message):
        super().__init__(message)
        self.prop = prop
        self.message = message


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _object(value, path):
    if not isinstance(value, dict):
        raise Refused(path or "/", "must be an object")
    unknown = set(value) - FIELDS[re.sub(r"/\d+", "", path)]
    if unknown:
        raise Refused(f"{path}/{sorted(unknown)[0]}", "property not allowed")
    return value


def _text(value, path, maximum=255, required=True):
    if value is None and not required:
        return
    if not isinstance(value, str) or not 1 <= len(value) <= maximum:
        raise Refused(path, f"must be a string of 1 to {maximum} characters")


def _int_range(value, path, low, high):
    if not _is_int(value) or not low <= value <= high:
        raise Refused(path, f"must be an integer from {low} to {high}")


def check_one_step(body, today=None):
    """Raise `Refused` at the first violation; return the total in centavos."""
    today = today or date.today()
    _object(body, "")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise Refused("/items", "is required")
    total = 0
    for index, item in enumerate(items):
        path = f"/items/{index}"
        _object(item, path)
        _text(item.get("name"), path + "/name")
        if not _is_int(item.get("value")) or item["value"] < 0:
            raise Refused(path + "/value", "must be an integer (centavos)")
        amount = item.get("amount", 1)
        if not _is_int(amount) or amount < 1:
            raise Refused(path + "/amount", "must be a positive integer")
        total += item["value"] * amount
    for index, shipping in enumerate(body.get("shippings") or []):
        _object(shipping, f"/shippings/{index}")
        if not _is_int(shipping.get("value")):
            raise Refused(f"/shippings/{index}/value", "must be an integer (centavos)")
        total += shipping["value"]
    metadata = _object(body.get("metadata") or {}, "/metadata")
    _text(metadata.get("custom_id"), "/metadata/custom_id", required=False)
    url = metadata.get("notification_url")
    if url is not None:
        _text(url, "/metadata/notification_url")
        if not re.match(r"^https?://", url):
            raise Refused("/metadata/notification_url", "must be a valid URL")
    payment = _object(body.get("payment"), "/payment")
    billet = _object(payment.get("banking_billet"), "/payment/banking_billet")
    _check_customer(billet.get("customer"))
    expire_at = billet.get("expire_at")
    if not isinstance(expire_at, str) or not DATE_RE.match(expire_at):
        raise Refused("/payment/banking_billet/expire_at", "is required (YYYY-MM-DD)")
    try:
        expires = date.fromisoformat(expire_at)
    except ValueError:
        raise Refused("/payment/banking_billet/expire_at", "invalid date") from None
    if expires < today:
        raise Refused("/payment/banking_billet/expire_at", "must not be in the past")
    path = "/payment/banking_billet/configurations"
    configurations = _object(billet.get("configurations") or {}, path)
    if "days_to_write_off" in configurations:
        _int_range(
            configurations["days_to_write_off"], path + "/days_to_write_off", 0, 120
        )
    if "fine" in configurations:
        _int_range(configurations["fine"], path + "/fine", 0, 1000)
    interest = configurations.get("interest")
    if interest is not None:
        value = interest.get("value") if isinstance(interest, dict) else interest
        _int_range(value, path + "/interest", 0, 330)
    if total < MINIMUM_TOTAL:
        raise Refused("/items", "the total must be of R$ 5,00 or more")
    return total


def _check_customer(customer):
    path = "/payment/banking_billet/customer"
    _object(customer, path)
    company = customer.get("juridical_person")
    if company is not None:
        _object(company, path + "/juridical_person")
        _text(company.get("corporate_name"), path + "/juridical_person/corporate_name")
        cnpj = company.get("cnpj")
        if not isinstance(cnpj, str) or len(cnpj) != 14 or normalize_cnpj(cnpj) != cnpj:
            raise Refused(path + "/juridical_person/cnpj", "invalid CNPJ")
    else:
        name = customer.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise Refused(path + "/name", "a full name is required")
        cpf = customer.get("cpf")
        if not isinstance(cpf, str) or len(cpf) != 11 or normalize_cpf(cpf) != cpf:
            raise Refused(path + "/cpf", "invalid CPF")
    if "email" in customer and not EMAIL_RE.match(str(customer["email"])):
        raise Refused(path + "/email", "invalid e-mail")
    if "phone_number" in customer and not PHONE_RE.match(str(customer["phone_number"])):
        raise Refused(path + "/phone_number", "invalid phone number")
    if "birth" in customer and not DATE_RE.match(str(customer["birth"])):
        raise Refused(path + "/birth", "invalid date")
    address = customer.get("address")
    if address is not None:
        apath = path + "/address"
        _object(address, apath)
        for name in ("street", "neighborhood", "city"):
            _text(address.get(name), f"{apath}/{name}", 200)
        number = address.get("number")
        if not isinstance(number, str | int) or str(number) == "":
            raise Refused(apath + "/number", "is required")
        if not ZIPCODE_RE.match(str(address.get("zipcode", ""))):
            raise Refused(apath + "/zipcode", "must be 8 digits")
        if not STATE_RE.match(str(address.get("state", ""))):
            raise Refused(apath + "/state", "must be a Brazilian state")
