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

# HTTP status of a rate-limited call. Inter's limits are per minute, so the call is
# not retried within the request: the operation is retried later (status page, cron).
RATE_LIMITED_STATUS = 429

# Calls per minute allowed by Inter, by provider state (`test` is the sandbox):
# charges (issue, read, list, PDF, cancel), token, webhook. The token and webhook
# limits are the same on both hosts.
RATE_LIMIT_CHARGES = {"enabled": 120, "test": 10}
RATE_LIMIT_TOKEN = 5
RATE_LIMIT_WEBHOOK = 5
# Share of the charges limit that one run of the polling cron may use (the rest is
# left to the visitors issuing boletos meanwhile).
POLL_RATE_SHARE = 0.8
# Calls needed to issue one charge again: find it, issue it, read it back.
CALLS_PER_ISSUE = 3
# Seconds before the cron runs again when its share of the minute is used up.
RATE_LIMIT_WINDOW = 60
# A pending charge checked less than this many minutes ago waits for the next cycle
# of the polling cron (which runs every 30 minutes).
POLL_CYCLE_MINUTES = 25
# Seconds after an issue before the cron reads the charge back (registration at Inter
# is asynchronous: the charge is `EM_PROCESSAMENTO`, without boleto, for a while).
REGISTRATION_CHECK_DELAY = 30

# HTTP statuses meaning that the bank is unavailable (the charge is retried later).
UNAVAILABLE_STATUSES = (429, 500, 502, 503, 504)

# HTTP statuses of the token call meaning that our credentials are refused.
CREDENTIALS_REFUSED_STATUSES = (400, 401, 403)

# The amount of a charge (`valorNominal`) accepted by Inter, in BRL.
MINIMUM_AMOUNT = 2.50
MAXIMUM_AMOUNT = 99_999_999.99

# The checking account header (`x-conta-corrente`): digits, without leading zeros.
ACCOUNT_NUMBER_PATTERN = r"[1-9][0-9]*"

# Words of a refusal meaning that the same charge (seuNumero, valorNominal,
# dataVencimento, cpfCnpj) was issued less than 30 minutes ago.
DUPLICATE_REFUSAL_MARKERS = ("duplicad", "mesma cobran")

# Groups of the digitable line of a boleto (47 digits), as printed on boletos:
# "AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE".
DIGITABLE_LINE_LENGTH = 47
DIGITABLE_LINE_GROUPS = ((5, 5), (5, 6), (5, 6), (1,), (14,))

# A line of the message printed on the boleto (`mensagem.linhaN`), at most this long.
MESSAGE_LINE_MAX = 78

# Cancellation reason (`motivoCancelamento`), at most this many characters.
CANCEL_REASON_MAX_LENGTH = 50

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


# Prefix of the error messages (the provider's name, not translated).
ERROR_PREFIX = "Banco Inter: "
