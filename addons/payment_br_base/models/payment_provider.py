# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_br_provider_codes(self):
        """The codes of the Brazilian providers installed: each provider addon built
        on this one adds its own, so products (the coworking signup) list them
        without naming any."""
        return []

    def _br_requires_payer_address(self):
        """Whether this provider's charges need the payer's full address (a boleto
        does, a PIX or a card does not). Providers that need it override this."""
        self.ensure_one()
        return False

    def _br_amount_allowed(self, amount, currency=None):
        """Whether this provider can take a payment of ``amount`` (a bank's minimum
        and maximum charge); forms call it to offer the provider or not. Providers
        with limits override this."""
        self.ensure_one()
        return True

    def _br_issues_charge_without_payer(self):
        """Whether this provider's charge can be issued by the server alone (a
        boleto, a PIX code): a signup then issues it at once. A card needs the
        payer's browser. Providers that can override this."""
        self.ensure_one()
        return False
