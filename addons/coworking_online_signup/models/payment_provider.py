# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Codes of the payment providers that belong to this product (one module each).
SIGNUP_PROVIDER_CODES = ("inter_br", "pix_br", "cielo_br", "efi_br")
# Providers whose bank refuses a charge without the payer's full address (F16).
ADDRESS_REQUIRED_CODES = ("inter_br",)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_coworking_signup_codes(self):
        """Provider codes usable for online signup. Override to add one."""
        return list(SIGNUP_PROVIDER_CODES)

    def _coworking_requires_address(self):
        """Whether this provider needs the payer's address. Override to add one."""
        self.ensure_one()
        return self.code in ADDRESS_REQUIRED_CODES

    @api.model
    def _get_compatible_providers(self, *args, coworking_signup=None, **kwargs):
        """Override of `payment`: a signup's payment step offers the chosen provider."""
        providers = super()._get_compatible_providers(*args, **kwargs)
        if coworking_signup and isinstance(coworking_signup, str):
            submission = (
                self.env["coworking.signup.submission"]
                .sudo()
                .search([("token", "=", coworking_signup)], limit=1)
            )
            if submission.provider_id in providers:
                providers = submission.provider_id
        return providers

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
