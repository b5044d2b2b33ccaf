# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from decimal import Decimal

import requests

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import bacen_client, brcode
from .common import PixBrDynamicCommon
from .fake_psp import PREFIX, TOKEN_PATH

CLIENT_LOGGER = "odoo.addons.payment_pix_br.tools.bacen_client"
CONTROLLER_LOGGER = "odoo.addons.payment_pix_br.controllers.main"


@tagged("post_install", "-at_install")
class TestPixDynamic(PixBrDynamicCommon):
    def _client(self):
        return self.pix_provider._pix_br_get_client()

    # === The journey === #

    def test_dynamic_journey_charge_webhook_read_back_paid(self):
        invoice = self._create_invoice(amount=237.5)
        tx, form = self._start_invoice_payment(invoice)
        self.assertFalse(self.fake.requests, "nothing is sent before the form posts")
        status_page = self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        cob = self.fake.cobs[tx.pix_br_txid]
        self.assertEqual(len(tx.pix_br_txid), 32)
        self.assertEqual(cob["valor"]["original"], "237.50")
        self.assertEqual(cob["calendario"]["expiracao"], 1800)
        self.assertEqual(
            cob["devedor"], {"cpf": "52998224725", "nome": "Maria da Silva"}
        )
        self.assertEqual(cob["solicitacaoPagador"], tx.reference)
        data = brcode.parse(tx.pix_br_code)
        self.assertEqual(data["url"], cob["loc"]["location"])
        self.assertEqual((data["txid"], data["initiation"]), ("***", "12"))
        self.assertEqual(data["amount"], Decimal("237.50"))
        self.assertIsNone(data["key"])
        self.assertIn(tx.pix_br_code, status_page.text)
        self.assertEqual(self.fake.count("POST", TOKEN_PATH), 1)

        self.fake.pay(tx.pix_br_txid)
        self.assertEqual(tx.state, "pending", "nothing changes before the webhook")
        responses = self._deliver_webhooks()
        self.assertEqual([r.status_code for r in responses], [200])
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.fake.count("GET", f"{PREFIX}/cob/"), 1, "read back")
        # one token per scope (cob.write, then cob.read), each reused while valid
        self.assertEqual(self.fake.count("POST", TOKEN_PATH), 2)
        tx.action_pix_br_refresh()
        self.assertEqual(self.fake.count("POST", TOKEN_PATH), 2)
        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_webhook_is_only_a_hint(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.webhooks.append({"pix": [{"txid": tx.pix_br_txid, "valor": "1"}]})
        self.assertEqual([r.status_code for r in self._deliver_webhooks()], [200])
        self.assertEqual(tx.state, "pending", "the PSP still says ATIVA")

    def test_webhook_with_a_wrong_secret_is_forbidden(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.pay(tx.pix_br_txid)
        path = f"/payment/pix_br/webhook/{self.pix_provider.id}/wrong"
        with mute_logger(CONTROLLER_LOGGER):
            responses = self._deliver_webhooks(path)
        self.assertEqual([r.status_code for r in responses], [403])
        self.assertEqual(tx.state, "pending")

    def test_webhook_for_an_unknown_txid_is_acknowledged(self):
        self.fake.webhooks.append({"pix": [{"txid": "A" * 32}]})
        self.assertEqual([r.status_code for r in self._deliver_webhooks()], [200])

    def test_underpaid_charge_is_not_done(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.pay(tx.pix_br_txid, amount="1.00")
        self._deliver_webhooks()
        self.assertEqual(tx.state, "error")
        self.assertFalse(tx.payment_id)

    def test_cron_confirms_when_the_webhook_is_lost(self):
        _invoice, tx = self._pending_invoice_tx()
        other_invoice, other_tx = self._pending_invoice_tx()
        self.fake.pay(tx.pix_br_txid)
        self.fake.webhooks.clear()  # lost
        self.env["payment.transaction"]._cron_pix_br_poll()
        self.assertEqual((tx.state, other_tx.state), ("done", "pending"))
        self.assertTrue(other_tx.pix_br_last_poll)
        # The PSP is down: the cron logs, changes nothing and tries again later.
        self.fake.fail_next.append((503, {"title": "Servico indisponivel"}))
        with mute_logger(CLIENT_LOGGER):
            self.env["payment.transaction"]._cron_pix_br_poll()
        self.assertEqual(other_tx.state, "pending")

    def test_register_webhook_needs_write_access(self):
        user = new_test_user(self.env, login="pix_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.pix_provider.with_user(user).action_pix_br_register_webhook()
        self.assertFalse(self.fake.requests)

    def test_removed_charge_cancels(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.remove(tx.pix_br_txid)
        tx.action_pix_br_refresh()
        self.assertEqual(tx.state, "cancel")

    def test_expired_charge_cancels(self):
        _invoice, tx = self._pending_invoice_tx()
        tx.action_pix_br_refresh()
        self.assertEqual(tx.state, "pending")
        self.fake.expire(tx.pix_br_txid)
        tx.action_pix_br_refresh()
        self.assertEqual(tx.state, "cancel")

    def test_psp_unavailable_keeps_the_transaction_for_a_retry(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self.fake.fail_next.append((503, {"title": "Servico indisponivel"}))
        with mute_logger(CLIENT_LOGGER):
            self._submit_redirect_form(form)
        # The PSP may have made the charge: a retry asks for the same txid.
        self.assertEqual(tx.state, "draft")
        self.assertIn("try again", tx.state_message)
        self.assertFalse(tx.pix_br_code)
        self.assertTrue(tx._br_issue_charge())
        self.assertEqual(tx.state, "pending")
        self.assertEqual(list(self.fake.cobs), [tx.pix_br_txid])

    def test_register_webhook(self):
        # The PSP only calls HTTPS URLs.
        with (
            mute_logger(CLIENT_LOGGER),
            self.assertRaisesRegex(ValidationError, "webhookUrl"),
        ):
            self.pix_provider.action_pix_br_register_webhook()
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://coworking.example.com"
        )
        self.pix_provider.action_pix_br_register_webhook()
        self.assertEqual(
            self.fake.webhook_urls,
            {self.pix_provider.pix_br_key: self.pix_provider._pix_br_get_webhook_url()},
        )

    # === The fake PSP refuses what BACEN's OpenAPI refuses === #

    def test_psp_refuses_what_the_spec_refuses(self):
        client = self._client()
        good = {
            "calendario": {"expiracao": 3600},
            "valor": {"original": "10.00"},
            "chave": self.pix_provider.pix_br_key,
        }
        bad_cases = [
            ("A" * 25, good, "txid"),
            ("A" * 36, good, "txid"),
            ("A" * 32, dict(good, valor={"original": 10.0}), "cob.valor.original"),
            ("A" * 32, dict(good, valor={"original": "10.0"}), "cob.valor.original"),
            ("A" * 32, {"valor": {"original": "10.00"}}, "cob.chave"),
            (
                "A" * 32,
                dict(good, devedor={"cpf": "52998224725", "cnpj": "1", "nome": "X"}),
                "cob.devedor",
            ),
        ]
        for txid, body, prop in bad_cases:
            with self.subTest(prop=prop, txid=txid), mute_logger(CLIENT_LOGGER):
                with self.assertRaisesRegex(bacen_client.BacenPixError, prop):
                    client.put_cob(txid, body)
        self.assertFalse(self.fake.cobs)
        self.assertEqual(client.put_cob("B" * 35, good)["status"], "ATIVA")

    def test_revoked_token_renewed_once(self):
        _invoice, tx = self._pending_invoice_tx()
        self.fake.tokens.clear()  # revoked at the PSP, still cached here
        self.fake.pay(tx.pix_br_txid)
        tx.action_pix_br_refresh()
        self.assertEqual(tx.state, "done")

    def test_webhook_registration_without_the_scope_is_refused(self):
        self.fake.granted_scopes = {"cob.read", "cob.write"}
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://coworking.example.com"
        )
        with (
            mute_logger(CLIENT_LOGGER),
            self.assertRaisesRegex(ValidationError, "HTTP 403"),
        ):
            self.pix_provider.action_pix_br_register_webhook()
        # charges still work with the scopes granted
        _invoice, tx = self._pending_invoice_tx()
        self.assertEqual(tx.state, "pending")

    def test_psp_requires_the_client_certificate(self):
        with self.assertRaises(requests.exceptions.RequestException):
            requests.get(
                f"{self.fake.url}{PREFIX}/cob/{'A' * 32}",
                verify=self.fake.ca_path,
                timeout=5,
            )

    def test_missing_credentials_refused_before_any_request(self):
        self.pix_provider.pix_br_client_secret = False
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "error")
        self.assertIn("client ID and secret", tx.state_message)
        self.assertFalse(self.fake.requests)
