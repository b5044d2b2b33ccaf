# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Constants of Efí's (formerly Gerencianet) charges API and of its Pix API."""

# Charges API ("API Cobranças"): the provider's state `test` uses the sandbox.
CHARGES_URL_PRODUCTION = "https://cobrancas.api.efipay.com.br"
CHARGES_URL_SANDBOX = "https://cobrancas-h.api.efipay.com.br"
TOKEN_ENDPOINT = "/v1/authorize"
ONE_STEP_ENDPOINT = "/v1/charge/one-step"
CHARGE_ENDPOINT = "/v1/charge/{charge_id}"
CANCEL_ENDPOINT = "/v1/charge/{charge_id}/cancel"
CHARGES_LIST_ENDPOINT = "/v1/charges"
NOTIFICATION_ENDPOINT = "/v1/notification/{token}"

# Pix API (BACEN's API, served by Efí with a .p12 client certificate on every call),
# called through payment_pix_br's client: Efí is one of its PSP configurations.
PIX_PSP_CODE = "efi"
PIX_PSP = {
    "production": "https://pix.api.efipay.com.br",
    "sandbox": "https://pix-h.api.efipay.com.br",
    "token_path": "/oauth/token",
    "path_prefix": "/v2",
}
# Efí checks the webhook URL with mutual TLS unless told that the receiver does not
# (our webhook reads every charge back from the API, so it trusts no notification).
PIX_WEBHOOK_HEADERS = {"x-skip-mtls-checking": "true"}

# Seconds before a call times out (connection or read); passed on every call.
TIMEOUT = 30
# The token is renewed this many seconds before it expires.
TOKEN_EXPIRY_MARGIN = 60

# HTTP statuses meaning that Efí is unavailable (the charge is issued again later).
UNAVAILABLE_STATUSES = (429, 500, 502, 503, 504)

# The total of a boleto that Efí accepts, in centavos.
MINIMUM_AMOUNT_CENTAVOS = 500
# `days_to_write_off`: days after the due date before Efí writes the boleto off.
DAYS_TO_WRITE_OFF_MAX = 120
# `custom_id`, `items[].name`: at most this many characters.
TEXT_MAX_LENGTH = 255

# Currencies supported by the charges API.
SUPPORTED_CURRENCIES = ("BRL",)

# The codes of the payment methods to activate when Efí is activated: the boleto
# carries a PIX QR code ("bolix"); a PIX alone goes through payment_pix_br.
DEFAULT_PAYMENT_METHOD_CODES = {"boleto"}

# Mapping of transaction states to the charge's `status` at Efí.
TRANSACTION_STATUS_MAPPING = {
    "pending": ("new", "waiting", "link", "identified", "approved"),
    "done": ("paid", "settled"),
    "cancel": ("unpaid", "canceled", "expired"),
}

# Efí cancels only the charges in these statuses (error 3500043 otherwise).
CANCELLABLE_STATUSES = ("new", "link", "waiting", "unpaid")

# The scheduled check of pending boletos (a fallback for lost notifications). Efí
# allows 15,000 `GET /v1/charge/:id` a day per application: an hourly run of at most
# `POLL_BATCH_SIZE` charges (2,400 a day) leaves the rest to the other calls, and a
# charge is read again only `POLL_INTERVAL_HOURS` after its last check.
POLL_BATCH_SIZE = 100
POLL_INTERVAL_HOURS = 6

# Prefix of the error messages (the provider's name, not translated).
ERROR_PREFIX = "Efí: "
