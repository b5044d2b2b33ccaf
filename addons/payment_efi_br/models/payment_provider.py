# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because one file holds one model (OCA): the Efí provider's fields,
# its one door to the charges API (token, errors), and Efí as the PIX provider's PSP.

import base64
import logging
import secrets

import requests

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.payment_br_base import bank_client
from odoo.addons.payment_br_base.utils import to_centavos
from odoo.addons.payment_pix_br.tools import bacen_client

from .. import const
from ..exceptions import EfiBrUnavailableError

_logger = logging.getLogger(__name__)

# Tokens of the charges API, one per (database, provider, client id, host), kept in
# memory only, never in the database.
_token_cache = bank_client.TokenCache(const.TOKEN_EXPIRY_MARGIN)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("efi_br", "Efí (Gerencianet)")],
        ondelete={"efi_br": "set default"},
    )
    efi_br_client_id = fields.Char(
        string="Efí Client ID",
        required_if_provider="efi_br",
        groups="base.group_system",
        copy=False,
    )
    efi_br_client_secret = fields.Char(
        string="Efí Client Secret",
        required_if_provider="efi_br",
        groups="base.group_system",
        copy=False,
    )
    efi_br_certificate = fields.Binary(
        string="Efí Certificate (.p12)",
        help="The .p12 file generated in Efí's account (API > My Applications); "
        "only PIX charges need it.",
        attachment=True,
        groups="base.group_system",
        copy=False,
    )
    efi_br_certificate_password = fields.Char(
        string="Efí Certificate Password",
        help="Only for a .p12 protected with a password (Efí issues it without one; "
        "a copy re-exported with a password is accepted too).",
        groups="base.group_system",
        copy=False,
    )
    efi_br_certificate_info = fields.Char(
        string="Efí Certificate",
        compute="_compute_efi_br_certificate_info",
        groups="base.group_system",
    )
    efi_br_days_to_write_off = fields.Integer(
        string="Days To Automatic Write-Off",
        help="Days after the due date during which the boleto can still be paid; Efí "
        "then writes it off (days_to_write_off, 0 to 120).",
        default=30,
    )
    efi_br_due_days = fields.Integer(
        string="Days Until The Boleto Is Due",
        help="Due date of a boleto not linked to an invoice with a future due date, in "
        "days from its issue.",
        default=3,
    )
    efi_br_notification_secret = fields.Char(
        string="Efí Notification Secret",
        groups="base.group_system",
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
    )
    efi_br_charges_url = fields.Char(
        string="Efí Charges API URL Override",
        help="Technical: call this host instead of Efí's sandbox or production host.",
        groups="base.group_system",
    )
    efi_br_pix_url = fields.Char(
        string="Efí Pix API URL Override",
        help="Technical: call this host instead of Efí's sandbox or production Pix "
        "host.",
        groups="base.group_system",
    )
    efi_br_ca_bundle = fields.Text(
        string="Efí Trusted CA (PEM)",
        help="Technical: certificate authorities trusted for the URL overrides, in "
        "PEM. Empty: the system's trusted authorities.",
        groups="base.group_system",
    )
    pix_br_psp = fields.Selection(
        selection_add=[(const.PIX_PSP_CODE, "Efí (Gerencianet)")],
        ondelete={const.PIX_PSP_CODE: "set default"},
    )
    pix_br_efi_provider_id = fields.Many2one(
        string="Efí Provider",
        comodel_name="payment.provider",
        domain="[('code', '=', 'efi_br'), ('company_id', '=', company_id)]",
        help="The Efí provider whose client id, secret and .p12 certificate the PIX "
        "charges use (one Efí application serves both APIs).",
        ondelete="restrict",
    )

    _sql_constraints = [
        (
            "efi_br_days_to_write_off_range",
            "CHECK(efi_br_days_to_write_off >= 0 AND efi_br_days_to_write_off <= 120)",
            "The days to automatic write-off must be between 0 and 120.",
        ),
    ]

    # === COMPUTE METHODS === #

    def _compute_feature_support_fields(self):
        """Override of `payment`: a boleto is neither tokenized, captured manually nor
        refunded online."""
        res = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "efi_br").update(
            {
                "support_manual_capture": None,
                "support_tokenization": False,
                "support_refund": "none",
            }
        )
        return res

    @api.depends("efi_br_certificate", "efi_br_certificate_password")
    def _compute_efi_br_certificate_info(self):
        for provider in self:
            provider.efi_br_certificate_info = self._br_certificate_info(
                provider.efi_br_certificate,
                load=lambda _data, p=provider: p._efi_br_load_certificate()[0],
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("efi_br_certificate", "efi_br_certificate_password")
    def _check_efi_br_certificate(self):
        for provider in self.sudo().filtered("efi_br_certificate"):
            provider._efi_br_load_certificate()

    @api.constrains("pix_br_psp", "pix_br_efi_provider_id", "state", "pix_br_mode")
    def _check_pix_br_efi_provider(self):
        for provider in self.filtered(
            lambda p: p.code == "pix_br"
            and p.pix_br_psp == const.PIX_PSP_CODE
            and p.pix_br_mode == "dynamic"
            and p.state != "disabled"
        ):
            if not provider.pix_br_efi_provider_id:
                raise ValidationError(
                    _("A dynamic PIX through Efí needs the Efí provider to use.")
                )

    # === CRUD METHODS === #

    def write(self, vals):
        res = super().write(vals)
        if any(key.startswith("efi_br_") or key == "state" for key in vals):
            self._efi_br_clear_token_cache()
        return res

    # === BUSINESS METHODS: payment === #

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "efi_br":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    @api.model
    def _get_br_provider_codes(self):
        """Override of `payment_br_base`: this provider is one of ours."""
        return [*super()._get_br_provider_codes(), "efi_br"]

    def _br_requires_payer_address(self):
        """Override of `payment_br_base`: Efí issues a boleto with the payer's name
        and CPF (or a company's name and CNPJ); the address is optional there, and
        sent only when complete."""
        if self.code == "efi_br":
            return False
        return super()._br_requires_payer_address()

    def _br_issues_charge_without_payer(self):
        """Override of `payment_br_base`: the boleto is issued by the server (the
        payer's name and CPF or CNPJ come from the signup, no browser needed)."""
        return self.code == "efi_br" or super()._br_issues_charge_without_payer()

    def _br_amount_allowed(self, amount, currency=None):
        """Override of `payment_br_base`: Efí issues boletos of R$ 5.00 or more."""
        allowed = super()._br_amount_allowed(amount, currency)
        if self.code != "efi_br" or not allowed:
            return allowed
        currency = currency or self.company_id.currency_id
        if currency and currency.name not in const.SUPPORTED_CURRENCIES:
            return False
        return to_centavos(amount) >= const.MINIMUM_AMOUNT_CENTAVOS

    def _efi_br_get_notification_url(self):
        self.ensure_one()
        secret = self.sudo().efi_br_notification_secret
        return f"{self.get_base_url()}/payment/efi_br/notification/{self.id}/{secret}"

    # === BUSINESS METHODS: charges API === #

    def _efi_br_get_charges_url(self):
        self.ensure_one()
        provider = self.sudo()
        if provider.efi_br_charges_url:
            return provider.efi_br_charges_url.rstrip("/")
        if provider.state == "enabled":
            return const.CHARGES_URL_PRODUCTION
        return const.CHARGES_URL_SANDBOX

    def _efi_br_token_cache_key(self):
        provider = self.sudo()
        return (
            self.env.cr.dbname,
            provider.id,
            provider.efi_br_client_id,
            provider._efi_br_get_charges_url(),
        )

    def _efi_br_clear_token_cache(self):
        dbname, ids = self.env.cr.dbname, set(self.ids)
        _token_cache.clear(lambda key: key[0] == dbname and key[1] in ids)

    def _efi_br_get_access_token(self):
        """Return a token of the charges API (`POST /v1/authorize`, HTTP Basic), from
        the cache while it is valid for `const.TOKEN_EXPIRY_MARGIN` more seconds."""
        key = self._efi_br_token_cache_key()
        cached = _token_cache.get(key)
        if cached:
            return cached
        provider = self.sudo()
        content = self._efi_br_make_request(
            const.TOKEN_ENDPOINT,
            method="POST",
            payload={"grant_type": "client_credentials"},
            basic_auth=(provider.efi_br_client_id, provider.efi_br_client_secret),
        )
        token = content.get("access_token")
        if not token:
            raise EfiBrUnavailableError(
                const.ERROR_PREFIX + _("Efí returned no access token.")
            )
        _token_cache.put(key, token, content.get("expires_in"))
        return token

    def _efi_br_make_request(
        self, endpoint, method="GET", payload=None, params=None, basic_auth=None
    ):
        """Make a request to Efí's charges API: the one door to it.

        Every call has a timeout. A 401 renews the token once (it lives 10 minutes).
        The token call itself passes `basic_auth`.

        :return: The JSON content of the response.
        :rtype: dict
        :raise EfiBrUnavailableError: If Efí cannot be reached, is unavailable or
                                      refuses our credentials.
        :raise ValidationError: If Efí refuses the request.
        """
        self.ensure_one()
        url = self._efi_br_get_charges_url() + endpoint
        renewed = False
        with bank_client.tls_files(
            ca_pem=self.sudo().efi_br_ca_bundle, prefix="efi_br_"
        ) as (_cert, verify):
            while True:
                headers = {"accept": "application/json"}
                if not basic_auth:
                    headers["Authorization"] = (
                        f"Bearer {self._efi_br_get_access_token()}"
                    )
                try:
                    response = requests.request(
                        method,
                        url,
                        json=payload,
                        params=params,
                        headers=headers,
                        auth=basic_auth,
                        verify=verify,
                        timeout=const.TIMEOUT,
                    )
                except (
                    requests.exceptions.ConnectionError,
                    requests.exceptions.Timeout,
                ):
                    _logger.warning("Unable to reach Efí at %s", url, exc_info=True)
                    raise EfiBrUnavailableError(
                        const.ERROR_PREFIX
                        + _("Efí cannot be reached right now. Try again later.")
                    ) from None
                if response.status_code == 401 and not basic_auth and not renewed:
                    renewed = True
                    self._efi_br_clear_token_cache()
                    continue
                break
        try:
            content = response.json() if response.content else {}
        except ValueError:
            content = {}
        if not isinstance(content, dict):
            content = {}
        if not response.ok:
            self._efi_br_raise_error(response, content, method, url, basic_auth)
        return content

    def _efi_br_raise_error(self, response, content, method, url, basic_auth):
        """Raise Efí's refusal (`error`, `error_description` with the refused
        `property` and its `message`), never the refused value (the payer's data)."""
        _logger.warning(
            "Efí answered %s to %s %s", response.status_code, method, url.split("?")[0]
        )
        description = content.get("error_description")
        if isinstance(description, dict):
            description = ": ".join(
                str(part)
                for part in (description.get("property"), description.get("message"))
                if part
            )
        message = const.ERROR_PREFIX + _(
            "Efí refused the request (HTTP %(status)s): %(error)s %(description)s",
            status=response.status_code,
            error=content.get("error") or response.reason or "",
            description=description or "",
        )
        message = " ".join(message.split())
        if response.status_code in const.UNAVAILABLE_STATUSES or (
            basic_auth and response.status_code in (400, 401, 403)
        ):
            raise EfiBrUnavailableError(message)
        raise ValidationError(message)

    # === BUSINESS METHODS: Pix API through payment_pix_br === #

    def _efi_br_load_certificate(self):
        """Return `(certificate, key)` of the stored .p12, opened with its password
        when one is given.

        :raise ValidationError: If the file is not a .p12 or the password is wrong.
        """
        self.ensure_one()
        provider = self.sudo()
        password = provider.efi_br_certificate_password
        try:
            cert, key = bank_client.load_pkcs12(
                base64.b64decode(provider.efi_br_certificate or b""),
                password.encode() if password else None,
            )
        except ValueError as error:
            raise ValidationError(
                _(
                    "The certificate must be the .p12 file generated in Efí's account,"
                    " with its password if it has one."
                )
            ) from error
        if not (key and cert):
            raise ValidationError(_("The .p12 file holds no certificate and key."))
        return cert, key

    def _efi_br_get_pix_client(self):
        """Return payment_pix_br's Pix API client configured for Efí: its hosts,
        `/oauth/token` with HTTP Basic, and the .p12 turned into PEM in memory (the
        client writes it to private temporary files for the duration of a call).

        :raise ValidationError: If the credentials or the certificate are missing.
        """
        self.ensure_one()
        provider = self.sudo()
        if not (
            provider.efi_br_client_id
            and provider.efi_br_client_secret
            and provider.efi_br_certificate
        ):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "PIX charges through Efí need the Efí provider's client id, secret"
                    " and .p12 certificate."
                )
            )
        cert_pem, key_pem = bank_client.pem_pair(*provider._efi_br_load_certificate())
        return bacen_client.BacenPixClient(
            base_url=provider.efi_br_pix_url
            or const.PIX_PSP[
                "production" if provider.state == "enabled" else "sandbox"
            ],
            token_path=const.PIX_PSP["token_path"],
            path_prefix=const.PIX_PSP["path_prefix"],
            client_id=provider.efi_br_client_id,
            client_secret=provider.efi_br_client_secret,
            cert_pem=cert_pem,
            key_pem=key_pem,
            ca_pem=(provider.efi_br_ca_bundle or "").encode() or None,
            token_auth=bacen_client.TOKEN_AUTH_BASIC_JSON,
            webhook_headers=const.PIX_WEBHOOK_HEADERS,
        )

    def _pix_br_get_client(self):
        """Override of `payment_pix_br`: with Efí as the PSP, the client takes the
        chosen Efí provider's credentials, read at each call (never copied, so that a
        new certificate or secret is entered once)."""
        self.ensure_one()
        if self.pix_br_psp != const.PIX_PSP_CODE:
            return super()._pix_br_get_client()
        efi = self.sudo().pix_br_efi_provider_id
        if not efi:
            raise ValidationError(
                _("A dynamic PIX through Efí needs the Efí provider to use.")
            )
        return efi._efi_br_get_pix_client()
