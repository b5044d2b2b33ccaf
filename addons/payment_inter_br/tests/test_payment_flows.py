# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Over 400 lines: every payment flow against the fake Inter (issue, notify, poll,
# cancel, pages) shares this module's setup.

import json
from datetime import timedelta
from urllib.parse import urlparse

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_inter_br.utils import get_missing_payer_fields

from .common import InterBrCommon
from .fake_inter import FAKE_PDF

PROVIDER_LOGGER = "odoo.addons.payment_inter_br.models.payment_provider"
TX_LOGGER = "odoo.addons.payment_inter_br.models.payment_transaction"
CONTROLLER_LOGGER = "odoo.addons.payment_inter_br.controllers.main"


@tagged("post_install", "-at_install")
class TestPaymentFlows(InterBrCommon):
    # --- journey ---

    def test_invoice_journey_boleto_pix_paid(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self.assertEqual(tx.state, "draft")
        self.assertEqual(tx.invoice_ids, invoice)
        self.assertEqual(form["action"], "/payment/inter_br/process")
        self.assertFalse(
            self.fake.requests, "no request before the transaction is saved"
        )

        status_page = self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self.fake.count("issue"), 1)
        # Registration at Inter is asynchronous: no boleto yet.
        self.assertEqual(tx.inter_br_situacao, "EM_PROCESSAMENTO")
        self.assertFalse(tx.inter_br_digitable_line)
        self.assertIn("o_inter_br_boleto_waiting", status_page.text)
        self.fake.register(tx.provider_reference)
        # The page's refresh link reads the charge once it is registered.
        status_page = self.url_open(tx._inter_br_get_boleto_url())
        self.assertEqual(tx.inter_br_situacao, "A_RECEBER")
        charge = self.fake.charges[tx.provider_reference]
        body = charge["cobranca"]
        self.assertEqual(body["seuNumero"], tx.inter_br_seu_numero)
        self.assertLessEqual(len(tx.inter_br_seu_numero), 15)
        self.assertEqual(body["valorNominal"], invoice.amount_total)
        self.assertEqual(body["dataVencimento"], invoice.invoice_date_due.isoformat())
        payer = body["pagador"]
        self.assertEqual(payer["cpfCnpj"], "52998224725")
        self.assertEqual(payer["tipoPessoa"], "FISICA")
        self.assertEqual(payer["endereco"], "Rua das Flores")
        self.assertEqual(payer["numero"], "123")
        self.assertEqual(payer["bairro"], "Centro")
        self.assertEqual(payer["uf"], "SP")
        self.assertEqual(payer["cep"], "01001000")
        self.assertEqual((payer["ddd"], payer["telefone"]), ("11", "987654321"))

        # The status page shows the boleto and the PIX code.
        page = status_page.text
        line = tx._inter_br_get_digitable_line_display()
        self.assertEqual(
            line.replace(".", "").replace(" ", ""), tx.inter_br_digitable_line
        )
        self.assertIn(line, page)
        self.assertIn(charge["pix"]["pixCopiaECola"], page)
        self.assertIn("data:image/png;base64,", page)
        self.assertIn("o_inter_br_copy", page)
        self.assertIn(f"/payment/inter_br/pdf/{tx.id}?access_token=", page)

        # The PDF is served by our controller after an access check.
        pdf = self.url_open(tx._inter_br_get_pdf_url())
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(pdf.content, FAKE_PDF)
        self.opener.cookies.clear()  # Another visitor, without the session.
        forbidden = self.url_open(f"/payment/inter_br/pdf/{tx.id}?access_token=wrong")
        self.assertEqual(forbidden.status_code, 403)

        # The invoice's portal page shows the boleto too.
        invoice_page = self.url_open(invoice.get_portal_url())
        self.assertIn(line, invoice_page.text)

        # A stable link opens the status page of the boleto from another session.
        self.opener.cookies.clear()
        boleto_page = self.url_open(tx._inter_br_get_boleto_url())
        self.assertEqual(urlparse(boleto_page.url).path, "/payment/status")
        self.assertIn(charge["pix"]["pixCopiaECola"], boleto_page.text)

        # Sandbox payment: Inter fires the webhook, which Odoo verifies against the API.
        tx.action_inter_br_simulate_payment()
        self.assertEqual(self.fake.count("pagar"), 1)
        self.assertEqual(tx.state, "pending", "nothing changes before the webhook")
        responses = self._deliver_webhooks()
        self.assertEqual([r.status_code for r in responses], [200])
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.fake.count("read"), 3, "the charge is read back")

        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_status_page_in_browser_copy_button(self):
        """The boleto page works in a real browser: assets load without error and the
        copy button copies the PIX code."""
        tx = self._issue()
        self._br_check_copy_button(
            tx._inter_br_get_boleto_url(),
            '.o_inter_br_copy[data-target="o_inter_br_pix_code"]',
            "img.o_inter_br_pix_qr",
            ".o_inter_br_boleto.o_br_copy_ready",
        )

    def test_missing_address_names_fields_and_sends_nothing(self):
        self.payer.write({"street": False, "zip": False, "state_id": False})
        self.assertEqual(
            get_missing_payer_fields(self.payer),
            ["street and number", "state", "ZIP code (CEP)"],
        )
        invoice = self._create_invoice()
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/invoice/transaction/{invoice.id}",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": self._invoice_transaction_params(invoice),
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        message = response.json()["error"]["data"]["message"]
        self.assertTrue(message.startswith("Banco Inter: "))
        for label in ("street and number", "state", "ZIP code (CEP)"):
            self.assertIn(label, message)
        self.assertNotIn("city", message)
        self.assertFalse(self.fake.requests, "no request reached the bank")

        # Same check on the model side.
        tx = self._create_inter_tx()
        with self.assertRaisesRegex(ValidationError, "street and number"):
            tx._inter_br_issue_charge()
        self.assertFalse(self.fake.requests)

    def test_missing_address_message_translated(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.payer.write({"city": False, "zip": False})
        tx = self._create_inter_tx().with_context(lang="pt_BR")
        with self.assertRaises(ValidationError) as error:
            tx._inter_br_issue_charge()
        self.assertIn("Preencha: cidade, CEP.", str(error.exception))
        self.assertFalse(self.fake.requests)

    def test_invalid_cpf_refused_before_the_bank(self):
        self.payer.vat = "111.111.111-12"
        tx = self._create_inter_tx()
        with self.assertRaisesRegex(ValidationError, "CPF or CNPJ"):
            tx._inter_br_issue_charge()
        self.assertFalse(self.fake.requests)

    def test_company_payer(self):
        self.payer.write({"is_company": True, "vat": "11.222.333/0001-81"})
        tx = self._issue()
        payer = self.fake.charges[tx.provider_reference]["cobranca"]["pagador"]
        self.assertEqual(payer["tipoPessoa"], "JURIDICA")
        self.assertEqual(payer["cpfCnpj"], "11222333000181")

    def test_long_reference_fits_seu_numero(self):
        tx = self._issue(reference="S00042-20260207-CONTRACT-1")
        self.assertEqual(len(tx.inter_br_seu_numero), 15)
        self.assertTrue(tx.inter_br_seu_numero.endswith(f"-{tx.id}"))
        self.assertEqual(tx.state, "pending")

    # --- bank down ---

    def test_bank_down_then_retry_issues_once(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self.fake.inject("issue", 503, {"title": "Service Unavailable"})
        with mute_logger(PROVIDER_LOGGER):
            status_page = self._submit_redirect_form(form)
        self.assertEqual(tx.state, "draft", "the transaction is kept")
        self.assertTrue(tx.inter_br_retry_needed)
        self.assertIn("could not be reached", tx.state_message)
        self.assertIn("/payment/inter_br/retry", status_page.text)
        self.assertFalse(self.fake.charges)

        # The visitor retries from the status page.
        csrf = self._extract_csrf(status_page.text)
        response = self.url_open(
            "/payment/inter_br/retry",
            data={
                "csrf_token": csrf,
                "tx_id": tx.id,
                "access_token": tx._inter_br_get_access_token(),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "pending")
        self.assertFalse(tx.inter_br_retry_needed)
        self.assertEqual(len(self.fake.charges), 1)
        self.assertIn("o_inter_br_boleto_waiting", response.text)

        # Retrying again (double submit, cron) issues nothing more.
        tx._inter_br_try_issue_charge()
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(len(self.fake.charges), 1)

    def test_lost_answer_then_retry_adopts_the_charge(self):
        """The bank created the charge but its answer was lost: the retry finds it by
        `seuNumero` instead of issuing a second one."""
        tx = self._create_inter_tx()
        self.fake.inject("issue", 504, None, create=True)
        with mute_logger(PROVIDER_LOGGER):
            self.assertFalse(tx._inter_br_try_issue_charge())
        self.assertEqual(len(self.fake.charges), 1)
        self.assertEqual(tx.state, "draft")

        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.charges), 1, "the charge is issued exactly once")
        self.assertEqual(self.fake.count("issue"), 1)
        self.assertEqual(tx.provider_reference, next(iter(self.fake.charges)))

    def test_bank_unreachable_then_cron_issues(self):
        tx = self._create_inter_tx()
        self.inter.inter_br_api_url = "https://127.0.0.1:1"
        with mute_logger(PROVIDER_LOGGER):
            tx._inter_br_try_issue_charge()
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.inter_br_retry_needed)

        self.inter.inter_br_api_url = self.fake.url
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.charges), 1)

    def test_incomplete_setup_keeps_the_transaction_for_a_retry(self):
        certificate = self.inter.inter_br_certificate
        self.inter.inter_br_certificate = False
        tx = self._create_inter_tx()
        with mute_logger(TX_LOGGER):
            self.assertFalse(tx._inter_br_try_issue_charge())
        self.assertEqual(tx.state, "draft")
        self.assertTrue(tx.inter_br_retry_needed)
        self.assertIn("cannot be issued right now", tx.state_message)
        self.assertFalse(self.fake.requests)

        self.fake.inject(
            "token", 401, {"title": "Unauthorized", "detail": "Credenciais"}
        )
        self.inter.inter_br_certificate = certificate
        with mute_logger(TX_LOGGER, PROVIDER_LOGGER):
            self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "draft", "wrong credentials: still kept")

        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.fake.charges), 1)

    # --- webhook ---

    def test_webhook_wrong_secret_forbidden(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference)
        items = self.fake.webhooks.pop()
        with mute_logger(CONTROLLER_LOGGER):
            response = self._post_webhook(
                items, path=self._webhook_path(secret="forged")
            )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self.fake.count("read"), 2, "only the reads at issue time")

    def test_webhook_replayed_changes_nothing(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference)
        items = self.fake.webhooks.pop()
        self.assertEqual(self._post_webhook(items).status_code, 200)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        payment = tx.payment_id
        last_state_change = tx.last_state_change

        self.assertEqual(self._post_webhook(items).status_code, 200)
        tx._post_process()
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.payment_id, payment)
        self.assertEqual(tx.last_state_change, last_state_change)
        self.assertEqual(
            self.env["account.payment"].search_count(
                [("payment_transaction_id", "=", tx.id)]
            ),
            1,
        )

    def test_webhook_claim_denied_by_api_stays_pending(self):
        tx = self._issue()
        forged = {
            "codigoSolicitacao": tx.provider_reference,
            "seuNumero": tx.inter_br_seu_numero,
            "situacao": "RECEBIDO",
            "valorTotalRecebido": tx.amount,
        }
        self.assertEqual(self._post_webhook([forged]).status_code, 200)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.inter_br_situacao, "A_RECEBER")

    def test_webhook_amount_mismatch_not_done(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference, amount=tx.amount - 50)
        with self.assertLogs(TX_LOGGER, level="WARNING") as logs:
            self._deliver_webhooks()
        self.assertIn("not confirmed", logs.output[0])
        self.assertEqual(tx.state, "pending")
        self.assertIn("checked by hand", tx.state_message)

    def test_webhook_unknown_reference_acknowledged(self):
        response = self._post_webhook(
            [
                {
                    "codigoSolicitacao": "00000000-0000-0000-0000-000000000000",
                    "seuNumero": "X",
                }
            ]
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.fake.requests)

    def test_webhook_bank_down_acknowledged_then_poll(self):
        tx = self._issue()
        self.fake.pay(tx.provider_reference)
        self.fake.inject("read", 503, {"title": "Service Unavailable"})
        with mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER):
            responses = self._deliver_webhooks()
        self.assertEqual(responses[0].status_code, 200)
        self.assertEqual(tx.state, "pending")

        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "done")

    # --- polling and cancellation ---

    def test_poll_confirms_payment_when_webhook_is_lost(self):
        txs = self._issue() + self._issue(reference="INTER-TEST-2")
        self.fake.pay(txs[0].provider_reference, fire_webhook=False)
        self.env["payment.transaction"]._cron_inter_br_poll(batch_size=1)
        self.assertEqual(txs.mapped("state"), ["done", "pending"])
        self.fake.pay(txs[1].provider_reference, fire_webhook=False)
        self.env["payment.transaction"]._cron_inter_br_poll(batch_size=1)
        self.assertEqual(txs.mapped("state"), ["done", "done"])

    def test_poll_cancels_expired_charge(self):
        tx = self._issue()
        tx.inter_br_due_date = fields.Date.today() - timedelta(
            days=self.inter.inter_br_days_to_cancel + 1
        )
        self.fake.charges[tx.provider_reference]["cobranca"]["dataVencimento"] = (
            tx.inter_br_due_date.isoformat()
        )
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(self.fake.count("cancel"), 1)
        self.assertEqual(tx.state, "pending", "Inter cancels later (202)")
        self.assertTrue(tx.inter_br_cancel_requested)
        self.fake.advance(self.fake.cancel_seconds)
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(self.fake.count("cancel"), 1)
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(
            self.fake.charges[tx.provider_reference]["cobranca"]["situacao"],
            "CANCELADO",
        )

    def test_poll_cancels_abandoned_charge(self):
        invoice = self._create_invoice()
        tx = self._issue(invoice_ids=[(6, 0, invoice.ids)])
        invoice.button_draft()
        invoice.button_cancel()
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.fake.advance(self.fake.cancel_seconds)
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(self.fake.count("cancel"), 1)

    def test_bank_side_expiry_cancels_transaction(self):
        tx = self._issue()
        self.fake.charges[tx.provider_reference]["cobranca"]["situacao"] = "EXPIRADO"
        self.env["payment.transaction"]._cron_inter_br_poll()
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(self.fake.count("cancel"), 0)

    def test_operator_cancels_boleto(self):
        tx = self._issue()
        tx.action_inter_br_cancel()
        self.assertEqual(tx.state, "pending")
        self.assertIn("Cancellation requested", tx.state_message)
        self.fake.advance(self.fake.cancel_seconds)
        tx.action_inter_br_refresh()
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(
            self.fake.charges[tx.provider_reference]["cobranca"]["situacao"],
            "CANCELADO",
        )

    # --- utils ---

    def _extract_csrf(self, html):
        marker = 'name="csrf_token" value="'
        start = html.index(marker) + len(marker)
        return html[start : html.index('"', start)]
