# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PaymentToken(models.Model):
    _inherit = "payment.token"

    def _br_charge_invoice(self, invoice):
        """Charge ``invoice`` off-session with this saved token (a contract's
        period), the provider's own way: a card provider with a retry schedule for
        declined charges overrides this.

        :return: The transaction of the charge, or an empty recordset when the
                 provider has no way of its own (the caller then uses Odoo's
                 standard offline token flow).
        """
        self.ensure_one()
        return self.env["payment.transaction"]
