# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CoworkingSignupSubmission(models.Model):
    """One completed online signup, keyed by the one-time token of its form.

    A second POST with the same token (double click, refresh, retried request) finds
    this record and gets the first result back instead of creating anything.
    """

    _name = "coworking.signup.submission"
    _description = "Coworking Online Signup"
    _order = "id desc"
    _rec_name = "partner_id"

    token = fields.Char(required=True, index=True, readonly=True, copy=False)
    plan_id = fields.Many2one(
        "coworking.plan", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    person_id = fields.Many2one("res.partner", string="Person", readonly=True)
    contract_id = fields.Many2one("sale.subscription", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True)
    user_id = fields.Many2one("res.users", string="Portal user", readonly=True)
    provider_id = fields.Many2one("payment.provider", readonly=True)
    ip_address = fields.Char(string="IP address", readonly=True, index=True)
    terms_version = fields.Char(readonly=True)

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "A signup form can be submitted only once."),
    ]
