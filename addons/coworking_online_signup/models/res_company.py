# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    coworking_signup_enabled = fields.Boolean(
        string="Online signup",
        help="Plan links accept signups only while this is on.",
    )

    coworking_storage_limit_mb = fields.Integer(
        string="File storage allowance (MB)",
        default=1024,
        help="Documents uploaded with online signups count against this allowance.",
    )
    coworking_storage_unlimited = fields.Boolean(
        string="Unlimited file storage",
        help="Documents are accepted whatever the storage already used.",
    )

    coworking_invoice_lead_days = fields.Integer(
        string="Invoice lead time (days)",
        default=5,
        help="Each period's invoice is issued this many days before its due date, "
        "so the member has time to pay.",
    )
    coworking_late_grace_days = fields.Integer(
        string="Grace period for late payment (days)",
        default=3,
        help="An invoice still unpaid this many days after its due date makes its "
        "contract late (and suspends the benefits if the plan says so).",
    )

    _sql_constraints = [
        (
            "coworking_billing_days_positive",
            "CHECK(coworking_invoice_lead_days >= 0 "
            "AND coworking_late_grace_days >= 0)",
            "The invoice lead time and the grace period cannot be negative.",
        ),
    ]

    def _coworking_storage_used(self):
        """Bytes of attachments stored for this company."""
        self.ensure_one()
        self.env["ir.attachment"].flush_model(["file_size", "company_id"])
        self.env.cr.execute(
            "SELECT COALESCE(SUM(file_size), 0) FROM ir_attachment "
            "WHERE company_id = %s",
            [self.id],
        )
        return self.env.cr.fetchone()[0]

    def _coworking_storage_allows(self, size):
        """Whether ``size`` more bytes fit in the company's allowance."""
        self.ensure_one()
        if self.coworking_storage_unlimited:
            return True
        limit = self.coworking_storage_limit_mb * 1024 * 1024
        return self._coworking_storage_used() + size <= limit

    def _coworking_today(self):
        """Today's date in the company's time zone (the company address's tz)."""
        self.ensure_one()
        tz = self.partner_id.tz or "America/Sao_Paulo"
        return fields.Date.context_today(self.with_context(tz=tz))

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
