# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .signup_common import SignupMixin


@tagged("post_install", "-at_install")
class TestSignupTour(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.tour_plan = cls.env["coworking.plan"].create(
            {
                "name": "Tour desk",
                "unit_id": cls.unit.id,
                "recurring_price": 800.0,
                "setup_fee": 99.0,
                "ask_password": True,
                "benefits_start": "payment",
                "is_published": True,
                "terms": "<p>Tour terms.</p>",
                "terms_version": "T1",
                "quota_ids": [(0, 0, {"name": "Meeting room hours", "quantity": 5})],
                "document_ids": [
                    (0, 0, {"name": "Proof", "required": False, "max_size_mb": 1})
                ],
            }
        )

        # untaxed products, so the amount to pay is exactly plan + fee
        products = cls.tour_plan.product_id | cls.tour_plan._get_setup_fee_product()
        products.taxes_id = False

    def test_signup_journey_in_the_browser(self):
        self.start_tour(
            f"/coworking/plan/{self.tour_plan.access_token}",
            "coworking_signup_tour",
            login=None,
        )
        contract = self.env["sale.subscription"].search(
            [("coworking_plan_id", "=", self.tour_plan.id)]
        )
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.coworking_signup_origin, "online")
        self.assertEqual(contract.partner_id.name, "Joana Souza")
        self.assertEqual(contract.partner_id.vat, "529.982.247-25")
        self.assertEqual(contract.partner_id.city, "Rio de Janeiro")
        self.assertEqual(contract.partner_id.state_id.code, "RJ")
        self.assertEqual(contract.coworking_terms_version, "T1")
        self.assertEqual(contract.coworking_benefits_state, "held")
        self.assertEqual(contract.coworking_quota_ids.state, "held")
        self.assertEqual(contract.sale_order_id.state, "sale")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        invoice = contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_untaxed, 899.0)
        user = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "joana.souza@example.com")])
        )
        self.assertTrue(user)
        self.assertFalse(user.active, "portal access waits for the payment")
