# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the fake Cielo refuses and how its sandbox answers, from Cielo's e-commerce
API 3.0 manual (developercielo.github.io/manual/cielo-ecommerce): the field tables of
the sale, the error codes ("Códigos de erros da API") and the sandbox's answers by the
last digit of the card ("Cartões para teste", Simulado). Nothing here is taken from
our client."""

import re

GUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
BRANDS = {
    "Visa",
    "Master",
    "Amex",
    "Elo",
    "Aura",
    "JCB",
    "Diners",
    "Discover",
    "Hipercard",
    "Hiper",
}
PAYMENT_TYPES = {"CreditCard", "DebitCard", "Boleto", "ElectronicTransfer", "Pix"}
MERCHANT_ORDER_ID_MAX = 50
CUSTOMER_NAME_MAX = 255
HOLDER_MAX = 25
SOFT_DESCRIPTOR_MAX = 13

# The sandbox (Provider "Simulado") by the last digit of the card number:
# (Status with Capture false, ReturnCode, ReturnMessage). Status 1 becomes 2 and
# ReturnCode 4 becomes 6 when the sale is captured at once. Digit 9 is "random" at
# Cielo; the fake authorises it so that tests stay deterministic.
AUTHORISED = (1, "4", "Operation Successful")
SANDBOX_BY_LAST_DIGIT = {
    "0": AUTHORISED,
    "1": AUTHORISED,
    "4": AUTHORISED,
    "9": AUTHORISED,
    "2": (3, "05", "Not Authorized"),
    "3": (3, "57", "Card Expired"),
    "5": (3, "78", "Blocked Card"),
    "6": (3, "99", "Time Out"),
    "7": (3, "77", "Card Canceled"),
    "8": (3, "70", "Problems with Credit Card"),
}


def error(code, message):
    return {"Code": code, "Message": message}


def check_auth(headers, merchant_id, merchant_key):
    """(status, errors) when the MerchantId/MerchantKey headers are refused."""
    given_id = headers.get("MerchantId")
    given_key = headers.get("MerchantKey")
    if not given_id:
        return 400, [error(101, "MerchantId is required")]
    if not GUID.fullmatch(given_id):
        return 400, [error(114, "The provided MerchantId is not in correct format")]
    if not given_key:
        return 400, [error(131, "MerchantKey is required")]
    if given_id.lower() != merchant_id.lower():
        return 401, [error(115, "The provided MerchantId was not found")]
    if given_key != merchant_key:
        return 401, [error(132, "MerchantKey is invalid")]
    return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_card_fields(card):
    """Errors of a card typed in full (a sale or `POST /1/card`)."""
    errors = []
    number = card.get("CardNumber")
    if not number:
        errors.append(error(127, "You must provide CreditCard Number"))
    elif not str(number).isdigit() or not 13 <= len(str(number)) <= 19:
        errors.append(error(128, "Card Number length exceeded"))
    holder = card.get("Holder")
    if not holder:
        errors.append(error(117, "Credit Card Holder is required"))
    elif len(holder) > HOLDER_MAX:
        errors.append(error(149, "Credit Card Holder length exceeded"))
    expiration = card.get("ExpirationDate")
    if not expiration:
        errors.append(error(125, "Credit Card Expiration Date is required"))
    elif not re.fullmatch(r"(0[1-9]|1[0-2])/20\d\d", expiration):
        errors.append(error(126, "Credit Card Expiration Date is invalid"))
    code = card.get("SecurityCode")
    if code is not None and not re.fullmatch(r"\d{3,4}", str(code)):
        errors.append(error(146, "SecurityCode length exceeded"))
    return errors


def check_sale(body):
    """Errors of `POST /1/sales/`, as Cielo lists them (several at once)."""
    if not isinstance(body, dict):
        return [error(126, "Request is invalid")]
    errors = []
    order_id = body.get("MerchantOrderId")
    if not order_id:
        errors.append(error(122, "MerchantOrderId is required"))
    elif not isinstance(order_id, str) or len(order_id) > MERCHANT_ORDER_ID_MAX:
        errors.append(error(148, "MerchantOrderId length exceeded"))
    customer = body.get("Customer")
    if (
        customer is not None
        and len(str(customer.get("Name") or "")) > CUSTOMER_NAME_MAX
    ):
        errors.append(error(155, "Customer Name length exceeded"))
    payment = body.get("Payment")
    if not isinstance(payment, dict):
        errors.append(error(119, "At least one Payment is required"))
        return errors
    return errors + check_payment(payment)


def check_payment(payment):
    errors = []
    if not payment.get("Type"):
        errors.append(error(102, "Payment Type is required"))
    elif payment["Type"] not in PAYMENT_TYPES:
        errors.append(error(113, "Invalid Payment Type"))
    elif payment["Type"] != "CreditCard":
        errors.append(error(133, "Provider is not supported for this Payment Type"))
    amount = payment.get("Amount")
    if not _is_int(amount) or amount <= 0:
        errors.append(error(108, "Amount must be greater or equal to zero"))
    installments = payment.get("Installments", 1)
    if not _is_int(installments) or installments < 1:
        errors.append(error(123, "Installments must be greater or equal to one"))
    for flag in ("Capture", "Recurrent", "Authenticate"):
        if flag in payment and not isinstance(payment[flag], bool):
            errors.append(error(126, f"{flag} must be a boolean"))
    descriptor = payment.get("SoftDescriptor")
    if descriptor is not None and (
        len(descriptor) > SOFT_DESCRIPTOR_MAX
        or not re.fullmatch(r"[A-Za-z0-9 ]*", descriptor)
    ):
        errors.append(error(232, "SoftDescriptor is invalid or length exceeded"))
    card = payment.get("CreditCard")
    if not isinstance(card, dict):
        errors.append(error(124, "Credit Card is Required"))
        return errors
    return errors + check_credit_card(card)


def check_credit_card(card):
    errors = []
    if not card.get("Brand"):
        errors.append(error(185, "Brand is required"))
    elif card["Brand"] not in BRANDS:
        errors.append(error(185, "Brand not supported by selected provider"))
    tokens = [k for k in ("CardToken", "PaymentToken") if card.get(k)]
    if len(tokens) > 1 or (tokens and card.get("CardNumber")):
        errors.append(error(126, "Only one of CardNumber, CardToken or PaymentToken"))
    elif tokens:
        if not GUID.fullmatch(str(card[tokens[0]])):
            errors.append(error(130, "Could not get Credit Card"))
    else:
        errors.extend(check_card_fields(card))
    return errors


def sandbox_answer(number, capture):
    """(Status, ReturnCode, ReturnMessage) of the sandbox for this card."""
    status, code, message = SANDBOX_BY_LAST_DIGIT[number[-1]]
    if status == 1 and capture:
        return 2, "6", message
    return status, code, message


def mask(number):
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
