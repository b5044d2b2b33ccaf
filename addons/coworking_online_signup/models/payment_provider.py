# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Codes of the payment providers that belong to this product (one module each).
SIGNUP_PROVIDER_CODES = ("inter_br", "pix_br", "cielo_br", "efi_br")


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_coworking_signup_codes(self):
        """Provider codes usable for online signup. Override to add one."""
        return list(SIGNUP_PROVIDER_CODES)

    @api.model
    def _get_coworking_signup_providers(self, company):
        """Enabled (or test-mode) signup providers of ``company``."""
        return self.sudo().search(
            [
                ("code", "in", self._get_coworking_signup_codes()),
                ("state", "in", ("enabled", "test")),
                ("company_id", "=", company.id),
            ]
        )
