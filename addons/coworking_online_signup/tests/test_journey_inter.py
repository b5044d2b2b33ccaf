# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From a plan link to a paid Banco Inter boleto, where `payment_inter_br` is
installed beside the product (it does not depend on coworking, nor coworking on it):
signup (F5), boleto with PIX (P1), the invoice paid by Inter's webhook, then the
benefits held until payment start (F2). Ids refer to docs/SPEC.md.
"""

import unittest
from datetime import date
from urllib.parse import parse_qs, urlparse

from odoo.tests import tagged

from .signup_common import SignupJourneyMixin, module_installed

try:  # the Inter addon is optional beside the product
    from odoo.addons.payment_inter_br.tests.common import InterBrCommon
except ImportError:  # pragma: no cover - not on the addons path
    from odoo.tests import HttpCase as InterBrCommon


@tagged("post_install", "-at_install")
class TestSignupJourney(SignupJourneyMixin, InterBrCommon):
    @classmethod
    def setUpClass(cls):
        if not module_installed("payment_inter_br"):
            raise unittest.SkipTest("payment_inter_br is not installed")
        if not hasattr(InterBrCommon, "_use_currency"):
            raise unittest.SkipTest("payment_inter_br is not on the addons path")
        super().setUpClass()
        # a Brazilian coworking invoices in BRL (Inter's only currency)
        cls._use_currency(cls.env.company, "BRL")
        cls._setup_journey_plan()

    def _signup(self):
        return self._journey_signup(self.inter)

    def _start_order_payment(self, order):
        """Go through Odoo's sale order payment flow up to the redirect form."""
        processing_values = self._get_processing_values(
            tx_route=f"/my/orders/{order.id}/transaction",
            access_token=order._portal_ensure_token(),
            provider_id=self.inter.id,
            payment_method_id=self.boleto.id,
            token_id=None,
            amount=order.amount_total,
            flow="redirect",
            tokenization_requested=False,
            landing_route=order.get_portal_url(),
        )
        tx = self._get_tx(processing_values["reference"])
        form = self._extract_values_from_html_form(
            processing_values["redirect_form_html"]
        )
        return tx, form

    def test_signup_to_paid_boleto_starts_the_benefits(self):
        location = self._signup()
        contract = self._journey_contract()
        order = contract.sale_order_id
        self.assertEqual(order.currency_id.name, "BRL")
        self.assertAlmostEqual(order.amount_total, 950.0)
        self.assertEqual(contract.coworking_benefits_state, "held")
        self.assertEqual(contract.coworking_quota_ids.state, "held")

        # the signup sends the visitor to the payment of its sale order, Inter offered
        self.assertEqual(urlparse(location).path, "/payment/pay")
        self.assertEqual(
            parse_qs(urlparse(location).query)["sale_order_id"], [str(order.id)]
        )
        payment_page = self.url_open(location)
        self.assertEqual(payment_page.status_code, 200)
        self.assertIn(f'data-provider-id="{self.inter.id}"', payment_page.text)

        # the visitor pays by boleto: the charge carries the signup's payer data
        tx, form = self._start_order_payment(order)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        charge = self.fake.charges[tx.provider_reference]["cobranca"]
        self.assertEqual(charge["valorNominal"], 950.0)
        payer = charge["pagador"]
        self.assertEqual(payer["cpfCnpj"], "11144477735")
        self.assertEqual(payer["cep"], "01310100")
        self.assertEqual(payer["endereco"], "Avenida Paulista")
        self.assertEqual(payer["numero"], "1000")
        self.assertEqual(payer["uf"], "SP")
        # due when the signup's first payment is due (its first invoice is due on the
        # signup day), not in the provider's default number of days
        # (a day apart at most: the contract's day is the company's, Odoo's the user's)
        due = date.fromisoformat(charge["dataVencimento"])
        self.assertLessEqual(abs((due - contract.date_start).days), 1)
        self.assertEqual(
            contract.coworking_benefits_state, "held", "a boleto is not a payment"
        )
        self._register(tx)  # Inter registers the boleto asynchronously

        # Inter's sandbox payment fires the webhook; Odoo reads the charge back.
        # The finishing job has not run: the payment issues the first invoice.
        self.assertFalse(contract.invoice_ids)
        tx.action_inter_br_simulate_payment()
        self.assertEqual([r.status_code for r in self._deliver_webhooks()], [200])
        self.assertEqual(tx.state, "done")
        tx._post_process()
        invoice = contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, 950.0)
        self.assertEqual(tx.invoice_ids, invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

        # F2: the benefits held until payment start now
        self.assertEqual(contract.coworking_benefits_state, "active")
        self.assertEqual(contract.coworking_quota_ids.state, "active")
        # the finishing job makes the member's portal user, active since paid
        self.env["coworking.signup.submission"]._cron_finish_pending()
        user = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "maria.silva@example.com")])
        )
        self.assertTrue(user.active)

    def test_plan_under_the_bank_minimum_does_not_offer_inter(self):
        """Inter takes charges of R$ 2.50 or more: the signup form of a cheaper plan
        does not offer it (instead of a transaction the bank refuses)."""
        cheap = self.plan.copy(
            {"name": "Coffee pass", "recurring_price": 2.0, "setup_fee": 0.0}
        )
        cheap.is_published = True
        page = self.url_open(f"/coworking/plan/{cheap.access_token}").text
        self.assertIn("Coffee pass", page)
        self.assertNotIn("Banco Inter", page)
        page = self.url_open(f"/coworking/plan/{self.plan.access_token}").text
        self.assertIn("Banco Inter", page)
