# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def group_subscription_lines(self):
        """Override of `subscription_oca`: the signup creates its own contract."""
        if self.env.context.get("coworking_signup"):
            return {}
        return super().group_subscription_lines()

    def _coworking_get_submissions(self):
        """The online signups these sale orders were made by."""
        if not self:
            return self.env["coworking.signup.submission"]
        return (
            self.env["coworking.signup.submission"]
            .sudo()
            .search([("sale_order_id", "in", self.ids)])
        )

    def _send_payment_succeeded_for_order_mail(self):
        """Override of `sale`: a signup's member hears from the signup's own e-mails,
        logged on the contract; the payment pays the first invoice."""
        signup_orders = self._coworking_get_submissions().sale_order_id
        return super(
            SaleOrder, self - signup_orders
        )._send_payment_succeeded_for_order_mail()

    def _coworking_prepare_first_invoice_values(self, contract):
        """The values of a signup's first invoice (plan and setup fee, the whole
        first period, no pro-rata), due on the signup day.

        Made from the order's own ``_prepare_invoice`` and
        ``_prepare_invoice_line``, as ``sale``'s ``_create_invoices`` does for one
        order without down payments, but without its generic part (grouping of
        orders, down payments, the origin message): a third fewer queries, on the
        path every signup takes (issue 16)."""
        self.ensure_one()
        values = self._prepare_invoice()
        values.update(
            {
                "subscription_id": contract.id,
                "invoice_date": contract.date_start,
                "invoice_date_due": contract.date_start,
                "invoice_payment_term_id": False,  # due on the signup day
                "invoice_origin": contract.name,
                "invoice_line_ids": [
                    Command.create(line._prepare_invoice_line(sequence=sequence))
                    for sequence, line in enumerate(
                        self._get_invoiceable_lines(), start=1
                    )
                ],
            }
        )
        return values

    @api.model
    def _coworking_create_first_invoices(self, orders_contracts):
        """The first invoices of signups, posted: one for each ``(order,
        contract)`` pair, in that order. Created and posted together, so that a
        burst of signups shares most of an invoice's queries (issue 16). Called
        by ``coworking.signup.submission._coworking_ensure_first_invoices``."""
        values = [
            order._coworking_prepare_first_invoice_values(contract)
            for order, contract in orders_contracts
        ]
        invoices = (
            self.env["account.move"]
            .with_context(default_move_type="out_invoice")
            .create(values)
        )
        invoices.action_post()
        return invoices

    def _coworking_get_open_charges(self, provider=None):
        """The charges of a signup's first payment that are still open or paid
        (this order's and its first invoice's): a second visit reopens them rather
        than making a second charge."""
        submissions = self._coworking_get_submissions()
        transactions = self.transaction_ids | submissions.invoice_id.transaction_ids
        return transactions.filtered(
            lambda tx: tx.state in ("draft", "pending", "authorized", "done")
            and tx.operation != "validation"
            and (not provider or tx.provider_id == provider)
        ).sorted("id", reverse=True)

    def _coworking_lock(self):
        """Serialize whoever makes a signup's charge (the finishing job, the
        visitor's payment page): the second waits, then sees the first's charge
        (or fails to serialize and is replayed by Odoo)."""
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )

    def _coworking_touch(self):
        """Mark the order as changed, so that a concurrent `_coworking_lock` fails
        to serialize and is replayed with a snapshot that sees this charge."""
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = now() at time zone 'UTC' "
            "WHERE id IN %s",
            [tuple(self.ids)],
        )

    def _coworking_prepare_transaction_values(self, provider):
        """The charge (boleto, PIX) of what is left to pay on this order."""
        self.ensure_one()
        return self.env["payment.transaction"]._coworking_prepare_charge_values(
            provider,
            self.partner_invoice_id,
            self.amount_total - self.amount_paid,
            self.currency_id,
            sale_order_ids=self,
        )
