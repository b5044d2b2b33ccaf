# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        """Override of `account` to confirm the pending PIX transactions of invoices
        paid by reconciliation (a bank statement line carrying the PIX, a payment
        registered by the accountant)."""
        res = super()._invoice_paid_hook()
        self.sudo().transaction_ids._pix_br_confirm_by_reconciliation()
        return res
