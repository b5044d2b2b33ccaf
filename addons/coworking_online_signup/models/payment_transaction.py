# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    @api.model
    def _coworking_prepare_charge_values(
        self, provider, partner, amount, currency, **documents
    ):
        """Values of the redirect transaction (a boleto, a PIX) that ``provider``'s
        first active payment method issues for ``documents`` (``sale_order_ids=``
        or ``invoice_ids=`` recordsets): a signup's charge, or a period's.

        :rtype: dict
        """
        links = {
            name: [Command.set(records.ids)] for name, records in documents.items()
        }
        return {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids.filtered("active")[:1].id,
            "reference": self._compute_reference(provider.code, **links),
            "amount": amount,
            "currency_id": currency.id,
            "partner_id": partner.id,
            "operation": "online_redirect",
            **links,
        }

    def _post_process(self):
        """Override of `payment`: a confirmed payment of a signup's sale order pays the
        signup's first invoice, issued now if the finishing job has not run yet."""
        for tx in self.filtered(lambda t: t.state == "done" and t.sale_order_ids):
            submissions = tx.sale_order_ids._coworking_get_submissions()
            invoices = self.env["account.move"]
            for submission in submissions:
                invoices |= submission._coworking_ensure_first_invoice()
            invoices = invoices.filtered(lambda m: m.state == "posted")
            if invoices:
                tx.invoice_ids = [Command.link(invoice.id) for invoice in invoices]
        return super()._post_process()

    def _invoice_sale_orders(self):
        """Override of `sale`: a signup's sale order is invoiced by the signup (its
        first invoice), never a second time by the payment."""
        ours = self.filtered(lambda tx: tx.sale_order_ids._coworking_get_submissions())
        return super(PaymentTransaction, self - ours)._invoice_sale_orders()
