# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero


class SaleSubscription(models.Model):
    """The coworking contract: subscription_oca's subscription, plus the plan."""

    _inherit = "sale.subscription"

    unit_id = fields.Many2one(
        "coworking.unit", tracking=True, index=True, check_company=True
    )
    plan_id = fields.Many2one(
        "coworking.plan", tracking=True, index=True, check_company=True
    )
    signup_origin = fields.Selection(
        [
            ("manual", "Manual"),
            ("online", "Online signup"),
            ("import", "Import"),
        ],
        string="Registered by",
        default="manual",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )
    due_day = fields.Integer(
        compute="_compute_due_day",
        store=True,
        help="Day of the month invoices fall due: the day of the start date. In "
        "months without that day, the last day of the month.",
    )
    deposit_amount = fields.Monetary(
        string="Returnable deposit",
        tracking=True,
        help="Returned to the member when the contract ends. Never charged on "
        "contracts created by online signup.",
    )
    terms_version = fields.Char(
        string="Terms version accepted",
        readonly=True,
        copy=False,
        help="Version of the plan's terms (LGPD) the member accepted at signup.",
    )
    terms_accepted_on = fields.Datetime(
        string="Terms accepted on", readonly=True, copy=False
    )
    benefits_state = fields.Selection(
        [("held", "Held until payment"), ("active", "Active")],
        string="Benefits",
        copy=False,
        tracking=True,
        help="Online contracts whose plan starts benefits at payment wait here until "
        "the first invoice is paid.",
    )
    coworking_quota_ids = fields.One2many(
        "coworking.quota", "contract_id", string="Quotas"
    )
    coworking_quota_count = fields.Integer(compute="_compute_coworking_quota_count")
    coworking_submission_ids = fields.One2many(
        "coworking.signup.submission", "contract_id", string="Online signups"
    )
    signup_provider_id = fields.Many2one(
        "payment.provider",
        string="Payment method",
        compute="_compute_signup_provider_id",
        store=True,
        index="btree_not_null",
        help="The payment method chosen at the online signup.",
    )

    @api.depends("date_start")
    def _compute_due_day(self):
        for contract in self:
            contract.due_day = contract.date_start.day if contract.date_start else 0

    @api.depends("coworking_submission_ids.provider_id")
    def _compute_signup_provider_id(self):
        for contract in self:
            contract.signup_provider_id = contract.coworking_submission_ids.sorted(
                "id"
            )[-1:].provider_id

    @api.depends("coworking_quota_ids")
    def _compute_coworking_quota_count(self):
        counts = {
            contract.id: count
            for contract, count in self.env["coworking.quota"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        }
        for contract in self:
            contract.coworking_quota_count = counts.get(contract.id, 0)

    @api.constrains("signup_origin", "deposit_amount")
    def _check_online_deposit(self):
        for contract in self:
            if contract.signup_origin == "online" and not float_is_zero(
                contract.deposit_amount,
                precision_rounding=contract.currency_id.rounding or 0.01,
            ):
                raise ValidationError(
                    _(
                        "Contract %(contract)s was created by online signup: it "
                        "cannot have a returnable deposit.",
                        contract=contract.display_name,
                    )
                )

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.plan_id:
            self.unit_id = self.plan_id.unit_id
            self.template_id = self.plan_id.subscription_template_id

    # Due dates
    def _coworking_next_due_date(self, current):
        """The due date that follows ``current`` for this contract.

        Anchored on the due day rather than on ``current``: after 31 Jan comes
        29 Feb (leap year) or 28 Feb, and after that 31 Mar again, never 28 Mar.
        """
        self.ensure_one()
        interval = self.template_id.recurring_interval or 1
        return current + relativedelta(months=interval, day=self.due_day)

    def _coworking_uses_due_day(self):
        self.ensure_one()
        return bool(self.due_day) and self.template_id.recurring_rule_type == "months"

    def calculate_recurring_next_date(self, start_date):
        """Override of `subscription_oca` to keep the due day from drifting."""
        if (
            len(self) == 1
            and start_date
            and self.account_invoice_ids_count
            and self._coworking_uses_due_day()
        ):
            self.recurring_next_date = self._coworking_next_due_date(start_date)
            return
        return super().calculate_recurring_next_date(start_date)

    def generate_invoice(self):
        """Override of `subscription_oca`: invoicing a period renews its quotas (B3).

        The invoice of a period is issued on the period's first day (the due day),
        so the quotas of that period are loaded with it: held while the contract's
        benefits wait for the first payment, active otherwise."""
        period_starts = {contract: contract.recurring_next_date for contract in self}
        res = super().generate_invoice()
        for contract, period_start in period_starts.items():
            if contract.plan_id and period_start:
                contract._coworking_load_quotas(
                    period_start=period_start,
                    state="held" if contract.benefits_state == "held" else "active",
                )
        return res

    # Quotas
    def _coworking_period_bounds(self, period_start):
        """First and last day of the period that starts on ``period_start``."""
        self.ensure_one()
        if self._coworking_uses_due_day():
            next_start = self._coworking_next_due_date(period_start)
        else:
            template = self.template_id
            next_start = period_start + relativedelta(
                **{
                    template.recurring_rule_type or "months": (
                        template.recurring_interval or 1
                    )
                }
            )
        return period_start, next_start - relativedelta(days=1)

    def _coworking_load_quotas(self, period_start=None, state="active"):
        """Create the plan's quota balances for one period (idempotent)."""
        Quota = self.env["coworking.quota"].sudo()
        quotas = Quota.browse()
        for contract in self.filtered("plan_id"):
            start, end = contract._coworking_period_bounds(
                period_start
                or contract.date_start
                or fields.Date.context_today(contract)
            )
            existing = Quota.search(
                [("contract_id", "=", contract.id), ("period_start", "=", start)]
            ).plan_quota_id
            vals_list = [
                {
                    "contract_id": contract.id,
                    "plan_quota_id": line.id,
                    "period_start": start,
                    "period_end": end,
                    "quantity_allowed": line.quantity,
                    "state": state,
                }
                for line in contract.plan_id.quota_ids
                if line not in existing
            ]
            quotas |= Quota.create(vals_list)
        return quotas

    def _coworking_signup_finished(self, submission):
        """Hook: the finishing job of ``submission`` issued this contract's first
        invoice and sent the signup's e-mails (same transaction, once per signup).
        Addons add what follows a signup (the contract document, its signature)."""
        return True

    def _coworking_activate_benefits(self):
        """Start held benefits: quotas become usable, the portal user is activated."""
        held = self.filtered(lambda c: c.benefits_state == "held")
        if not held:
            return
        held.sudo().coworking_quota_ids.filtered(lambda q: q.state == "held").write(
            {"state": "active"}
        )
        # only the portal user a signup created for this contract, never other
        # (archived) users of the client or its contacts
        users = (
            self.env["coworking.signup.submission"]
            .sudo()
            .search([("contract_id", "in", held.ids), ("user_created", "=", True)])
            .user_id.with_context(active_test=False)
            .filtered(lambda user: not user.active)
        )
        users.write({"active": True})
        held.write({"benefits_state": "active"})
        for contract in held:
            contract.message_post(
                body=_("Payment confirmed: the plan's benefits have started.")
            )

    def action_coworking_load_quotas(self):
        self._coworking_load_quotas()
        return self.action_view_coworking_quotas()

    def action_view_coworking_quotas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coworking_online_signup.coworking_quota_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action
