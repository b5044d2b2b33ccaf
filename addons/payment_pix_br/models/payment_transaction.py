# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines: a static BR Code and a dynamic charge at a PSP share one
# transaction flow (code, page, confirmation, polling, removal, payment_br_base hooks).

import hashlib
import logging
import re
from datetime import datetime, timezone
from decimal import Decimal

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.payment_br_base.utils import qr_code_data_uri

from .. import const
from ..tools import (
    bacen_client,
    brcode,
    cob as cob_tools,
)

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    pix_br_txid = fields.Char(
        string="PIX txid",
        help="The transaction identifier in the BR Code; the receiver's bank shows it "
        "on the credit, which helps to match the bank statement.",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    pix_br_code = fields.Char(
        string="BR Code (copy and paste)", readonly=True, copy=False
    )
    pix_br_mode = fields.Selection(related="provider_id.pix_br_mode")
    pix_br_last_poll = fields.Datetime(
        string="Last Check At The PSP", readonly=True, copy=False
    )
    pix_br_confirmed_by = fields.Selection(
        string="PIX Confirmed By",
        selection=[
            (const.CONFIRMED_BY_OPERATOR, "Operator"),
            (const.CONFIRMED_BY_RECONCILIATION, "Bank Reconciliation"),
        ],
        readonly=True,
        copy=False,
    )
    pix_br_received_uid = fields.Many2one(
        string="PIX Received Confirmed By",
        comodel_name="res.users",
        readonly=True,
        copy=False,
    )
    pix_br_received_date = fields.Datetime(
        string="PIX Received Confirmed On", readonly=True, copy=False
    )

    # === PAYMENT FLOW === #

    def _get_specific_rendering_values(self, processing_values):
        """Override of `payment` to return PIX-specific rendering values.

        The redirect form posts to our controller, which makes the BR Code and sets the
        transaction pending, then shows it on the status page.

        Note: self.ensure_one() from `_get_rendering_values`.

        :param dict processing_values: The generic and specific processing values.
        :return: The dict of provider-specific rendering values.
        :rtype: dict
        """
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "pix_br":
            return res
        return self._br_redirect_form_values(
            const.PROCESS_ROUTE, self._pix_br_get_access_token()
        )

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment` to find the transaction from its reference.

        :param str provider_code: The code of the provider that handled the transaction.
        :param dict notification_data: `{"reference": ...}`.
        :return: The transaction if found.
        :rtype: recordset of `payment.transaction`
        :raise ValidationError: If the data match no transaction.
        """
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "pix_br" or len(tx) == 1:
            return tx
        reference = notification_data.get("reference")
        txid = notification_data.get("txid")
        tx = self.browse()
        if reference or txid:
            tx = self.search(
                [
                    ("provider_code", "=", "pix_br"),
                    ("reference", "=", reference)
                    if reference
                    else ("pix_br_txid", "=", txid),
                ],
                limit=1,
            )
        if not tx:
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "No transaction found matching reference %(reference)s.",
                    reference=reference or txid,
                )
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment` to make the BR Code and set the transaction pending.

        The payer pays with their bank's app; nothing tells us when: the transaction
        stays pending until the operator marks it received or the invoice is paid by
        bank reconciliation.

        Note: self.ensure_one() from `_process_notification_data`.

        A dynamic PIX is a charge made at the PSP instead, whose status is read back
        from the PSP on each notification (`{"txid": ...}`, a hint).

        :param dict notification_data: `{"reference": ...}` or `{"txid": ...}`.
        :return: None
        :raise ValidationError: If the PSP refuses or its charge does not match.
        """
        super()._process_notification_data(notification_data)
        if self.provider_code != "pix_br":
            return
        if self.state not in ("draft", "pending"):
            return
        if self.currency_id.name not in const.SUPPORTED_CURRENCIES:
            raise ValidationError(
                const.ERROR_PREFIX + _("A BR Code can only carry Brazilian reais.")
            )
        if self.provider_id._pix_br_is_dynamic():
            if self.pix_br_code:
                self._pix_br_apply_cob(
                    self.provider_id._pix_br_call("get_cob", self.pix_br_txid)
                )
            else:
                self._pix_br_create_cob()
            return
        if not self.pix_br_code:
            txid = self._pix_br_compute_txid()
            self.write(
                {
                    "pix_br_txid": txid,
                    "pix_br_code": self.provider_id._pix_br_build_code(
                        amount=self.amount, txid=txid
                    ),
                }
            )
        self._set_pending()

    def _log_received_message(self):
        """Override of `payment` to not log the customer's choice as a receipt."""
        other_provider_txs = self.filtered(lambda t: t.provider_code != "pix_br")
        return super(PaymentTransaction, other_provider_txs)._log_received_message()

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment` to create no payment when the invoices were
        paid by bank reconciliation: the reconciled statement line is the payment."""
        if (
            self.provider_code == "pix_br"
            and self.pix_br_confirmed_by == const.CONFIRMED_BY_RECONCILIATION
        ):
            return self.env["account.payment"]
        return super()._create_payment(**extra_create_values)

    # === BR CODE === #

    def _pix_br_compute_txid(self):
        """Return the txid of the BR Code: the reference's letters and digits (at most
        25); when they are too long or already used, their start and the id."""
        self.ensure_one()
        txid = re.sub(r"[^A-Za-z0-9]", "", self.reference or "")
        taken = bool(txid) and self.search_count(
            [("pix_br_txid", "=", txid), ("id", "!=", self.id)], limit=1
        )
        if not txid or taken or len(txid) > brcode.TXID_STATIC_MAX:
            suffix = f"T{self.id}"
            txid = txid[: brcode.TXID_STATIC_MAX - len(suffix)] + suffix
        return txid

    def _pix_br_get_access_token(self):
        """Return the token granting access to this transaction's PIX page.

        It is `payment.utils.generate_access_token(tx.id, tx.reference)`, computed here
        without a request so that e-mails and tests can build the link as well.
        """
        return self._br_access_token("generate_access_token")

    def _pix_br_get_page_url(self):
        """Return the stable link to the transaction's PIX page."""
        self.ensure_one()
        return (
            f"{const.PAGE_ROUTE}/{self.id}"
            f"?access_token={self._pix_br_get_access_token()}"
        )

    def _pix_br_get_qr_data_uri(self):
        """Return the BR Code as a QR image (data URI)."""
        self.ensure_one()
        if not self.pix_br_code:
            return False
        return qr_code_data_uri(
            self.pix_br_code, box_size=const.QR_BOX_SIZE, border=const.QR_BORDER
        )

    # === HOOKS OF payment_br_base === #

    def _br_issue_charge(self):
        """Override of `payment_br_base`: make the BR Code (at the PSP for a
        dynamic PIX) and set the transaction pending, as the payment page does.

        A PSP that cannot be reached, or whose answer was lost, may have made the
        charge: the transaction stays draft for a retry, which asks for the same
        txid and so finds that charge rather than making a second one. A refusal
        sets it in error."""
        if self.provider_code != "pix_br":
            return super()._br_issue_charge()
        try:
            with self.env.cr.savepoint():
                self._handle_notification_data("pix_br", {"reference": self.reference})
        except ValidationError as error:  # a dynamic PIX the PSP could not make
            _logger.info("PIX of %s not made: %s", self.reference, error)
            if isinstance(error.__cause__, bacen_client.BacenPixUnavailable):
                self.state_message = _(
                    "Your PIX code cannot be made right now: the bank did not answer."
                    " Your request is saved: try again in a few minutes."
                )
            else:
                self._set_error(str(error))
        return self.state == "pending"

    def _br_get_charge_url(self):
        """Override of `payment_br_base`: the PIX page."""
        if self.provider_code != "pix_br":
            return super()._br_get_charge_url()
        return self._pix_br_get_page_url()

    def _br_cancel_charge(self, reason):
        """Override of `payment_br_base`: a dynamic PIX is removed at the PSP first,
        so that the charge of a closed contract cannot be paid any more; a static
        PIX (no PSP) is only cancelled here.

        A draft dynamic PIX has no txid here, but the PSP may hold its charge (the
        answer to its creation was lost): it is removed by the txid it would have.

        :raise ValidationError: If the PSP cannot be reached or refuses to remove a
                                charge still ATIVA there (nothing changes: the caller
                                tries again later).
        """
        if (
            self.provider_code != "pix_br"
            or self.state not in ("draft", "pending")
            or not (self.pix_br_txid or self.state == "draft")
            or not self.provider_id._pix_br_is_dynamic()
        ):
            return super()._br_cancel_charge(reason)
        if self._pix_br_remove_cob():
            return super()._br_cancel_charge(reason)
        return None

    # === DYNAMIC PIX === #

    def _pix_br_cob_txid(self):
        """Return the txid of this transaction's charge at the PSP: the same on every
        attempt, so that a retry after a lost answer asks for the charge already made
        (the PSP refuses a txid twice) instead of making a second one.

        32 letters and digits (BACEN: `[a-zA-Z0-9]{26,35}`) hashed from the
        database's uuid, the id, the reference and the creation time: two
        databases sharing one PSP account never ask for the same txid, nor does a
        transaction made again with the same id and reference after a backup was
        restored.
        """
        self.ensure_one()
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        created = fields.Datetime.to_string(self.create_date)
        seed = f"{db_uuid}|{self.id}|{self.reference}|{created}".encode()
        return hashlib.sha256(seed).hexdigest()[: const.COB_TXID_LENGTH]

    def _pix_br_remove_cob(self):
        """Remove the charge at the PSP (`PATCH /cob/{txid}`); return whether it is
        removed there, so that the transaction can be cancelled here.

        The PSP refuses to remove a charge that is no longer ATIVA: it is then read
        back. Paid (CONCLUIDA) meanwhile, its payment is applied and the
        transaction is not cancelled; already removed (an earlier answer lost), it
        is cancelled. A draft transaction without txid asks by the txid its charge
        would have: unknown at the PSP (`CobNaoEncontrado`), nothing was made.
        """
        self.ensure_one()
        # A worker making or reading this charge right now: try again later rather
        # than wait for it (the caller runs in a savepoint and retries).
        if not self._br_lock_nowait():
            raise ValidationError(
                const.ERROR_PREFIX
                + _("The PIX charge is in use right now: cancel it again later.")
            )
        provider = self.provider_id
        txid = self.pix_br_txid or self._pix_br_cob_txid()
        try:
            cob = provider._pix_br_call("remove_cob", txid)
        except ValidationError as error:
            cause = error.__cause__
            if isinstance(cause, bacen_client.BacenPixUnavailable):
                raise
            if not self.pix_br_txid and getattr(cause, "status", None) == 404:
                _logger.info("No PIX charge of %s at the PSP", self.reference)
                return True
            _logger.info(
                "The PSP refused to remove the PIX charge of %s; reading it back",
                self.reference,
            )
            cob = provider._pix_br_call("get_cob", txid)
            if cob.get("status") == const.COB_STATUS_ACTIVE:
                raise  # still payable: the refusal stands
        if cob.get("txid") != txid:
            raise ValidationError(
                const.ERROR_PREFIX + _("The PSP answered about another charge.")
            )
        if not self.pix_br_txid:  # the charge whose creation answer was lost
            self.write({"pix_br_txid": txid, "provider_reference": txid})
        status = cob.get("status")
        if status in const.COB_STATUS_MAPPING["cancel"]:
            return True
        if status in const.COB_STATUS_MAPPING["done"]:
            _logger.info("PIX charge of %s paid before its removal", self.reference)
            self._pix_br_apply_cob(cob)
            return False
        raise ValidationError(
            const.ERROR_PREFIX
            + _(
                "The PSP did not remove the PIX charge (status %(status)s).",
                status=status,
            )
        )

    def _pix_br_create_cob(self):
        """Make the charge at the PSP (`PUT /cob/{txid}`), put its location in the BR
        Code and set the transaction pending.

        The txid is this transaction's own: when the PSP refuses it as already used,
        or its answer is lost, the charge made by an earlier attempt is read back
        and, when it is ours (same key and amount), taken as this one's.
        """
        self.ensure_one()
        # Two submissions at once: the second waits here, then fails to serialize
        # and is retried by Odoo, finding the charge made; none is made twice.
        self.env.cr.execute(
            SQL("SELECT 1 FROM payment_transaction WHERE id = %s FOR UPDATE", self.id)
        )
        provider = self.provider_id
        txid = self._pix_br_cob_txid()
        body = {
            "calendario": {
                "expiracao": provider.pix_br_expiry or const.COB_EXPIRY_DEFAULT
            },
            "valor": {"original": brcode.format_amount(self.amount)},
            "chave": provider.pix_br_key,
            "solicitacaoPagador": self.reference[: const.PAYER_REQUEST_MAX_LENGTH],
        }
        partner = self.partner_id
        if not partner.vat and partner.commercial_partner_id.vat:
            partner = partner.commercial_partner_id
        debtor = cob_tools.debtor(partner.vat, partner.name)
        if debtor:
            body["devedor"] = debtor
        try:
            cob = provider._pix_br_call("put_cob", txid, body)
        except ValidationError as error:
            cob = self._pix_br_find_cob(txid, body, error)
        location = (cob.get("loc") or {}).get("location") or cob.get("location")
        if cob.get("txid") != txid or not location:
            raise ValidationError(
                const.ERROR_PREFIX + _("The PSP's answer holds no charge location.")
            )
        try:
            code = brcode.build(
                url=re.sub(r"^https?://", "", location),
                name=provider.pix_br_receiver_name,
                city=provider.pix_br_receiver_city,
                amount=self.amount,
            )
        except ValueError as error:
            raise ValidationError(
                const.ERROR_PREFIX
                + _("The BR Code cannot be made: %(error)s", error=error)
            ) from error
        self.write(
            {"pix_br_txid": txid, "pix_br_code": code, "provider_reference": txid}
        )
        self._set_pending()
        if cob.get("status") != const.COB_STATUS_ACTIVE:  # adopted: paid, removed
            self._pix_br_apply_cob(cob)

    def _pix_br_find_cob(self, txid, body, error):
        """Return the charge an earlier attempt made under `txid` (`GET /cob/{txid}`)
        after `PUT /cob/{txid}` failed with `error`: refused as already used
        (400), or its answer lost.

        :raise ValidationError: `error` when the PSP holds no such charge (the
                                refusal stands); the PSP's unavailability when it
                                cannot be read; a mismatch when the charge there is
                                not this transaction's.
        """
        cause = error.__cause__
        if not isinstance(cause, bacen_client.BacenPixUnavailable) and (
            getattr(cause, "status", None) != 400
        ):
            raise error
        _logger.info(
            "PIX charge of %s not confirmed by the PSP; reading %s back",
            self.reference,
            txid,
        )
        try:
            cob = self.provider_id._pix_br_call("get_cob", txid)
        except ValidationError as read_error:
            if isinstance(read_error.__cause__, bacen_client.BacenPixUnavailable):
                raise  # the charge may exist: unknown until a retry reads it
            raise error from cause  # none under this txid: the refusal stands
        if (
            cob.get("txid") != txid
            or cob.get("chave") != body["chave"]
            or (cob.get("valor") or {}).get("original") != body["valor"]["original"]
        ):
            raise ValidationError(
                const.ERROR_PREFIX
                + _(
                    "The PSP holds another charge under the txid %(txid)s of this"
                    " transaction.",
                    txid=txid,
                )
            )
        return cob

    def _pix_br_apply_cob(self, cob):
        """Update the state from the charge read at the PSP."""
        self.ensure_one()
        if cob.get("txid") != self.pix_br_txid:
            raise ValidationError(
                const.ERROR_PREFIX + _("The PSP answered about another charge.")
            )
        status = cob.get("status")
        if status in const.COB_STATUS_MAPPING["done"]:
            due = Decimal(brcode.format_amount(self.amount))
            if cob_tools.paid_amount(cob) < due:
                _logger.info("PIX charge of %s paid below its amount", self.reference)
                self._set_error(
                    _("The PIX received is below the amount due."),
                )
                return
            self._set_done()
        elif status in const.COB_STATUS_MAPPING["cancel"]:
            self._set_canceled(state_message=_("The charge was removed at the PSP."))
        elif status == const.COB_STATUS_ACTIVE and cob_tools.is_expired(
            cob, datetime.now(timezone.utc), const.COB_EXPIRY_DEFAULT
        ):
            self._set_canceled(state_message=_("The PIX charge expired unpaid."))

    def _cron_pix_br_poll(self, batch_size=const.POLL_BATCH_SIZE):
        """Read at the PSP the pending dynamic PIX charges (a lost webhook, an expiry
        without notice), the least recently checked first."""
        txs = self.search(
            [
                ("provider_code", "=", "pix_br"),
                ("provider_id.pix_br_mode", "=", const.MODE_DYNAMIC),
                ("state", "=", "pending"),
                ("pix_br_txid", "!=", False),
            ],
            order="pix_br_last_poll asc nulls first, id",
            limit=batch_size,
        )
        for tx in txs:
            tx.pix_br_last_poll = fields.Datetime.now()
            try:
                with self.env.cr.savepoint():
                    tx._handle_notification_data("pix_br", {"txid": tx.pix_br_txid})
            except ValidationError as error:  # The PSP is down: next run.
                _logger.info("PIX charge of %s not checked: %s", tx.reference, error)
        if len(txs) == batch_size:
            self.env.ref("payment_pix_br.ir_cron_pix_br_poll")._trigger()

    def action_pix_br_refresh(self):
        """Read the dynamic PIX charge at the PSP and update the transaction."""
        for tx in self.filtered(
            lambda t: t.provider_code == "pix_br" and t.state == "pending"
        ):
            if tx.provider_id._pix_br_is_dynamic() and tx.pix_br_txid:
                tx._handle_notification_data("pix_br", {"txid": tx.pix_br_txid})

    # === CONFIRMATION === #

    def action_pix_br_mark_received(self):
        """Confirm that the PIX was received (the operator saw it in the bank account):
        the transaction is done, and the invoice or order paid by the post-processing.
        """
        for tx in self:
            if tx.provider_code != "pix_br" or tx.state != "pending":
                raise UserError(
                    _(
                        "Only a pending PIX transaction can be marked as received"
                        " (%(reference)s).",
                        reference=tx.reference,
                    )
                )
        self._pix_br_confirm(const.CONFIRMED_BY_OPERATOR)
        # Pay the invoice or confirm the order now rather than at the next cron run;
        # the post-processing may touch orders the operator cannot write.
        self.sudo()._post_process()

    def _pix_br_confirm_by_reconciliation(self):
        """Set done the pending PIX transactions all of whose invoices are paid.

        Called when invoices become paid by a reconciliation (a bank statement line, a
        registered payment): that reconciliation is the payment, so none is created.
        """
        paid = self.filtered(
            lambda tx: tx.provider_code == "pix_br"
            and tx.state == "pending"
            and tx.invoice_ids
            and all(
                state in const.INVOICE_PAID_STATES
                for state in tx.invoice_ids.mapped("payment_state")
            )
        )
        paid._pix_br_confirm(const.CONFIRMED_BY_RECONCILIATION)

    def _pix_br_confirm(self, confirmed_by):
        if not self:
            return
        self.write(
            {
                "pix_br_confirmed_by": confirmed_by,
                "pix_br_received_uid": self.env.uid,
                "pix_br_received_date": fields.Datetime.now(),
            }
        )
        for tx in self:
            message = _(
                "The PIX of the transaction %(reference)s was confirmed as received by"
                " %(user)s (%(how)s).",
                reference=tx.reference,
                user=self.env.user.name,
                how=dict(
                    self._fields["pix_br_confirmed_by"]._description_selection(self.env)
                )[confirmed_by],
            )
            tx._log_message_on_linked_documents(message)
            _logger.info(
                "PIX transaction %s confirmed by %s (user %s)",
                tx.reference,
                confirmed_by,
                self.env.uid,
            )
        self._set_done()
