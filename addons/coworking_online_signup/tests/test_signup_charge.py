# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The signup issues its own charge (issue 16, the seed's "registration, sale and
charge"): the finishing job makes the PIX of the chosen provider, the thank-you page,
the welcome e-mail and the member's portal link to it, and paying again from the
payment page reopens it instead of making a second charge."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .signup_common import SignupMixin, days_later, setup_static_pix


@tagged("post_install", "-at_install")
class TestSignupCharge(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.provider = setup_static_pix(cls.env)
        # the signup offers the real PIX provider here, not the stand-in
        pix_codes = patch.object(
            type(cls.env["payment.provider"]),
            "_get_coworking_signup_codes",
            lambda self: ["pix_br"],
        )
        pix_codes.start()
        cls.addClassCleanup(pix_codes.stop)
        cls.Signup = cls.env["coworking.signup"]
        products = cls.plan.product_id | cls.plan._get_setup_fee_product()
        products.taxes_id = False

    def _signup(self, finish=True):
        values = self.Signup._prepare_form_values(self.form())
        self.assertFalse(self.Signup._validate_signup(self.plan, values, self.files()))
        submission = self.Signup._create_signup(self.plan, values, self.files())
        if finish:
            self.env["coworking.signup.submission"]._cron_finish_pending()
        return submission

    def _pay_from_the_payment_page(self, order):
        """What the payment form posts when the visitor pays the order by PIX."""
        amount = order.amount_total - order.amount_paid
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            {
                "access_token": order._portal_ensure_token(),
                "provider_id": self.provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_pix").id,
                "token_id": None,
                "amount": amount,
                "flow": "redirect",
                "tokenization_requested": False,
                "landing_route": order.get_portal_url(),
            },
        )

    def test_the_finishing_job_issues_the_charge_and_links_it(self):
        submission = self._signup()
        tx = submission.sale_order_id.transaction_ids
        self.assertEqual(len(tx), 1, "the signup made its charge")
        self.assertEqual((tx.provider_id, tx.state), (self.provider, "pending"))
        self.assertTrue(tx.pix_br_code, "the PIX code exists before any visit")
        self.assertEqual(tx.amount, submission.sale_order_id.amount_total)
        url = tx._br_get_charge_url()
        # the welcome e-mail links to it
        welcome = submission.contract_id.message_ids.filtered(
            lambda m: submission.person_id in m.partner_ids
        )
        self.assertIn(url.replace("&", "&amp;"), welcome[:1].body)
        # the thank-you page links to it, and creates nothing
        counts = self.env["payment.transaction"].search_count([])
        page = self.url_open(f"/coworking/signup/{submission.token}").text
        self.assertIn("o_coworking_charge_link", page)
        self.assertIn(url.replace("&", "&amp;"), page)
        self.assertEqual(self.env["payment.transaction"].search_count([]), counts)
        # the PIX page it points to shows the code
        self.assertIn(tx.pix_br_code, self.url_open(url).text)

    def test_paying_again_reopens_the_charge(self):
        submission = self._signup()
        order = submission.sale_order_id
        first = order.transaction_ids
        again = self._pay_from_the_payment_page(order)
        self.assertEqual(again["reference"], first.reference)
        self.assertEqual(order.transaction_ids, first, "no second charge")

    def test_a_visitor_who_paid_first_is_not_charged_twice(self):
        submission = self._signup(finish=False)
        order = submission.sale_order_id
        self._pay_from_the_payment_page(order)
        visitor_tx = order.transaction_ids
        self.assertEqual(len(visitor_tx), 1)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(submission.state, "done")
        self.assertEqual(order.transaction_ids, visitor_tx, "the job kept it")
        self.assertEqual(visitor_tx.state, "pending")

    def test_a_card_provider_waits_for_the_browser(self):
        """A provider that cannot issue without the payer (a card) is not charged
        by the job: the visitor pays on the payment page."""
        Provider = type(self.env["payment.provider"])
        with patch.object(
            Provider, "_br_issues_charge_without_payer", lambda provider: False
        ):
            submission = self._signup()
        self.assertFalse(submission.sale_order_id.transaction_ids)
        self.assertEqual(submission.state, "done")

    @mute_logger("odoo.http")  # the route logs the refused token as a warning
    def test_the_payment_page_still_requires_the_orders_access_token(self):
        submission = self._signup()
        order = submission.sale_order_id
        token = "not-" + order._portal_ensure_token()
        with self.assertRaises(Exception):  # noqa: B017 (JSON-RPC error of the route)
            self.make_jsonrpc_request(
                f"/my/orders/{order.id}/transaction",
                {
                    "access_token": token,
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment.payment_method_pix").id,
                    "token_id": None,
                    "amount": 1.0,
                    "flow": "redirect",
                    "tokenization_requested": False,
                    "landing_route": "/",
                },
            )
        self.assertEqual(len(order.transaction_ids), 1)

    # Abandoned signups
    def test_an_unpaid_signup_ends_cleanly_after_the_plans_days(self):
        self.plan.write(
            {
                "abandon_after_days": 10,
                "ask_password": True,
                "benefits_start": "payment",
            }
        )
        submission = self._signup()
        contract, order, tx = (
            submission.contract_id,
            submission.sale_order_id,
            submission.sale_order_id.transaction_ids,
        )
        user = submission.user_id
        self.assertTrue(user and not user.active, "dormant until payment")
        Submission = self.env["coworking.signup.submission"]
        with days_later(self.env, 10):
            self.assertFalse(Submission._cron_abandon_unpaid(), "not yet")
        with days_later(self.env, 11):
            self.assertEqual(Submission._cron_abandon_unpaid(), submission)
        self.assertEqual(submission.state, "abandoned")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(order.state, "cancel")
        invoice = submission.invoice_id
        self.assertEqual(invoice.payment_state, "reversed", "a credit note, kept")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(contract.stage_id.type, "post")
        self.assertTrue(contract.coworking_abandoned)
        self.assertIn(
            contract,
            self.env["sale.subscription"].search([("coworking_abandoned", "=", True)]),
        )
        self.assertEqual(
            contract.close_reason_id,
            self.env.ref("coworking_online_signup.close_reason_abandoned"),
        )
        self.assertFalse(
            contract.coworking_quota_ids.filtered(lambda q: q.state == "held")
        )
        self.assertFalse(user.exists(), "the unused access is gone")
        # the person can sign up again with the same e-mail
        values = self.Signup._prepare_form_values(self.form(token="again"))
        errors = self.Signup._validate_signup(self.plan, values, self.files())
        self.assertNotIn("email", errors)
        # and the operator sees it
        self.assertIn(
            submission,
            Submission.search([("state", "=", "abandoned")]),
        )

    def test_a_paid_signup_is_never_abandoned(self):
        self.plan.abandon_after_days = 10
        submission = self._signup()
        submission.sale_order_id.transaction_ids.action_pix_br_mark_received()
        with days_later(self.env, 60):
            self.assertFalse(
                self.env["coworking.signup.submission"]._cron_abandon_unpaid()
            )
        self.assertEqual(submission.state, "done")
        self.assertEqual(submission.contract_id.stage_id.type, "in_progress")

    # Each period (B3): the contract's method issues the period's charge
    def test_the_billing_run_issues_the_periods_pix_and_links_it(self):
        submission = self._signup()
        submission.sale_order_id.transaction_ids.action_pix_br_mark_received()
        contract = submission.contract_id
        self.assertEqual(contract.coworking_signup_provider_id, self.provider)
        before = contract.invoice_ids
        with days_later(self.env, 35):
            self.env["sale.subscription"]._cron_coworking_billing()
        invoice = contract.invoice_ids - before
        self.assertEqual(len(invoice), 1, "the period's invoice")
        tx = invoice.transaction_ids
        self.assertEqual((tx.provider_id, tx.state), (self.provider, "pending"))
        self.assertEqual(tx.amount, invoice.amount_residual)
        self.assertTrue(
            invoice._coworking_get_payment_url().endswith(tx._br_get_charge_url())
        )
        mail = invoice.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(tx._br_get_charge_url().replace("&", "&amp;"), mail.body)
        # run again: no second charge for the period
        with days_later(self.env, 35):
            self.env["sale.subscription"]._cron_coworking_billing()
        self.assertEqual(invoice.transaction_ids, tx)
