# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
from urllib.parse import urlparse

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_br_base.tests.common import BrPaymentCommonMixin

from ..tools import bacen_client
from .fake_psp import CLIENT_ID, CLIENT_SECRET, FakePspServer

EVP_KEY = "123e4567-e12b-12d1-a456-426655440000"


class PixBrCommon(BrPaymentCommonMixin, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._br_setup_payer()
        cls.pix_provider = cls._br_setup_provider(
            "pix_br",
            {
                "pix_br_key": EVP_KEY,
                "pix_br_receiver_name": "Coworking Ação Ltda",
                "pix_br_receiver_city": "São Paulo",
            },
        )
        (cls.pix,) = cls._br_setup_payment_methods("pix")
        cls.reference = "PIX-TEST-1"

    # --- helpers ---

    def _pending_invoice_tx(self):
        invoice = self._create_invoice()
        tx, form = self._start_invoice_payment(invoice)
        self._submit_redirect_form(form)
        self.assertEqual(tx.state, "pending")
        return invoice, tx


class PixBrDynamicCommon(PixBrCommon):
    """The PIX provider in dynamic mode, at a fake PSP started for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakePspServer.start_for(cls)
        cls.payer.vat = "529.982.247-25"
        cls.pix_provider.write(
            {
                "pix_br_mode": "dynamic",
                "pix_br_psp": "inter",
                "pix_br_api_url": cls.fake.url,
                "pix_br_client_id": CLIENT_ID,
                "pix_br_client_secret": CLIENT_SECRET,
                "pix_br_certificate": base64.b64encode(cls.fake.client_cert_pem),
                "pix_br_certificate_key": base64.b64encode(cls.fake.client_key_pem),
                "pix_br_ca_bundle": cls.fake.ca_pem.decode(),
                "pix_br_expiry": 1800,
            }
        )

    def setUp(self):
        super().setUp()
        self.fake.reset()
        bacen_client.clear_token_cache()

    def _deliver_webhooks(self, path=None):
        path = path or urlparse(self.pix_provider._pix_br_get_webhook_url()).path
        responses = []
        while self.fake.webhooks:
            responses.append(
                self.url_open(
                    path + "/pix",
                    data=json.dumps(self.fake.webhooks.pop(0)),
                    headers={"Content-Type": "application/json"},
                )
            )
        return responses
