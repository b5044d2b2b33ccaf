# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from .. import const


class PaymentToken(models.Model):
    _inherit = "payment.token"

    # Cielo needs the brand with every charge of a CardToken; the member sees it.
    cielo_br_brand = fields.Char(string="Card Brand", readonly=True)

    def _build_display_name(self, *args, max_length=34, should_pad=True, **kwargs):
        """Override of `payment`: "Visa •••• 1234" for a card saved at Cielo."""
        name = super()._build_display_name(
            *args, max_length=max_length, should_pad=should_pad, **kwargs
        )
        if self.provider_code != "cielo_br" or not self.cielo_br_brand:
            return name
        label = const.BRAND_LABELS.get(self.cielo_br_brand, self.cielo_br_brand)
        return f"{label} {name}"

    def _br_charge_invoice(self, invoice):
        """Override of `payment_br_base`: a month of a contract is charged with
        :meth:`account.move._cielo_br_charge_with_token` (declines retried on the
        provider's schedule, the member told, lost answers looked up)."""
        if self.provider_code != "cielo_br":
            return super()._br_charge_invoice(invoice)
        return invoice._cielo_br_charge_with_token(self)
