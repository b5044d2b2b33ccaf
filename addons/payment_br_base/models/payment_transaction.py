# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import models
from odoo.tools import consteq
from odoo.tools.misc import hmac as hmac_tool


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

    def _br_invoices_settled(self):
        """Whether this transaction's charge is no longer needed: all its invoices
        are paid by other means, reversed or cancelled (a scheduled check then
        cancels the charge at the bank)."""
        self.ensure_one()
        invoices = self.invoice_ids
        return bool(invoices) and all(
            inv.state == "cancel"
            or inv.payment_state in ("paid", "in_payment", "reversed")
            for inv in invoices
        )

    def _br_cancel_charge(self, reason):
        """Cancel this transaction's charge (at the bank when there is one there)."""
        self.ensure_one()
        self._set_canceled(state_message=reason)

    # === HELPERS OF THE PROVIDER ADDONS === #

    def _br_redirect_form_values(self, process_url, access_token):
        """The rendering values of a provider whose redirect form posts the
        transaction's reference and access token to its own process route, which
        issues the charge once the transaction is saved."""
        self.ensure_one()
        return {
            "api_url": process_url,
            "reference": self.reference,
            "access_token": access_token,
        }

    def _br_access_token(self, scope, *extra):
        """The token granting access to this transaction's public pages (the boleto,
        the PIX code, the payment route), signed with the database secret: made
        without a request, so that e-mails and tests can build the links too.

        :param str scope: The signature's scope, each provider's own (a token of
                          one provider's pages opens nothing of another's).
        :param extra: More values the token is bound to (an amount, a partner).
        """
        self.ensure_one()
        message = "|".join(str(part) for part in (self.id, self.reference, *extra))
        return hmac_tool(self.env(su=True), scope, message)

    def _br_check_access_token(self, access_token, scope, *extra):
        """Whether ``access_token`` is `_br_access_token(scope, *extra)`, compared
        in constant time."""
        self.ensure_one()
        return bool(access_token) and consteq(
            str(access_token), self._br_access_token(scope, *extra)
        )

    def _br_lock_nowait(self):
        """Lock this transaction's row for the current database transaction, so that
        two workers never issue its charge at once; False when another one holds it.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM payment_transaction"
                    " WHERE id = %s FOR UPDATE NOWAIT",
                    [self.id],
                )
        except psycopg2.errors.LockNotAvailable:
            return False
        return True
