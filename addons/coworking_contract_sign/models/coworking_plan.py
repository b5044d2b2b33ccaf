# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CONTRACT_REPORT_XMLID = "coworking_contract_sign.action_report_contract_document"


class CoworkingPlan(models.Model):
    _inherit = "coworking.plan"

    contract_report_id = fields.Many2one(
        "ir.actions.report",
        string="Contract template",
        domain=[("model", "=", "sale.subscription"), ("report_type", "=", "qweb-pdf")],
        default=lambda self: self.env.ref(
            CONTRACT_REPORT_XMLID, raise_if_not_found=False
        ),
        help="The contract document of this plan's contracts: a PDF report on "
        "contracts, in the company's layout and the member's language. Its QWeb "
        "view can be edited (Settings > Technical > Views) or another report chosen. "
        "Empty: the standard contract template.",
    )
    contract_sign_trigger = fields.Selection(
        [
            ("manual", "When an operator requests it"),
            ("signup", "At signup"),
            ("payment", "At payment confirmation"),
        ],
        string="Send for signature",
        default="manual",
        required=True,
        help="When the contract goes to the member for signature. An operator can "
        "always request it from the contract or the contracts list.",
    )
    contract_operator_signs = fields.Boolean(
        string="Operator signs too",
        help="The operator below signs the contract after the member.",
    )
    contract_operator_id = fields.Many2one(
        "res.users",
        string="Signing operator",
        domain=[("share", "=", False)],
        check_company=True,
        help="The internal user who signs the contracts for the company.",
    )

    @api.constrains("contract_operator_signs", "contract_operator_id")
    def _check_contract_operator(self):
        for plan in self:
            if plan.contract_operator_signs and not plan.contract_operator_id:
                raise ValidationError(
                    _(
                        "Plan %(plan)s: choose the operator who signs the contracts.",
                        plan=plan.name,
                    )
                )

    def _get_contract_report(self):
        self.ensure_one()
        return self.contract_report_id or self.env.ref(CONTRACT_REPORT_XMLID)
