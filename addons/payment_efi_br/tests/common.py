# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from urllib.parse import urlparse

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_br_base.tests.common import TEST_CPF, BrPaymentCommonMixin
from odoo.addons.payment_pix_br.tests.fake_psp import PIX_KEY

from .fake_efi import CLIENT_ID, CLIENT_SECRET, FakeEfiPixServer, FakeEfiServer


class EfiBrCommon(BrPaymentCommonMixin, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeEfiServer.start_for(cls)
        cls.fake_pix = FakeEfiPixServer.start_for(cls)
        cls._br_setup_payer(phone="+55 (11) 98765-4321", vat=TEST_CPF)
        cls.efi = cls._br_setup_provider(
            "efi_br",
            {
                "efi_br_client_id": CLIENT_ID,
                "efi_br_client_secret": CLIENT_SECRET,
                "efi_br_certificate": base64.b64encode(cls.fake_pix.client_p12()),
                "efi_br_charges_url": cls.fake.url,
                "efi_br_pix_url": cls.fake_pix.url,
                # one trusted file for both fakes' authorities
                "efi_br_ca_bundle": (cls.fake.ca_pem + cls.fake_pix.ca_pem).decode(),
            },
        )
        (cls.boleto,) = cls._br_setup_payment_methods("boleto")
        cls.reference = "EFI-TEST-1"

    @classmethod
    def _setup_pix_through_efi(cls):
        """A dynamic PIX provider with Efí as its PSP, using this Efí provider's
        credentials and .p12 (for these tests and the product's journeys).

        :return: The PIX provider and Odoo's PIX payment method (activated).
        """
        pix_provider = cls._br_setup_provider(
            "pix_br",
            {
                "pix_br_key": PIX_KEY,
                "pix_br_receiver_name": "Coworking Ltda",
                "pix_br_receiver_city": "Sao Paulo",
                "pix_br_mode": "dynamic",
                "pix_br_psp": "efi",
                "pix_br_efi_provider_id": cls.efi.id,
            },
        )
        cls.provider = cls.efi  # the boleto stays the tests' default
        pix = cls.env.ref("payment.payment_method_pix")
        pix.active = True
        return pix_provider, pix

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.fake_pix.reset()
        self.efi._efi_br_clear_token_cache()

    # --- helpers ---

    def _deliver_notifications(self):
        """Efí POSTs each queued token (form field `notification`) to its URL."""
        responses = []
        while self.fake.notifications:
            url, token = self.fake.notifications.pop(0)
            responses.append(
                self.url_open(urlparse(url).path, data={"notification": token})
            )
        return responses
