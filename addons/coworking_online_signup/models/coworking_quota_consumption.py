# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CoworkingQuotaConsumption(models.Model):
    """One entry of the quota ledger: something the member used."""

    _name = "coworking.quota.consumption"
    _description = "Coworking Quota Consumption"
    _order = "date desc, id desc"

    quota_id = fields.Many2one(
        "coworking.quota", required=True, ondelete="cascade", index=True
    )
    contract_id = fields.Many2one(
        related="quota_id.contract_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="quota_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="quota_id.company_id", store=True, index=True)
    uom_id = fields.Many2one(related="quota_id.uom_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    quantity = fields.Float(required=True, digits="Product Unit of Measure")
    description = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "A consumption must be greater than zero.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        quota_ids = {vals.get("quota_id") for vals in vals_list if vals.get("quota_id")}
        self.env["coworking.quota"].browse(quota_ids)._lock_for_update()
        return super().create(vals_list)

    def write(self, vals):
        self.quota_id._lock_for_update()
        return super().write(vals)

    @api.constrains("quantity", "quota_id")
    def _check_quota_balance(self):
        for entry in self:
            quota = entry.quota_id
            if quota.contract_id.coworking_payment_state == "suspended":
                raise ValidationError(
                    _(
                        "%(benefit)s cannot be used: the contract's benefits are "
                        "suspended until its overdue invoice is paid.",
                        benefit=quota.name,
                    )
                )
            if quota.state != "active":
                raise ValidationError(
                    _(
                        "%(benefit)s cannot be used yet: the benefits start when the "
                        "first payment is confirmed.",
                        benefit=quota.name,
                    )
                )
            if not (quota.period_start <= entry.date.date() <= quota.period_end):
                raise ValidationError(
                    _(
                        "%(benefit)s: %(date)s is outside the quota period "
                        "%(start)s - %(end)s.",
                        benefit=quota.name,
                        date=entry.date.date(),
                        start=quota.period_start,
                        end=quota.period_end,
                    )
                )
            if quota._is_overdrawn():
                raise ValidationError(
                    _(
                        "Not enough %(benefit)s left: %(available)s %(uom)s available "
                        "in this period, %(asked)s requested.",
                        benefit=quota.name,
                        available=max(quota.balance + entry.quantity, 0.0),
                        uom=quota.uom_id.name,
                        asked=entry.quantity,
                    )
                )
