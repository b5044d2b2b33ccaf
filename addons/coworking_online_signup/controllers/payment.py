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
            submission = request.env["coworking.signup"]._find_submission(token)
            if (
                invoice_id
                and submission.invoice_id.id == self._cast_as_int(invoice_id)
                or sale_order_id
                and submission.sale_order_id.id == self._cast_as_int(sale_order_id)
            ):
                values["landing_route"] = f"/coworking/signup/{submission.token}"
        return values
