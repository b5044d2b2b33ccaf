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
        if (
            self.state != "posted"
            or self.currency_id.is_zero(self.amount_residual)
            or not token.active
            or token.provider_id.state == "disabled"
        ):
            return Transaction
        provider = token.provider_id
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
            _logger.warning("Token charge of %s failed: %s", self.name, error)
            tx._set_error(str(error))
            contract.message_post(
                body=_(
                    "The saved card could not be charged for %(invoice)s: "
                    "%(error)s. The member can still pay from the invoice's link.",
                    invoice=self.name,
                    error=str(error),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return tx

    def _coworking_get_payment_url(self):
        """The invoice's portal page, where the member pays (boleto, PIX, card)."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

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
            lambda m: m.move_type == "out_invoice" and m.subscription_id.plan_id
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
