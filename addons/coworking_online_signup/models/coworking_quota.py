# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools import float_compare


class CoworkingQuota(models.Model):
    """Balance of one quota line of a plan, for one contract and one period."""

    _name = "coworking.quota"
    _description = "Coworking Quota Balance"
    _order = "period_start desc, contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "sale.subscription",
        string="Contract",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id", store=True, index=True, string="Member"
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    plan_quota_id = fields.Many2one(
        "coworking.plan.quota", string="Plan quota", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="plan_quota_id.sequence", store=True)
    name = fields.Char(related="plan_quota_id.name", string="Benefit")
    uom_id = fields.Many2one(related="plan_quota_id.uom_id", string="Unit of measure")
    allow_overuse = fields.Boolean(related="plan_quota_id.allow_overuse")
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(required=True)
    quantity_allowed = fields.Float(
        string="Allowed", required=True, digits="Product Unit of Measure"
    )
    consumption_ids = fields.One2many(
        "coworking.quota.consumption", "quota_id", string="Consumption"
    )
    quantity_used = fields.Float(
        string="Used",
        compute="_compute_balance",
        store=True,
        digits="Product Unit of Measure",
    )
    balance = fields.Float(
        compute="_compute_balance", store=True, digits="Product Unit of Measure"
    )
    state = fields.Selection(
        [("held", "Held until payment"), ("active", "Active")],
        default="active",
        required=True,
        index=True,
        help="Held quotas cannot be consumed until the first payment is confirmed.",
    )

    _sql_constraints = [
        (
            "contract_quota_period_unique",
            "UNIQUE(contract_id, plan_quota_id, period_start)",
            "A contract has one balance per quota and period.",
        ),
        (
            "period_order",
            "CHECK(period_end >= period_start)",
            "A quota period cannot end before it starts.",
        ),
    ]

    @api.depends("quantity_allowed", "consumption_ids.quantity")
    def _compute_balance(self):
        for quota in self:
            used = sum(quota.consumption_ids.mapped("quantity"))
            quota.quantity_used = used
            quota.balance = quota.quantity_allowed - used

    @api.depends("name", "period_start", "period_end")
    def _compute_display_name(self):
        for quota in self:
            quota.display_name = _(
                "%(benefit)s (%(start)s - %(end)s)",
                benefit=quota.name or "",
                start=quota.period_start or "",
                end=quota.period_end or "",
            )

    def _lock_for_update(self):
        """Serialize concurrent consumption of the same balances."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM coworking_quota WHERE id IN %s FOR UPDATE",
                [tuple(self.ids)],
            )

    def _is_overdrawn(self):
        self.ensure_one()
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return (
            not self.allow_overuse
            and float_compare(self.balance, 0.0, precision_digits=precision) < 0
        )

    def action_consume(self, quantity, description=False, when=None):
        """Record a consumption; refuse it when it would overdraw the balance."""
        self.ensure_one()
        return self.env["coworking.quota.consumption"].create(
            {
                "quota_id": self.id,
                "quantity": quantity,
                "description": description,
                "date": when or fields.Datetime.now(),
            }
        )
