# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


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
