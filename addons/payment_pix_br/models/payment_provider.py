# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import const
from ..tools import brcode, pix_key


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("pix_br", "PIX")], ondelete={"pix_br": "set default"}
    )
    pix_br_key = fields.Char(
        string="Pix Key",
        required_if_provider="pix_br",
        help="The receiver's Pix key: CPF, CNPJ, e-mail, phone number starting with "
        "+55, or random key.",
        copy=False,
    )
    pix_br_key_type = fields.Selection(
        string="Key Type",
        selection=[
            (const.KEY_TYPE_CPF, "CPF"),
            (const.KEY_TYPE_CNPJ, "CNPJ"),
            (const.KEY_TYPE_EMAIL, "E-mail"),
            (const.KEY_TYPE_PHONE, "Phone"),
            (const.KEY_TYPE_EVP, "Random Key"),
        ],
        compute="_compute_pix_br_key_type",
    )
    pix_br_receiver_name = fields.Char(
        string="Receiver Name",
        required_if_provider="pix_br",
        help="The account holder's name shown to the payer (written in capitals, "
        "without accents, at most 25 characters).",
        default=lambda self: self.env.company.name,
    )
    pix_br_receiver_city = fields.Char(
        string="Receiver City",
        required_if_provider="pix_br",
        help="The account holder's city (written in capitals, without accents, at "
        "most 15 characters).",
        default=lambda self: self.env.company.city,
    )

    # === COMPUTE METHODS === #

    def _compute_feature_support_fields(self):
        """Override of `payment` to declare the features supported by PIX.

        A PIX payment is neither tokenized, captured manually nor refunded online.
        """
        res = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "pix_br").update(
            {
                "support_manual_capture": None,
                "support_tokenization": False,
                "support_refund": "none",
            }
        )
        return res

    @api.depends("pix_br_key")
    def _compute_pix_br_key_type(self):
        for provider in self:
            normalized = pix_key.normalize_key(provider.pix_br_key)
            provider.pix_br_key_type = normalized[0] if normalized else False

    # === CONSTRAINT METHODS === #

    @api.constrains(
        "code", "pix_br_key", "pix_br_receiver_name", "pix_br_receiver_city"
    )
    def _check_pix_br_key(self):
        for provider in self.filtered(lambda p: p.code == "pix_br"):
            if provider.pix_br_key and not pix_key.normalize_key(provider.pix_br_key):
                raise ValidationError(
                    _(
                        "The Pix key %(key)s is not valid. Use a CPF or CNPJ with valid"
                        " check digits, an e-mail address, a phone number starting with"
                        " +55 and the area code, or a random key (such as"
                        " 123e4567-e12b-12d1-a456-426655440000).",
                        key=provider.pix_br_key,
                    )
                )
            name, city = provider.pix_br_receiver_name, provider.pix_br_receiver_city
            if name and not brcode.normalize_text(name):
                raise ValidationError(
                    _(
                        "The receiver name must contain letters or digits that can be"
                        " written without accents."
                    )
                )
            if city and not brcode.normalize_text(city):
                raise ValidationError(
                    _(
                        "The receiver city must contain letters or digits that can be"
                        " written without accents."
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._pix_br_normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._pix_br_normalize_vals(vals)
        return super().write(vals)

    @api.model
    def _pix_br_normalize_vals(self, vals):
        """Store a valid key as the DICT writes it (digits only, lower-case e-mail)."""
        normalized = pix_key.normalize_key(vals.get("pix_br_key"))
        if normalized:
            vals["pix_br_key"] = normalized[1]

    # === BUSINESS METHODS === #

    def _get_supported_currencies(self):
        """Override of `payment` to return the supported currencies."""
        supported_currencies = super()._get_supported_currencies()
        if self.code == "pix_br":
            supported_currencies = supported_currencies.filtered(
                lambda c: c.name in const.SUPPORTED_CURRENCIES
            )
        return supported_currencies

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "pix_br":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _br_requires_payer_address(self):
        """Override of `payment_br_base`: a PIX needs no payer address."""
        if self.code == "pix_br":
            return False
        return super()._br_requires_payer_address()

    def _pix_br_build_code(self, amount=None, txid=brcode.TXID_ANY):
        """Return the static BR Code paying `amount` to this provider's key.

        :raise ValidationError: If the provider's data break a limit of the standard.
        """
        self.ensure_one()
        try:
            return brcode.build(
                key=self.pix_br_key,
                name=self.pix_br_receiver_name,
                city=self.pix_br_receiver_city,
                amount=amount,
                txid=txid,
            )
        except ValueError as error:
            raise ValidationError(
                const.ERROR_PREFIX
                + _("The BR Code cannot be made: %(error)s", error=error)
            ) from error
