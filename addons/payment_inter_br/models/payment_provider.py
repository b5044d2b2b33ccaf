# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because Inter's credentials are many and each has its checks
# (client id and secret, mutual-TLS certificate and key uploads, the account,
# the webhook and its secret), next to the one door to the bank
# (`_inter_br_make_request`, one attempt in `_inter_br_send_request`) and its token
# cache.

import base64
import logging
import re
import secrets
import time

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_br_base import bank_client

from .. import (
    const,
    utils as inter_utils,
)
from ..exceptions import (
    InterBrConfigurationError,
    InterBrRateLimitedError,
    InterBrUnavailableError,
)

_logger = logging.getLogger(__name__)


def _now():
    """Return the current timestamp (a function so that tests can move time)."""
    return time.time()


# OAuth2 tokens, one per (database, provider, credentials, host, scope set); the
# clock is looked up at each call, so that tests can move it.
_token_cache = bank_client.TokenCache(
    const.TOKEN_EXPIRY_MARGIN,
    now=lambda: _now(),  # pylint: disable=unnecessary-lambda
)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("inter_br", "Banco Inter")],
        ondelete={"inter_br": "set default"},
    )
    inter_br_client_id = fields.Char(
        string="Inter Client ID",
        required_if_provider="inter_br",
        groups="base.group_system",
        copy=False,
    )
    inter_br_client_secret = fields.Char(
        string="Inter Client Secret",
        required_if_provider="inter_br",
        groups="base.group_system",
        copy=False,
    )
    inter_br_certificate = fields.Binary(
        string="Inter Client Certificate",
        attachment=True,
        groups="base.group_system",
        copy=False,
    )
    inter_br_certificate_key = fields.Binary(
        string="Inter Client Certificate Key",
        attachment=True,
        groups="base.group_system",
        copy=False,
    )
    inter_br_certificate_upload = fields.Binary(
        string="Upload Certificate (.crt)",
        compute="_compute_inter_br_uploads",
        inverse="_inverse_inter_br_certificate_upload",
        groups="base.group_system",
        help="The .crt file downloaded from Inter's internet banking. It is stored "
        "privately and never shown back.",
    )
    inter_br_certificate_key_upload = fields.Binary(
        string="Upload Key (.key)",
        compute="_compute_inter_br_uploads",
        inverse="_inverse_inter_br_certificate_key_upload",
        groups="base.group_system",
        help="The .key file downloaded with the certificate. It is stored privately "
        "and never shown back.",
    )
    inter_br_certificate_info = fields.Char(
        string="Certificate",
        compute="_compute_inter_br_certificate_info",
        groups="base.group_system",
    )
    inter_br_account_number = fields.Char(
        string="Checking Account",
        help="Sent as the `x-conta-corrente` header; needed when the API application "
        "is linked to several checking accounts. Digits only: the dash of the check "
        "digit and the leading zeros are removed (0012345-6 is saved as 123456).",
        groups="base.group_system",
        copy=False,
    )
    inter_br_days_to_cancel = fields.Integer(
        string="Days Until Automatic Cancellation",
        help="Days after the due date before Inter cancels an unpaid boleto "
        "(numDiasAgenda, 0 to 60).",
        default=30,
    )
    inter_br_due_days = fields.Integer(
        string="Days Until Due Date",
        help="Due date of a boleto not linked to an invoice with a future due date, "
        "in days from its issue.",
        default=3,
    )
    inter_br_fine_percent = fields.Float(
        string="Fine (%)",
        help="Optional fine charged once on late payment, as a percentage.",
        digits=(5, 2),
    )
    inter_br_interest_percent = fields.Float(
        string="Monthly Interest (%)",
        help="Optional interest charged on late payment, as a monthly rate.",
        digits=(5, 2),
    )
    inter_br_webhook_secret = fields.Char(
        string="Webhook Secret",
        groups="base.group_system",
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
    )
    inter_br_webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_inter_br_webhook_url",
        groups="base.group_system",
    )
    inter_br_api_url = fields.Char(
        string="API URL Override",
        help="Technical: call this host instead of Inter's sandbox or production host.",
        groups="base.group_system",
    )
    inter_br_ca_bundle = fields.Text(
        string="Trusted CA (PEM)",
        help="Technical: certificate authorities trusted for the API URL override, "
        "in PEM. Empty: the system's trusted authorities.",
        groups="base.group_system",
    )

    _sql_constraints = [
        (
            "inter_br_days_to_cancel_range",
            "CHECK(inter_br_days_to_cancel >= 0 AND inter_br_days_to_cancel <= 60)",
            "The days until automatic cancellation must be between 0 and 60.",
        ),
    ]

    # === COMPUTE METHODS === #

    def _compute_feature_support_fields(self):
        """Override of `payment` to declare the features supported by Banco Inter.

        A boleto is neither tokenized, captured manually nor refunded online.
        """
        res = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "inter_br").update(
            {
                "support_manual_capture": None,
                "support_tokenization": False,
                "support_refund": "none",
            }
        )
        return res

    def _compute_inter_br_uploads(self):
        """The uploads are write-only: nothing is ever shown back."""
        self.inter_br_certificate_upload = False
        self.inter_br_certificate_key_upload = False

    def _inverse_inter_br_certificate_upload(self):
        for provider in self.filtered("inter_br_certificate_upload"):
            provider.inter_br_certificate = self._br_check_upload(
                provider.inter_br_certificate_upload,
                bank_client.load_pem_certificate,
                _("The certificate must be the .crt file (PEM) provided by Inter."),
            )

    def _inverse_inter_br_certificate_key_upload(self):
        for provider in self.filtered("inter_br_certificate_key_upload"):
            message = _(
                "The key must be the .key file (PEM, no password) provided by Inter."
            )
            provider.inter_br_certificate_key = self._br_check_upload(
                provider.inter_br_certificate_key_upload,
                bank_client.load_pem_key,
                message,
            )

    @api.depends("inter_br_certificate", "inter_br_certificate_key")
    def _compute_inter_br_certificate_info(self):
        for provider in self:
            provider.inter_br_certificate_info = self._br_certificate_info(
                provider.inter_br_certificate,
                key_missing=not provider.inter_br_certificate_key,
            )

    @api.depends("inter_br_webhook_secret")
    def _compute_inter_br_webhook_url(self):
        for provider in self:
            if (
                provider.code == "inter_br"
                and provider._origin.id
                and provider.inter_br_webhook_secret
            ):
                provider.inter_br_webhook_url = (
                    provider._origin._inter_br_get_webhook_url()
                )
            else:
                provider.inter_br_webhook_url = False

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("inter_br_account_number"):
                vals["inter_br_account_number"] = self._inter_br_normalize_account(
                    vals["inter_br_account_number"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("inter_br_account_number"):
            vals = dict(
                vals,
                inter_br_account_number=self._inter_br_normalize_account(
                    vals["inter_br_account_number"]
                ),
            )
        res = super().write(vals)
        if any(key.startswith("inter_br_") or key == "state" for key in vals):
            self._inter_br_clear_token_cache()
        return res

    # === ACTION METHODS === #

    def action_inter_br_register_webhook(self):
        """Register this provider's webhook URL at Inter (PUT .../cobrancas/webhook)."""
        self.ensure_one()
        if not self.inter_br_webhook_secret:
            self.sudo().inter_br_webhook_secret = secrets.token_urlsafe(24)
        url = self._inter_br_get_webhook_url()
        if not url.startswith("https://"):
            # Inter refuses (400) a webhook URL that is not https.
            raise UserError(
                const.ERROR_PREFIX
                + _(
                    "Inter only accepts a webhook URL in https, and this database's"
                    " address is %(base_url)s. Set the system parameter web.base.url"
                    " to the public https address of this Odoo (and web.base.url.freeze"
                    " to True), then register the webhook again.",
                    base_url=self.get_base_url(),
                )
            )
        self._inter_br_make_request(
            const.WEBHOOK_ENDPOINT, method="PUT", payload={"webhookUrl": url}
        )
        return self._br_success_notification(
            _("Webhook registered at Banco Inter: %(url)s", url=url)
        )

    def action_inter_br_regenerate_webhook_secret(self):
        """Replace the webhook secret; the webhook must then be registered again."""
        self.ensure_one()
        self.sudo().inter_br_webhook_secret = secrets.token_urlsafe(24)

    # === BUSINESS METHODS === #

    @api.model
    def _get_compatible_providers(
        self,
        company_id,
        partner_id,
        amount,
        currency_id=None,
        is_validation=False,
        report=None,
        **kwargs,
    ):
        """Override of `payment` to hide Banco Inter when the amount is out of the range
        that Inter accepts for a charge (`valorNominal`, 2.50 to 99,999,999.99 BRL).

        :return: The compatible providers.
        :rtype: payment.provider
        """
        providers = super()._get_compatible_providers(
            company_id,
            partner_id,
            amount,
            currency_id=currency_id,
            is_validation=is_validation,
            report=report,
            **kwargs,
        )
        if is_validation or amount is None:
            return providers
        currency = self.env["res.currency"].browse(currency_id).exists()
        unfiltered_providers = providers
        providers = providers.filtered(
            lambda p: p._inter_br_amount_allowed(amount, currency)
        )
        payment_utils.add_to_report(
            report,
            unfiltered_providers - providers,
            available=False,
            reason=_("amount outside the range accepted by the bank"),
        )
        return providers

    @api.model
    def _get_br_provider_codes(self):
        """Override of `payment_br_base`: this provider is one of ours."""
        return [*super()._get_br_provider_codes(), "inter_br"]

    def _br_requires_payer_address(self):
        """Override of `payment_br_base`: a boleto needs the payer's full address."""
        return self.code == "inter_br" or super()._br_requires_payer_address()

    def _br_issues_charge_without_payer(self):
        """Override of `payment_br_base`: a boleto is issued by the server."""
        return self.code == "inter_br" or super()._br_issues_charge_without_payer()

    def _br_amount_allowed(self, amount, currency=None):
        """Override of `payment_br_base`: Inter's range for `valorNominal`."""
        return super()._br_amount_allowed(
            amount, currency
        ) and self._inter_br_amount_allowed(amount, currency)

    def _inter_br_amount_allowed(self, amount, currency=None):
        """Return whether this provider can take a payment of `amount`: always for
        another provider; for Banco Inter, when the amount fits `valorNominal`.

        Forms (e.g. a signup) can call it to offer Banco Inter or not.

        Note: self.ensure_one()

        :param float amount: The amount to pay.
        :param recordset currency: The payment currency, as a `res.currency` record;
                                   the company's when not given.
        :rtype: bool
        """
        self.ensure_one()
        if self.code != "inter_br":
            return True
        currency = currency or self.company_id.currency_id
        if currency and currency.name not in const.SUPPORTED_CURRENCIES:
            return False
        return (
            float_compare(amount, const.MINIMUM_AMOUNT, precision_digits=2) >= 0
            and float_compare(amount, const.MAXIMUM_AMOUNT, precision_digits=2) <= 0
        )

    @api.model
    def _inter_br_normalize_account(self, value):
        """Return the checking account as Inter wants it in `x-conta-corrente`: digits
        without leading zeros (the dash of the check digit removed).

        :raise ValidationError: If the value holds anything but digits, dots, dashes and
                                spaces, or no digit other than zeros.
        """
        value = (value or "").strip()
        digits = re.sub(r"[\s.\-]", "", value).lstrip("0")
        if not re.fullmatch(const.ACCOUNT_NUMBER_PATTERN, digits):
            raise ValidationError(
                _(
                    "The checking account must be a number, such as 12345-6 (as shown"
                    " in Inter's internet banking); %(value)s is not one.",
                    value=value,
                )
            )
        return digits

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "inter_br":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _inter_br_get_webhook_url(self):
        self.ensure_one()
        secret = self.sudo().inter_br_webhook_secret
        return f"{self.get_base_url()}/payment/inter_br/webhook/{self.id}/{secret}"

    def _inter_br_get_api_url(self):
        self.ensure_one()
        provider = self.sudo()
        if provider.inter_br_api_url:
            return provider.inter_br_api_url.rstrip("/")
        if provider.state == "enabled":
            return const.API_URL_PRODUCTION
        return const.API_URL_SANDBOX

    def _inter_br_token_cache_key(self, scopes):
        provider = self.sudo()
        return (
            self.env.cr.dbname,
            provider.id,
            provider.inter_br_client_id,
            provider._inter_br_get_api_url(),
            " ".join(sorted(scopes)),
        )

    def _inter_br_clear_token_cache(self):
        """Forget the cached tokens of these providers."""
        dbname, ids = self.env.cr.dbname, set(self.ids)
        _token_cache.clear(lambda key: key[0] == dbname and key[1] in ids)

    def _inter_br_tls_files(self):
        """Write the client certificate, its key and the trusted CA into temporary files
        readable only by this process, and remove them on exit.

        :return: A context manager yielding `((cert_path, key_path), verify)`.
        """
        provider = self.sudo()
        if not provider.inter_br_certificate or not provider.inter_br_certificate_key:
            raise InterBrConfigurationError(
                const.ERROR_PREFIX
                + _(
                    "The client certificate and its key are missing. Upload the .crt"
                    " and .key files from Inter on the payment provider."
                )
            )
        return bank_client.tls_files(
            base64.b64decode(provider.inter_br_certificate),
            base64.b64decode(provider.inter_br_certificate_key),
            provider.inter_br_ca_bundle,
            prefix="inter_br_",
        )

    def _inter_br_get_access_token(self, scopes):
        """Return an OAuth2 token for the scope set, from the cache while it is valid
        for at least `const.TOKEN_EXPIRY_MARGIN` more seconds, else a new one."""
        key = self._inter_br_token_cache_key(scopes)
        cached = _token_cache.get(key)
        if cached:
            return cached
        provider = self.sudo()
        response = self._inter_br_make_request(
            const.TOKEN_ENDPOINT,
            method="POST",
            form_data={
                "client_id": provider.inter_br_client_id,
                "client_secret": provider.inter_br_client_secret,
                "grant_type": "client_credentials",
                "scope": " ".join(sorted(scopes)),
            },
            authenticate=False,
        )
        token = response.get("access_token")
        if not token:
            raise ValidationError(
                const.ERROR_PREFIX + _("The bank returned no access token.")
            )
        _token_cache.put(key, token, response.get("expires_in"))
        return token

    def _inter_br_make_request(
        self,
        endpoint,
        method="GET",
        payload=None,
        params=None,
        scopes=None,
        form_data=None,
        authenticate=True,
    ):
        """Make a request to Banco Inter's API: the one door to the bank.

        Every call, the token call included, uses mutual TLS with the stored certificate
        and key, and a timeout. A 401 renews the token once. A 429 is not retried here:
        Inter's limits are per minute, so the caller retries the operation later.

        Note: self.ensure_one()

        :param str endpoint: The endpoint, e.g. `/cobranca/v3/cobrancas`.
        :param str method: The HTTP method.
        :param dict payload: The JSON body.
        :param dict params: The query string.
        :param tuple scopes: The OAuth2 scopes; read or write charges by default.
        :param dict form_data: A form-encoded body (the token call).
        :param bool authenticate: Whether to send a bearer token.
        :return: The JSON content of the response, or an empty dict.
        :rtype: dict
        :raise InterBrRateLimitedError: If the route's per-minute limit is reached.
        :raise InterBrUnavailableError: If the bank cannot be reached or is unavailable.
        :raise ValidationError: If the bank refuses the request.
        """
        self.ensure_one()
        url = self._inter_br_get_api_url() + endpoint
        if scopes is None:
            scopes = (const.SCOPE_READ,) if method == "GET" else (const.SCOPE_WRITE,)
        headers = {}
        account = self.sudo().inter_br_account_number
        if account:
            headers["x-conta-corrente"] = self._inter_br_normalize_account(account)
        if authenticate:
            headers["Authorization"] = (
                f"Bearer {self._inter_br_get_access_token(scopes)}"
            )

        with self._inter_br_tls_files() as (cert, verify):
            request_args = {
                "params": params,
                "json": payload,
                "data": form_data,
                "headers": headers,
                "cert": cert,
                "verify": verify,
            }
            response = self._inter_br_send_request(method, url, **request_args)
            if response.status_code == 401 and authenticate:
                # the token expired before our cache said so: renew it, once
                self._inter_br_clear_token_cache()
                token = self._inter_br_get_access_token(scopes)
                headers["Authorization"] = f"Bearer {token}"
                response = self._inter_br_send_request(method, url, **request_args)

        if response.status_code == const.RATE_LIMITED_STATUS:
            _logger.info("Banco Inter: rate limit reached at %s %s", method, url)
            raise InterBrRateLimitedError(
                const.ERROR_PREFIX
                + _(
                    "The bank's limit of requests per minute is reached. Try again in"
                    " a minute."
                )
            )
        if not response.ok:
            self._inter_br_raise_error(response, method, url, payload, authenticate)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            _logger.exception("Banco Inter sent a body that is not JSON from %s", url)
            raise ValidationError(
                const.ERROR_PREFIX + _("The bank sent an answer that cannot be read.")
            ) from None

    def _inter_br_send_request(self, method, url, **request_args):
        """One attempt of a request to Inter, with the timeout; the caller decides
        whether to try again.

        :raise InterBrUnavailableError: If the bank cannot be reached in time.
        """
        try:
            return requests.request(method, url, timeout=const.TIMEOUT, **request_args)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
            _logger.exception("Unable to reach Banco Inter at %s", url)
            raise InterBrUnavailableError(
                const.ERROR_PREFIX
                + _("Could not establish the connection to the bank. Try again later.")
            ) from None

    def _inter_br_raise_error(self, response, method, url, payload, authenticate=True):
        """Log and raise the error answered by Inter, with its title, detail and
        violations (`violacoes`: reason and property, never the refused `valor`, which
        may be the payer's CPF/CNPJ, e-mail or address)."""
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError:
            # The payload holds the payer's personal data: keep it out of the logs.
            _logger.exception(
                "Invalid API request %s %s (payload keys: %s)",
                method,
                url,
                sorted(payload or {}),
            )
        try:
            content = response.json()
        except ValueError:
            content = {}
        title, detail, violations = inter_utils.format_error(content)
        title = title or response.reason or ""
        message = const.ERROR_PREFIX + _(
            "The bank refused the request (HTTP %(status)s): %(title)s %(detail)s"
            " %(violations)s",
            status=response.status_code,
            title=title,
            detail=detail,
            violations=violations,
        )
        message = " ".join(message.split())
        if response.status_code in const.UNAVAILABLE_STATUSES:
            raise InterBrUnavailableError(message)
        if (
            not authenticate
            and response.status_code in const.CREDENTIALS_REFUSED_STATUSES
        ):
            raise InterBrConfigurationError(message)
        raise ValidationError(message)
