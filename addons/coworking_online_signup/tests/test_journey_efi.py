# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From a plan link to a paid Efí boleto, or to a PIX charged through Efí, where
`payment_efi_br` is installed beside the product (neither addon depends on the other;
the project installs both, and CI runs this): signup (F5), payment with Efí (P4), the
invoice paid by Efí's notification, then the benefits held until payment start (F2).
Ids refer to docs/SPEC.md."""

import json
import unittest
from urllib.parse import parse_qs, urlparse

from odoo.tests import tagged
from odoo.tools import mute_logger

from .signup_common import SignupJourneyMixin, days_later, module_installed

try:  # the Efí addon is optional beside the product
    from odoo.addons.payment_efi_br.tests.common import EfiBrCommon
    from odoo.addons.payment_pix_br.tests.fake_psp import PIX_KEY
except ImportError:  # pragma: no cover - not on the addons path
    from odoo.tests import HttpCase as EfiBrCommon

    PIX_KEY = None


@tagged("post_install", "-at_install")
class TestEfiSignupJourney(SignupJourneyMixin, EfiBrCommon):
    @classmethod
    def setUpClass(cls):
        if not module_installed("payment_efi_br"):
            raise unittest.SkipTest("payment_efi_br is not installed")
        if PIX_KEY is None:
            raise unittest.SkipTest("payment_efi_br is not on the addons path")
        super().setUpClass()
        # a Brazilian coworking invoices in reais; journal items may already exist,
        # so the currency is set as Odoo's own tests do
        company = cls.env.company
        cls.env.transaction.cache.set(
            company, type(company).currency_id, cls.currency_brl.id, dirty=True
        )
        cls._setup_journey_plan()

    def _signup(self, provider):
        location = self._journey_signup(provider)
        contract = self._journey_contract()
        order = contract.sale_order_id
        self.assertEqual(urlparse(location).path, "/payment/pay")
        self.assertEqual(
            parse_qs(urlparse(location).query)["sale_order_id"], [str(order.id)]
        )
        self.assertIn(f'data-provider-id="{provider.id}"', self.url_open(location).text)
        return contract, order

    def _pay_order(self, order, provider, payment_method):
        processing_values = self._get_processing_values(
            tx_route=f"/my/orders/{order.id}/transaction",
            access_token=order._portal_ensure_token(),
            provider_id=provider.id,
            payment_method_id=payment_method.id,
            token_id=None,
            amount=order.amount_total,
            flow="redirect",
            tokenization_requested=False,
            landing_route=order.get_portal_url(),
        )
        tx = self._get_tx(processing_values["reference"])
        self._submit_redirect_form(
            self._extract_values_from_html_form(processing_values["redirect_form_html"])
        )
        self.assertEqual(tx.state, "pending")
        return tx

    def _assert_paid_and_started(self, contract, tx):
        self.assertEqual(tx.state, "done")
        tx._post_process()
        invoice = contract.invoice_ids
        self.assertAlmostEqual(invoice.amount_total, 950.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(contract.coworking_benefits_state, "active")

    def test_signup_ends_in_a_paid_efi_boleto(self):
        contract, order = self._signup(self.efi)
        self.assertEqual(contract.coworking_benefits_state, "held")
        tx = self._pay_order(order, self.efi, self.boleto)
        charge = self.fake.charges[tx.provider_reference]
        self.assertEqual(charge["total"], 95000)
        self.assertEqual(charge["customer"]["cpf"], "11144477735")
        self.assertEqual(
            charge["customer"]["address"]["neighborhood"], "sala 12 - Bela Vista"
        )
        self.assertEqual(
            contract.coworking_benefits_state, "held", "a boleto is not a payment"
        )
        self.fake.pay(tx.provider_reference)
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self._assert_paid_and_started(contract, tx)

    def test_the_signup_issues_its_efi_boleto_itself(self):
        contract, order = self._signup(self.efi)
        self.assertFalse(order.transaction_ids, "the job issues it, not the POST")
        self.env["coworking.signup.submission"]._cron_finish_pending()
        tx = order.transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertEqual((tx.provider_code, tx.state), ("efi_br", "pending"))
        self.assertEqual(self.fake.count("POST", "/v1/charge/one-step"), 1)
        charge = self.fake.charges[tx.provider_reference]
        self.assertEqual(charge["custom_id"], tx.reference)
        self.assertEqual(charge["total"], 95000)
        # the welcome e-mail links to the boleto's page, which opens without a login
        url = tx._br_get_charge_url()
        welcome = contract.message_ids.filtered(lambda m: url in (m.body or ""))
        self.assertTrue(welcome, "the welcome e-mail links to the boleto")
        self.assertIn(charge["barcode"], self.url_open(url).text)
        # the visitor's payment page reopens it: never a second boleto
        self.assertEqual(self._pay_order(order, self.efi, self.boleto), tx)
        self.assertEqual(self.fake.count("POST", "/v1/charge/one-step"), 1)
        self.fake.pay(tx.provider_reference)
        self.assertEqual([r.status_code for r in self._deliver_notifications()], [200])
        self._assert_paid_and_started(contract, tx)

    def test_an_abandoned_signup_cancels_its_boleto_at_efi(self):
        self.plan.abandon_after_days = 10
        contract, order = self._signup(self.efi)
        Submission = self.env["coworking.signup.submission"]
        Submission._cron_finish_pending()
        tx = order.transaction_ids
        cancel = f"/v1/charge/{tx.provider_reference}/cancel"
        days = (tx._br_get_expiry_date() - self.env.company._coworking_today()).days
        with days_later(self.env, days + 10):
            self.assertFalse(Submission._cron_abandon_unpaid(), "not yet")
        with days_later(self.env, days + 11):
            self.assertTrue(Submission._cron_abandon_unpaid())
        self.assertEqual(self.fake.count("PUT", cancel), 1)
        self.assertEqual(self.fake.charges[tx.provider_reference]["status"], "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(contract.coworking_abandoned)

    def test_a_boleto_paid_at_efi_just_before_is_not_abandoned(self):
        self.plan.abandon_after_days = 10
        contract, order = self._signup(self.efi)
        Submission = self.env["coworking.signup.submission"]
        Submission._cron_finish_pending()
        tx = order.transaction_ids
        self.fake.pay(tx.provider_reference)  # its notification is not here yet
        days = (tx._br_get_expiry_date() - self.env.company._coworking_today()).days
        with (
            days_later(self.env, days + 11),
            mute_logger("odoo.addons.payment_efi_br.models.payment_provider"),
        ):  # Efí's refusal of the cancel is logged as a warning
            self.assertFalse(Submission._cron_abandon_unpaid())
        self.assertEqual(self.fake.charges[tx.provider_reference]["status"], "paid")
        self.assertFalse(contract.coworking_abandoned)
        self.assertEqual(tx.state, "done", "Efí refused the cancel; Odoo read it back")

    def _pix_through_efi(self):
        """A dynamic PIX provider whose PSP is Efí, and the PIX payment method."""
        pix_provider = self._prepare_provider(
            "pix_br",
            update_values={
                "pix_br_key": PIX_KEY,
                "pix_br_receiver_name": "Coworking Ltda",
                "pix_br_receiver_city": "Sao Paulo",
                "pix_br_mode": "dynamic",
                "pix_br_psp": "efi",
                "pix_br_efi_provider_id": self.efi.id,
                "journal_id": self.company_data["default_journal_bank"].id,
                "is_published": True,
            },
        )
        pix = self.env.ref("payment.payment_method_pix")
        pix.active = True
        return pix_provider, pix

    def _abandon_pix_signup(self, paid_first):
        """A PIX signup left unpaid past the plan's days; with ``paid_first``, the
        payer paid the PIX at the PSP just before (its notification not here
        yet). Return the contract, the charge and whether it was abandoned."""
        self.plan.abandon_after_days = 10
        pix_provider, _pix = self._pix_through_efi()
        contract, order = self._signup(pix_provider)
        Submission = self.env["coworking.signup.submission"]
        Submission._cron_finish_pending()
        tx = order.transaction_ids
        self.assertEqual((tx.provider_code, tx.state), ("pix_br", "pending"))
        self.assertEqual(self.fake_pix.cobs[tx.pix_br_txid]["status"], "ATIVA")
        if paid_first:
            self.fake_pix.pay(tx.pix_br_txid)
            self.fake_pix.webhooks.clear()  # not delivered yet
        with (
            days_later(self.env, 11),
            mute_logger("odoo.addons.payment_pix_br.tools.bacen_client"),
        ):  # the PSP's refusal to remove a paid charge is logged as a warning
            abandoned = Submission._cron_abandon_unpaid()
        return contract, tx, abandoned

    def test_an_abandoned_pix_signup_removes_its_charge_at_the_psp(self):
        contract, tx, abandoned = self._abandon_pix_signup(paid_first=False)
        self.assertTrue(abandoned)
        self.assertEqual(
            self.fake_pix.cobs[tx.pix_br_txid]["status"],
            "REMOVIDA_PELO_USUARIO_RECEBEDOR",
        )
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(contract.coworking_abandoned)

    def test_a_pix_paid_just_before_is_not_abandoned(self):
        contract, tx, abandoned = self._abandon_pix_signup(paid_first=True)
        self.assertFalse(abandoned)
        self.assertEqual(self.fake_pix.cobs[tx.pix_br_txid]["status"], "CONCLUIDA")
        self.assertEqual(tx.state, "done", "the PSP refused the removal; read back")
        self.assertFalse(contract.coworking_abandoned)
        tx._post_process()
        self.assertEqual(contract.coworking_benefits_state, "active")

    def test_signup_ends_in_a_pix_through_efi(self):
        pix_provider, pix = self._pix_through_efi()
        contract, order = self._signup(pix_provider)
        tx = self._pay_order(order, pix_provider, pix)
        self.assertEqual(
            self.fake_pix.cobs[tx.pix_br_txid]["valor"]["original"], "950.00"
        )
        self.fake_pix.pay(tx.pix_br_txid)
        webhook = urlparse(pix_provider._pix_br_get_webhook_url()).path
        response = self.url_open(
            webhook + "/pix",
            data=json.dumps(self.fake_pix.webhooks.pop(0)),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self._assert_paid_and_started(contract, tx)
