# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SignOcaRequest(models.Model):
    _inherit = "sign.oca.request"

    def _coworking_contract(self):
        """The coworking contract this request was made for, if any."""
        self.ensure_one()
        record = self.sudo().record_ref
        if record and record._name == "sale.subscription" and record.coworking_plan_id:
            return record
        return self.env["sale.subscription"]
