# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PIX charges through Efí's Pix API: payment_pix_br's provider and BACEN client, with
Efí as the PSP configuration and the Efí provider's credentials and .p12."""

import base64
import json
from urllib.parse import urlparse

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_pix_br.tests.fake_psp import PIX_KEY
from odoo.addons.payment_pix_br.tools import bacen_client

from .common import EfiBrCommon


@tagged("post_install", "-at_install")
class TestPixThroughEfi(EfiBrCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pix_provider, cls.pix = cls._setup_pix_through_efi()

    def setUp(self):
        super().setUp()
        bacen_client.clear_token_cache()

    def test_pix_charge_at_efi_paid_by_webhook(self):
        invoice = self._create_invoice(amount=237.5)
        tx, form = self._start_invoice_payment(invoice, self.pix_provider, self.pix)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        cob = self.fake_pix.cobs[tx.pix_br_txid]
        self.assertEqual(cob["valor"]["original"], "237.50")
        # Efí's token call: HTTP Basic on /oauth/token, over mutual TLS
        self.assertEqual(self.fake_pix.count("POST", "/oauth/token"), 1)
        self.assertEqual(self.fake_pix.count("PUT", "/v2/cob/"), 1)
        self.assertFalse(self.fake.requests, "the charges API is not involved")

        self.fake_pix.pay(tx.pix_br_txid)
        webhook = urlparse(self.pix_provider._pix_br_get_webhook_url()).path
        response = self.url_open(
            webhook + "/pix",
            data=json.dumps(self.fake_pix.webhooks.pop(0)),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        # one token serves every scope at Efí
        self.assertEqual(self.fake_pix.count("POST", "/oauth/token"), 1)

    def test_register_webhook_skips_efi_mtls_check(self):
        # Efí, like BACEN's API, takes only an https webhook URL
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://coworking.example"
        )
        self.pix_provider.action_pix_br_register_webhook()
        self.assertEqual(
            self.fake_pix.webhook_urls[PIX_KEY],
            self.pix_provider._pix_br_get_webhook_url(),
        )

    def test_credentials_are_read_from_the_efi_provider(self):
        client = self.pix_provider._pix_br_get_client()
        self.assertEqual(client.base_url, self.fake_pix.url)
        self.assertEqual(client.token_path, "/oauth/token")
        self.assertEqual(client.path_prefix, "/v2")
        self.assertIn(b"BEGIN CERTIFICATE", client.cert_pem)
        self.assertIn(b"PRIVATE KEY", client.key_pem)
        # a new secret is entered once, on the Efí provider
        self.efi.efi_br_client_secret = "renewed"
        self.assertEqual(
            self.pix_provider._pix_br_get_client().client_secret, "renewed"
        )
        self.efi.efi_br_certificate = False
        with self.assertRaisesRegex(ValidationError, "p12"):
            self.pix_provider._pix_br_get_client()
        with self.assertRaises(ValidationError):
            self.pix_provider.pix_br_efi_provider_id = False

    def test_pix_api_requires_the_client_certificate(self):
        client = self.pix_provider._pix_br_get_client()
        client.cert_pem = self.fake.client_cert_pem  # another CA's certificate
        client.key_pem = self.fake.client_key_pem
        with (
            mute_logger("odoo.addons.payment_pix_br.tools.bacen_client"),
            self.assertRaises(bacen_client.BacenPixUnavailable),
        ):
            client.get_cob("a" * 32)
        self.assertFalse(self.fake_pix.tokens)

    def test_a_p12_with_a_password_serves_the_pix_api(self):
        p12 = base64.b64encode(self.fake_pix.client_p12(password=b"s3nh@"))
        with self.assertRaisesRegex(ValidationError, "password"):
            self.efi.efi_br_certificate = p12  # its password not given
        self.efi.write(
            {"efi_br_certificate": p12, "efi_br_certificate_password": "s3nh@"}
        )
        self.assertIn("valid until", self.efi.efi_br_certificate_info)
        # the PIX charge goes through Efí's mutual TLS with the opened .p12
        invoice = self._create_invoice(amount=80.0)
        tx, form = self._start_invoice_payment(invoice, self.pix_provider, self.pix)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(
            self.fake_pix.cobs[tx.pix_br_txid]["valor"]["original"], "80.00"
        )
        with self.assertRaisesRegex(ValidationError, "password"):
            self.efi.efi_br_certificate_password = "wrong"
