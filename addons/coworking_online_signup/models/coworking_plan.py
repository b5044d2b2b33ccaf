# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because a plan is what the product sells: its fields (what is sold,
# the form's options, the public link, the funnel) and what it creates at a signup
# (order lines, sale order, contract, documents), as `sale.order` prepares its own
# invoice. Each section is marked.
import base64
import io
import secrets
from urllib.parse import quote

import qrcode

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

PLAN_URL_PREFIX = "/coworking/plan/"


def _new_token(_records=None):
    # 32 bytes of randomness: the link cannot be guessed or enumerated.
    return secrets.token_urlsafe(32)


class CoworkingPlan(models.Model):
    _name = "coworking.plan"
    _description = "Coworking Plan"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    # Identity
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True, help="Shown on the plan's public page.")
    unit_id = fields.Many2one(
        "coworking.unit", required=True, tracking=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # What is sold
    product_id = fields.Many2one(
        "product.product",
        string="Recurring product",
        required=True,
        check_company=True,
        domain="[('subscribable', '=', True)]",
        help="The subscribable product invoiced every period.",
    )
    subscription_template_id = fields.Many2one(
        "sale.subscription.template",
        string="Subscription template",
        required=True,
        default=lambda self: self.env.ref(
            "coworking_online_signup.subscription_template_monthly",
            raise_if_not_found=False,
        ),
        help="Recurrence and invoicing mode of the contracts this plan creates.",
    )
    recurring_price = fields.Monetary(
        string="Price per period",
        required=True,
        tracking=True,
        help="Charged every period of the subscription template (a month, unless "
        "the template repeats otherwise).",
    )
    setup_fee = fields.Monetary(
        tracking=True,
        help="Charged once, with the first period. Zero means no setup fee.",
    )
    quota_ids = fields.One2many("coworking.plan.quota", "plan_id", string="Quotas")

    # Signup form options
    ask_password = fields.Boolean(
        string="Ask for a password",
        help="The member chooses a password on the form and gets portal access at "
        "once. Otherwise no user is created and access is granted later from the "
        "contact with the portal wizard.",
    )
    document_ids = fields.One2many(
        "coworking.plan.document", "plan_id", string="Required documents"
    )
    ask_address = fields.Selection(
        [("hidden", "Hidden"), ("optional", "Optional"), ("required", "Required")],
        string="Address",
        default="optional",
        required=True,
        help="Whether the form asks for the address. A payment method that needs it "
        "(a boleto) always asks for it, whatever is chosen here (F16).",
    )
    ask_phone = fields.Selection(
        [("hidden", "Hidden"), ("optional", "Optional"), ("required", "Required")],
        string="Phone",
        default="required",
        required=True,
    )
    payment_ids = fields.One2many(
        "coworking.plan.payment",
        "plan_id",
        string="Payment methods",
        help="The payment methods this plan's form offers, in this order. Empty: "
        "every enabled payment provider of ours.",
    )
    allow_individual = fields.Boolean(
        string="Individuals (CPF)", default=True, help="People may sign up."
    )
    allow_company = fields.Boolean(
        string="Companies (CNPJ)", default=True, help="Companies may sign up."
    )
    terms = fields.Html(string="Terms (LGPD)", translate=True)
    terms_version = fields.Char(
        default="1", help="Recorded with the member's consent on every contract."
    )
    benefits_start = fields.Selection(
        [("signup", "At signup"), ("payment", "At payment confirmation")],
        default="payment",
        required=True,
        help="When quotas and portal benefits start for a new member.",
    )
    abandon_after_days = fields.Integer(
        string="Cancel unpaid signups after (days)",
        default=10,
        help="A signup whose first payment never comes is cancelled this many days "
        "after the payment was due (the boleto's due date, else the first invoice's): "
        "its contract, sale and charge are cancelled, its held quotas and unused "
        "portal access removed, so the person can sign up again. Zero: never.",
    )
    boleto_warning = fields.Boolean(compute="_compute_boleto_warning")

    # Public link
    is_published = fields.Boolean(
        string="Published", tracking=True, copy=False, index=True
    )
    access_token = fields.Char(
        string="Link token",
        required=True,
        copy=False,
        index=True,
        default=_new_token,
        groups="coworking_online_signup.group_coworking_user",
    )
    public_url = fields.Char(string="Public link", compute="_compute_public_url")
    whatsapp_url = fields.Char(string="WhatsApp link", compute="_compute_public_url")
    qr_image = fields.Binary(string="QR code", compute="_compute_qr_image")

    # Funnel
    visit_count = fields.Integer(
        string="Link visits",
        compute="_compute_funnel",
        help="Times the link was opened.",
    )
    signup_count = fields.Integer(
        string="Online signups", compute="_compute_funnel", help="Completed signups."
    )
    conversion_rate = fields.Float(string="Conversion (%)", compute="_compute_funnel")
    month_visit_count = fields.Integer(
        string="Visits this month", compute="_compute_month_funnel"
    )
    month_signup_count = fields.Integer(
        string="Signups this month", compute="_compute_month_funnel"
    )
    month_paid_count = fields.Integer(
        string="Paid this month",
        compute="_compute_month_funnel",
        help="Signups of this month already paid.",
    )

    _sql_constraints = [
        ("access_token_unique", "UNIQUE(access_token)", "A plan link must be unique."),
        (
            "recurring_price_positive",
            "CHECK(recurring_price >= 0)",
            "The price per period cannot be negative.",
        ),
        (
            "setup_fee_positive",
            "CHECK(setup_fee >= 0)",
            "The setup fee cannot be negative.",
        ),
    ]

    def _coworking_period_label(self):
        """The plan's period as the price reads it: "month", "3 months", "year"."""
        self.ensure_one()
        template = self.subscription_template_id
        count = template.recurring_interval or 1
        unit = template.recurring_rule_type or "months"
        if count == 1:
            return {
                "days": _("day"),
                "weeks": _("week"),
                "months": _("month"),
                "years": _("year"),
            }[unit]
        return {
            "days": _("%(count)s days", count=count),
            "weeks": _("%(count)s weeks", count=count),
            "months": _("%(count)s months", count=count),
            "years": _("%(count)s years", count=count),
        }[unit]

    @api.depends("access_token")
    def _compute_public_url(self):
        for plan in self:
            token = plan.sudo().access_token
            if not token or not plan.id:
                plan.public_url = plan.whatsapp_url = False
                continue
            plan.public_url = f"{plan.get_base_url()}{PLAN_URL_PREFIX}{token}"
            message = _(
                "%(plan)s: sign up here %(url)s", plan=plan.name, url=plan.public_url
            )
            plan.whatsapp_url = f"https://wa.me/?text={quote(message)}"

    @api.depends("public_url")
    def _compute_qr_image(self):
        for plan in self:
            if not plan.public_url:
                plan.qr_image = False
                continue
            image = qrcode.make(plan.public_url, box_size=8, border=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            plan.qr_image = base64.b64encode(buffer.getvalue())

    def _compute_funnel(self):
        domain = [("plan_id", "in", self.ids)]
        counts = dict(
            self.env["coworking.signup.submission"]
            .sudo()
            ._read_group(domain, ["plan_id"], ["__count"])
        )
        visits = dict(
            self.env["coworking.plan.visit"]
            .sudo()
            ._read_group(domain, ["plan_id"], ["__count"])
        )
        for plan in self:
            plan.signup_count = counts.get(plan, 0)
            plan.visit_count = visits.get(plan, 0)
            plan.conversion_rate = (
                100.0 * plan.signup_count / plan.visit_count
                if plan.visit_count
                else 0.0
            )

    def _compute_month_funnel(self):
        first_day = self.env.company._coworking_today().replace(day=1)
        groups = (
            self.env["coworking.plan.funnel.report"]
            .sudo()
            ._read_group(
                [("plan_id", "in", self.ids), ("date", ">=", first_day)],
                ["plan_id"],
                ["visit_count:sum", "signup_count:sum", "paid_count:sum"],
            )
        )
        figures = {plan: counts for plan, *counts in groups}
        for plan in self:
            visits, signups, paid = figures.get(plan, (0, 0, 0))
            plan.month_visit_count = visits or 0
            plan.month_signup_count = signups or 0
            plan.month_paid_count = paid or 0

    def _coworking_count_visit(self, user_agent=None, ip_address=None, method=None):
        """Count one visit of the public link: one row inserted, nothing locked.

        Without arguments, the visitor is read from the current HTTP request (if
        any). Robots, HEAD requests and reloads within minutes are not counted (see
        ``coworking.plan.visit``). Returns whether the visit was counted.
        """
        Visit = self.env["coworking.plan.visit"]
        visitor = {"user_agent": user_agent, "ip_address": ip_address, "method": method}
        if all(value is None for value in visitor.values()):
            visitor = Visit._coworking_request_visitor()
        if not self.ids or not Visit._coworking_should_count(**visitor):
            return False
        counted = Visit._coworking_insert(self, Visit._coworking_visitor_key(**visitor))
        self.invalidate_recordset(
            ["visit_count", "conversion_rate", "month_visit_count"]
        )
        return bool(counted)

    def action_view_signups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coworking_online_signup.coworking_signup_submission_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action

    def action_view_funnel(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coworking_online_signup.coworking_plan_funnel_report_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"search_default_groupby_month": 1}
        return action

    @api.depends("benefits_start", "company_id")
    def _compute_boleto_warning(self):
        boleto = self.env.ref("payment.payment_method_boleto", raise_if_not_found=False)
        companies_with_boleto = set()
        if boleto:
            providers = (
                self.env["payment.provider"]
                .sudo()
                .search(
                    [
                        ("state", "!=", "disabled"),
                        ("company_id", "in", self.company_id.ids),
                        ("payment_method_ids", "in", boleto.ids),
                    ]
                )
            )
            companies_with_boleto = set(providers.company_id.ids)
        for plan in self:
            plan.boleto_warning = (
                plan.benefits_start == "signup"
                and plan.company_id.id in companies_with_boleto
            )

    @api.constrains("allow_individual", "allow_company")
    def _check_client_kinds(self):
        for plan in self:
            if not (plan.allow_individual or plan.allow_company):
                raise ValidationError(
                    _(
                        "Plan %(plan)s must accept individuals, companies or both.",
                        plan=plan.name,
                    )
                )

    @api.constrains("product_id", "subscription_template_id")
    def _check_product(self):
        for plan in self:
            if not plan.product_id.subscribable:
                raise ValidationError(
                    _(
                        "Plan %(plan)s: the product %(product)s is not subscribable.",
                        plan=plan.name,
                        product=plan.product_id.display_name,
                    )
                )

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id:
            self.company_id = self.unit_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("product_id"):
                vals["product_id"] = self._create_plan_product(vals).id
        return super().create(vals_list)

    @api.model
    def _create_plan_product(self, vals):
        """Create the subscribable service product a new plan sells."""
        template = self.env["sale.subscription.template"].browse(
            vals.get("subscription_template_id")
        ) or self.env.ref(
            "coworking_online_signup.subscription_template_monthly",
            raise_if_not_found=False,
        )
        return (
            self.env["product.product"]
            .sudo()
            .create(
                {
                    "name": vals.get("name") or _("Coworking plan"),
                    "type": "service",
                    "sale_ok": True,
                    "purchase_ok": False,
                    "list_price": vals.get("recurring_price", 0.0),
                    "invoice_policy": "order",
                    "subscribable": True,
                    "subscription_template_id": template.id,
                    "company_id": vals.get("company_id") or self.env.company.id,
                }
            )
        )

    def action_regenerate_link(self):
        """Invalidate the current public link and issue a new one."""
        for plan in self:
            plan.sudo().access_token = _new_token()
            plan.message_post(
                body=_("A new public link was issued; the old one no longer works.")
            )
        return True

    def action_open_public_url(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.public_url, "target": "new"}

    @api.model
    def _get_by_public_token(self, token, preview_user=None):
        """The published plan behind a public link, or an empty recordset.

        Reveals nothing: an unknown token, an unpublished or archived plan and a
        company with online signup switched off all give the same empty answer.
        With ``preview_user`` a coworking manager of the plan's company, an
        unpublished plan is found too (the "Preview" of the plan form).
        """
        if not token or not isinstance(token, str) or len(token) > 128:
            return self.browse()
        plan = self.sudo().search([("access_token", "=", token)], limit=1)
        if plan and plan._coworking_can_preview(preview_user):
            return plan
        if not plan.is_published or not plan.company_id.coworking_signup_enabled:
            return self.browse()
        return plan

    def _coworking_can_preview(self, user):
        """A coworking manager of the plan's company sees it before it is public."""
        self.ensure_one()
        return bool(
            user
            and not user._is_public()
            and user.has_group("coworking_online_signup.group_coworking_manager")
            and self.company_id in user.company_ids
        )

    def action_preview(self):
        """Open the plan's public page, published or not (managers only)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"{self.public_url}?preview=1",
            "target": "new",
        }

    def _get_setup_fee_product(self):
        return self.env.ref("coworking_online_signup.product_setup_fee").sudo()

    # What a signup creates (called by `coworking.signup` as superuser)
    def _coworking_prepare_order_lines(self):
        """The sale order's lines: the plan's first period and its setup fee, each
        with its own price (prices always come from the plan, never the form)."""
        self.ensure_one()
        lines = [
            Command.create(
                {
                    "product_id": self.product_id.id,
                    "product_uom_qty": 1,
                    "price_unit": self.recurring_price,
                }
            )
        ]
        if not self.currency_id.is_zero(self.setup_fee):
            lines.append(
                Command.create(
                    {
                        "product_id": self._get_setup_fee_product().id,
                        "name": _("Setup fee - %(plan)s", plan=self.name),
                        "product_uom_qty": 1,
                        "price_unit": self.setup_fee,
                    }
                )
            )
        return lines

    def _coworking_create_sale_order(self, client):
        """The confirmed sale order of a signup for ``client``."""
        self.ensure_one()
        lines = self._coworking_prepare_order_lines()
        order = (
            self.env["sale.order"]
            .with_context(coworking_signup=True)
            .create(
                {
                    "partner_id": client.id,
                    "company_id": self.company_id.id,
                    "pricelist_id": self._coworking_get_pricelist(client).id,
                    "origin": _("Online signup: %(plan)s", plan=self.name),
                    "order_line": lines,
                }
            )
        )
        # each line keeps the price it was prepared with, whatever a pricelist
        # computed on creation (lines are created, and ordered, as prepared)
        for line, (_command, _id, values) in zip(order.order_line, lines, strict=False):
            if "price_unit" in values:
                line.price_unit = values["price_unit"]
        order.with_context(coworking_signup=True).action_confirm()
        return order

    def _coworking_get_pricelist(self, client, order=None):
        """A pricelist in the plan's currency (subscription_oca needs one; the sale
        and the invoice take their currency from it). Prices still come from the
        plan."""
        self.ensure_one()
        order = order or self.env["sale.order"]
        currency = self.currency_id
        for pricelist in (order.pricelist_id, client.property_product_pricelist):
            if pricelist and pricelist.currency_id == currency:
                return pricelist
        Pricelist = self.env["product.pricelist"]
        pricelist = Pricelist.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", (self.company_id.id, False)),
            ],
            limit=1,
        )
        return pricelist or Pricelist.create(
            {
                "name": _("Coworking (%(currency)s)", currency=currency.name),
                "currency_id": currency.id,
                "company_id": self.company_id.id,
            }
        )

    def _coworking_prepare_contract_values(self, client, order):
        self.ensure_one()
        today = self.company_id._coworking_today()
        return {
            "partner_id": client.id,
            "company_id": self.company_id.id,
            "template_id": self.subscription_template_id.id,
            "pricelist_id": self._coworking_get_pricelist(client, order).id,
            "date_start": today,
            "recurring_next_date": today,
            "sale_order_id": order.id,
            "coworking_plan_id": self.id,
            "coworking_unit_id": self.unit_id.id,
            "coworking_signup_origin": "online",
            "coworking_deposit_amount": 0.0,
            "coworking_terms_version": self.terms_version,
            "coworking_terms_accepted_on": fields.Datetime.now(),
            "coworking_benefits_state": "active"
            if self.benefits_start == "signup"
            else "held",
            "sale_subscription_line_ids": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": 1,
                        "price_unit": self.recurring_price,
                    }
                )
            ],
        }

    def _coworking_create_contract(self, client, order):
        """The started contract of a signup, with its first period's quotas."""
        self.ensure_one()
        contract = self.env["sale.subscription"].create(
            self._coworking_prepare_contract_values(client, order)
        )
        contract.action_start_subscription()
        # the first period is invoiced from the sale order: the contract's own
        # invoicing starts one period later, on the due day
        today = contract.date_start
        contract.recurring_next_date = contract._coworking_next_due_date(today)
        # the same call as each period's renewal: the contract decides held/active
        contract._coworking_load_quotas(period_start=today)
        order.order_subscription_id = contract
        return contract

    def _coworking_documents_over_storage(self, files):
        """The names of the documents sent that the company's storage allowance
        cannot take (F7): the signup goes on without them, the visitor is told to
        send them later and the unit which are missing. Empty when they fit."""
        self.ensure_one()
        sent = [d for d in self.document_ids if (files.get(d.id) or ("", b""))[1]]
        total = sum(len(files[d.id][1]) for d in sent)
        if total and not self.company_id._coworking_storage_allows(total):
            return [document.name for document in sent]
        return []

    def _coworking_attach_documents(self, record, files):
        """The visitor's documents, on the client or on a signup that waits for its
        proof of identity (``record``)."""
        self.ensure_one()
        vals_list = []
        for document in self.document_ids:
            filename, content = files.get(document.id) or ("", b"")
            if content:
                vals_list.append(
                    {
                        **document._coworking_prepare_attachment_values(
                            filename, content
                        ),
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
        return self.env["ir.attachment"].create(vals_list)
