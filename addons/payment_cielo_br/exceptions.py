# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError


class CieloBrUnavailableError(ValidationError):
    """Cielo could not be reached or its answer was lost (time-out, connection error,
    5xx, 429). Whether a sale sent then exists is unknown: it is looked up by its
    MerchantOrderId before anything is sent again."""
