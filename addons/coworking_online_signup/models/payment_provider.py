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

    def _coworking_requires_address(self):
        """Whether this provider needs the payer's address (F16): each provider
        says so through `payment_br_base`'s hook."""
        self.ensure_one()
        return self._br_requires_payer_address()

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
