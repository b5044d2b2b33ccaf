# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
from unittest.mock import patch
from urllib.parse import urlparse

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_br_base.tests.common import BrPaymentCommonMixin

from ..models import payment_provider as provider_module
from .fake_inter import CLIENT_ID, CLIENT_SECRET, FakeInterServer


class InterBrCommon(BrPaymentCommonMixin, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeInterServer.start_for(cls)
        cls.country_brazil = cls.env.ref("base.br")
        cls._br_setup_payer(address=True)
        cls.inter = cls._br_setup_provider(
            "inter_br",
            {
                "inter_br_client_id": CLIENT_ID,
                "inter_br_client_secret": CLIENT_SECRET,
                "inter_br_certificate_upload": base64.b64encode(
                    cls.fake.client_cert_pem
                ),
                "inter_br_certificate_key_upload": base64.b64encode(
                    cls.fake.client_key_pem
                ),
                "inter_br_api_url": cls.fake.url,
                "inter_br_ca_bundle": cls.fake.ca_pem.decode(),
                "inter_br_account_number": "12345678",
            },
        )
        cls.boleto, cls.pix = cls._br_setup_payment_methods("boleto", "pix")
        cls.reference = "INTER-TEST-1"

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.inter._inter_br_clear_token_cache()

    # --- helpers ---

    def _create_inter_tx(self, **values):
        return self._create_transaction("redirect", **values)

    def _issue(self, **values):
        """Issue a charge and let the bank register it (boleto and PIX known)."""
        tx = self._create_inter_tx(**values)
        tx._inter_br_issue_charge()
        self._register(tx)
        return tx

    def _register(self, tx):
        """The bank finishes registering the charge; Odoo reads it back."""
        self.fake.register(tx.provider_reference)
        tx.action_inter_br_refresh()

    def _next_minute(self):
        """Move the fake bank's clock to the next minute (per-minute rate limits)."""
        self.fake.advance(61)

    def _move_clock(self, seconds):
        """Move the clock of the token cache `seconds` ahead."""
        now = provider_module._now()
        return patch.object(provider_module, "_now", lambda: now + seconds)

    def _webhook_path(self, provider=None, secret=None):
        provider = provider or self.inter
        path = urlparse(provider._inter_br_get_webhook_url()).path
        if secret is not None:
            path = path.rsplit("/", 1)[0] + "/" + secret
        return path

    def _post_webhook(self, items, path=None):
        return self.url_open(
            path or self._webhook_path(),
            data=json.dumps(items),
            headers={"Content-Type": "application/json"},
        )

    def _deliver_webhooks(self):
        """Deliver to Odoo the webhooks fired by the fake server's `pagar`."""
        responses = []
        while self.fake.webhooks:
            responses.append(self._post_webhook(self.fake.webhooks.pop(0)))
        return responses
