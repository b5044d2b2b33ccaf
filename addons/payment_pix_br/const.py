# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Constants of the PIX provider."""

# Currencies a BR Code can carry.
SUPPORTED_CURRENCIES = ("BRL",)

# The codes of the payment methods to activate when PIX is activated.
DEFAULT_PAYMENT_METHOD_CODES = {"pix"}

# Types of Pix keys (DICT), as stored on the provider.
KEY_TYPE_CPF = "cpf"
KEY_TYPE_CNPJ = "cnpj"
KEY_TYPE_EMAIL = "email"
KEY_TYPE_PHONE = "phone"
KEY_TYPE_EVP = "evp"

# How a pending PIX transaction was confirmed.
CONFIRMED_BY_OPERATOR = "operator"
CONFIRMED_BY_RECONCILIATION = "reconciliation"

# Invoice payment states meaning that the invoice is paid (reconciled).
INVOICE_PAID_STATES = ("paid", "in_payment")

# Routes.
PROCESS_ROUTE = "/payment/pix_br/process"
PAGE_ROUTE = "/payment/pix_br"

# QR code image of the BR Code.
QR_BOX_SIZE = 6
QR_BORDER = 2

# Prefix of the error messages (the provider's name, not translated).
ERROR_PREFIX = "PIX: "
