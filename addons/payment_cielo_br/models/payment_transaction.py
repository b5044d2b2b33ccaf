# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines by a few: the direct, token, validation, capture, void and refund
# flows of the one transaction model stay together (Odoo's hooks live here).

import logging
import re
from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.payment_br_base.utils import to_centavos

from .. import const
from ..exceptions import CieloBrUnavailableError

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    cielo_br_return_code = fields.Char(
        string="Cielo Return Code", readonly=True, copy=False
    )
    # Set when a sale was sent and Cielo's answer was lost: the sale may exist. It is
    # looked up by MerchantOrderId (never sent again) until found or known absent.
    cielo_br_answer_lost_at = fields.Datetime(
        string="Cielo Answer Lost At", readonly=True, copy=False
    )

    # === PROCESSING VALUES === #

    def _get_specific_processing_values(self, processing_values):
        """Override of `payment`: for a card typed in the payment form, where the
        browser posts it (Cielo's Silent Order Post) and the access token for that post.
        The card goes from the browser to Cielo; Odoo only receives Cielo's token."""
        res = super()._get_specific_processing_values(processing_values)
        if self.provider_code != "cielo_br" or self.operation not in (
            "online_direct",
            "validation",
        ):
            return res
        provider = self.provider_id
        return {
            "cielo_br_sop_url": provider._cielo_br_url("sop") + const.SOP_CARD_ENDPOINT,
            "cielo_br_sop_access_token": provider._cielo_br_get_sop_access_token(),
            "access_token": self._cielo_br_access_token(),
        }

    def _cielo_br_access_token(self):
        """The proof that a call of the pay route comes from the payment form that
        created this transaction (signed with the database secret)."""
        return self._br_access_token(
            "payment_cielo_br_pay", self.amount, self.partner_id.id
        )

    def _cielo_br_check_access_token(self, access_token):
        return self._br_check_access_token(
            access_token, "payment_cielo_br_pay", self.amount, self.partner_id.id
        )

    # === SALES === #

    def _cielo_br_sale_payload(self, credit_card):
        """The body of `POST /1/sales/`: MerchantOrderId is our reference; the card
        is one of Cielo's tokens, never a card number."""
        self.ensure_one()
        if len(self.reference) > const.MERCHANT_ORDER_ID_MAX_LENGTH:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "The reference %(reference)s is longer than Cielo accepts.",
                    reference=self.reference,
                )
            )
        payment = {
            "Type": "CreditCard",
            "Amount": to_centavos(self.amount),
            "Installments": 1,
            "Capture": not self.provider_id.capture_manually,
            "CreditCard": credit_card,
        }
        if self.operation == "offline":
            # Merchant-run recurrence: a charge of a saved card the member is not
            # present for (the contract's monthly invoice).
            payment["Recurrent"] = True
        if self.provider_id.cielo_br_soft_descriptor:
            payment["SoftDescriptor"] = self.provider_id.cielo_br_soft_descriptor
        return {
            "MerchantOrderId": self.reference,
            "Customer": {"Name": (self.partner_name or self.partner_id.name)[:255]},
            "Payment": payment,
        }

    def _cielo_br_pay_with_browser_token(
        self, brand, card_token=None, payment_token=None
    ):
        """Direct flow: pay with the token the browser got from Cielo's Silent Order
        Post: a CardToken (the card is saved) or a single-use PaymentToken."""
        self.ensure_one()
        if brand not in const.BRAND_LABELS:
            raise ValidationError(const.ERROR_PREFIX + _("Unknown card brand."))
        for value in (card_token, payment_token):
            if value and not re.fullmatch(const.GUID_PATTERN, value):
                raise ValidationError(const.ERROR_PREFIX + _("Invalid card token."))
        if bool(card_token) == bool(payment_token):
            raise ValidationError(const.ERROR_PREFIX + _("Invalid card token."))
        if self.state != "draft":
            raise ValidationError(
                const.ERROR_PREFIX + _("This payment was already sent to Cielo.")
            )
        if self.operation == "validation":
            self._cielo_br_validate_card(card_token, brand)
            return
        if card_token:
            credit_card = {"CardToken": card_token, "Brand": brand}
        else:
            credit_card = {"PaymentToken": payment_token, "Brand": brand}
        self._cielo_br_send_sale(
            self._cielo_br_sale_payload(credit_card), card_token=card_token
        )

    def _cielo_br_validate_card(self, card_token, brand):
        """A card saved from the portal (a new card, or one replacing a declined
        card): checked with Cielo's Zero Auth, then saved with its last digits."""
        if not card_token:
            raise ValidationError(const.ERROR_PREFIX + _("Invalid card token."))
        provider = self.provider_id
        try:
            check = provider._cielo_br_make_request(
                const.ZERO_AUTH_ENDPOINT, {"CardToken": card_token, "Brand": brand}
            )
            card = provider._cielo_br_make_request(
                const.CARD_ENDPOINT.format(card_token=card_token),
                method="GET",
                host="query",
            )
        except ValidationError as error:
            # Nothing is charged by a Zero Auth: an unanswered one is simply failed.
            self._set_error(str(error))
            return
        return_code = str(check.get("ReturnCode") or "")
        self.cielo_br_return_code = return_code
        if not check.get("Valid"):
            self._set_error(self._cielo_br_decline_message(return_code))
            return
        card = dict(card or {}, CardToken=card_token, Brand=brand)
        self._cielo_br_tokenize({"CreditCard": card})
        self._set_done()

    def _send_payment_request(self):
        """Override of `payment`: charge the saved card (token). An offline charge
        (an invoice charged on its due day) is sent with `Recurrent: true`."""
        super()._send_payment_request()
        if self.provider_code != "cielo_br":
            return
        if not self.token_id:
            raise UserError(
                const.ERROR_PREFIX + _("The transaction is not linked to a token.")
            )
        credit_card = {
            "CardToken": self.token_id.provider_ref,
            "Brand": self.token_id.cielo_br_brand,
        }
        self._cielo_br_send_sale(self._cielo_br_sale_payload(credit_card))

    def _cielo_br_send_sale(self, payload, card_token=None):
        """Send the sale once. A lost answer leaves the transaction pending and the
        sale is looked up by MerchantOrderId; a refusal sets it in error."""
        self.ensure_one()
        provider = self.provider_id
        try:
            data = provider._cielo_br_make_request(const.SALES_ENDPOINT, payload)
        except CieloBrUnavailableError:
            self.cielo_br_answer_lost_at = fields.Datetime.now()
            self._set_pending(
                state_message=_("Waiting for Cielo's answer about this payment.")
            )
            self._cielo_br_resolve_lost_answer(card_token=card_token)
            return
        except ValidationError as error:
            self._set_error(str(error))
            return
        self._cielo_br_handle_sale(data, card_token=card_token)

    def _cielo_br_handle_sale(self, data, card_token=None):
        if card_token:
            # Cielo does not echo the CardToken a sale was paid with; it is the one
            # the browser got and the card to save.
            card = data.setdefault("Payment", {}).setdefault("CreditCard", {})
            card.setdefault("CardToken", card_token)
        data.setdefault("MerchantOrderId", self.reference)
        self._handle_notification_data("cielo_br", data)

    def _cielo_br_resolve_lost_answer(self, card_token=None):
        """Look up by MerchantOrderId a sale whose answer was lost. Found: it is
        processed as if answered. Not found: still unknown until the grace period
        ended, then known not made (the transaction is in error, nothing charged)."""
        self.ensure_one()
        provider = self.provider_id
        try:
            found = provider._cielo_br_make_request(
                const.SALES_ENDPOINT.rstrip("/"),
                method="GET",
                params={"merchantOrderId": self.reference},
                host="query",
            )
            payments = (found or {}).get("Payments") or []
            sale = payments and provider._cielo_br_make_request(
                const.SALE_ENDPOINT.format(payment_id=payments[0]["PaymentId"]),
                method="GET",
                host="query",
            )
        except CieloBrUnavailableError:
            return False
        if sale:
            self.cielo_br_answer_lost_at = False
            self._cielo_br_handle_sale(sale, card_token=card_token)
            return True
        grace = timedelta(minutes=const.LOST_ANSWER_GRACE_MINUTES)
        if self.cielo_br_answer_lost_at + grace < fields.Datetime.now():
            self.cielo_br_answer_lost_at = False
            self._set_error(
                const.ERROR_PREFIX
                + _("Cielo has no record of this payment: the card was not charged.")
            )
            return True
        return False

    # === NOTIFICATION DATA (sale answers) === #

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment`: find the transaction by MerchantOrderId."""
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "cielo_br" or len(tx) == 1:
            return tx
        reference = notification_data.get("MerchantOrderId")
        tx = self.search(
            [("reference", "=", reference), ("provider_code", "=", "cielo_br")]
        )
        if not tx:
            raise ValidationError(
                const.ERROR_PREFIX
                + _("No transaction found matching reference %(ref)s.", ref=reference)
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment`: update the transaction from a sale of Cielo."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "cielo_br":
            return
        payment = notification_data.get("Payment") or {}
        if payment.get("PaymentId"):
            self.provider_reference = payment["PaymentId"]
        status = payment.get("Status")
        return_code = str(payment.get("ReturnCode") or "")
        self.cielo_br_return_code = return_code
        mapping = const.TRANSACTION_STATUS_MAPPING
        if status in mapping["pending"]:
            self._set_pending()
        elif status in mapping["authorized"]:
            self._cielo_br_tokenize(payment)
            self._set_authorized()
        elif status in mapping["done"] + mapping["refunded"]:
            self._cielo_br_tokenize(payment)
            self._set_done()
        elif status in mapping["cancel"]:
            self._set_canceled()
        elif status in mapping["error"]:
            self._set_error(self._cielo_br_decline_message(return_code))
        else:
            _logger.info("Cielo status %s unknown for %s", status, self.reference)
            self._set_error(
                const.ERROR_PREFIX
                + _("Unknown payment status %(status)s.", status=status)
            )

    def _cielo_br_decline_message(self, return_code):
        # Cielo's return codes (the sandbox answers them by the card's last digit).
        reasons = {
            "05": _("The card's issuer did not authorise the payment."),
            "51": _("The card has not enough limit for this payment."),
            "57": _("The card has expired."),
            "70": _("The card has a problem; contact its issuer."),
            "77": _("The card was cancelled by its issuer."),
            "78": _("The card is blocked; contact its issuer to unblock it."),
            "99": _("The card's issuer did not answer in time; nothing was charged."),
        }
        return const.ERROR_PREFIX + _(
            "Payment declined (%(code)s). %(reason)s",
            code=return_code,
            reason=reasons.get(return_code)
            or _("The card's issuer refused the payment."),
        )

    def _cielo_br_decline_is_final(self):
        """Whether the card itself is refused (expired, blocked, cancelled, ...),
        so that charging it again is useless."""
        self.ensure_one()
        return self.cielo_br_return_code not in const.RETRYABLE_RETURN_CODES

    def _cielo_br_tokenize(self, payment):
        """Save the card (Cielo's CardToken) when the member asked to."""
        if not self.tokenize or self.token_id:
            return
        card = payment.get("CreditCard") or {}
        if not card.get("CardToken"):
            return
        token = self.env["payment.token"].create(
            {
                "provider_id": self.provider_id.id,
                "payment_method_id": self.payment_method_id.id,
                "payment_details": (card.get("CardNumber") or "")[-4:],
                "partner_id": self.partner_id.id,
                "provider_ref": card["CardToken"],
                "cielo_br_brand": card.get("Brand"),
            }
        )
        self.write({"token_id": token.id, "tokenize": False})
        _logger.info(
            "Saved card as token %s for partner %s from transaction %s",
            token.id,
            self.partner_id.id,
            self.reference,
        )

    # === CAPTURE, VOID, REFUND === #

    def _cielo_br_update_sale(self, endpoint, amount=None):
        params = {"amount": to_centavos(amount)} if amount else None
        return self.provider_id._cielo_br_make_request(
            endpoint.format(payment_id=self.provider_reference),
            method="PUT",
            params=params,
        )

    def _send_capture_request(self, amount_to_capture=None):
        """Override of `payment`: capture the authorised sale (whole amount)."""
        child_capture_tx = super()._send_capture_request(
            amount_to_capture=amount_to_capture
        )
        if self.provider_code != "cielo_br":
            return child_capture_tx
        data = self._cielo_br_update_sale(const.CAPTURE_ENDPOINT, amount_to_capture)
        if data.get("Status") == const.STATUS_PAYMENT_CONFIRMED:
            self._set_done()
        else:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "Cielo did not capture the payment: %(message)s",
                    message=data.get("ReasonMessage") or data.get("ReturnMessage"),
                )
            )
        return child_capture_tx

    def _send_void_request(self, amount_to_void=None):
        """Override of `payment`: cancel the authorised sale, nothing is charged."""
        child_void_tx = super()._send_void_request(amount_to_void=amount_to_void)
        if self.provider_code != "cielo_br":
            return child_void_tx
        data = self._cielo_br_update_sale(const.VOID_ENDPOINT)
        if data.get("Status") == const.STATUS_VOIDED:
            self._set_canceled()
        else:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "Cielo did not cancel the payment: %(message)s",
                    message=data.get("ReasonMessage") or data.get("ReturnMessage"),
                )
            )
        return child_void_tx

    def _send_refund_request(self, amount_to_refund=None):
        """Override of `payment`: refund (part of) a captured sale, through
        Cielo's void with an amount."""
        refund_tx = super()._send_refund_request(amount_to_refund=amount_to_refund)
        if self.provider_code != "cielo_br":
            return refund_tx
        try:
            data = self._cielo_br_update_sale(const.VOID_ENDPOINT, -refund_tx.amount)
        except CieloBrUnavailableError:
            # The refund may have been made: the operator checks the sale at Cielo
            # before refunding again, never automatically.
            refund_tx._set_pending(
                state_message=_(
                    "Cielo's answer was lost: check the sale at Cielo before "
                    "refunding again."
                )
            )
            return refund_tx
        refund_tx.provider_reference = self.provider_reference
        if data.get("ReasonCode") == const.REASON_SUCCESSFUL and data.get("Status") in (
            const.STATUS_PAYMENT_CONFIRMED,
            const.STATUS_VOIDED,
            const.STATUS_REFUNDED,
        ):
            refund_tx._set_done()
        else:
            refund_tx._set_error(
                const.ERROR_PREFIX
                + _(
                    "Cielo did not refund the payment: %(message)s",
                    message=data.get("ReasonMessage") or data.get("ReturnMessage"),
                )
            )
        return refund_tx
