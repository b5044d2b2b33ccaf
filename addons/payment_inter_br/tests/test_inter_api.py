# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import glob
import os
import tempfile

import requests

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import file_open, mute_logger

from .. import const
from ..exceptions import InterBrUnavailableError
from .common import InterBrCommon

PROVIDER_LOGGER = "odoo.addons.payment_inter_br.models.payment_provider"


@tagged("post_install", "-at_install")
class TestInterApi(InterBrCommon):
    def test_fake_server_requires_client_certificate(self):
        """Mutual TLS is real: a request without the client certificate fails."""
        with self.assertRaises(requests.exceptions.RequestException):
            requests.get(
                self.fake.url + const.CHARGES_ENDPOINT,
                verify=self.fake.ca_path,
                timeout=5,
            )
        self.assertFalse(self.fake.requests)

    def test_request_uses_mtls_headers_and_removes_temporary_files(self):
        before = set(glob.glob(os.path.join(tempfile.gettempdir(), "inter_br_*")))
        result = self.inter._inter_br_make_request(
            const.CHARGES_ENDPOINT,
            params={"dataInicial": "2026-01-01", "dataFinal": "2026-01-31"},
        )
        self.assertEqual(result["cobrancas"], [])
        self.assertEqual(self.fake.count("token"), 1)
        self.assertEqual(self.fake.count("list"), 1)
        after = set(glob.glob(os.path.join(tempfile.gettempdir(), "inter_br_*")))
        self.assertEqual(
            before, after, "the certificate files must be removed after use"
        )

    def test_token_cached_per_scope_set_and_refreshed_before_expiry(self):
        params = {"dataInicial": "2026-01-01", "dataFinal": "2026-01-31"}
        self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.assertEqual(self.fake.count("token"), 1, "the token is cached")

        # Another scope set gets its own token.
        self.inter._inter_br_make_request(
            const.WEBHOOK_ENDPOINT,
            method="PUT",
            payload={"webhookUrl": "https://x.test/w"},
        )
        self.assertEqual(self.fake.count("token"), 2)
        self.assertEqual(
            self.fake.token_requests, [const.SCOPE_READ, const.SCOPE_WRITE]
        )

        # Still valid 61 s before expiry, renewed within the last 60 s.
        with self._move_clock(3600 - 61):
            self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.assertEqual(self.fake.count("token"), 2)
        with self._move_clock(3600 - 59):
            self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.assertEqual(
            self.fake.count("token"), 3, "the token is renewed before expiry"
        )

    def test_token_rejected_by_bank_is_renewed_once(self):
        params = {"dataInicial": "2026-01-01", "dataFinal": "2026-01-31"}
        self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.fake.tokens.clear()  # The bank forgot our token.
        self.inter._inter_br_make_request(const.CHARGES_ENDPOINT, params=params)
        self.assertEqual(self.fake.count("token"), 2)
        self.assertEqual(self.fake.count("list"), 3)

    def test_400_with_violacoes(self):
        """Inter's refusals carry `violacoes` (Portuguese): each reason reaches the
        message, never the refused value (it may be the payer's data)."""
        payload = self._create_inter_tx()._inter_br_prepare_charge_payload()
        payload["pagador"]["uf"] = "XX"
        payload["pagador"]["cep"] = "0100100"
        with mute_logger(PROVIDER_LOGGER), self.assertRaises(ValidationError) as error:
            self.inter._inter_br_make_request(
                const.CHARGES_ENDPOINT, method="POST", payload=payload
            )
        message = str(error.exception)
        self.assertTrue(message.startswith("Banco Inter: "))
        for part in (
            "Requisição inválida",
            "Existem campos inválidos.",
            "pagador.uf: UF inválida",
            "pagador.cep: deve ter 8 dígitos",
        ):
            self.assertIn(part, message)
        self.assertNotIn("0100100", message, "the refused value is not repeated")
        self.assertNotIsInstance(error.exception, InterBrUnavailableError)

        # Through the processing path, the transaction is set in error with the message.
        self.fake.inject("issue", 400, {"title": "Requisição inválida", "detail": "X"})
        tx2 = self._create_inter_tx(reference="INTER-TEST-2")
        with mute_logger(PROVIDER_LOGGER):
            self.assertFalse(tx2._inter_br_try_issue_charge())
        self.assertEqual(tx2.state, "error")
        self.assertIn("Requisição inválida", tx2.state_message)

    def test_connection_refused_is_unavailable(self):
        self.inter.inter_br_api_url = "https://127.0.0.1:1"
        with mute_logger(PROVIDER_LOGGER), self.assertRaises(InterBrUnavailableError):
            self.inter._inter_br_make_request(const.CHARGES_ENDPOINT)

    def test_missing_certificate(self):
        self.inter.inter_br_certificate = False
        with self.assertRaisesRegex(ValidationError, "certificate"):
            self.inter._inter_br_make_request(const.CHARGES_ENDPOINT)
        self.assertFalse(self.fake.requests)

    def test_certificate_upload_is_validated_and_never_shown_back(self):
        with self.assertRaises(ValidationError):
            self.inter.inter_br_certificate_upload = base64.b64encode(
                b"not a certificate"
            )
        with self.assertRaises(ValidationError):
            self.inter.inter_br_certificate_key_upload = base64.b64encode(b"not a key")
        self.assertFalse(self.inter.inter_br_certificate_upload)
        self.assertFalse(self.inter.inter_br_certificate_key_upload)
        self.assertIn("Coworking Inter Client", self.inter.inter_br_certificate_info)

    def test_neutralize_blanks_secrets(self):
        with file_open("payment_inter_br/data/neutralize.sql") as file:
            self.env.cr.execute(file.read())
        self.env.invalidate_all()
        self.assertFalse(self.inter.inter_br_client_secret)
        self.assertFalse(self.inter.inter_br_webhook_secret)
        self.assertFalse(self.inter.inter_br_certificate)
        self.assertFalse(self.inter.inter_br_certificate_key)

    def test_secrets_are_restricted_to_system_group(self):
        for fname in (
            "inter_br_client_secret",
            "inter_br_certificate",
            "inter_br_certificate_key",
            "inter_br_webhook_secret",
        ):
            self.assertEqual(self.inter._fields[fname].groups, "base.group_system")

    def test_hosts_follow_the_provider_state(self):
        self.inter.inter_br_api_url = False
        self.inter.state = "test"
        self.assertEqual(self.inter._inter_br_get_api_url(), const.API_URL_SANDBOX)
        self.inter.state = "enabled"
        self.assertEqual(self.inter._inter_br_get_api_url(), const.API_URL_PRODUCTION)

    def test_only_brl(self):
        self.assertEqual(self.inter._get_supported_currencies().mapped("name"), ["BRL"])
        self.assertEqual(
            self.inter._get_default_payment_method_codes(), {"boleto", "pix"}
        )

    def test_register_webhook(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://coworking.example.com"
        )
        action = self.inter.action_inter_br_register_webhook()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.fake.webhook_url, self.inter._inter_br_get_webhook_url())
        self.assertIn(self.inter.inter_br_webhook_secret, self.fake.webhook_url)
