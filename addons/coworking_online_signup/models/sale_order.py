# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def group_subscription_lines(self):
        """Override of `subscription_oca`: the signup creates its own contract."""
        if self.env.context.get("coworking_signup"):
            return {}
        return super().group_subscription_lines()
