# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's main journey in the browser, with static PIX (no bank credentials):
plan link, signup, payment page showing PIX, the PIX code, the operator confirms the
payment, the member is active. Runs where `payment_pix_br` is installed beside this
module (the project installs every addon)."""

import unittest

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoJourney(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.pix = env["payment.provider"].search(
            [("code", "=", "pix_br"), ("company_id", "=", env.company.id)], limit=1
        )
        if not cls.pix:
            raise unittest.SkipTest("payment_pix_br is not installed")
        brl = env.ref("base.BRL")
        brl.action_unarchive()
        # the demo company invoices in reais; journal items may already exist, so
        # the currency is set as Odoo's own tests do (base.tests.common)
        env.transaction.cache.set(
            env.company, type(env.company).currency_id, brl.id, dirty=True
        )
        env.company.partner_id.tz = "America/Sao_Paulo"
        cls.pix.write(
            {
                "state": "test",
                "is_published": True,
                "pix_br_key": "contato@coworking.example.com",
                "pix_br_receiver_name": "Coworking Demo",
                "pix_br_receiver_city": "Sao Paulo",
                "journal_id": env["account.journal"]
                .search(
                    [("type", "=", "bank"), ("company_id", "=", env.company.id)],
                    limit=1,
                )
                .id,
            }
        )
        env.ref("payment.payment_method_pix").active = True
        unit = env["coworking.unit"].create(
            {"name": "Demo unit", "notification_emails": "desk@example.com"}
        )
        cls.plan = env["coworking.plan"].create(
            {
                "name": "Demo desk",
                "unit_id": unit.id,
                "monthly_price": 350.0,
                "setup_fee": 0.0,
                "ask_password": True,
                "benefits_start": "payment",
                "is_published": True,
                "terms_version": "D1",
                "quota_ids": [(0, 0, {"name": "Meeting room hours", "quantity": 2})],
            }
        )
        cls.plan.product_id.taxes_id = False
        env.company.coworking_signup_enabled = True

    def test_plan_link_to_paid_pix_to_active_member(self):
        self.start_tour(
            f"/coworking/plan/{self.plan.access_token}",
            "coworking_pix_journey_tour",
            login=None,
        )
        submission = self.env["coworking.signup.submission"].search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(submission.provider_id, self.pix)
        contract = submission.contract_id
        self.assertEqual(contract.partner_id.name, "Paula Pix")
        self.assertEqual(contract.benefits_state, "held")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertFalse(submission.user_id.active, "access waits for the payment")
        tx = submission.sale_order_id.transaction_ids
        self.assertEqual(tx.provider_id, self.pix)
        self.assertEqual(tx.state, "pending")
        # the operator sees the PIX in the bank account and marks it received
        tx.action_pix_br_mark_received()
        self.assertEqual(tx.state, "done")
        self.assertIn(submission.invoice_id.payment_state, ("paid", "in_payment"))
        self.assertEqual(contract.benefits_state, "active")
        self.assertEqual(set(contract.coworking_quota_ids.mapped("state")), {"active"})
        self.assertTrue(submission.user_id.active, "the member can log in")
