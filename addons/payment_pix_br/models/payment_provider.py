# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import const
from ..tools import bacen_client, brcode, pix_key


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
    pix_br_mode = fields.Selection(
        string="PIX Mode",
        selection=[
            (const.MODE_STATIC, "Static (any bank, confirmed by you)"),
            (const.MODE_DYNAMIC, "Dynamic (charge at the PSP, confirmed by the PSP)"),
        ],
        default=const.MODE_STATIC,
        required=True,
    )
    pix_br_psp = fields.Selection(
        string="PSP",
        selection=[("inter", "Banco Inter"), (const.PSP_CUSTOM, "Other PSP")],
        default="inter",
        help="The bank or payment institution serving BACEN's Pix API for the key.",
    )
    pix_br_api_url = fields.Char(
        string="Pix API Host",
        help="Other PSP: its host, such as https://pix.example.com. For a listed PSP, "
        "leave empty (technical override).",
        groups="base.group_system",
    )
    pix_br_token_path = fields.Char(
        string="Token Path", default="/oauth/token", groups="base.group_system"
    )
    pix_br_path_prefix = fields.Char(
        string="Pix API Path Prefix",
        help="Other PSP: the prefix of the API's paths, such as /v2.",
        default="/v2",
        groups="base.group_system",
    )
    pix_br_client_id = fields.Char(
        string="Pix API Client ID", groups="base.group_system", copy=False
    )
    pix_br_client_secret = fields.Char(
        string="Pix API Client Secret", groups="base.group_system", copy=False
    )
    pix_br_certificate = fields.Binary(
        string="Client Certificate (PEM)",
        attachment=True,
        groups="base.group_system",
        copy=False,
    )
    pix_br_certificate_key = fields.Binary(
        string="Client Certificate Key (PEM)",
        attachment=True,
        groups="base.group_system",
        copy=False,
    )
    pix_br_ca_bundle = fields.Text(
        string="PIX API Trusted CA (PEM)",
        help="Technical: certificate authorities trusted for the Pix API host, in "
        "PEM. Empty: the system's trusted authorities.",
        groups="base.group_system",
    )
    pix_br_expiry = fields.Integer(
        string="Charge Lifetime (seconds)",
        default=const.COB_EXPIRY_DEFAULT,
        help="How long the payer can pay a dynamic BR Code.",
    )
    pix_br_webhook_secret = fields.Char(
        string="PIX Webhook Secret",
        groups="base.group_system",
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
    )

    _sql_constraints = [
        (
            "pix_br_expiry_positive",
            "CHECK(pix_br_expiry IS NULL OR pix_br_expiry > 0)",
            "The charge lifetime must be positive.",
        ),
    ]

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

    @api.constrains("code", "state", "pix_br_mode", "pix_br_psp")
    def _check_pix_br_dynamic_setup(self):
        for provider in self.sudo().filtered(
            lambda p: p.code == "pix_br"
            and p.pix_br_mode == const.MODE_DYNAMIC
            and p.state != "disabled"
        ):
            if provider.pix_br_psp == const.PSP_CUSTOM and not provider.pix_br_api_url:
                raise ValidationError(
                    _("A dynamic PIX with another PSP needs the Pix API host.")
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

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "pix_br":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    @api.model
    def _get_br_provider_codes(self):
        """Override of `payment_br_base`: this provider is one of ours."""
        return [*super()._get_br_provider_codes(), "pix_br"]

    def _br_issues_charge_without_payer(self):
        """Override of `payment_br_base`: a BR Code is made by the server."""
        return self.code == "pix_br" or super()._br_issues_charge_without_payer()

    def _br_requires_payer_address(self):
        """Override of `payment_br_base`: a PIX needs no payer address."""
        if self.code == "pix_br":
            return False
        return super()._br_requires_payer_address()

    def _br_amount_allowed(self, amount, currency=None):
        """Override of `payment_br_base`: a BR Code carries a positive amount in reais
        of at most 13 characters."""
        allowed = super()._br_amount_allowed(amount, currency)
        if self.code != "pix_br" or not allowed:
            return allowed
        if currency and currency.name not in const.SUPPORTED_CURRENCIES:
            return False
        try:
            brcode.format_amount(amount)
        except ValueError:
            return False
        return True

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

    # === DYNAMIC PIX: BACEN PIX API === #

    def _pix_br_is_dynamic(self):
        self.ensure_one()
        return self.code == "pix_br" and self.pix_br_mode == const.MODE_DYNAMIC

    def _pix_br_get_client(self):
        """Return the Pix API client of this provider's PSP.

        :raise ValidationError: If the credentials or the certificate are missing.
        """
        self.ensure_one()
        provider = self.sudo()
        psp = const.PSPS.get(provider.pix_br_psp, {})
        base_url = provider.pix_br_api_url or psp.get(
            "production" if provider.state == "enabled" else "sandbox"
        )
        if not (
            base_url
            and provider.pix_br_client_id
            and provider.pix_br_client_secret
            and provider.pix_br_certificate
            and provider.pix_br_certificate_key
        ):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "The dynamic PIX needs the PSP's client ID and secret, and its"
                    " client certificate and key."
                )
            )
        return bacen_client.BacenPixClient(
            base_url=base_url,
            token_path=psp.get("token_path") or provider.pix_br_token_path,
            path_prefix=psp.get("path_prefix") or provider.pix_br_path_prefix,
            client_id=provider.pix_br_client_id,
            client_secret=provider.pix_br_client_secret,
            cert_pem=base64.b64decode(provider.pix_br_certificate),
            key_pem=base64.b64decode(provider.pix_br_certificate_key),
            ca_pem=(provider.pix_br_ca_bundle or "").encode() or None,
        )

    def _pix_br_call(self, method_name, *args):
        """Call the Pix API client's method; its errors become ValidationError.

        :raise ValidationError: If the PSP refuses or cannot be reached.
        """
        self.ensure_one()
        try:
            return getattr(self._pix_br_get_client(), method_name)(*args)
        except bacen_client.BacenPixUnavailable as error:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "The PSP cannot be reached or is unavailable; try again later"
                    " (%(error)s).",
                    error=error,
                )
            ) from error
        except bacen_client.BacenPixError as error:
            raise ValidationError(
                const.ERROR_PREFIX
                + _("The PSP refused the request: %(error)s", error=error)
            ) from error

    def _pix_br_get_webhook_url(self):
        self.ensure_one()
        secret = self.sudo().pix_br_webhook_secret
        return f"{self.get_base_url()}{const.WEBHOOK_ROUTE}/{self.id}/{secret}"

    def action_pix_br_use_inter_credentials(self):
        """Take the client id, secret and certificate of this company's Banco Inter
        provider (`payment_inter_br`), when the operator has one: one Inter
        integration serves both the charge API and the Pix API when it has the Pix
        scopes. Read by field name, so neither addon depends on the other."""
        self.ensure_one()
        self.check_access("write")
        Provider = self.env["payment.provider"].sudo()
        inter = Provider.browse()
        if "inter_br_client_id" in Provider._fields:
            inter = Provider.search(
                [
                    ("code", "=", "inter_br"),
                    ("company_id", "=", self.company_id.id),
                    ("inter_br_client_id", "!=", False),
                ],
                limit=1,
            )
        if not (
            inter
            and inter.inter_br_client_secret
            and inter.inter_br_certificate
            and inter.inter_br_certificate_key
        ):
            raise UserError(
                _(
                    "This company has no Banco Inter provider with a client id, "
                    "secret and certificate: fill them here, or in Banco Inter's "
                    "provider first."
                )
            )
        self.sudo().write(
            {
                "pix_br_psp": "inter",
                "pix_br_client_id": inter.inter_br_client_id,
                "pix_br_client_secret": inter.inter_br_client_secret,
                "pix_br_certificate": inter.inter_br_certificate,
                "pix_br_certificate_key": inter.inter_br_certificate_key,
            }
        )
        return True

    def action_pix_br_register_webhook(self):
        """Register this provider's webhook URL for its key at the PSP."""
        self.ensure_one()
        self.check_access("write")  # The call uses the provider's credentials.
        if not self.sudo().pix_br_webhook_secret:
            self.sudo().pix_br_webhook_secret = secrets.token_urlsafe(24)
        url = self._pix_br_get_webhook_url()
        self._pix_br_call("put_webhook", self.pix_br_key, url)
        return self._br_success_notification(
            _("Webhook registered at the PSP: %(url)s", url=url)
        )
