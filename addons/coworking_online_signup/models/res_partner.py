# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    coworking_vat_digits = fields.Char(
        string="CPF/CNPJ digits",
        compute="_compute_coworking_vat_digits",
        store=True,
        index=True,
        help="The tax id without punctuation, to find a client by CPF or CNPJ.",
    )

    @api.depends("vat")
    def _compute_coworking_vat_digits(self):
        for partner in self:
            partner.coworking_vat_digits = re.sub(r"\D", "", partner.vat or "") or False
