# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Constants of Cielo's e-commerce API 3.0 (credit card, card tokens, Silent Order
Post)."""

# Hosts. The provider's state `test` uses the sandbox, `enabled` the production hosts.
# Sales, captures and voids go to the transaction host; reads to the query host; the
# browser posts the card to the Silent Order Post (SOP) host.
API_URLS = {
    "enabled": "https://api.cieloecommerce.cielo.com.br",
    "test": "https://apisandbox.cieloecommerce.cielo.com.br",
}
QUERY_URLS = {
    "enabled": "https://apiquery.cieloecommerce.cielo.com.br",
    "test": "https://apiquerysandbox.cieloecommerce.cielo.com.br",
}
SOP_URLS = {
    "enabled": "https://transaction.pagador.com.br/post/api/public",
    "test": "https://transactionsandbox.pagador.com.br/post/api/public",
}

# Endpoints.
SALES_ENDPOINT = "/1/sales/"
SALE_ENDPOINT = "/1/sales/{payment_id}"
CAPTURE_ENDPOINT = "/1/sales/{payment_id}/capture"
VOID_ENDPOINT = "/1/sales/{payment_id}/void"
ZERO_AUTH_ENDPOINT = "/1/zeroauth"
CARD_ENDPOINT = "/1/card/{card_token}"
SOP_ACCESS_TOKEN_ENDPOINT = "/v2/accesstoken"
SOP_CARD_ENDPOINT = "/v1/card"

# Seconds before a call times out (connection or read). A sale is never sent twice:
# when its answer is lost, the sale is looked up by MerchantOrderId instead.
TIMEOUT = 40

# HTTP statuses meaning that Cielo is unavailable (the operation is retried later).
UNAVAILABLE_STATUSES = (429, 500, 502, 503, 504)

# Payment.Status of a sale.
STATUS_NOT_FINISHED = 0
STATUS_AUTHORIZED = 1
STATUS_PAYMENT_CONFIRMED = 2
STATUS_DENIED = 3
STATUS_VOIDED = 10
STATUS_REFUNDED = 11
STATUS_PENDING = 12
STATUS_ABORTED = 13
STATUS_SCHEDULED = 20

# Mapping of transaction states to Cielo's Payment.Status.
TRANSACTION_STATUS_MAPPING = {
    "pending": (STATUS_NOT_FINISHED, STATUS_PENDING, STATUS_SCHEDULED),
    "authorized": (STATUS_AUTHORIZED,),
    "done": (STATUS_PAYMENT_CONFIRMED,),
    "cancel": (STATUS_VOIDED, STATUS_ABORTED),
    "error": (STATUS_DENIED,),
    # A refunded sale is handled on its refund transaction; the sale itself stays done.
    "refunded": (STATUS_REFUNDED,),
}

# ReturnCode of an authorisation (sandbox: 4 authorised, 6 authorised and captured;
# production acquirers answer 00).
SUCCESS_RETURN_CODES = ("00", "0", "4", "6")

# ReturnCodes of a declined card that may be charged again later (the issuer's answer
# may change: limit, a time-out); others (expired, blocked, cancelled, card problem)
# refuse the card itself. Messages: PaymentTransaction._cielo_br_decline_message.
RETRYABLE_RETURN_CODES = ("05", "51", "99", "96", "AC", "BM")

# ReasonCode of a capture or a void: 0 is Successful.
REASON_SUCCESSFUL = 0

# Cielo's card brands (CreditCard.Brand), by Odoo's card brand payment method code.
BRANDS = {
    "visa": "Visa",
    "mastercard": "Master",
    "amex": "Amex",
    "elo": "Elo",
    "diners": "Diners",
    "discover": "Discover",
    "jcb": "JCB",
    "hipercard": "Hipercard",
    "aura": "Aura",
}
BRAND_LABELS = {
    "Visa": "Visa",
    "Master": "Mastercard",
    "Amex": "American Express",
    "Elo": "Elo",
    "Diners": "Diners",
    "Discover": "Discover",
    "JCB": "JCB",
    "Hipercard": "Hipercard",
    "Aura": "Aura",
}

# SoftDescriptor (name on the card statement): at most 13 letters and digits.
SOFT_DESCRIPTOR_MAX_LENGTH = 13
SOFT_DESCRIPTOR_PATTERN = r"[A-Za-z0-9 ]{0,13}"

# MerchantOrderId (our reference) is at most 50 characters.
MERCHANT_ORDER_ID_MAX_LENGTH = 50

# A MerchantId and a CardToken are GUIDs.
GUID_PATTERN = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

# Currencies supported by the e-commerce API.
SUPPORTED_CURRENCIES = ("BRL",)

# The codes of the payment methods to activate when Cielo is activated.
DEFAULT_PAYMENT_METHOD_CODES = {"card", "visa", "mastercard", "amex", "elo"}

# Keys of Cielo's answers never written to the log (tokens that pay).
REDACTED_KEYS = ("CardToken", "PaymentToken", "AccessToken", "SecurityCode")

# Minutes after a lost answer during which a sale not found at Cielo is still looked
# for; after that it is known not to exist and the charge may be made again.
LOST_ANSWER_GRACE_MINUTES = 30

# Prefix of the error messages (the provider's name, not translated).
ERROR_PREFIX = "Cielo: "
