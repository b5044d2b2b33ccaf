# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coworking_sign_reminder_days = fields.Integer(
        related="company_id.coworking_sign_reminder_days", readonly=False
    )
