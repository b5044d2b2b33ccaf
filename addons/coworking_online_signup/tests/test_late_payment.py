# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late payment (B3): late, suspended, restored; the payment-received e-mail."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_billing import BillingCommon


@tagged("post_install", "-at_install")
class TestLatePayment(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.lang = "en_US"

    def _billed_contract(self, suspend=False):
        self.plan.suspend_when_late = suspend
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        contract.coworking_benefits_state = "active"
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        return contract, self._period_invoices(contract)

    def _late_cron(self, when):
        with freeze_time(when):
            self.Contract._cron_coworking_late_payments()

    def _pay(self, invoice, when):
        with freeze_time(when):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()

    def test_invoice_mailed_with_its_link_and_logged(self):
        contract, invoice = self._billed_contract()
        mail = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(mail), 1)
        self.assertIn(invoice.get_portal_url(), mail.body)
        self.assertEqual(mail.partner_ids, self.client)
        self.assertTrue(
            contract.message_ids.filtered(lambda m: invoice.name in (m.body or ""))
        )
        self.assertTrue(
            self.client.message_ids.filtered(lambda m: invoice.name in (m.body or ""))
        )

    def test_within_grace_period_stays_up_to_date(self):
        contract, _invoice = self._billed_contract()
        self._late_cron("2026-02-13 12:00:00")  # due 10 Feb + 3 days of grace
        self.assertEqual(contract.coworking_payment_state, "ok")

    def test_late_without_suspension(self):
        contract, _invoice = self._billed_contract()
        self._late_cron("2026-02-14 12:00:00")
        self.assertEqual(contract.coworking_payment_state, "late")
        quota = contract.coworking_quota_ids[:1]
        quota.action_consume(1, when=datetime(2026, 2, 14, 12))
        notice = contract.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.partner_ids == self.client
        )
        self.assertEqual(len(notice), 1, "the member is told once")
        self._late_cron("2026-02-15 12:00:00")
        self.assertEqual(
            len(
                contract.message_ids.filtered(
                    lambda m: m.message_type == "comment"
                    and m.partner_ids == self.client
                )
            ),
            1,
        )

    def test_suspended_then_restored_by_payment(self):
        contract, invoice = self._billed_contract(suspend=True)
        self._late_cron("2026-02-14 12:00:00")
        self.assertEqual(contract.coworking_payment_state, "suspended")
        quota = contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2026, 2, 10)
        )[:1]
        with self.assertRaisesRegex(ValidationError, "suspended"):
            quota.action_consume(1, when=datetime(2026, 2, 14, 12))
        # the next period is invoiced while suspended: its quotas wait
        with freeze_time("2026-03-06 12:00:00"):
            self._run()
        march = contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2026, 3, 10)
        )
        self.assertFalse(march)
        self._pay(invoice, "2026-03-07 12:00:00")
        self.assertEqual(contract.coworking_payment_state, "ok")
        march = contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2026, 3, 10)
        )
        self.assertEqual(len(march), 2)
        quota.action_consume(1, when=datetime(2026, 3, 7, 12))

    def test_payment_received_mail_once(self):
        contract, invoice = self._billed_contract()
        self._pay(invoice, "2026-02-08 12:00:00")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        received = invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and "received" in (m.subject or "")
        )
        self.assertEqual(len(received), 1)
        self.assertEqual(received.partner_ids, self.client)
        self.assertTrue(invoice.coworking_payment_mail_sent)
        invoice._invoice_paid_hook()  # in payment, then paid: one e-mail
        received = invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and "received" in (m.subject or "")
        )
        self.assertEqual(len(received), 1)
        self.assertTrue(
            contract.message_ids.filtered(lambda m: "received" in (m.body or ""))
        )


@tagged("post_install", "-at_install")
class TestTokenCharge(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["payment.provider"].create(
            {"name": "Card test", "code": "none", "state": "test"}
        )
        cls.token = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.env.ref("payment.payment_method_unknown").id,
                "partner_id": cls.client.id,
                "provider_ref": "card-ref-1",
                "payment_details": "4242",
            }
        )

    def test_saved_card_charged_offline(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        contract.coworking_payment_token_id = self.token
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        invoice = self._period_invoices(contract)
        tx = invoice.transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.token_id, self.token)
        self.assertEqual(tx.operation, "offline")
        self.assertEqual(tx.amount, invoice.amount_residual)
        self.assertNotEqual(tx.state, "error")

    def test_no_card_no_transaction(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        self.assertFalse(self._period_invoices(contract).transaction_ids)

    def test_card_refused_keeps_the_invoice_and_its_mail(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        contract.coworking_payment_token_id = self.token
        Transaction = type(self.env["payment.transaction"])

        def refuse(tx):
            raise ConnectionError("card declined")

        with (
            patch.object(Transaction, "_send_payment_request", refuse),
            freeze_time("2026-02-06 12:00:00"),
            mute_logger("odoo.addons.coworking_online_signup.models.account_move"),
        ):
            self._run()
        invoice = self._period_invoices(contract)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.transaction_ids.state, "error")
        self.assertTrue(
            invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        )
        self.assertTrue(
            contract.message_ids.filtered(lambda m: "card declined" in (m.body or ""))
        )

    def test_token_of_the_first_payment_is_kept(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        invoice = self._period_invoices(contract)
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.token.payment_method_id.id,
                "reference": "TOKEN-FIRST",
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": self.client.id,
                "token_id": self.token.id,
                "invoice_ids": [(6, 0, invoice.ids)],
                "state": "done",
            }
        )
        self.assertTrue(tx)
        self._pay_invoice(invoice)
        self.assertEqual(contract.coworking_payment_token_id, self.token)

    def _pay_invoice(self, invoice):
        with freeze_time("2026-02-07 12:00:00"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
