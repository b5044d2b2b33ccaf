# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    coworking_sign_reminder_days = fields.Integer(
        string="Signature reminder after (days)",
        default=3,
        help="A member who has not signed the contract this many days after it was "
        "sent gets one reminder. Zero: no reminder.",
    )
