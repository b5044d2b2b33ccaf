# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
import pprint
import re

import requests

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.payment_br_base import bank_client

from .. import const
from ..exceptions import CieloBrUnavailableError

_logger = logging.getLogger(__name__)


def redact(data):
    """A copy of Cielo's JSON without the tokens that pay (for the log)."""
    if isinstance(data, dict):
        return {
            key: "***" if key in const.REDACTED_KEYS and value else redact(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact(item) for item in data]
    return data


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("cielo_br", "Cielo")],
        ondelete={"cielo_br": "set default"},
    )
    cielo_br_merchant_id = fields.Char(
        string="Cielo MerchantId",
        required_if_provider="cielo_br",
        groups="base.group_system",
        copy=False,
    )
    cielo_br_merchant_key = fields.Char(
        string="Cielo MerchantKey",
        required_if_provider="cielo_br",
        groups="base.group_system",
        copy=False,
    )
    # The key is typed in this field and never sent back to the browser.
    cielo_br_merchant_key_input = fields.Char(
        string="MerchantKey",
        compute="_compute_cielo_br_merchant_key_input",
        inverse="_inverse_cielo_br_merchant_key_input",
        groups="base.group_system",
        help="Stored privately and never shown back. Type a new key to replace it.",
    )
    cielo_br_merchant_key_set = fields.Boolean(
        string="MerchantKey Set",
        compute="_compute_cielo_br_merchant_key_input",
        groups="base.group_system",
    )
    cielo_br_soft_descriptor = fields.Char(
        string="Statement Descriptor",
        help="The name on the member's card statement (SoftDescriptor): at most 13 "
        "letters, digits or spaces.",
        size=const.SOFT_DESCRIPTOR_MAX_LENGTH,
    )
    cielo_br_retry_interval_days = fields.Integer(
        string="Retry a Declined Charge After (Days)",
        help="A charge of an invoice with a saved card that the card's issuer declined "
        "is tried again this many days later.",
        default=3,
    )
    cielo_br_retry_max_attempts = fields.Integer(
        string="Charge Attempts per Invoice",
        help="Attempts to charge an invoice with a saved card, the first included; "
        "after the last one the invoice waits for the member to pay another way.",
        default=3,
    )
    cielo_br_api_url = fields.Char(
        string="Cielo API URL Override",
        help="Technical: send every call (sales, queries, card tokenisation) to this "
        "host instead of Cielo's sandbox or production hosts.",
        groups="base.group_system",
    )
    cielo_br_ca_bundle = fields.Text(
        string="Cielo Trusted CA (PEM)",
        help="Technical: certificate authorities trusted for the API URL override, in "
        "PEM. Empty: the system's trusted authorities.",
        groups="base.group_system",
    )

    _sql_constraints = [
        (
            "cielo_br_retry_range",
            "CHECK(cielo_br_retry_interval_days >= 1"
            " AND cielo_br_retry_max_attempts >= 1)",
            "Charges are retried after at least one day, with at least one attempt.",
        ),
    ]

    # === COMPUTE METHODS === #

    def _compute_feature_support_fields(self):
        """Override of `payment`: a Cielo card is saved as a token, authorised then
        captured (once, for the whole amount) and refunded in part or in full."""
        res = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "cielo_br").update(
            {
                "support_manual_capture": "full_only",
                "support_tokenization": True,
                "support_refund": "partial",
            }
        )
        return res

    def _compute_cielo_br_merchant_key_input(self):
        for provider in self:
            provider.cielo_br_merchant_key_input = False
            provider.cielo_br_merchant_key_set = bool(provider.cielo_br_merchant_key)

    def _inverse_cielo_br_merchant_key_input(self):
        for provider in self.filtered("cielo_br_merchant_key_input"):
            provider.cielo_br_merchant_key = (
                provider.cielo_br_merchant_key_input.strip()
            )

    @api.constrains("cielo_br_merchant_id")
    def _check_cielo_br_merchant_id(self):
        for provider in self.filtered("cielo_br_merchant_id"):
            if not re.fullmatch(const.GUID_PATTERN, provider.cielo_br_merchant_id):
                raise ValidationError(
                    _(
                        "The Cielo MerchantId is a GUID such as "
                        "%(example)s (Cielo's panel, Dados da loja).",
                        example="0d2a8b0c-1f3e-4a5b-9c6d-7e8f9a0b1c2d",
                    )
                )

    @api.constrains("cielo_br_soft_descriptor")
    def _check_cielo_br_soft_descriptor(self):
        for provider in self.filtered("cielo_br_soft_descriptor"):
            if not re.fullmatch(
                const.SOFT_DESCRIPTOR_PATTERN, provider.cielo_br_soft_descriptor
            ):
                raise ValidationError(
                    _(
                        "The statement descriptor has at most 13 letters (without "
                        "accents), digits or spaces."
                    )
                )

    # === BUSINESS METHODS === #

    @api.model
    def _get_br_provider_codes(self):
        """Override of `payment_br_base`: Cielo is a Brazilian provider."""
        return super()._get_br_provider_codes() + ["cielo_br"]

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "cielo_br":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _cielo_br_url(self, host):
        """The base URL of ``host`` ("api", "query" or "sop") for this provider's
        state, or the override when set (the tests' fake Cielo serves all three)."""
        self.ensure_one()
        if self.sudo().cielo_br_api_url:
            return self.sudo().cielo_br_api_url.rstrip("/")
        urls = {
            "api": const.API_URLS,
            "query": const.QUERY_URLS,
            "sop": const.SOP_URLS,
        }[host]
        return urls["enabled" if self.state == "enabled" else "test"]

    def _cielo_br_make_request(
        self, endpoint, payload=None, method="POST", params=None, host="api"
    ):
        """Make one request to Cielo (never retried here) and return its JSON answer,
        or None when Cielo answers 404 to a read.

        :raise CieloBrUnavailableError: Cielo was not reached or its answer was lost
            (time-out, connection error, 429, 5xx): a sale sent may or may not exist.
        :raise ValidationError: Cielo refused the request (its messages included).
        """
        self.ensure_one()
        provider = self.sudo()
        url = self._cielo_br_url(host) + endpoint
        headers = {
            "MerchantId": provider.cielo_br_merchant_id or "",
            "MerchantKey": provider.cielo_br_merchant_key or "",
            "Content-Type": "application/json",
        }
        # The trusted authorities go with the API URL override only (the tests').
        ca_pem = provider.cielo_br_api_url and provider.cielo_br_ca_bundle
        try:
            ca_files = bank_client.tls_files(ca_pem=ca_pem, prefix="cielo_br_")
            with ca_files as (_cert, verify):
                response = requests.request(
                    method,
                    url,
                    data=json.dumps(payload) if payload is not None else None,
                    params=params,
                    headers=headers,
                    timeout=const.TIMEOUT,
                    verify=verify,
                )
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as e:
            _logger.info("Cielo unreachable for %s %s: %s", method, endpoint, e)
            raise CieloBrUnavailableError(
                const.ERROR_PREFIX + _("Cielo could not be reached; try again later.")
            ) from e
        if response.status_code in const.UNAVAILABLE_STATUSES:
            _logger.info(
                "Cielo unavailable (%s) for %s %s",
                response.status_code,
                method,
                endpoint,
            )
            raise CieloBrUnavailableError(
                const.ERROR_PREFIX + _("Cielo is unavailable; try again later.")
            )
        if response.status_code == 404 and method == "GET":
            return None
        try:
            content = response.json() if response.content else {}
        except ValueError:
            content = {}
        if response.status_code in (401, 403):
            raise ValidationError(
                const.ERROR_PREFIX
                + _("Cielo refused the MerchantId or the MerchantKey of the provider.")
            )
        if response.status_code >= 400:
            errors = content if isinstance(content, list) else [content]
            details = "; ".join(
                f"{error.get('Code')} {error.get('Message')}"
                for error in errors
                if isinstance(error, dict)
            )
            _logger.info(
                "Cielo refused %s %s (%s): %s",
                method,
                endpoint,
                response.status_code,
                details,
            )
            raise ValidationError(
                const.ERROR_PREFIX
                + _("Cielo refused the request: %(details)s", details=details)
            )
        _logger.info(
            "Cielo answer to %s %s:\n%s",
            method,
            endpoint,
            pprint.pformat(redact(content)),
        )
        return content

    def _cielo_br_get_sop_access_token(self):
        """An access token with which the browser posts the card to Cielo's Silent
        Order Post: the card goes from the browser to Cielo, never through Odoo."""
        self.ensure_one()
        content = self._cielo_br_make_request(
            const.SOP_ACCESS_TOKEN_ENDPOINT, payload={}, host="sop"
        )
        return content.get("AccessToken")
