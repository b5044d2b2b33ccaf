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

# === Dynamic PIX (BACEN Pix API) === #

MODE_STATIC = "static"
MODE_DYNAMIC = "dynamic"

# PSPs serving BACEN's Pix API: hosts (the provider's state `test` uses the sandbox),
# the OAuth2 token path and the prefix of the API's paths.
PSP_CUSTOM = "custom"
PSPS = {
    "inter": {
        "production": "https://cdpj.partners.bancointer.com.br",
        "sandbox": "https://cdpj-sandbox.partners.uatinter.co",
        "token_path": "/oauth/v2/token",
        "path_prefix": "/pix/v2",
    },
}

# A charge's lifetime at the PSP (`calendario.expiracao`), in seconds, by default.
COB_EXPIRY_DEFAULT = 3600

# The PSP's txid of a charge: 26 to 35 letters and digits.
COB_TXID_LENGTH = 32

# `solicitacaoPagador` has at most this many characters.
PAYER_REQUEST_MAX_LENGTH = 140

# Mapping of transaction states to the charge's `status`.
COB_STATUS_MAPPING = {
    "pending": ("ATIVA",),
    "done": ("CONCLUIDA",),
    "cancel": ("REMOVIDA_PELO_USUARIO_RECEBEDOR", "REMOVIDA_PELO_PSP"),
}
COB_STATUS_ACTIVE = "ATIVA"

# Route of the PSP's webhook (the PSP appends `/pix` to the registered URL).
WEBHOOK_ROUTE = "/payment/pix_br/webhook"

# Polling cron: transactions checked per run (it re-triggers itself when more remain).
POLL_BATCH_SIZE = 50
