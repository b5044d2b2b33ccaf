# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.payment_br_base.utils import tax_id_key


class ResPartner(models.Model):
    _inherit = "res.partner"

    coworking_vat_digits = fields.Char(
        string="CPF/CNPJ key",
        compute="_compute_coworking_vat_digits",
        store=True,
        index=True,
        help="The tax id without punctuation (digits, and the letters of an "
        "alphanumeric CNPJ), to find a client by CPF or CNPJ.",
    )

    @api.depends("vat")
    def _compute_coworking_vat_digits(self):
        for partner in self:
            partner.coworking_vat_digits = tax_id_key(partner.vat)

    @api.model
    def _coworking_find_by_tax_id(self, company, key, is_company):
        """The oldest client of ``company`` (or shared) with this CPF/CNPJ key.

        Finding a client proves nothing about who typed the number: callers decide
        what the visitor may do with it (see ``coworking.signup``)."""
        return self.sudo().search(
            [
                ("coworking_vat_digits", "=", key),
                ("is_company", "=", is_company),
                ("company_id", "in", (company.id, False)),
            ],
            order="id",
            limit=1,
        )

    def _coworking_is_controlled_by(self, user):
        """Whether ``user`` (logged in) acts for this client: a user of the
        client's commercial partner (the client itself or one of its contacts)."""
        self.ensure_one()
        if not user or user._is_public():
            return False
        return user.partner_id.commercial_partner_id == self.commercial_partner_id

    def _coworking_get_login_users(self):
        """Active users that belong to this client (the client or its contacts)."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "child_of", commercial.id)])
        )
