# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The plan's billing options live beside its signup options (coworking_plan.py),
# in their own file: the billing run, late payment and closing read them.
from odoo import fields, models


class CoworkingPlan(models.Model):
    _inherit = "coworking.plan"

    suspend_when_late = fields.Boolean(
        string="Suspend benefits when late",
        help="When an invoice stays unpaid past the company's grace period, the "
        "contract's quotas cannot be used until it is paid.",
    )
    cancellation_notice_days = fields.Integer(
        string="Cancellation notice (days)",
        default=30,
        help="A cancellation the member asks for from the portal takes effect this "
        "many days later; the last days are invoiced pro rata.",
    )

    _sql_constraints = [
        (
            "cancellation_notice_positive",
            "CHECK(cancellation_notice_days >= 0)",
            "The cancellation notice cannot be negative.",
        ),
    ]
