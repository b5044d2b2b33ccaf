# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import _, api, models
from odoo.exceptions import ValidationError

from .. import bank_client, const


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_br_provider_codes(self):
        """The codes of the Brazilian providers installed: each provider addon built
        on this one adds its own, so products (the coworking signup) list them
        without naming any."""
        return []

    def _br_requires_payer_address(self):
        """Whether this provider's charges need the payer's full address (a boleto
        does, a PIX or a card does not). Providers that need it override this."""
        self.ensure_one()
        return False

    def _br_amount_allowed(self, amount, currency=None):
        """Whether this provider can take a payment of ``amount`` (a bank's minimum
        and maximum charge); forms call it to offer the provider or not. Providers
        with limits override this."""
        self.ensure_one()
        return True

    def _br_issues_charge_without_payer(self):
        """Whether this provider's charge can be issued by the server alone (a
        boleto, a PIX code): a signup then issues it at once. A card needs the
        payer's browser. Providers that can override this."""
        self.ensure_one()
        return False

    def _get_supported_currencies(self):
        """Override of `payment`: a Brazilian provider charges in reais."""
        supported_currencies = super()._get_supported_currencies()
        if self.code in self._get_br_provider_codes():
            supported_currencies = supported_currencies.filtered(
                lambda c: c.name in const.SUPPORTED_CURRENCIES
            )
        return supported_currencies

    @api.model
    def _br_success_notification(self, message):
        """The client action showing ``message`` as a passing notification, the
        answer of a button that called the bank (a webhook registered)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": message, "sticky": False},
        }

    # === CLIENT CERTIFICATES === #

    @api.model
    def _br_check_upload(self, data, load, error_message):
        """Return an uploaded file (base64) when ``load`` reads it, so that a wrong
        file is refused at once rather than at the first call to the bank.

        :param load: A reader of the file's bytes raising ValueError, such as
                     `bank_client.load_pem_certificate` or `load_pem_key`.
        :param str error_message: The translated message telling which file is wanted.
        :raise ValidationError: If the file cannot be read.
        """
        try:
            load(base64.b64decode(data))
        except ValueError as error:
            raise ValidationError(error_message) from error
        return data

    @api.model
    def _br_certificate_info(
        self, data, load=bank_client.load_pem_certificate, key_missing=False
    ):
        """The line a provider's form shows about its stored certificate: its
        subject and last valid day, or why there is none to use.

        :param data: The stored certificate (base64), or False.
        :param load: A reader of its bytes returning the certificate; a ValueError
                     says it cannot be read, a ValidationError's message is shown.
        :param bool key_missing: Whether to say that the certificate's key is missing.
        """
        if not data:
            return _("No certificate uploaded.")
        try:
            cert = load(base64.b64decode(data))
        except ValidationError as error:
            return str(error)
        except ValueError:
            return _("The certificate cannot be read.")
        info = _(
            "%(subject)s, valid until %(date)s",
            subject=cert.subject.rfc4514_string(),
            date=bank_client.valid_until(cert),
        )
        if key_missing:
            info += " " + _("(key missing)")
        return info
