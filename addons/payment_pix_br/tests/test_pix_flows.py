# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from decimal import Decimal

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..tools import brcode
from .common import EVP_KEY, PixBrCommon


@tagged("post_install", "-at_install")
class TestPixFlows(PixBrCommon):
    def test_invoice_payment_shows_the_br_code_and_stays_pending(self):
        invoice = self._create_invoice(amount=237.5)
        tx, form = self._start_invoice_payment(invoice)
        self.assertEqual(tx.state, "draft")
        self.assertEqual(form["action"], "/payment/pix_br/process")
        self.assertFalse(tx.pix_br_code)

        status_page = self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        data = brcode.parse(tx.pix_br_code)
        self.assertEqual(data["key"], EVP_KEY)
        self.assertEqual(data["amount"], Decimal("237.50"))
        self.assertEqual(data["name"], "COWORKING ACAO LTDA")
        self.assertEqual(data["city"], "SAO PAULO")
        self.assertEqual(data["txid"], re.sub(r"[^A-Za-z0-9]", "", tx.reference))
        self.assertEqual(tx.pix_br_txid, data["txid"])

        page = status_page.text
        self.assertIn(tx.pix_br_code, page)
        self.assertIn("o_pix_br_copy", page)
        self.assertIn("data:image/png;base64,", page)

        # Posting the form again changes nothing.
        code = tx.pix_br_code
        self._submit_redirect_form(form)
        self.assertEqual((tx.state, tx.pix_br_code), ("pending", code))
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_pix_page_needs_the_access_token_and_writes_nothing(self):
        _invoice, tx = self._pending_invoice_tx()
        self.opener.cookies.clear()  # another visitor, without the session
        page = self.url_open(tx._pix_br_get_page_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(tx.pix_br_code, page.text)
        write_date = tx.write_date
        for url in (
            f"/payment/pix_br/{tx.id}?access_token=wrong",
            f"/payment/pix_br/{tx.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, 403)
        self.assertEqual(self.url_open("/payment/pix_br/999999").status_code, 404)
        tx.invalidate_recordset()
        self.assertEqual(tx.write_date, write_date)

    def test_process_needs_the_access_token(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        inputs = dict(form["inputs"], access_token="wrong")
        response = self.url_open(form["action"], data=inputs)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(tx.state, "draft")

    def test_operator_marks_received_and_the_invoice_is_paid(self):
        invoice, tx = self._pending_invoice_tx()
        accountant = new_test_user(
            self.env, login="pix_accountant", groups="account.group_account_invoice"
        )
        tx.with_user(accountant).action_pix_br_mark_received()
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.pix_br_confirmed_by, "operator")
        self.assertEqual(tx.pix_br_received_uid, accountant)
        self.assertTrue(tx.pix_br_received_date)
        self.assertTrue(tx.is_post_processed)
        self.assertTrue(tx.payment_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        with self.assertRaisesRegex(UserError, "Only a pending PIX"):
            tx.action_pix_br_mark_received()

    def test_only_accountants_mark_received(self):
        _invoice, tx = self._pending_invoice_tx()
        clerk = new_test_user(self.env, login="pix_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            tx.with_user(clerk).action_pix_br_mark_received()
        self.assertEqual(tx.state, "pending")
        self.assertFalse(tx.pix_br_received_uid)

    def test_status_page_copy_button_in_a_browser(self):
        """The PIX page works in a real browser: assets load without error, the QR
        image shows and the copy button copies the code."""
        _invoice, tx = self._pending_invoice_tx()
        self._br_check_copy_button(
            tx._pix_br_get_page_url(),
            ".o_pix_br_copy",
            "img.o_pix_br_qr",
            ".o_pix_br.o_br_copy_ready",
        )

    def test_draft_transaction_cannot_be_marked_received(self):
        tx = self._create_transaction("redirect")
        with self.assertRaisesRegex(UserError, "Only a pending PIX"):
            tx.action_pix_br_mark_received()
        self.assertEqual(tx.state, "draft")

    def test_invoice_paid_by_reconciliation_confirms_without_a_second_payment(self):
        invoice, tx = self._pending_invoice_tx()
        # The accountant records the PIX credit seen on the bank statement.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "payment_date": fields.Date.today(),
                "communication": tx.pix_br_txid,
            }
        )._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.pix_br_confirmed_by, "reconciliation")
        self.assertEqual(tx.pix_br_received_uid, self.env.user)

        tx._post_process()
        self.assertFalse(tx.payment_id, "the reconciled payment is the payment")
        self.assertEqual(
            len(invoice._get_reconciled_payments()), 1, "the invoice is paid once"
        )

    def test_bank_statement_line_reconciled_with_the_invoice_confirms(self):
        invoice, tx = self._pending_invoice_tx()
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": fields.Date.today(),
                "payment_ref": f"PIX RECEBIDO {tx.pix_br_txid} MARIA DA SILVA",
                "partner_id": self.payer.id,
                "amount": invoice.amount_total,
            }
        )
        _liquidity, suspense, _other = st_line._seek_for_lines()
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        # What the bank reconciliation does: the suspense line becomes the
        # counterpart of the invoice's receivable, and both are reconciled.
        st_line.move_id.with_context(
            skip_readonly_check=True, skip_account_move_synchronization=True
        ).write(
            {
                "line_ids": [
                    Command.update(
                        suspense.id,
                        {
                            "account_id": receivable.account_id.id,
                            "partner_id": self.payer.id,
                        },
                    )
                ]
            }
        )
        (suspense + receivable).reconcile()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.pix_br_confirmed_by, "reconciliation")
        tx._post_process()
        self.assertFalse(tx.payment_id)

    def test_partial_payment_keeps_the_transaction_pending(self):
        invoice, tx = self._pending_invoice_tx()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "amount": 50.0,
            }
        )._create_payments()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(tx.state, "pending")

    def test_works_without_bank_credentials_in_test_mode(self):
        self.assertEqual(self.pix_provider.state, "test")
        tx = self._create_transaction("redirect")
        tx._handle_notification_data("pix_br", {"reference": tx.reference})
        self.assertEqual(tx.state, "pending")
        self.assertTrue(brcode.parse(tx.pix_br_code))
