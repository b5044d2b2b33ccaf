# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's main journey in the browser, with static PIX (no bank credentials):
plan link, signup, payment page showing PIX, the PIX code, the operator confirms the
payment, the member is active. Runs where `payment_pix_br` is installed beside this
module (the project installs every addon)."""

from odoo.tests import HttpCase, tagged

from .signup_common import setup_static_pix


@tagged("post_install", "-at_install")
class TestDemoJourney(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.pix = setup_static_pix(env)
        unit = env["coworking.unit"].create(
            {"name": "Demo unit", "notification_emails": "desk@example.com"}
        )
        cls.plan = env["coworking.plan"].create(
            {
                "name": "Demo desk",
                "unit_id": unit.id,
                "recurring_price": 350.0,
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
        self.assertEqual(contract.coworking_benefits_state, "held")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertFalse(submission.user_id.active, "access waits for the payment")
        tx = submission.sale_order_id.transaction_ids
        self.assertEqual(tx.provider_id, self.pix)
        self.assertEqual(tx.state, "pending")
        # the operator sees the PIX in the bank account and marks it received
        tx.action_pix_br_mark_received()
        self.assertEqual(tx.state, "done")
        self.assertIn(submission.invoice_id.payment_state, ("paid", "in_payment"))
        self.assertEqual(contract.coworking_benefits_state, "active")
        self.assertEqual(set(contract.coworking_quota_ids.mapped("state")), {"active"})
        self.assertTrue(submission.user_id.active, "the member can log in")
