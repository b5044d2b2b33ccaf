# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of the real bank (issue 10): what Inter refuses or does differently from
a lenient fake, each checked through Odoo against the fake bank."""

from datetime import timedelta
from urllib.parse import urlencode

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_br_base.tests.common import TEST_CPF

from .. import exceptions
from .common import InterBrCommon

PROVIDER_LOGGER = "odoo.addons.payment_inter_br.models.payment_provider"
TX_LOGGER = "odoo.addons.payment_inter_br.models.payment_transaction"
CONTROLLER_LOGGER = "odoo.addons.payment_inter_br.controllers.main"


@tagged("post_install", "-at_install")
class TestBankRules(InterBrCommon):
    def _poll_triggers(self):
        cron = self.env.ref("payment_inter_br.ir_cron_inter_br_poll")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])

    # --- 2. webhook URL in https ---

    def test_webhook_registration_needs_https(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://coworking.example.com"
        )
        with self.assertRaisesRegex(UserError, "web.base.url") as error:
            self.inter.action_inter_br_register_webhook()
        self.assertIn("https", str(error.exception))
        self.assertFalse(self.fake.requests, "nothing sent that the bank refuses")

    # --- 3. amount range ---

    def test_amount_below_minimum_not_offered(self):
        company, partner = self.env.company.id, self.payer.id
        compatible = self.env["payment.provider"]._get_compatible_providers

        def offered(amount):
            return self.inter in compatible(
                company, partner, amount, currency_id=self.currency_brl.id
            )

        self.assertFalse(offered(2.49))
        self.assertTrue(offered(2.50))
        self.assertTrue(offered(99_999_999.99))
        self.assertFalse(offered(100_000_000.00))
        self.assertFalse(self.inter._inter_br_amount_allowed(2.0, self.currency_brl))
        self.assertTrue(self.inter._inter_br_amount_allowed(800.0, self.currency_brl))

        # A payment page of R$2.00 does not offer Banco Inter; one of R$2.50 does.
        for amount, shown in ((2.0, False), (2.5, True)):
            url = "/payment/pay?" + urlencode(
                {
                    "amount": amount,
                    "currency_id": self.currency_brl.id,
                    "partner_id": partner,
                    "company_id": company,
                    "access_token": self._generate_test_access_token(
                        partner, amount, self.currency_brl.id
                    ),
                }
            )
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertEqual(
                f'data-provider-id="{self.inter.id}"' in page.text, shown, amount
            )

        # A transaction forced through anyway is refused before reaching the bank.
        tx = self._create_inter_tx(amount=2.0)
        with self.assertRaisesRegex(ValidationError, "2.5"):
            tx._inter_br_issue_charge()
        self.assertFalse(self.fake.requests)

    # --- 4. checking account ---

    def test_account_number_normalised_or_refused(self):
        self.inter.inter_br_account_number = "0012345-6"
        self.assertEqual(self.inter.inter_br_account_number, "123456")
        self._issue()
        self.assertEqual(
            {r[4].get("x-conta-corrente") for r in self.fake.requests if r[0]},
            {"123456"},
        )
        with self.assertRaises(ValidationError):
            self.inter.inter_br_account_number = "12A45-6"
        with self.assertRaises(ValidationError):
            self.inter.inter_br_account_number = "000-0"

    # --- 5. asynchronous issue, duplicates, 202 cancel ---

    def test_issue_is_asynchronous(self):
        tx = self._create_inter_tx()
        tx._inter_br_issue_charge()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.inter_br_situacao, "EM_PROCESSAMENTO")
        self.assertFalse(tx.inter_br_digitable_line)
        soon = [t.call_at for t in self._poll_triggers()]
        self.assertTrue(
            any(at > fields.Datetime.now() for at in soon),
            "the cron reads the charge again soon",
        )
        self.fake.advance(self.fake.registration_seconds)
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.inter_br_situacao, "A_RECEBER")
        self.assertEqual(len(tx.inter_br_digitable_line), 47)
        self.assertTrue(tx.inter_br_pix_code)

    def test_lost_answer_retried_next_day_never_issues_twice(self):
        """The answer of the first attempt is lost, and the bank does not list the
        charge yet when the retry comes (the next day): the retry sends the same
        charge (same due date), which Inter refuses as a duplicate; the transaction is
        kept, then adopts the charge. Never a second boleto, never an error."""
        tx = self._create_inter_tx()
        self.fake.inject("issue", 504, None, create=True)
        with mute_logger(PROVIDER_LOGGER):
            self.assertFalse(tx._inter_br_try_issue_charge())
        first_due = next(iter(self.fake.charges.values()))["cobranca"]["dataVencimento"]
        self.fake.inject(
            "list", 200, {"totalPaginas": 1, "totalElementos": 0, "cobrancas": []}
        )
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        with freeze_time(tomorrow), mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self.fake.advance(-86400)  # the bank's clock: minutes after the loss
            self.env["payment.transaction"]._cron_inter_br_poll()
            self.fake.advance(86400)
        self.assertEqual(len(self.fake.charges), 1, "no second boleto")
        self.assertEqual(tx.state, "draft", "kept for a retry, not in error")
        self.assertTrue(tx.inter_br_retry_needed)
        self.assertEqual(self.fake.count_status(400, "issue"), 1)

        self._next_minute()
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.provider_reference, next(iter(self.fake.charges)))
        self.assertEqual(tx.inter_br_due_date.isoformat(), first_due)
        self.assertEqual(len(self.fake.charges), 1)

    def test_cancel_takes_effect_later_and_a_payment_meanwhile_counts(self):
        tx = self._issue()
        tx.action_inter_br_cancel()
        self.assertEqual(self.fake.count_status(202, "cancel"), 1)
        self.assertEqual(tx.state, "pending", "Inter cancels later")
        self.assertTrue(tx.inter_br_cancel_requested)
        # Paid before the bank processed the cancellation: the payment is kept.
        self.fake.pay(tx.provider_reference)
        self._deliver_webhooks()
        self.assertEqual(tx.state, "done")

    # --- 6. per-minute rate limits ---

    def test_rate_limited_issue_is_kept_without_waiting(self):
        tx = self._create_inter_tx()
        self.fake.inject("issue", 429)
        with mute_logger(PROVIDER_LOGGER):
            self.assertFalse(tx._inter_br_try_issue_charge())
        self.assertEqual(self.fake.count("issue"), 1, "no retry within the minute")
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.inter_br_retry_needed)
        with self.assertRaises(exceptions.InterBrRateLimitedError):
            self.fake.inject("list", 429)
            self.inter._inter_br_make_request(
                "/cobranca/v3/cobrancas",
                params={"dataInicial": "2026-01-01", "dataFinal": "2026-01-31"},
            )

    def test_poll_respects_the_per_minute_limit(self):
        """12 pending charges, 10 calls a minute in the sandbox: the poll reads a
        batch, never gets a 429, and comes back a minute later for the rest."""
        txs = self.env["payment.transaction"]
        for index in range(12):
            tx = self._create_inter_tx(reference=f"INTER-RATE-{index}")
            payload = tx._inter_br_prepare_charge_payload()
            with self.fake.lock:
                codigo = self.fake.create_charge(payload)
            tx.write(
                {
                    "provider_reference": codigo,
                    "inter_br_seu_numero": payload["seuNumero"],
                }
            )
            tx._set_pending()
            txs |= tx
        for codigo in self.fake.charges:
            self.fake.pay(codigo, fire_webhook=False)
        self._poll_triggers().unlink()

        self.env["payment.transaction"]._cron_inter_br_poll()
        done = txs.filtered(lambda t: t.state == "done")
        self.assertTrue(done)
        self.assertLess(len(done), 12)
        self.assertEqual(self.fake.count_status(429), 0)
        self.assertTrue(
            any(
                t.call_at >= fields.Datetime.now() + timedelta(seconds=50)
                for t in self._poll_triggers()
            ),
            "the cron comes back after the minute",
        )

        self._next_minute()
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(set(txs.mapped("state")), {"done"})
        self.assertEqual(self.fake.count_status(429), 0)

    def test_rate_limited_poll_fails_nothing(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference, fire_webhook=False)
        self.fake.inject("read", 429)
        with mute_logger(PROVIDER_LOGGER, TX_LOGGER):
            self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "pending")
        self._next_minute()
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "done")

    # --- 8. read answers ---

    def test_digitable_line_shown_in_groups(self):
        tx = self._issue()
        raw = self.fake.charges[tx.provider_reference]["boleto"]["linhaDigitavel"]
        self.assertRegex(raw, r"^\d{47}$")
        self.assertEqual(tx.inter_br_digitable_line, raw)
        self.assertRegex(
            tx._inter_br_get_digitable_line_display(),
            r"^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$",
        )
        # `valorTotalRecebido` is a string in the read answer.
        self.fake.pay(tx.provider_reference, fire_webhook=False)
        received = self.fake.charges[tx.provider_reference]["cobranca"][
            "valorTotalRecebido"
        ]
        self.assertIsInstance(received, str)
        tx.action_inter_br_refresh()
        self.assertEqual(tx.state, "done")

    # --- LGPD: no personal data in logs or shared messages ---

    def test_webhook_body_not_logged(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference)
        with self.assertLogs(CONTROLLER_LOGGER, level="DEBUG") as logs:
            self._deliver_webhooks()
        output = "\n".join(logs.output)
        self.assertIn(tx.provider_reference, output)
        self.assertNotIn(tx.inter_br_pix_code, output)
        self.assertNotIn("pixCopiaECola", output)
        self.assertEqual(tx.state, "done")

    def test_refusal_messages_carry_no_personal_data(self):
        self.payer.vat = "111.111.111-12"
        tx = self._create_inter_tx()
        self.assertFalse(tx._inter_br_try_issue_charge())
        self.assertEqual(tx.state, "error")
        self.assertNotIn("111.111.111-12", tx.state_message)
        self.payer.write({"vat": TEST_CPF, "zip": "0100"})
        tx2 = self._create_inter_tx(reference="INTER-TEST-2")
        self.assertFalse(tx2._inter_br_try_issue_charge())
        self.assertEqual(tx2.state, "error")
        self.assertNotIn("0100", tx2.state_message)

    # --- an alphanumeric CNPJ (issued since July 2026) reaches the bank as typed ---

    def test_alphanumeric_cnpj_sent_to_the_bank(self):
        self.payer.write({"vat": "12.ABC.345/01DE-35", "is_company": True})
        tx = self._create_inter_tx()
        tx._inter_br_issue_charge()
        self.assertEqual(tx.state, "pending")
        charge = next(iter(self.fake.charges.values()))
        payer = charge["cobranca"]["pagador"]
        self.assertEqual(payer["cpfCnpj"], "12ABC34501DE35")
        self.assertEqual(payer["tipoPessoa"], "JURIDICA")

    def test_declared_as_a_brazilian_provider(self):
        """Products built on payment_br_base (the coworking signup) list Inter
        without naming it."""
        self.assertIn("inter_br", self.env["payment.provider"]._get_br_provider_codes())
