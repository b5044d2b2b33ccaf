# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines because an Inter charge has a long life, all of it on the
# transaction: issuing (asynchronous at Inter, with its duplicate and rate rules),
# the notification and the polling that bring its status, cancellation, and the
# boleto's pages. Payer mapping, the digitable line and error bodies are in
# `utils.py`; the HTTP door and credentials in `payment_provider.py`.

import base64
import logging
import re
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_round, format_amount

from odoo.addons.payment_br_base.utils import qr_code_data_uri

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

PROCESS_URL = "/payment/inter_br/process"


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    inter_br_seu_numero = fields.Char(
        string="Inter Reference (seuNumero)",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    inter_br_situacao = fields.Char(
        string="Inter Charge Status", readonly=True, copy=False
    )
    inter_br_due_date = fields.Date(string="Boleto Due Date", readonly=True, copy=False)
    inter_br_digitable_line = fields.Char(
        string="Digitable Line", readonly=True, copy=False
    )
    inter_br_barcode = fields.Char(string="Barcode", readonly=True, copy=False)
    inter_br_pix_code = fields.Char(
        string="PIX Copy and Paste", readonly=True, copy=False
    )
    inter_br_retry_needed = fields.Boolean(
        string="Charge To Issue Again",
        help="The bank could not be reached when issuing the charge; it is retried "
        "from the status page and by the scheduled action.",
        readonly=True,
        copy=False,
    )
    inter_br_issue_attempted = fields.Boolean(
        string="Issue Attempted At Inter", readonly=True, copy=False
    )
    inter_br_last_poll = fields.Datetime(
        string="Last Check At Inter", readonly=True, copy=False
    )
    inter_br_cancel_requested = fields.Boolean(
        string="Cancellation Requested At Inter",
        help="Inter takes a cancellation into account later: the transaction is "
        "cancelled when the bank reports the charge as cancelled.",
        readonly=True,
        copy=False,
    )

    # === PAYMENT FLOW === #

    def _get_specific_processing_values(self, processing_values):
        """Override of `payment` to check the payer's data before calling the bank.

        Note: self.ensure_one() from `_get_processing_values`.

        :param dict processing_values: The generic processing values of the transaction.
        :return: The dict of provider-specific processing values.
        :rtype: dict
        :raise ValidationError: If the payer's address or CPF/CNPJ is missing/invalid.
        """
        res = super()._get_specific_processing_values(processing_values)
        if self.provider_code != "inter_br":
            return res
        # Both raise a clear message; no request is sent.
        self._inter_br_check_amount()
        inter_utils.prepare_payer(self.partner_id)
        return res

    def _get_specific_rendering_values(self, processing_values):
        """Override of `payment` to return Banco Inter-specific rendering values.

        The redirect form posts to our controller, which issues the charge once the
        transaction is saved, then shows the boleto on the status page.

        Note: self.ensure_one() from `_get_rendering_values`.

        :param dict processing_values: The generic and specific processing values.
        :return: The dict of provider-specific rendering values.
        :rtype: dict
        """
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "inter_br":
            return res
        return self._br_redirect_form_values(
            PROCESS_URL, self._inter_br_get_access_token()
        )

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment` to find the transaction from Banco Inter's data.

        :param str provider_code: The code of the provider that handled the transaction.
        :param dict notification_data: A webhook item or `{"codigoSolicitacao": ...}`.
        :return: The transaction if found.
        :rtype: recordset of `payment.transaction`
        :raise ValidationError: If the data match no transaction.
        """
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "inter_br" or len(tx) == 1:
            return tx
        tx = self._inter_br_search_from_notification(notification_data)
        if not tx:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "No transaction found matching the charge %(charge)s.",
                    charge=notification_data.get("codigoSolicitacao")
                    or notification_data.get("seuNumero"),
                )
            )
        return tx

    @api.model
    def _inter_br_search_from_notification(self, notification_data):
        """Return the transaction of a charge, by Inter's id or by our `seuNumero`."""
        codigo = notification_data.get("codigoSolicitacao")
        seu_numero = notification_data.get("seuNumero")
        tx = self.browse()
        if codigo:
            tx = self.search(
                [
                    ("provider_code", "=", "inter_br"),
                    ("provider_reference", "=", codigo),
                ],
                limit=1,
            )
        if not tx and seu_numero:
            tx = self.search(
                [
                    ("provider_code", "=", "inter_br"),
                    ("inter_br_seu_numero", "=", seu_numero),
                ],
                limit=1,
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment` to process the transaction based on Banco Inter's data.

        The notification is only a hint: the charge is always read back from the API,
        and its `situacao` there decides the state.

        Note: self.ensure_one() from `_process_notification_data`.

        :param dict notification_data: A webhook item or `{"codigoSolicitacao": ...}`.
        :return: None
        :raise ValidationError: If the charge cannot be read or does not match.
        """
        super()._process_notification_data(notification_data)
        if self.provider_code != "inter_br":
            return
        codigo = self.provider_reference or notification_data.get("codigoSolicitacao")
        if not codigo:
            raise ValidationError(
                const.ERROR_PREFIX + _("Received data with missing charge id.")
            )
        charge = self._inter_br_fetch_charge(codigo)
        seu_numero = charge.get("cobranca", {}).get("seuNumero")
        if (
            self.inter_br_seu_numero
            and seu_numero
            and seu_numero != self.inter_br_seu_numero
        ):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "The charge %(charge)s does not belong to the transaction"
                    " %(reference)s.",
                    charge=codigo,
                    reference=self.reference,
                )
            )
        self.provider_reference = codigo
        self._inter_br_apply_charge(charge)

    # === CHARGE ISSUE === #

    def _inter_br_get_access_token(self):
        """Return the token that grants access to this transaction's boleto pages."""
        return self._br_access_token("payment_inter_br")

    def _inter_br_check_access_token(self, access_token):
        return self._br_check_access_token(access_token, "payment_inter_br")

    def _inter_br_get_seu_numero(self):
        """Return our reference on the charge: the transaction reference when it fits in
        15 characters, else its start followed by the transaction id."""
        self.ensure_one()
        reference = re.sub(r"\s+", "", self.reference or "")
        if len(reference) <= const.SEU_NUMERO_MAX_LENGTH:
            return reference
        suffix = f"-{self.id}"
        return reference[: const.SEU_NUMERO_MAX_LENGTH - len(suffix)] + suffix

    def _inter_br_check_amount(self):
        """Refuse, before any request, an amount that Inter does not accept."""
        self.ensure_one()
        if not self.provider_id._inter_br_amount_allowed(self.amount, self.currency_id):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "A boleto must be of %(minimum)s to %(maximum)s.",
                    minimum=format_amount(
                        self.env, const.MINIMUM_AMOUNT, self.currency_id
                    ),
                    maximum=format_amount(
                        self.env, const.MAXIMUM_AMOUNT, self.currency_id
                    ),
                )
            )

    def _inter_br_get_due_date(self):
        """Return the due date of the charge, from the document being paid, never in
        the past:

        - invoices: their (earliest) due date;
        - sale orders (e.g. a signup's): the order date, the day the first payment is
          due (a signup's first invoice is due on the signup day); a quotation dated
          ahead keeps its date;
        - otherwise (or when those dates are past): in the provider's number of days.

        Once a charge was attempted, its due date is kept (while not past): a retry
        must send the same charge, which Inter refuses as a duplicate instead of
        issuing a second one.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        if (
            self.inter_br_issue_attempted
            and self.inter_br_due_date
            and self.inter_br_due_date >= today
        ):
            return self.inter_br_due_date
        due_dates = [d for d in self.invoice_ids.mapped("invoice_date_due") if d]
        if due_dates:
            if min(due_dates) >= today:
                return min(due_dates)
        elif "sale_order_ids" in self._fields and self.sale_order_ids:
            order_dates = [
                fields.Datetime.context_timestamp(self, d).date()
                for d in self.sale_order_ids.mapped("date_order")
                if d
            ]
            if order_dates:
                return max(min(order_dates), today)
        return today + timedelta(days=max(self.provider_id.inter_br_due_days, 0))

    def _inter_br_prepare_charge_payload(self):
        """Return the body of `POST /cobranca/v3/cobrancas`."""
        self.ensure_one()
        provider = self.provider_id
        self._inter_br_check_amount()
        payload = {
            "seuNumero": self.inter_br_seu_numero or self._inter_br_get_seu_numero(),
            "valorNominal": float_round(self.amount, 2),
            "dataVencimento": self._inter_br_get_due_date().isoformat(),
            "numDiasAgenda": provider.inter_br_days_to_cancel,
            "pagador": inter_utils.prepare_payer(self.partner_id),
            "mensagem": {"linha1": (self.reference or "")[: const.MESSAGE_LINE_MAX]},
        }
        if provider.inter_br_fine_percent:
            payload["multa"] = {
                "codigo": const.FINE_CODE_PERCENT,
                "taxa": provider.inter_br_fine_percent,
            }
        if provider.inter_br_interest_percent:
            payload["mora"] = {
                "codigo": const.INTEREST_CODE_MONTHLY_RATE,
                "taxa": provider.inter_br_interest_percent,
            }
        return payload

    def _inter_br_find_issued_charge(self):
        """Return the id of a charge issued earlier with our `seuNumero` (its answer may
        have been lost), so that a retry never issues a second charge."""
        self.ensure_one()
        start = fields.Date.to_date(self.create_date) - timedelta(days=1)
        result = self.provider_id._inter_br_make_request(
            const.CHARGES_ENDPOINT,
            params={
                "dataInicial": start.isoformat(),
                "dataFinal": (
                    fields.Date.context_today(self) + timedelta(days=1)
                ).isoformat(),
                "filtrarDataPor": const.LIST_FILTER_BY_ISSUE_DATE,
                "seuNumero": self.inter_br_seu_numero,
            },
        )
        for item in result.get("cobrancas") or []:
            charge = item.get("cobranca", item)
            if (
                charge.get("seuNumero") == self.inter_br_seu_numero
                and charge.get("situacao")
                not in const.TRANSACTION_STATUS_MAPPING["cancel"]
            ):
                return charge.get("codigoSolicitacao")
        return False

    def _inter_br_issue_charge(self):
        """Issue the boleto with PIX at Inter, once, and set the transaction pending.

        :return: None
        :raise InterBrUnavailableError: If the bank is down or slow (retry later).
        :raise ValidationError: If the payer's data are incomplete or the bank refuses.
        """
        self.ensure_one()
        if (
            self.provider_code != "inter_br"
            or self.provider_reference
            or self.state != "draft"
        ):
            return
        if not self._br_lock_nowait():
            return  # Being issued by another request or the scheduled action.
        payload = self._inter_br_prepare_charge_payload()  # Checks the payer first.
        if not self.inter_br_seu_numero:
            self.inter_br_seu_numero = payload["seuNumero"]
        provider = self.provider_id
        retrying = self.inter_br_issue_attempted
        codigo = retrying and self._inter_br_find_issued_charge()
        if not codigo:
            # Saved before the call: a retry sends the same charge (same due date).
            self.write(
                {
                    "inter_br_issue_attempted": True,
                    "inter_br_due_date": payload["dataVencimento"],
                }
            )
            self.env.flush_all()
            _logger.info(
                "Issuing Banco Inter charge for transaction %s", self.reference
            )
            try:
                response = provider._inter_br_make_request(
                    const.CHARGES_ENDPOINT, method="POST", payload=payload
                )
            except InterBrUnavailableError:
                raise
            except ValidationError as error:
                if retrying and self._inter_br_is_duplicate_refusal(error):
                    # Issued by the attempt whose answer was lost, and not listed
                    # yet: adopt it at the next retry, never issue a second one.
                    raise InterBrUnavailableError(str(error)) from error
                raise
            codigo = response.get("codigoSolicitacao")
            if not codigo:
                raise ValidationError(
                    const.ERROR_PREFIX + _("The bank did not return the charge id.")
                )
        self.write({"provider_reference": codigo, "inter_br_retry_needed": False})
        self._set_pending()
        try:
            self._inter_br_apply_charge(self._inter_br_fetch_charge(codigo))
        except ValidationError:
            # The charge is issued; its boleto data come with the webhook or the poll.
            _logger.info("Boleto data of %s not available yet", self.reference)
        if not self.inter_br_digitable_line:
            # Registration at Inter is asynchronous: read the charge again soon.
            self.env.ref("payment_inter_br.ir_cron_inter_br_poll")._trigger(
                fields.Datetime.now()
                + timedelta(seconds=const.REGISTRATION_CHECK_DELAY)
            )

    @api.model
    def _inter_br_is_duplicate_refusal(self, error):
        """Whether the bank refused a charge as a copy of one issued less than 30
        minutes ago (same seuNumero, valorNominal, dataVencimento and cpfCnpj)."""
        message = str(error).lower()
        return any(marker in message for marker in const.DUPLICATE_REFUSAL_MARKERS)

    def _inter_br_try_issue_charge(self, raise_rate_limit=False):
        """Issue the charge; when the bank is unavailable, keep the transaction as draft
        with a retry message instead of losing it. Other refusals set it in error.

        :param bool raise_rate_limit: Raise `InterBrRateLimitedError` (after keeping the
                                      transaction for a retry), so that a batch stops.
        :return: Whether the charge is issued.
        :rtype: bool
        """
        self.ensure_one()
        try:
            self._inter_br_issue_charge()
        except InterBrUnavailableError as error:
            if isinstance(error, InterBrConfigurationError):
                _logger.warning(
                    "Banco Inter: transaction %s kept for a retry: %s",
                    self.reference,
                    error,
                )
                message = _(
                    "Your boleto cannot be issued right now. Your request is saved: try"
                    " again later."
                )
            else:
                message = _(
                    "The bank could not be reached to issue your boleto. Your"
                    " request is saved: try again in a few minutes."
                )
            self.write({"inter_br_retry_needed": True, "state_message": message})
            if raise_rate_limit and isinstance(error, InterBrRateLimitedError):
                raise
            return False
        except ValidationError as error:
            self._set_error(str(error))
            return False
        return bool(self.provider_reference)

    # === HOOKS OF payment_br_base === #

    def _br_issue_charge(self):
        """Override of `payment_br_base`: issue the boleto (kept for a retry when
        the bank cannot be reached)."""
        if self.provider_code != "inter_br":
            return super()._br_issue_charge()
        return self._inter_br_try_issue_charge()

    def _br_get_charge_url(self):
        """Override of `payment_br_base`: the boleto's status page."""
        if self.provider_code != "inter_br":
            return super()._br_get_charge_url()
        return self._inter_br_get_boleto_url()

    def _br_get_expiry_date(self):
        """Override of `payment_br_base`: the boleto's due date."""
        if self.provider_code != "inter_br":
            return super()._br_get_expiry_date()
        return self.inter_br_due_date

    def _br_cancel_charge(self, reason):
        """Override of `payment_br_base`: cancel the boleto at Inter (Inter confirms
        later, by the webhook or the poll)."""
        if self.provider_code != "inter_br":
            return super()._br_cancel_charge(reason)
        return self._inter_br_cancel_charge(reason)

    # === CHARGE FOLLOW-UP === #

    def _inter_br_fetch_charge(self, codigo=None):
        """Read the charge back from the API."""
        self.ensure_one()
        codigo = codigo or self.provider_reference
        return self.provider_id._inter_br_make_request(
            f"{const.CHARGES_ENDPOINT}/{codigo}"
        )

    def _inter_br_apply_charge(self, charge):
        """Store the boleto data read from the API and update the state from its
        `situacao`. A payment below the amount due is never confirmed."""
        self.ensure_one()
        cobranca = charge.get("cobranca") or {}
        boleto = charge.get("boleto") or {}
        pix = charge.get("pix") or {}
        situacao = cobranca.get("situacao")
        vals = {"inter_br_last_poll": fields.Datetime.now()}
        if situacao:
            vals["inter_br_situacao"] = situacao
        for fname, value in (
            (
                "inter_br_digitable_line",
                re.sub(r"\D", "", boleto.get("linhaDigitavel") or ""),
            ),
            ("inter_br_barcode", boleto.get("codigoBarras")),
            ("inter_br_pix_code", pix.get("pixCopiaECola")),
            ("inter_br_due_date", cobranca.get("dataVencimento")),
        ):
            if value:
                vals[fname] = value
        self.write(vals)

        mapping = const.TRANSACTION_STATUS_MAPPING
        if situacao in mapping["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif situacao in mapping["done"]:
            received = cobranca.get("valorTotalRecebido")
            if received in (None, "") and situacao == const.STATUS_MARKED_RECEIVED:
                received = cobranca.get("valorNominal")
            try:
                received = float(received)
            except (TypeError, ValueError):
                received = 0.0
            if float_compare(received, self.amount, precision_digits=2) < 0:
                _logger.warning(
                    "Banco Inter charge %s of transaction %s received %s instead of %s;"
                    " not confirmed",
                    self.provider_reference,
                    self.reference,
                    received,
                    self.amount,
                )
                self.state_message = _(
                    "The bank reports %(received)s received instead of %(amount)s; the"
                    " payment must be checked by hand.",
                    received=received,
                    amount=self.amount,
                )
                return
            if self._set_done():
                # Post-process (payment, invoice paid) soon rather than at the next run.
                self.env.ref("payment.cron_post_process_payment_tx")._trigger()
        elif situacao in mapping["cancel"]:
            self._set_canceled(
                state_message=_(
                    "The boleto is %(status)s at the bank.", status=situacao
                )
            )
        elif situacao in mapping["error"]:
            self._set_error(
                const.ERROR_PREFIX + _("The bank could not issue the boleto.")
            )
        else:
            _logger.warning(
                "Banco Inter charge of transaction %s has an unknown status: %s",
                self.reference,
                situacao,
            )

    def _inter_br_cancel_charge(self, reason):
        """Ask Inter to cancel the charge (`/cancelar`).

        Inter answers 202 and cancels later: the transaction stays pending (it can
        still be paid meanwhile) until the bank reports the charge as cancelled, by the
        webhook or the poll. A transaction without charge is cancelled at once.
        """
        self.ensure_one()
        if self.provider_code != "inter_br" or self.state not in ("draft", "pending"):
            return
        if not self.provider_reference:
            self._set_canceled(state_message=reason)
            return
        if self.inter_br_cancel_requested:
            return
        self.provider_id._inter_br_make_request(
            f"{const.CHARGES_ENDPOINT}/{self.provider_reference}/cancelar",
            method="POST",
            payload={"motivoCancelamento": reason[: const.CANCEL_REASON_MAX_LENGTH]},
        )
        self.write(
            {
                "inter_br_cancel_requested": True,
                "state_message": _(
                    "Cancellation requested at the bank (%(reason)s); the boleto is"
                    " cancelled when the bank confirms it.",
                    reason=reason,
                ),
            }
        )

    def _inter_br_is_expired(self):
        """Whether the charge is past its due date plus the days until cancellation."""
        self.ensure_one()
        if not self.inter_br_due_date:
            return False
        limit = self.inter_br_due_date + timedelta(
            days=self.provider_id.inter_br_days_to_cancel
        )
        return limit < fields.Date.context_today(self)

    @api.model
    def _cron_inter_br_poll(self, batch_size=None):
        """Fallback for lost webhooks: check pending charges at Inter, issue again the
        charges that the bank could not take, cancel expired or abandoned charges.

        Inter limits the calls per minute (`const.RATE_LIMIT_CHARGES`): each run uses a
        share of one minute's calls per provider, stops at the first rate-limited call
        (nothing fails: the transaction is handled at the next run) and runs again a
        minute later while transactions remain.

        :param int batch_size: At most this many transactions of each kind per provider
                               and run (default: what the rate limit allows).
        """
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search([("code", "=", "inter_br"), ("state", "in", ("enabled", "test"))])
        )
        remaining = False
        for provider in providers:
            remaining |= self._inter_br_poll_provider(provider, batch_size)
        if remaining:
            self.env.ref("payment_inter_br.ir_cron_inter_br_poll")._trigger(
                fields.Datetime.now() + timedelta(seconds=const.RATE_LIMIT_WINDOW)
            )

    @api.model
    def _inter_br_poll_provider(self, provider, batch_size=None):
        """Run the poll for one provider within its share of the per-minute limit.

        :return: Whether transactions remain for a next run.
        :rtype: bool
        """
        budget = int(
            const.RATE_LIMIT_CHARGES.get(provider.state, 0) * const.POLL_RATE_SHARE
        )
        limit = min(batch_size or budget, budget)
        base_domain = [("provider_id", "=", provider.id)]
        to_issue_domain = base_domain + [
            ("state", "=", "draft"),
            ("inter_br_retry_needed", "=", True),
        ]
        pending_domain = base_domain + [
            ("state", "=", "pending"),
            ("provider_reference", "!=", False),
        ]
        to_issue = self.search(
            to_issue_domain,
            limit=min(limit, budget // const.CALLS_PER_ISSUE),
            order="id",
        )
        try:
            for tx in to_issue:
                budget -= const.CALLS_PER_ISSUE
                tx._inter_br_try_issue_charge(raise_rate_limit=True)
            pending = self.browse()
            if budget > 0:  # (`limit=0` would mean no limit)
                pending = self.search(
                    pending_domain,
                    limit=min(limit, budget),
                    order="inter_br_last_poll asc nulls first, id",
                )
            for tx in pending:
                if budget <= 0:
                    break
                budget -= 1
                cancel_requested = tx.inter_br_cancel_requested
                try:
                    with self.env.cr.savepoint():
                        tx._inter_br_poll_one()
                except InterBrRateLimitedError:
                    raise
                except ValidationError:
                    _logger.info(
                        "Banco Inter: could not check transaction %s", tx.reference
                    )
                    tx.inter_br_last_poll = fields.Datetime.now()
                if tx.inter_br_cancel_requested != cancel_requested:
                    budget -= 1
        except InterBrRateLimitedError:
            _logger.info(
                "Banco Inter: rate limit reached while polling; resuming in a minute"
            )
            return True
        return bool(
            self.search_count(to_issue_domain + [("id", "not in", to_issue.ids)])
            or self.search_count(
                pending_domain
                + [
                    "|",
                    ("inter_br_last_poll", "=", False),
                    (
                        "inter_br_last_poll",
                        "<",
                        fields.Datetime.now()
                        - timedelta(minutes=const.POLL_CYCLE_MINUTES),
                    ),
                ]
            )
        )

    def _inter_br_poll_one(self):
        """Check one pending charge; cancel it when abandoned or expired."""
        self.ensure_one()
        self._handle_notification_data(
            "inter_br", {"codigoSolicitacao": self.provider_reference}
        )
        if self.state != "pending" or self.inter_br_cancel_requested:
            return
        if self._br_invoices_settled():
            self._inter_br_cancel_charge(_("Invoice paid by other means"))
        elif self._inter_br_is_expired() and (
            self.inter_br_situacao in const.CANCELLABLE_STATUSES
        ):
            self._inter_br_cancel_charge(_("Expired"))

    # === ACTIONS === #

    def action_inter_br_refresh(self):
        """Read the charge back from Inter now."""
        for tx in self.filtered(lambda t: t.provider_code == "inter_br"):
            if tx.provider_reference:
                tx._handle_notification_data(
                    "inter_br", {"codigoSolicitacao": tx.provider_reference}
                )
            elif tx.state == "draft":
                tx._inter_br_try_issue_charge()

    def action_inter_br_cancel(self):
        """Cancel the boleto at Inter."""
        for tx in self:
            tx._inter_br_cancel_charge(_("Cancelled by the seller"))

    def action_inter_br_simulate_payment(self):
        """Sandbox only: ask Inter to simulate the payment (`/pagar`), which fires the
        webhook."""
        for tx in self.filtered(lambda t: t.provider_code == "inter_br"):
            if tx.provider_id.state != "test":
                raise ValidationError(
                    _("Payments can only be simulated with a provider in test mode.")
                )
            tx.provider_id._inter_br_make_request(
                f"{const.CHARGES_ENDPOINT}/{tx.provider_reference}/pagar",
                method="POST",
                payload={
                    "pagarCom": const.SIMULATED_PAYMENT_WITH.get(
                        tx.payment_method_code, const.SIMULATED_PAYMENT_WITH["boleto"]
                    )
                },
            )

    # === DISPLAY === #

    def _inter_br_get_boleto_url(self):
        """Return the link to the status page of this boleto, usable without session
        (e-mails, thank-you pages)."""
        self.ensure_one()
        token = self._inter_br_get_access_token()
        return f"/payment/inter_br/boleto/{self.id}?access_token={token}"

    def _inter_br_get_digitable_line_display(self):
        self.ensure_one()
        return inter_utils.format_digitable_line(self.inter_br_digitable_line)

    def _inter_br_refresh_if_unregistered(self):
        """Read the charge once when its boleto is not known yet (registration at Inter
        is asynchronous); the bank being unavailable changes nothing."""
        self.ensure_one()
        if (
            self.state != "pending"
            or not self.provider_reference
            or self.inter_br_digitable_line
        ):
            return
        try:
            with self.env.cr.savepoint():
                self._handle_notification_data(
                    "inter_br", {"codigoSolicitacao": self.provider_reference}
                )
        except ValidationError:
            _logger.info("Boleto data of %s not available yet", self.reference)

    def _inter_br_get_pdf_url(self):
        self.ensure_one()
        token = self._inter_br_get_access_token()
        return f"/payment/inter_br/pdf/{self.id}?access_token={token}"

    def _inter_br_get_pix_qr_data_uri(self):
        """Return the PIX copy-and-paste code as a QR image (data URI)."""
        self.ensure_one()
        return self.inter_br_pix_code and qr_code_data_uri(self.inter_br_pix_code)

    def _inter_br_get_pdf(self):
        """Return the boleto PDF (bytes) fetched from Inter."""
        self.ensure_one()
        result = self.provider_id._inter_br_make_request(
            f"{const.CHARGES_ENDPOINT}/{self.provider_reference}/pdf"
        )
        if not result.get("pdf"):
            raise ValidationError(const.ERROR_PREFIX + _("The bank sent no PDF."))
        return base64.b64decode(result["pdf"])
