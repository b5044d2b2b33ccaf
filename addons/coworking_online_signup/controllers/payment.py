# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal


class CoworkingPaymentPortal(PaymentPortal):
    def _get_extra_payment_form_values(self, invoice_id=None, **kwargs):
        """Override of `account_payment`: after paying the first invoice of a signup,
        land on the signup's thank-you page instead of the invoice."""
        values = super()._get_extra_payment_form_values(invoice_id=invoice_id, **kwargs)
        token = kwargs.get("coworking_signup")
        if token and invoice_id:
            submission = request.env["coworking.signup"]._find_submission(token)
            if submission.invoice_id.id == self._cast_as_int(invoice_id):
                values["landing_route"] = f"/coworking/signup/{submission.token}"
        return values
