# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CoworkingPlanQuota(models.Model):
    _name = "coworking.plan.quota"
    _description = "Coworking Plan Quota Line"
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        "coworking.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char(
        string="Benefit",
        required=True,
        translate=True,
        help="What the member gets each period, e.g. meeting room hours.",
    )
    quantity = fields.Float(
        string="Quantity per period", required=True, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of measure",
        required=True,
        default=lambda self: self.env.ref("uom.product_uom_unit"),
    )
    allow_overuse = fields.Boolean(
        help="When set, consumption may exceed the balance (billed separately); "
        "otherwise the balance never goes below zero.",
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity >= 0)",
            "A quota's quantity per period cannot be negative.",
        ),
    ]
