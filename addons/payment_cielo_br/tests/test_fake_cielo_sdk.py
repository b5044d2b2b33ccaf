# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fake Cielo driven by Cielo's API 3.0 Python SDK (cieloapi3-py3, pinned in
requirements-dev.txt), which no one here wrote: the fake speaks Cielo's protocol,
not our client's."""

from unittest.mock import patch

import requests
from cieloApi3 import CieloEcommerce, CreditCard, Customer, Merchant, Payment, Sale

from odoo.tests import TransactionCase, tagged

from .common import CARD_AUTHORISED
from .fake_cielo import MERCHANT_ID, MERCHANT_KEY, FakeCieloServer


class _Environment:
    """The SDK's Environment, pointed at the fake instead of Cielo's hosts."""

    def __init__(self, url):
        self.api = url + "/"
        self.api_query = url + "/"


@tagged("post_install", "-at_install")
class TestFakeCieloWithSdk(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCieloServer.start_for(cls)
        ca_path = cls.fake.ca_path

        class TrustingSession(requests.Session):
            # The SDK's session trusts the system's CAs only; the fake's is local.
            def __init__(self):
                super().__init__()
                self.verify = ca_path

        patcher = patch("cieloApi3.request.base.Session", TrustingSession)
        patcher.start()
        cls.addClassCleanup(patcher.stop)

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.cielo = CieloEcommerce(
            Merchant(MERCHANT_ID, MERCHANT_KEY), _Environment(self.fake.url)
        )

    def _sale(self, number, order="SDK-1", capture=None, save=None, amount=15700):
        sale = Sale(order)
        sale.customer = Customer("Comprador Teste")
        card = CreditCard("123", "Visa")
        card.expiration_date = "12/2030"
        card.card_number = number
        card.holder = "Teste Holder"
        card.save_card = save
        sale.payment = Payment(amount)
        sale.payment.credit_card = card
        sale.payment.capture = capture
        return sale

    def test_sale_by_last_digit(self):
        expected = {
            "1": (1, "4"),
            "2": (3, "05"),
            "3": (3, "57"),
            "5": (3, "78"),
            "6": (3, "99"),
            "7": (3, "77"),
            "8": (3, "70"),
        }
        for digit, (status, code) in expected.items():
            answer = self.cielo.create_sale(self._sale(CARD_AUTHORISED[:-1] + digit))
            payment = answer["Payment"]
            self.assertEqual((payment["Status"], payment["ReturnCode"]), (status, code))
            self.assertEqual(
                payment["CreditCard"]["CardNumber"], "402400******293" + digit
            )

    def test_sale_capture_query_and_void(self):
        sale = self._sale(CARD_AUTHORISED)
        self.cielo.create_sale(sale)
        payment_id = sale.payment.payment_id
        self.assertTrue(payment_id)
        captured = self.cielo.capture_sale(payment_id, 15700)
        self.assertEqual((captured["Status"], captured["ReasonCode"]), (2, 0))
        read = self.cielo.get_sale(payment_id)
        self.assertEqual(read["Payment"]["CapturedAmount"], 15700)
        refunded = self.cielo.cancel_sale(payment_id, 15700)
        self.assertEqual(refunded["Status"], 11)
        with self.assertRaisesRegex(Exception, "309"):
            self.cielo.cancel_sale(payment_id, 100)

    def test_captured_at_once_and_saved_card(self):
        sale = self._sale(CARD_AUTHORISED, capture=True, save=True)
        answer = self.cielo.create_sale(sale)
        self.assertEqual(answer["Payment"]["Status"], 2)
        card_token = answer["Payment"]["CreditCard"]["CardToken"]
        # A later charge with the saved card, as a recurrent one.
        again = Sale("SDK-2")
        card = CreditCard(None, "Visa")
        card.card_token = card_token
        again.payment = Payment(15700)
        again.payment.credit_card = card
        again.payment.recurrent = True
        answer = self.cielo.create_sale(again)
        self.assertEqual(answer["Payment"]["Status"], 1)
        self.assertTrue(answer["Payment"]["Recurrent"])

    def test_card_token_endpoint(self):
        card = CreditCard("123", "Master")
        card.card_number = "5555666677778884"
        card.holder = "Teste Holder"
        card.expiration_date = "12/2030"
        card.customer_name = "Comprador Teste"
        self.cielo.create_card_token(card)
        self.assertIn(card.card_token, self.fake.cards)

    def test_refusals(self):
        sale = self._sale("4024007197692931", order="X" * 51)
        with self.assertRaisesRegex(Exception, "148"):
            self.cielo.create_sale(sale)
        sale = self._sale("4024007197692931")
        sale.payment.credit_card.expiration_date = "13/2030"
        sale.payment.credit_card.brand = "Visaa"
        with self.assertRaisesRegex(Exception, r"126[\s\S]*185|185[\s\S]*126"):
            self.cielo.create_sale(sale)
        with self.assertRaisesRegex(Exception, "Amount"):
            self.cielo.create_sale(self._sale("4024007197692931", amount=-5))
        with self.assertRaisesRegex(Exception, "308"):
            first = self._sale(CARD_AUTHORISED[:-1] + "2")
            self.cielo.create_sale(first)
            self.cielo.capture_sale(first.payment.payment_id)
        self.assertFalse(self.fake.charged())

    def test_wrong_merchant_key(self):
        cielo = CieloEcommerce(
            Merchant(MERCHANT_ID, "not-the-key"), _Environment(self.fake.url)
        )
        with self.assertRaisesRegex(Exception, "132"):
            cielo.create_sale(self._sale(CARD_AUTHORISED))
        self.assertFalse(self.fake.sales)
