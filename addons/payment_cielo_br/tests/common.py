# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import requests

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_br_base.tests.common import BrPaymentCommonMixin

from .fake_cielo import MERCHANT_ID, MERCHANT_KEY, FakeCieloServer

# Sandbox cards: the last digit decides Cielo's answer.
CARD_AUTHORISED = "4024007197692931"
CARD_DENIED = "4024007197692932"  # 05
CARD_EXPIRED = "4024007197692933"  # 57
CARD_BLOCKED = "4024007197692935"  # 78
CARD_TIME_OUT = "4024007197692936"  # 99
CARD_CANCELLED = "4024007197692937"  # 77
CARD_PROBLEM = "4024007197692938"  # 70


class CieloBrCommon(BrPaymentCommonMixin, AccountPaymentCommon, PaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCieloServer.start_for(cls)

        cls._br_setup_payer()
        cls.cielo = cls._br_setup_provider(
            "cielo_br",
            {
                "cielo_br_merchant_id": MERCHANT_ID,
                "cielo_br_merchant_key_input": MERCHANT_KEY,
                "cielo_br_api_url": cls.fake.url,
                "cielo_br_ca_bundle": cls.fake.ca_pem.decode(),
            },
        )
        (cls.card_method,) = cls._br_setup_payment_methods("card")
        cls.reference = "CIELO-TEST-1"

    def setUp(self):
        super().setUp()
        self.fake.reset()

    # --- the browser's side ---

    def _browser_tokenize(self, processing_values, number, tokenize=True):
        """What the payment form's script does: post the card to Cielo's Silent
        Order Post with the access token Odoo gave, and get Cielo's token."""
        response = requests.post(
            processing_values["cielo_br_sop_url"],
            data={
                "AccessToken": processing_values["cielo_br_sop_access_token"],
                "HolderName": "MARIA DA SILVA",
                "RawNumber": number,
                "Expiration": "12/2030",
                "SecurityCode": "123",
                "EnableTokenize": "true" if tokenize else "false",
            },
            timeout=10,
            verify=self.fake.ca_path,
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def _pay_route(self, processing_values, cielo_answer, brand="Visa", **extra):
        params = {
            "reference": processing_values["reference"],
            "access_token": processing_values["access_token"],
            "brand": brand,
            "card_token": cielo_answer.get("CardToken"),
            "payment_token": cielo_answer.get("PaymentToken"),
            **extra,
        }
        return self.make_jsonrpc_request("/payment/cielo_br/pay", params)

    def _pay_in_form(self, number=CARD_AUTHORISED, tokenize=True, **tx_values):
        """A payment typed in the payment form, start to end."""
        tx = self._create_transaction("direct", tokenize=tokenize, **tx_values)
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, number, tokenize=tokenize)
        self._pay_route(values, answer)
        return tx

    def _saved_card(self, number=CARD_AUTHORISED):
        """A card saved by a first payment in the form."""
        tx = self._pay_in_form(number=CARD_AUTHORISED, reference=f"FIRST-{number}")
        token = tx.token_id
        if number != CARD_AUTHORISED:
            # The card starts declining later (limit, blocked): same token at Cielo.
            self.fake.cards[token.provider_ref]["CardNumber"] = number
        return token
