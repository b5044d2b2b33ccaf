# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError


class InterBrUnavailableError(ValidationError):
    """Banco Inter could not be reached or answered that it is unavailable
    (timeout, connection error, 5xx, 429 after the retries). The operation may be
    retried later."""


class InterBrConfigurationError(InterBrUnavailableError):
    """The provider's setup is incomplete (certificate or key missing) or its
    credentials are refused by the bank. Retried like an unavailable bank, so that
    a payment is not lost while the operator fixes the setup."""


class InterBrRateLimitedError(InterBrUnavailableError):
    """Banco Inter answered 429: the per-minute limit of the route is reached. Waiting
    seconds cannot clear it; the operation is retried later (next minute)."""
