# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PaymentTransaction(models.Model):
    """What a product (the coworking signup, its billing run) may ask of any
    Brazilian provider's transaction without naming the provider. Each provider
    addon overrides the hooks its charges support."""

    _inherit = "payment.transaction"

    def _br_issue_charge(self):
        """Issue this draft transaction's charge now, without the payer's browser
        (a boleto, a PIX code), as the provider's own payment page would. A bank
        that cannot be reached keeps the transaction for a retry, never loses it.

        :return: Whether a charge the payer can pay now exists.
        :rtype: bool
        """
        self.ensure_one()
        return False

    def _br_get_charge_url(self):
        """A stable public page of this transaction's charge (the boleto, the PIX
        code) for e-mails and thank-you pages, or False."""
        self.ensure_one()
        return False

    def _br_get_expiry_date(self):
        """The last day this charge can be paid (a boleto's due date), or False."""
        self.ensure_one()
        return False

    def _br_cancel_charge(self, reason):
        """Cancel this transaction's charge (at the bank when there is one there)."""
        self.ensure_one()
        self._set_canceled(state_message=reason)
