# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    coworking_signup_enabled = fields.Boolean(
        string="Online signup",
        help="Plan links accept signups only while this is on.",
    )

    def _coworking_has_published_plan(self):
        self.ensure_one()
        return bool(
            self.env["coworking.plan"]
            .sudo()
            .search_count(
                [("company_id", "=", self.id), ("is_published", "=", True)], limit=1
            )
        )

    def _get_coworking_signup_missing(self):
        """Human-readable list of what the company lacks to switch signup on."""
        self.ensure_one()
        missing = []
        if not self._coworking_has_published_plan():
            missing.append(_("at least one published plan"))
        if not self.env["payment.provider"]._get_coworking_signup_providers(self):
            missing.append(
                _(
                    "at least one enabled payment provider "
                    "(Banco Inter, PIX, Cielo or Efí)"
                )
            )
        return missing

    @api.constrains("coworking_signup_enabled")
    def _check_coworking_signup_prerequisites(self):
        for company in self.filtered("coworking_signup_enabled"):
            missing = company._get_coworking_signup_missing()
            if missing:
                raise ValidationError(
                    _(
                        "Online signup cannot be switched on for %(company)s yet. "
                        "It needs %(missing)s.",
                        company=company.name,
                        missing=_(" and ").join(missing),
                    )
                )
