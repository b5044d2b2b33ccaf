# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    cielo_br_token_id = fields.Many2one(
        "payment.token",
        string="Card Charged Automatically",
        help="The saved card (Cielo) this invoice is charged with on its due day and "
        "on each retry.",
        readonly=True,
        copy=False,
    )
    cielo_br_charge_attempts = fields.Integer(
        string="Card Charge Attempts", readonly=True, copy=False
    )
    cielo_br_next_charge_date = fields.Date(
        string="Next Card Charge", readonly=True, copy=False
    )

    def _cielo_br_charge_with_token(self, token):
        """Charge this open customer invoice with a card saved at Cielo.

        One offline transaction (`Recurrent: true`) linked to the invoice through
        `invoice_ids`, so that every attempt is kept on the invoice. Paid: the payment
        is posted and reconciled. Declined: the invoice stays open, the member gets an
        e-mail with the invoice's portal link (pay another way, replace the card) and
        the charge is retried by the cron per the provider's schedule. A charge whose
        answer was lost is looked up at Cielo before anything is charged again.

        :param token: a `payment.token` of a Cielo provider, of the invoice's customer.
        :return: the `payment.transaction` of this attempt, or the earlier one still
            pending (its answer lost) or authorised (to capture) instead of a new one.
        :raise UserError: the invoice cannot be charged or the token does not fit.
        """
        self.ensure_one()
        token = token.sudo()
        invoice = self.sudo()
        invoice._cielo_br_check_chargeable(token)
        ongoing = invoice._cielo_br_resolve_pending()
        if ongoing:
            return ongoing
        if invoice.payment_state not in ("not_paid", "partial"):
            return invoice.transaction_ids.filtered(lambda t: t.state == "done")[-1:]
        tx_model = self.env["payment.transaction"].sudo()
        tx = tx_model.create(
            {
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": tx_model._compute_reference(
                    token.provider_id.code, invoice_ids=[Command.set(invoice.ids)]
                ),
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": invoice.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        invoice.write(
            {
                "cielo_br_token_id": token.id,
                "cielo_br_charge_attempts": invoice.cielo_br_charge_attempts + 1,
                "cielo_br_next_charge_date": False,
            }
        )
        tx._send_payment_request()
        invoice._cielo_br_after_charge(tx)
        return tx

    def _cielo_br_check_chargeable(self, token):
        self.ensure_one()
        if token.provider_id.code != "cielo_br" or not token.active:
            raise UserError(
                _("The card to charge must be an active card saved at Cielo.")
            )
        if self.move_type != "out_invoice" or self.state != "posted":
            raise UserError(
                _(
                    "Only a posted customer invoice can be charged: %(name)s.",
                    name=self.name,
                )
            )
        if token.partner_id.commercial_partner_id != self.commercial_partner_id:
            raise UserError(
                _(
                    "The card of %(owner)s cannot pay the invoice %(name)s of another "
                    "customer.",
                    owner=token.partner_id.name,
                    name=self.name,
                )
            )

    def _cielo_br_resolve_pending(self):
        """Settle the earlier attempts still waiting for Cielo (answer lost) and
        return the one that still stands in the way of a new charge, if any."""
        self.ensure_one()
        attempts = self.transaction_ids.filtered(
            lambda t: t.provider_code == "cielo_br" and t.operation == "offline"
        )
        for tx in attempts.filtered("cielo_br_answer_lost_at"):
            if tx._cielo_br_resolve_lost_answer():
                self._cielo_br_after_charge(tx)
        return attempts.filtered(
            lambda t: t.state in ("draft", "pending", "authorized")
        )[-1:]

    def _cielo_br_after_charge(self, tx):
        """Post the payment of a paid attempt; after a decline, schedule the retry
        and tell the member."""
        self.ensure_one()
        if tx.state == "done":
            tx._post_process()
            self.cielo_br_next_charge_date = False
        elif tx.state in ("error", "cancel"):
            provider = tx.provider_id
            if (
                not tx._cielo_br_decline_is_final()
                and self.cielo_br_charge_attempts < provider.cielo_br_retry_max_attempts
            ):
                self.cielo_br_next_charge_date = fields.Date.context_today(
                    self
                ) + timedelta(days=provider.cielo_br_retry_interval_days)
            else:
                self.cielo_br_next_charge_date = False
            self._cielo_br_notify_decline(tx)

    def _cielo_br_notify_decline(self, tx):
        template = self.env.ref(
            "payment_cielo_br.mail_template_cielo_br_charge_declined",
            raise_if_not_found=False,
        )
        if not template or not self.partner_id.email:
            _logger.info("No decline e-mail for %s (no template or e-mail)", self.name)
            return
        self.message_post_with_source(
            template,
            render_values={"tx": tx},
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.partner_id.ids,
        )

    def _cielo_br_retry_token(self):
        """The card to retry with: the one charged, or the newest card the member
        saved at the same provider since (a replaced card)."""
        self.ensure_one()
        token = self.cielo_br_token_id
        newest = self.env["payment.token"].search(
            [
                ("provider_id", "=", token.provider_id.id),
                ("partner_id", "child_of", self.commercial_partner_id.id),
            ],
            order="id desc",
            limit=1,
        )
        return newest if newest.id > token.id or not token.active else token

    @api.model
    def _cron_cielo_br_charge_retries(self):
        """Settle the charges whose answer was lost, then retry the declined ones
        that are due."""
        lost = self.env["payment.transaction"].search(
            [("cielo_br_answer_lost_at", "!=", False), ("invoice_ids", "!=", False)]
        )
        for invoice in lost.invoice_ids:
            invoice._cielo_br_resolve_pending()
        for tx in self.env["payment.transaction"].search(
            [("cielo_br_answer_lost_at", "!=", False), ("invoice_ids", "=", False)]
        ):
            tx._cielo_br_resolve_lost_answer()
        invoices = self.search(
            [
                ("cielo_br_next_charge_date", "<=", fields.Date.context_today(self)),
                ("cielo_br_token_id", "!=", False),
            ]
        )
        for invoice in invoices:
            if invoice.state != "posted" or invoice.payment_state not in (
                "not_paid",
                "partial",
            ):
                invoice.cielo_br_next_charge_date = False
                continue
            token = invoice._cielo_br_retry_token()
            if not token:
                invoice.cielo_br_next_charge_date = False
                continue
            invoice._cielo_br_charge_with_token(token)
