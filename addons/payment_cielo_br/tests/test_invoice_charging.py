# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CARD_DENIED, CARD_EXPIRED, CieloBrCommon


@tagged("post_install", "-at_install")
class TestInvoiceCharging(CieloBrCommon):
    def _run_retries(self, days):
        """Run the cron as if `days` had passed."""
        with freeze_time(fields.Datetime.now() + timedelta(days=days)):
            self.env["account.move"]._cron_cielo_br_charge_retries()

    def test_monthly_charge_from_the_token(self):
        token = self._saved_card()
        invoice = self._create_invoice()
        tx = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.operation, "offline")
        self.assertEqual(tx.invoice_ids, invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        sale = self.fake.sales[tx.provider_reference]
        self.assertTrue(sale["Payment"]["Recurrent"])
        self.assertEqual(sale["MerchantOrderId"], tx.reference)
        self.assertEqual(invoice.cielo_br_token_id, token)

    def test_decline_then_retry(self):
        token = self._saved_card(CARD_DENIED)
        invoice = self._create_invoice()
        tx = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(tx.state, "error")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(
            invoice.cielo_br_next_charge_date, fields.Date.today() + timedelta(days=3)
        )
        mail = self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("subject", "ilike", "declined"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.payer, mail.partner_ids)
        self.assertIn(invoice.get_portal_url().split("?")[0], mail.body)
        # Not due yet: nothing is sent.
        self._run_retries(days=1)
        self.assertEqual(len(self.fake.operations("sale")), 2)  # first payment + 1
        # The card works again (limit back): the retry pays the invoice.
        self.fake.cards[token.provider_ref]["CardNumber"] = "4024007197692931"
        self._run_retries(days=3)
        self.assertEqual(len(invoice.transaction_ids), 2)
        self.assertEqual(invoice.transaction_ids.mapped("state").count("done"), 1)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(invoice.cielo_br_next_charge_date)

    def test_retries_stop_after_the_last_attempt(self):
        self.cielo.cielo_br_retry_max_attempts = 2
        token = self._saved_card(CARD_DENIED)
        invoice = self._create_invoice()
        invoice._cielo_br_charge_with_token(token)
        self._run_retries(days=3)
        self.assertEqual(invoice.cielo_br_charge_attempts, 2)
        self.assertFalse(invoice.cielo_br_next_charge_date)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_expired_card_is_not_retried(self):
        token = self._saved_card(CARD_EXPIRED)
        invoice = self._create_invoice()
        tx = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(tx.state, "error")
        self.assertFalse(invoice.cielo_br_next_charge_date)

    def test_retry_uses_the_replaced_card(self):
        token = self._saved_card(CARD_DENIED)
        invoice = self._create_invoice()
        invoice._cielo_br_charge_with_token(token)
        new_token = self._pay_in_form(reference="NEW-CARD").token_id
        self._run_retries(days=3)
        self.assertEqual(invoice.transaction_ids.sorted("id")[-1].token_id, new_token)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_lost_answer_is_found_without_a_second_charge(self):
        token = self._saved_card()
        invoice = self._create_invoice()
        self.fake.lose_next("sale")
        tx = invoice._cielo_br_charge_with_token(token)
        # Looked up by MerchantOrderId at once: the sale Cielo made is adopted.
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self.fake.sales_of(tx.reference)), 1)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_lost_answer_and_query_down_then_cron(self):
        token = self._saved_card()
        invoice = self._create_invoice()
        self.fake.lose_next("sale")
        self.fake.fail_next("query_order", status=503)
        tx = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(tx.state, "pending")
        self.assertTrue(tx.cielo_br_answer_lost_at)
        # Charging again does not send a second sale: the first one is looked up.
        again = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(again, tx)
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self.fake.operations("sale")), 2)  # first payment + 1
        self.assertEqual(len(self.fake.sales_of(tx.reference)), 1)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_lost_answer_of_a_sale_never_made(self):
        token = self._saved_card()
        invoice = self._create_invoice()
        self.fake.fail_next("sale", status=503)
        tx = invoice._cielo_br_charge_with_token(token)
        self.assertEqual(tx.state, "pending")
        # Still within the grace period: not found is not yet final.
        self._run_retries(days=0)
        self.assertEqual(tx.state, "pending")
        tx.cielo_br_answer_lost_at -= timedelta(hours=1)
        self._run_retries(days=0)
        self.assertEqual(tx.state, "error")
        self.assertIn("not charged", tx.state_message)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_only_the_customers_card(self):
        token = self._saved_card()
        other = self.env["res.partner"].create(
            {"name": "Other", "email": "o@example.com"}
        )
        invoice = self._create_invoice(partner=other)
        with self.assertRaises(UserError):
            invoice._cielo_br_charge_with_token(token)
        self.assertFalse(invoice.transaction_ids)
