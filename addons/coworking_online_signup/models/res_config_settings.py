# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coworking_signup_enabled = fields.Boolean(
        related="company_id.coworking_signup_enabled", readonly=False
    )
    coworking_storage_limit_mb = fields.Integer(
        related="company_id.coworking_storage_limit_mb", readonly=False
    )
    coworking_storage_unlimited = fields.Boolean(
        related="company_id.coworking_storage_unlimited", readonly=False
    )
    coworking_invoice_lead_days = fields.Integer(
        related="company_id.coworking_invoice_lead_days", readonly=False
    )
    coworking_late_grace_days = fields.Integer(
        related="company_id.coworking_late_grace_days", readonly=False
    )
    coworking_has_published_plan = fields.Boolean(
        compute="_compute_coworking_checklist", string="A published plan"
    )
    coworking_has_payment_provider = fields.Boolean(
        compute="_compute_coworking_checklist", string="An enabled payment provider"
    )

    @api.depends("company_id")
    def _compute_coworking_checklist(self):
        for settings in self:
            company = settings.company_id
            settings.coworking_has_published_plan = (
                company._coworking_has_published_plan()
            )
            settings.coworking_has_payment_provider = bool(
                self.env["payment.provider"]._get_coworking_signup_providers(company)
            )

    def action_coworking_open_plans(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "coworking_online_signup.coworking_plan_action"
        )

    def action_coworking_open_providers(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "payment.action_payment_provider"
        )
