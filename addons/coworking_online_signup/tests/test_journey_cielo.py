# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From a plan link to a card saved at Cielo that pays the next month (issue 13), where
`payment_cielo_br` is installed beside the product (neither depends on the other):
signup (F5), the first payment by card in the payment form with the card saved, the
card kept on the contract, then the billing run charges the next period with it (B3)
and, when the card is declined, the invoice stays open for a retry. Ids refer to
docs/SPEC.md."""

import unittest

from odoo import Command
from odoo.tests import tagged

try:  # the Cielo addon is optional beside the product
    from odoo.addons.payment_cielo_br.tests.common import (
        CARD_AUTHORISED,
        CARD_DENIED,
        CieloBrCommon,
    )
except ImportError:  # pragma: no cover - not on the addons path
    from odoo.tests import HttpCase as CieloBrCommon

    CARD_AUTHORISED = CARD_DENIED = None

from .signup_common import (
    VALID_CPF,
    SignupJourneyMixin,
    days_later,
    module_installed,
)


@tagged("post_install", "-at_install")
class TestCieloSignupJourney(SignupJourneyMixin, CieloBrCommon):
    @classmethod
    def setUpClass(cls):
        if not module_installed("payment_cielo_br"):
            raise unittest.SkipTest("payment_cielo_br is not installed")
        if CARD_AUTHORISED is None:
            raise unittest.SkipTest("payment_cielo_br is not on the addons path")
        super().setUpClass()
        company = cls.env.company
        # a Brazilian coworking invoices in reais; journal items may already exist,
        # so the currency is set as Odoo's own tests do
        cls.env.transaction.cache.set(
            company, type(company).currency_id, cls.currency_brl.id, dirty=True
        )
        cls._setup_journey_plan(setup_fee=0.0, ask_password=False, quota_ids=[])

    def _signup(self):
        Signup = self.env["coworking.signup"]
        form = {
            "client_type": "individual",
            "name": "Maria Cartão",
            "email": "maria.cartao@example.com",
            "phone": "(11) 91234-5678",
            "cpf": VALID_CPF,
            "provider_id": str(self.cielo.id),
            "terms_accepted": "1",
            "submission_token": Signup._make_form_token(self.plan),
        }
        values = Signup._prepare_form_values(form)
        self.assertFalse(Signup._validate_signup(self.plan, values, {}))
        submission = Signup._create_signup(self.plan, values, {})
        self.env["coworking.signup.submission"]._cron_finish_pending()
        return submission

    def _first_payment_saving_the_card(self, submission):
        order = submission.sale_order_id
        self.assertFalse(order.transaction_ids, "a card waits for the browser")
        tx = self._pay_in_form(
            number=CARD_AUTHORISED,
            reference=f"{order.name}-card",
            amount=order.amount_total,
            partner_id=order.partner_invoice_id.id,
            sale_order_ids=[Command.set(order.ids)],
        )
        self.assertEqual(tx.state, "done")
        tx._post_process()
        return tx

    def test_the_card_saved_at_signup_pays_the_next_month(self):
        submission = self._signup()
        contract = submission.contract_id
        tx = self._first_payment_saving_the_card(submission)
        self.assertIn(submission.invoice_id.payment_state, ("paid", "in_payment"))
        self.assertEqual(contract.coworking_benefits_state, "active")
        self.assertEqual(contract.coworking_payment_token_id, tx.token_id)
        sales_before = len(self.fake.sales)
        before = contract.invoice_ids
        with days_later(self.env, 35):
            self.env["sale.subscription"]._cron_coworking_billing()
        invoice = contract.invoice_ids - before
        self.assertEqual(len(invoice), 1)
        charge = invoice.transaction_ids
        self.assertEqual((charge.token_id, charge.state), (tx.token_id, "done"))
        self.assertEqual(charge.operation, "offline")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(self.fake.sales), sales_before + 1, "one charge")

    def test_a_declined_card_leaves_the_invoice_open_for_a_retry(self):
        submission = self._signup()
        contract = submission.contract_id
        tx = self._first_payment_saving_the_card(submission)
        self.fake.cards[tx.token_id.provider_ref]["CardNumber"] = CARD_DENIED
        before = contract.invoice_ids
        with days_later(self.env, 35):
            self.env["sale.subscription"]._cron_coworking_billing()
        invoice = contract.invoice_ids - before
        self.assertEqual(invoice.transaction_ids.state, "error")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertTrue(invoice.cielo_br_next_charge_date, "retried on schedule")
