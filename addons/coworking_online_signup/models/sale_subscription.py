# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines on purpose: the contract's whole money life (due dates, quotas of
# a period, the billing run, late payment, closing) is one story, read in one file.
import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_is_zero, format_date

_logger = logging.getLogger(__name__)

# contracts billed per cron call: the cron machinery commits each call and calls
# again while some remain, so memory and lock time do not grow with the base
BILLING_BATCH_SIZE = 200


class SaleSubscription(models.Model):
    """The coworking contract: subscription_oca's subscription, plus the plan."""

    _inherit = "sale.subscription"

    coworking_unit_id = fields.Many2one(
        "coworking.unit", string="Unit", tracking=True, index=True, check_company=True
    )
    coworking_plan_id = fields.Many2one(
        "coworking.plan", string="Plan", tracking=True, index=True, check_company=True
    )
    coworking_signup_origin = fields.Selection(
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
    coworking_due_day = fields.Integer(
        string="Due Day",
        compute="_compute_coworking_due_day",
        store=True,
        help="Day of the month invoices fall due: the day of the start date. In "
        "months without that day, the last day of the month.",
    )
    coworking_deposit_amount = fields.Monetary(
        string="Returnable deposit",
        tracking=True,
        help="Returned to the member when the contract ends. Never charged on "
        "contracts created by online signup.",
    )
    coworking_terms_version = fields.Char(
        string="Terms version accepted",
        readonly=True,
        copy=False,
        help="Version of the plan's terms (LGPD) the member accepted at signup.",
    )
    coworking_terms_accepted_on = fields.Datetime(
        string="Terms accepted on", readonly=True, copy=False
    )
    coworking_benefits_state = fields.Selection(
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
    coworking_signup_provider_id = fields.Many2one(
        "payment.provider",
        string="Payment method",
        compute="_compute_coworking_signup_provider_id",
        store=True,
        index="btree_not_null",
        help="The payment method chosen at the online signup.",
    )

    coworking_payment_state = fields.Selection(
        [
            ("ok", "Up to date"),
            ("late", "Late"),
            ("suspended", "Suspended"),
        ],
        string="Payment status",
        default="ok",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        help="Late: an invoice is unpaid past the grace period. Suspended: late, "
        "and the plan suspends the benefits until payment.",
    )
    coworking_payment_token_id = fields.Many2one(
        "payment.token",
        string="Saved card",
        copy=False,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="Charged for each period's invoice. Saved when the member's first "
        "payment was tokenised.",
    )
    coworking_billing_error = fields.Text(
        string="Billing error",
        copy=False,
        readonly=True,
        help="Why the last billing run could not invoice this contract; it tries "
        "again the next day.",
    )
    coworking_billing_error_date = fields.Date(copy=False, readonly=True)
    coworking_abandoned = fields.Boolean(
        string="Abandoned at signup",
        copy=False,
        readonly=True,
        index=True,
        help="Closed because the first payment of its online signup never came.",
    )
    coworking_close_date = fields.Date(
        string="Closes after",
        copy=False,
        tracking=True,
        help="Last day of use of a contract whose cancellation was asked for: the "
        "billing run closes it the day after, with its pro-rata final invoice.",
    )

    @api.depends("date_start")
    def _compute_coworking_due_day(self):
        for contract in self:
            contract.coworking_due_day = (
                contract.date_start.day if contract.date_start else 0
            )

    @api.depends("coworking_submission_ids.provider_id")
    def _compute_coworking_signup_provider_id(self):
        for contract in self:
            contract.coworking_signup_provider_id = (
                contract.coworking_submission_ids.sorted("id")[-1:].provider_id
            )

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

    @api.constrains("coworking_signup_origin", "coworking_deposit_amount")
    def _check_online_deposit(self):
        for contract in self:
            if contract.coworking_signup_origin == "online" and not float_is_zero(
                contract.coworking_deposit_amount,
                precision_rounding=contract.currency_id.rounding or 0.01,
            ):
                raise ValidationError(
                    _(
                        "Contract %(contract)s was created by online signup: it "
                        "cannot have a returnable deposit.",
                        contract=contract.display_name,
                    )
                )

    @api.onchange("coworking_plan_id")
    def _onchange_plan_id(self):
        if self.coworking_plan_id:
            self.coworking_unit_id = self.coworking_plan_id.unit_id
            self.template_id = self.coworking_plan_id.subscription_template_id

    # Due dates
    def _coworking_next_due_date(self, current):
        """The due date that follows ``current`` for this contract.

        Anchored on the due day rather than on ``current``: after 31 Jan comes
        29 Feb (leap year) or 28 Feb, and after that 31 Mar again, never 28 Mar.
        """
        self.ensure_one()
        interval = self.template_id.recurring_interval or 1
        return current + relativedelta(months=interval, day=self.coworking_due_day)

    def _coworking_uses_due_day(self):
        self.ensure_one()
        return (
            bool(self.coworking_due_day)
            and self.template_id.recurring_rule_type == "months"
        )

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
            if contract.coworking_plan_id and period_start:
                contract._coworking_load_quotas(period_start=period_start)
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

    def _coworking_quota_state(self):
        """The one place deciding what a period's quotas are for this contract:
        ``"held"`` until the first payment, ``False`` (not loaded at all) while
        the benefits are suspended for late payment, ``"active"`` otherwise."""
        self.ensure_one()
        if self.coworking_payment_state == "suspended":
            return False
        return "held" if self.coworking_benefits_state == "held" else "active"

    def _coworking_load_quotas(self, period_start=None, state=None):
        """Create the plan's quota balances for one period (idempotent): the first
        period at signup and each later one when it is invoiced.

        ``state`` defaults to :meth:`_coworking_quota_state`; nothing is loaded
        for suspended or closed contracts."""
        Quota = self.env["coworking.quota"].sudo()
        quotas = Quota.browse()
        for contract in self.filtered("coworking_plan_id"):
            contract_state = state or contract._coworking_quota_state()
            if not contract_state or contract.stage_id.type == "post":
                continue
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
                    "state": contract_state,
                }
                for line in contract.coworking_plan_id.quota_ids
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
        held = self.filtered(lambda c: c.coworking_benefits_state == "held")
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
        held.write({"coworking_benefits_state": "active"})
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

    # Billing run (B3)
    def _coworking_billing_domain(self, company, today):
        """Contracts of ``company`` whose next period is to be invoiced ``today``:
        in progress, due within the company's lead time, not already failed
        today (a failing contract is retried the next day, never in a loop)."""
        limit = today + relativedelta(days=company.coworking_invoice_lead_days)
        return [
            ("company_id", "=", company.id),
            ("in_progress", "=", True),
            ("recurring_next_date", "!=", False),
            ("recurring_next_date", "<=", limit),
            ("sale_subscription_line_ids", "!=", False),
            "|",
            ("coworking_billing_error_date", "=", False),
            ("coworking_billing_error_date", "!=", today),
        ]

    @api.model
    def _cron_coworking_billing(self, batch_size=BILLING_BATCH_SIZE):
        """One batch of the billing run, for every company in its own time zone.

        Runs as a batched cron: each call bills at most ``batch_size`` contracts
        and reports its progress; the cron machinery commits the call and calls
        again while contracts remain. Contracts another run is billing (row
        locked) are skipped, so runs in parallel never bill one twice."""
        done = remaining = 0
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            today = company._coworking_today()
            self._coworking_start_and_end(company, today)
            self._coworking_close_requested(company, today)
            domain = self._coworking_billing_domain(company, today)
            size = batch_size - done
            if size > 0:
                contracts = self._coworking_lock_for_billing(domain, size)
                for contract in contracts:
                    contract.with_company(company)._coworking_bill_safely(today)
                done += len(contracts)
                # later batches read fresh records: memory stays flat
                self.env.invalidate_all()
            remaining += self._coworking_count_due(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _coworking_billing_query(self, domain, limit=None):
        """Due contracts, except periods starting after a requested close."""
        query = self.sudo()._search(
            domain, order="recurring_next_date, id", limit=limit
        )
        query.add_where(
            SQL(
                "(%(table)s.coworking_close_date IS NULL OR "
                "%(table)s.coworking_close_date >= %(table)s.recurring_next_date)",
                table=SQL.identifier(query.table),
            )
        )
        return query

    @api.model
    def _coworking_count_due(self, domain):
        query = self._coworking_billing_query(domain)
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) AS due", query.select()))
        return self.env.cr.fetchone()[0]

    @api.model
    def _coworking_lock_for_billing(self, domain, limit):
        """Lock up to ``limit`` due contracts that no other run holds."""
        query = self._coworking_billing_query(domain, limit=limit)
        self.env.cr.execute(
            SQL("%s FOR UPDATE OF sale_subscription SKIP LOCKED", query.select())
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _coworking_start_and_end(self, company, today):
        """What subscription_oca's cron (replaced by this run) also did: start the
        subscriptions whose start date came (the run then bills them) and close the
        fixed-duration ones whose end date passed."""
        Contract = self.sudo().with_company(company)
        for contract in Contract.search(
            [
                ("company_id", "=", company.id),
                ("stage_id.type", "=", "pre"),
                ("date_start", "<=", today),
            ]
        ):
            contract.action_start_subscription()
        for contract in Contract.search(
            [
                ("company_id", "=", company.id),
                ("in_progress", "=", True),
                ("recurring_rule_boundary", "=", False),
                ("date", "<=", today),
            ]
        ):
            contract.close_subscription()

    @api.model
    def _coworking_close_requested(self, company, today):
        """Close the contracts whose requested last day has passed."""
        contracts = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("in_progress", "=", True),
                ("coworking_close_date", "<", today),
            ]
        )
        for contract in contracts:
            try:
                with self.env.cr.savepoint():
                    contract._coworking_close(contract.coworking_close_date)
            except Exception:  # one contract must not stop the others
                _logger.exception("Closing contract %s failed", contract.id)

    def _coworking_bill_safely(self, today):
        """Bill one contract; a failure is kept on the contract and does not stop
        the run (the contract's changes are rolled back, the others go on)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._coworking_bill_period(today)
        except psycopg2.errors.UniqueViolation:
            # another run billed this period meanwhile: nothing to do
            _logger.info("Contract %s: period already billed", self.id)
        except Exception as error:  # one contract must not stop all
            _logger.exception("Billing run: contract %s failed", self.id)
            message = str(error)
            self.write(
                {
                    "coworking_billing_error": message,
                    "coworking_billing_error_date": today,
                }
            )
            self.message_post(
                body=_(
                    "The billing run could not invoice this contract: %(error)s. "
                    "It tries again tomorrow.",
                    error=message,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _coworking_bill_period(self, today):
        """Invoice the contract's next period, charge it and load its quotas."""
        self.ensure_one()
        period_start = self.recurring_next_date
        template = self.template_id
        invoice = self.with_context(
            coworking_billing_today=today, coworking_period_start=period_start
        ).create_invoice()
        if not invoice:
            raise UserError(_("The invoice could not be created."))
        if template.invoicing_mode != "draft":
            invoice.action_post()
            invoice._coworking_issue_charge()
            invoice._coworking_send_invoice_mail()
        self.calculate_recurring_next_date(period_start)
        values = {"coworking_billing_error": False}
        if self.coworking_billing_error_date:
            values["coworking_billing_error_date"] = False
        self.write(values)
        self._coworking_load_quotas(period_start=period_start)
        return invoice

    def _prepare_account_move(self, line_ids):
        """Override of `subscription_oca`: in the billing run, the invoice is
        issued today (the lead time before the due date), falls due on the
        period's first day, names its period and carries its key (one invoice
        per contract and period, enforced by a unique index)."""
        values = super()._prepare_account_move(line_ids)
        period_start = self.env.context.get("coworking_period_start")
        today = self.env.context.get("coworking_billing_today")
        if not (period_start and today):
            return values
        start, end = self._coworking_period_bounds(period_start)
        values.update(
            {
                "invoice_date": today,
                "invoice_date_due": max(start, today),
                "invoice_payment_term_id": False,
                "coworking_period_start": start,
                "coworking_period_end": end,
            }
        )
        label = _(
            "%(start)s to %(end)s",
            start=format_date(self.env, start),
            end=format_date(self.env, end),
        )
        for command in values.get("invoice_line_ids") or []:
            line = command[2]
            if isinstance(line, dict):
                line["name"] = f"{line.get('name') or ''} ({label})".strip()
        return values

    # Late payment (B3)
    def _coworking_has_overdue_invoice(self):
        """Whether an invoice of this contract is unpaid past the grace period."""
        self.ensure_one()
        company = self.company_id
        limit = company._coworking_today() - relativedelta(
            days=company.coworking_late_grace_days
        )
        return bool(
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    ("subscription_id", "=", self.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", limit),
                ],
                limit=1,
            )
        )

    def _coworking_update_payment_state(self):
        """Mark each contract late (or suspended, if its plan says so) while an
        invoice is unpaid past the grace period, and restore it once paid."""
        for contract in self.sudo():
            if contract._coworking_has_overdue_invoice():
                new_state = (
                    "suspended"
                    if contract.coworking_plan_id.suspend_when_late
                    else "late"
                )
            else:
                new_state = "ok"
            old_state = contract.coworking_payment_state
            if new_state == old_state:
                continue
            contract.coworking_payment_state = new_state
            if new_state == "ok":
                contract._coworking_restore_benefits(was_suspended=old_state)
            elif old_state == "ok" or new_state == "suspended":
                contract._coworking_post_mail(
                    "coworking_online_signup.mail_template_contract_late",
                    _(
                        "Contract marked %(state)s for an unpaid invoice; notice "
                        "e-mailed to %(email)s.",
                        state=dict(
                            self._fields[
                                "coworking_payment_state"
                            ]._description_selection(self.env)
                        )[new_state],
                        email=contract.partner_id.email or "-",
                    ),
                )

    def _coworking_restore_benefits(self, was_suspended=False):
        """Payment caught up: load the quotas skipped while suspended."""
        self.ensure_one()
        if was_suspended == "suspended":
            today = self.company_id._coworking_today()
            invoices = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("subscription_id", "=", self.id),
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("coworking_period_end", ">=", today),
                    ]
                )
            )
            for period_start in set(invoices.mapped("coworking_period_start")):
                self._coworking_load_quotas(period_start=period_start)
        self.message_post(
            body=_("All invoices are paid: the contract is up to date again."),
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _cron_coworking_late_payments(self):
        """Daily: contracts with an invoice unpaid past the grace period become
        late or suspended; those paid meanwhile are restored."""
        Move = self.env["account.move"].sudo()
        overdue = Move._read_group(
            [
                ("subscription_id.coworking_plan_id", "!=", False),
                ("subscription_id.in_progress", "=", True),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                # prefilter only: each company's own day and grace decide below
                ("invoice_date_due", "<=", fields.Date.today()),
            ],
            ["subscription_id"],
        )
        contracts = self.sudo().browse([group[0].id for group in overdue])
        contracts |= self.sudo().search([("coworking_payment_state", "!=", "ok")])
        contracts._coworking_update_payment_state()

    def _coworking_post_mail(self, template_xmlid, note):
        """E-mail the contract's client with ``template_xmlid`` (mail queue), logged
        on the contract, and note it on the client (F15)."""
        self.ensure_one()
        partner = self.partner_id
        if partner.email:
            self.with_context(
                lang=partner.lang, mail_notify_force_send=False
            ).message_post_with_source(
                self.env.ref(template_xmlid),
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        partner.commercial_partner_id.message_post(
            body=note, subtype_xmlid="mail.mt_note"
        )

    # Closing (F13)
    def _coworking_period_containing(self, day):
        """Bounds of the contract period that contains ``day``."""
        self.ensure_one()
        start = self.date_start
        _start, end = self._coworking_period_bounds(start)
        while end < day:
            start = end + relativedelta(days=1)
            _start, end = self._coworking_period_bounds(start)
        return start, end

    def _coworking_period_invoiced(self, period_start):
        """Whether the period starting on ``period_start`` has an invoice (the
        signup's first invoice bills the first period without a period key)."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state != "cancel"
        )
        if period_start == self.date_start and invoices.filtered(
            lambda m: not m.coworking_period_start
        ):
            return True
        return bool(
            invoices.filtered(lambda m: m.coworking_period_start == period_start)
        )

    def _coworking_prorata_move(self, close_date):
        """The final invoice (days used, period not invoiced yet) or credit note
        (days not used, period invoiced in advance) of a contract closed on
        ``close_date``, its last day of use; nothing on the period's last day."""
        self.ensure_one()
        start, end = self._coworking_period_containing(close_date)
        total_days = (end - start).days + 1
        if self._coworking_period_invoiced(start):
            move_type = "out_refund"
            days = (end - close_date).days
            first, last = close_date + relativedelta(days=1), end
        else:
            move_type = "out_invoice"
            days = (close_date - start).days + 1
            first, last = start, close_date
        if days <= 0:
            return self.env["account.move"]
        currency = self.currency_id or self.company_id.currency_id
        explanation = _(
            "%(days)s of %(total)s days, %(first)s to %(last)s (contract closed on "
            "%(close)s)",
            days=days,
            total=total_days,
            first=format_date(self.env, first),
            last=format_date(self.env, last),
            close=format_date(self.env, close_date),
        )
        line_commands = []
        for line in self.sale_subscription_line_ids:
            values = line._prepare_account_move_line()
            values.pop("price_subtotal", None)
            subtotal = line.price_unit * line.product_uom_qty
            subtotal *= 1 - (line.discount or 0.0) / 100.0
            values.update(
                {
                    "name": f"{line.name or ''} - {explanation}",
                    "quantity": 1.0,
                    "discount": 0.0,
                    "price_unit": currency.round(subtotal * days / total_days),
                }
            )
            line_commands.append((0, 0, values))
        today = self.company_id._coworking_today()
        move = (
            self.env["account.move"]
            .sudo()
            .with_context(default_move_type=move_type, journal_type="sale")
            .create(
                {
                    **self._prepare_account_move(line_commands),
                    "move_type": move_type,
                    "invoice_date": today,
                    "invoice_date_due": max(today, close_date),
                    "invoice_payment_term_id": False,
                }
            )
        )
        move.action_post()
        return move

    def _coworking_close(self, close_date, close_reason_id=False):
        """Close the contract on ``close_date`` (its last day): pro-rata final
        invoice or credit note, later periods credited, their quotas removed."""
        self.ensure_one()
        moves = self.env["account.move"]
        later = self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.coworking_period_start
            and m.coworking_period_start > close_date
            and m.state != "cancel"
        )
        for invoice in later:
            if invoice.state == "draft":
                invoice.button_cancel()
            else:
                moves |= invoice._reverse_moves(
                    [
                        {
                            "invoice_date": self.company_id._coworking_today(),
                            "ref": _(
                                "Contract closed on %(close)s: period not used",
                                close=format_date(self.env, close_date),
                            ),
                        }
                    ]
                )
        moves.action_post()
        if self.coworking_plan_id and self.date_start <= close_date:
            moves |= self._coworking_prorata_move(close_date)
        self.coworking_quota_ids.filtered(
            lambda q: q.period_start > close_date and not q.consumption_ids
        ).sudo().unlink()
        self.close_subscription(close_reason_id)
        body = _(
            "Contract closed on %(close)s.",
            close=format_date(self.env, close_date),
        )
        if moves:
            body = _(
                "%(body)s Final documents: %(moves)s.",
                body=body,
                moves=", ".join(moves.mapped("name")),
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return moves

    def action_coworking_request_cancellation(self):
        """The member asks to cancel (portal): the contract ends after the plan's
        notice period; its last days are invoiced pro rata when it closes."""
        for contract in self.sudo():
            if contract.coworking_close_date or not contract.in_progress:
                continue
            today = contract.company_id._coworking_today()
            contract.coworking_close_date = today + relativedelta(
                days=contract.coworking_plan_id.cancellation_notice_days
            )
            contract.message_post(
                body=_(
                    "The member asked to cancel: the contract ends after "
                    "%(close)s (%(days)s days of notice).",
                    close=format_date(self.env, contract.coworking_close_date),
                    days=contract.coworking_plan_id.cancellation_notice_days,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
