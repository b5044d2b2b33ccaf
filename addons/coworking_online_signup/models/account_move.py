# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import Command, _, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    coworking_period_start = fields.Date(
        string="Period start",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="First day of the contract period this invoice bills (billing run).",
    )
    coworking_period_end = fields.Date(string="Period end", copy=False, readonly=True)
    coworking_payment_mail_sent = fields.Boolean(copy=False, readonly=True)

    def init(self):
        """One live invoice per contract and period: a second billing run, even a
        concurrent one, cannot insert it (the unique index refuses)."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_move_coworking_period_uniq "
                "ON account_move (subscription_id, coworking_period_start) "
                "WHERE coworking_period_start IS NOT NULL "
                "AND move_type = 'out_invoice' AND state != 'cancel'"
            )
        )
        return res

    # Charging (B3)
    def _coworking_issue_charge(self):
        """Charge this open invoice with its contract's payment method.

        A contract with a saved card token is charged off-session through the
        provider's token flow (`_send_payment_request`). Otherwise nothing is
        charged here: the member pays a boleto or PIX from the invoice's payment
        link, sent by :meth:`_coworking_send_invoice_mail`. A provider failure is
        logged on the contract and never stops the billing run.

        :return: the offline transaction, if one was made
        :rtype: recordset of `payment.transaction`
        """
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        contract = self.subscription_id
        token = contract.coworking_payment_token_id
        if self.state != "posted" or self.currency_id.is_zero(self.amount_residual):
            return Transaction
        if not token.active or token.provider_id.state == "disabled":
            return self._coworking_issue_payer_charge(
                contract.coworking_signup_provider_id
            )
        provider = token.provider_id
        try:
            with self.env.cr.savepoint():
                tx = token.sudo()._br_charge_invoice(self)
        except Exception as error:  # never a second way after a failed one
            self._coworking_note_card_failure(error)
            return Transaction
        if tx:  # the provider's own way (retries of declined cards)
            return tx
        tx = Transaction.create(
            {
                "provider_id": provider.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": Transaction._compute_reference(
                    provider.code, prefix=self.name
                ),
                "amount": self.amount_residual,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "invoice_ids": [Command.set(self.ids)],
            }
        )
        try:
            with self.env.cr.savepoint():
                tx._send_payment_request()
        except Exception as error:  # a bank failure never stops a run
            tx._set_error(str(error))
            self._coworking_note_card_failure(error)
        return tx

    def _coworking_note_card_failure(self, error):
        """Log a failed charge of the saved card on the contract; the invoice stays
        open and its payment link still works."""
        self.ensure_one()
        _logger.warning("Token charge of %s failed: %s", self.name, error)
        self.subscription_id.message_post(
            body=_(
                "The saved card could not be charged for %(invoice)s: "
                "%(error)s. The member can still pay from the invoice's link.",
                invoice=self.name,
                error=str(error),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _coworking_issue_payer_charge(self, provider):
        """Issue the boleto or PIX of ``provider`` (the contract's method) for this
        invoice ahead of its due date, when the server can make it alone; the
        e-mail then links to it. A bank failure keeps the transaction for a retry
        and the invoice's own payment link still works.

        :return: the transaction, or an empty recordset
        """
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        if (
            not provider
            or provider.state == "disabled"
            or not provider._br_issues_charge_without_payer()
        ):
            return Transaction
        open_charge = self.transaction_ids.filtered(
            lambda tx: tx.provider_id == provider
            and tx.state in ("draft", "pending", "authorized")
        )[:1]
        if open_charge:
            return open_charge
        tx = Transaction.create(
            Transaction._coworking_prepare_charge_values(
                provider,
                self.partner_id,
                self.amount_residual,
                self.currency_id,
                invoice_ids=self,
            )
        )
        try:
            with self.env.cr.savepoint():
                tx._br_issue_charge()
        except Exception as error:  # a bank failure never stops a run
            _logger.warning("Charge of %s not issued: %s", self.name, error)
        return tx

    def _coworking_get_payment_url(self):
        """Where the member pays this invoice: the page of its open boleto or PIX
        when one was issued, else the invoice's portal page (boleto, PIX, card)."""
        self.ensure_one()
        charge = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state in ("pending", "authorized")
        )[:1]
        url = charge._br_get_charge_url() if charge else False
        return self.get_base_url() + (url or self.get_portal_url())

    def _coworking_post_mail(self, template_xmlid, note):
        """E-mail the invoice's partner with ``template_xmlid`` (through the mail
        queue) and log it on the invoice, the contract and the client (F15)."""
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        partner = self.partner_id
        if not partner.email:
            note = _(
                "%(note)s Not e-mailed: %(partner)s has no e-mail address.",
                note=note,
                partner=partner.display_name,
            )
        else:
            self.with_context(
                lang=partner.lang, mail_notify_force_send=False
            ).message_post_with_source(
                template,
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.subscription_id.message_post(body=note, subtype_xmlid="mail.mt_note")
        partner.commercial_partner_id.message_post(
            body=note, subtype_xmlid="mail.mt_note"
        )

    def _coworking_send_invoice_mail(self):
        """Send the member the period's invoice with its payment link."""
        for invoice in self:
            invoice._coworking_post_mail(
                "coworking_online_signup.mail_template_invoice_issued",
                _(
                    "Invoice %(invoice)s of %(amount)s, due %(due)s, e-mailed to "
                    "%(email)s.",
                    invoice=invoice.name,
                    amount=invoice.currency_id.format(invoice.amount_total),
                    due=fields.Date.to_string(invoice.invoice_date_due),
                    email=invoice.partner_id.email or "-",
                ),
            )

    def _invoice_paid_hook(self):
        """Override of `account`: a paid contract invoice starts the benefits held
        until payment, restores a late contract, keeps the card the payment saved
        and tells the member the payment was received (once per invoice)."""
        res = super()._invoice_paid_hook()
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.subscription_id.coworking_plan_id
        )
        contracts = invoices.subscription_id
        contracts._coworking_activate_benefits()
        for invoice in invoices:
            contract = invoice.subscription_id
            token = invoice.transaction_ids.filtered(
                lambda tx: tx.state == "done" and tx.token_id
            )[:1].token_id
            if token and not contract.coworking_payment_token_id:
                contract.sudo().coworking_payment_token_id = token
        contracts._coworking_update_payment_state()
        for invoice in invoices.filtered(lambda m: not m.coworking_payment_mail_sent):
            invoice.sudo().coworking_payment_mail_sent = True
            invoice.sudo()._coworking_post_mail(
                "coworking_online_signup.mail_template_payment_received",
                _(
                    "Payment of %(invoice)s received; confirmation e-mailed to "
                    "%(email)s.",
                    invoice=invoice.name,
                    email=invoice.partner_id.email or "-",
                ),
            )
        return res
