# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CoworkingPlanPayment(models.Model):
    """A payment method a plan's form offers (the seed's "meio de recebimento"),
    in the order the form lists them. A plan without lines offers every enabled
    provider of ours."""

    _name = "coworking.plan.payment"
    _description = "Coworking Plan Payment Method"
    _order = "sequence, id"

    plan_id = fields.Many2one(
        "coworking.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    provider_id = fields.Many2one(
        "payment.provider",
        string="Payment provider",
        required=True,
        ondelete="cascade",
        domain="[('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(related="plan_id.company_id")
    provider_state = fields.Selection(related="provider_id.state")

    _sql_constraints = [
        (
            "plan_provider_unique",
            "UNIQUE(plan_id, provider_id)",
            "A plan lists each payment provider once.",
        ),
    ]
