# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError


class EfiBrUnavailableError(ValidationError):
    """Efí could not be reached, answered that it is unavailable, or refused our
    credentials: the charge is kept and issued again later, never lost."""
