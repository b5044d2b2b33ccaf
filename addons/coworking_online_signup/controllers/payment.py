# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import (
    PaymentPortal as AccountPaymentPortal,
)
from odoo.addons.sale.controllers.portal import PaymentPortal as SalePaymentPortal


class CoworkingPaymentPortal(SalePaymentPortal, AccountPaymentPortal):
    """Extends both, so that this runs after them and its landing route wins."""

    def _get_extra_payment_form_values(
        self, invoice_id=None, sale_order_id=None, **kwargs
    ):
        """Override of `account_payment` and `sale`: after paying a signup's first
        invoice or sale order, land on the signup's thank-you page."""
        values = super()._get_extra_payment_form_values(
            invoice_id=invoice_id, sale_order_id=sale_order_id, **kwargs
        )
        token = kwargs.get("coworking_signup")
        if token and (invoice_id or sale_order_id):
            submission = request.env["coworking.signup.submission"]._coworking_find(
                token
            )
            if (
                invoice_id
                and submission.invoice_id.id == self._cast_as_int(invoice_id)
                or sale_order_id
                and submission.sale_order_id.id == self._cast_as_int(sale_order_id)
            ):
                values["landing_route"] = f"/coworking/signup/{submission.token}"
        return values

    def _create_transaction(self, *args, custom_create_values=None, **kwargs):
        """Override of `payment`: paying a signup's first payment again with the
        same provider reopens its open charge (issued by the signup, or by an
        earlier visit) instead of making a second one."""
        values = custom_create_values or {}
        provider_id = kwargs.get("provider_id") or (args[0] if args else None)
        order = self._coworking_get_signup_order(values)
        if order and provider_id and kwargs.get("flow", "redirect") == "redirect":
            order._coworking_lock()
            provider = request.env["payment.provider"].sudo().browse(provider_id)
            open_tx = order._coworking_get_open_charges(provider).filtered(
                lambda tx: tx.state in ("draft", "pending", "authorized")
            )[:1]
            if open_tx:
                return open_tx
        tx_sudo = super()._create_transaction(
            *args, custom_create_values=custom_create_values, **kwargs
        )
        if order:
            order._coworking_touch()
        return tx_sudo

    def _coworking_get_signup_order(self, create_values):
        """The signup's sale order paid by these transaction values (the order
        itself, or the signup's first invoice), or an empty recordset."""
        env = request.env(su=True)
        orders, invoices = env["sale.order"], env["account.move"]
        for command in create_values.get("sale_order_ids") or []:
            orders |= orders.browse(command[2] if command[0] == 6 else [command[1]])
        for command in create_values.get("invoice_ids") or []:
            invoices |= invoices.browse(command[2] if command[0] == 6 else [command[1]])
        submissions = env["coworking.signup.submission"].search(
            [
                "|",
                ("sale_order_id", "in", orders.ids),
                ("invoice_id", "in", invoices.ids),
            ]
        )
        return submissions.sale_order_id[:1]
