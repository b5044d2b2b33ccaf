# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..validation import normalize_email


class CoworkingUnit(models.Model):
    _name = "coworking.unit"
    _description = "Coworking Unit"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        help="The unit's address: street, city, CEP.",
        check_company=True,
    )
    street = fields.Char(related="partner_id.street")
    city = fields.Char(related="partner_id.city")
    zip = fields.Char(related="partner_id.zip", string="CEP")
    notification_emails = fields.Char(
        string="Notification e-mails",
        tracking=True,
        help="Every completed online signup is announced to these addresses. "
        "Separate several addresses with commas.",
    )
    plan_ids = fields.One2many("coworking.plan", "unit_id", string="Plans")
    plan_count = fields.Integer(compute="_compute_plan_count", string="Plan count")

    @api.depends("plan_ids")
    def _compute_plan_count(self):
        counts = {
            unit.id: count
            for unit, count in self.env["coworking.plan"]._read_group(
                [("unit_id", "in", self.ids)], ["unit_id"], ["__count"]
            )
        }
        for unit in self:
            unit.plan_count = counts.get(unit.id, 0)

    @api.constrains("notification_emails")
    def _check_notification_emails(self):
        for unit in self:
            for address in unit._split_notification_emails():
                if not normalize_email(address):
                    raise ValidationError(
                        _(
                            "Unit %(unit)s: %(address)s is not a valid e-mail address.",
                            unit=unit.name,
                            address=address,
                        )
                    )

    def _split_notification_emails(self):
        self.ensure_one()
        raw = (self.notification_emails or "").replace(";", ",").replace("\n", ",")
        return [part.strip() for part in raw.split(",") if part.strip()]

    def _get_notification_email_list(self):
        """The unit's valid notification addresses, normalized, without repeats."""
        self.ensure_one()
        addresses = []
        for part in self._split_notification_emails():
            normalized = normalize_email(part)
            if normalized and normalized not in addresses:
                addresses.append(normalized)
        return addresses

    def action_view_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coworking_online_signup.coworking_plan_action"
        )
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id}
        return action
