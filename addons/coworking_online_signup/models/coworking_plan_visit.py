# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CoworkingPlanVisit(models.Model):
    """One opening of a plan's public link (funnel, B8).

    Append-only: each visit inserts a row, so visitors opening the same link at once
    never wait on each other nor make Odoo replay their request, which a counter
    column on the plan would.
    """

    _name = "coworking.plan.visit"
    _description = "Coworking Plan Link Visit"
    _order = "id desc"
    _log_access = False

    plan_id = fields.Many2one(
        "coworking.plan", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    visit_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
