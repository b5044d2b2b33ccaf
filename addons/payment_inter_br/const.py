# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Constants of Banco Inter's charge API v3 ("boleto com PIX")."""

# Hosts. The provider's state `test` uses the sandbox, `enabled` the production host.
API_URL_PRODUCTION = "https://cdpj.partners.bancointer.com.br"
API_URL_SANDBOX = "https://cdpj-sandbox.partners.uatinter.co"

# Endpoints.
TOKEN_ENDPOINT = "/oauth/v2/token"
CHARGES_ENDPOINT = "/cobranca/v3/cobrancas"
WEBHOOK_ENDPOINT = "/cobranca/v3/cobrancas/webhook"

# OAuth2 scopes.
SCOPE_READ = "boleto-cobranca.read"
SCOPE_WRITE = "boleto-cobranca.write"

# The token is renewed this many seconds before it expires.
TOKEN_EXPIRY_MARGIN = 60

# Seconds before a call times out (connection or read); passed on every call.
TIMEOUT = 30

# HTTP statuses retried with backoff, and the waits (seconds) between the attempts.
RETRY_STATUSES = (429,)
RETRY_BACKOFF = (1, 2, 4)
# The longest wait accepted from a `Retry-After` header.
RETRY_AFTER_MAX = 10

# HTTP statuses meaning that the bank is unavailable (the charge is retried later).
UNAVAILABLE_STATUSES = (429, 500, 502, 503, 504)

# HTTP statuses of the token call meaning that our credentials are refused.
CREDENTIALS_REFUSED_STATUSES = (400, 401, 403)

# `seuNumero`, our reference on the charge, has at most this many characters.
SEU_NUMERO_MAX_LENGTH = 15

# Currencies supported by the charge API.
SUPPORTED_CURRENCIES = ("BRL",)

# The codes of the payment methods to activate when Banco Inter is activated.
DEFAULT_PAYMENT_METHOD_CODES = {"boleto", "pix"}

# Mapping of transaction states to the charge's `situacao`.
TRANSACTION_STATUS_MAPPING = {
    "pending": ("EM_PROCESSAMENTO", "A_RECEBER", "ATRASADO", "PROTESTO"),
    "done": ("RECEBIDO", "MARCADO_RECEBIDO"),
    "cancel": ("CANCELADO", "EXPIRADO"),
    "error": ("FALHA_EMISSAO",),
}

# A charge the account holder marked as received by hand (may carry no received amount).
STATUS_MARKED_RECEIVED = "MARCADO_RECEBIDO"

# Statuses in which a charge can still be paid, hence cancelled.
CANCELLABLE_STATUSES = ("EM_PROCESSAMENTO", "A_RECEBER", "ATRASADO")

# Sandbox payment simulation (`pagarCom`), by Odoo payment method code.
SIMULATED_PAYMENT_WITH = {"pix": "PIX", "boleto": "BOLETO"}

# Date filter of the charge list used to find a charge issued earlier.
LIST_FILTER_BY_ISSUE_DATE = "EMISSAO"

# Partner fields the bank requires on the payer (F16), checked before any request.
PAYER_REQUIRED_FIELDS = ("vat", "street", "city", "state_id", "zip")

# Payer types (`tipoPessoa`).
PERSON_TYPE_COMPANY = "JURIDICA"
PERSON_TYPE_INDIVIDUAL = "FISICA"

# Fine (`multa`) and interest (`mora`) codes.
FINE_CODE_PERCENT = "PERCENTUAL"
INTEREST_CODE_MONTHLY_RATE = "TAXAMENSAL"

# Polling cron: transactions handled per run (it re-triggers itself when more remain).
POLL_BATCH_SIZE = 50

# Prefix of the error messages (the provider's name, not translated).
ERROR_PREFIX = "Banco Inter: "
