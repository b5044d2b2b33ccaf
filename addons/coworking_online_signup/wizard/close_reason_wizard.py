# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CloseReasonWizard(models.TransientModel):
    """subscription_oca's close wizard, with the last day of use: a coworking
    contract closed mid-period gets its pro-rata final invoice or credit note."""

    _inherit = "close.reason.wizard"

    coworking_contract_id = fields.Many2one(
        "sale.subscription", default=lambda self: self._default_contract()
    )
    coworking_close_date = fields.Date(
        string="Last day of use",
        default=lambda self: self._default_close_date(),
        help="The days of the period up to this one are invoiced; those after it "
        "are credited if the period was invoiced in advance.",
    )

    @api.model
    def _default_contract(self):
        if self.env.context.get("active_model") == "sale.subscription":
            return self.env.context.get("active_id")
        return False

    @api.model
    def _default_close_date(self):
        contract = self.env["sale.subscription"].browse(self._default_contract())
        company = contract.company_id or self.env.company
        return company._coworking_today()

    def button_confirm(self):
        contract = self.coworking_contract_id
        if contract.coworking_plan_id and self.coworking_close_date:
            contract._coworking_close(
                self.coworking_close_date, self.close_reason_id.id
            )
            return True
        return super().button_confirm()
