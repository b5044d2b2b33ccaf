# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        """Override of `account`: paying starts the benefits held until payment."""
        res = super()._invoice_paid_hook()
        self.subscription_id.filtered("plan_id")._coworking_activate_benefits()
        return res
