# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local fake of Cielo's e-commerce API 3.0, for the tests: a second Cielo, not a
mirror of our client.

HTTPS on 127.0.0.1 (no client certificate: the MerchantId and MerchantKey headers
are the authentication, as at Cielo). It serves, on one host, what Cielo serves on
three: sales, capture, void (cancellation and refund) and card tokens (transaction
host), reads of a sale by PaymentId or MerchantOrderId (query host), and the Silent
Order Post (access token, card posted by the browser). It answers like the sandbox by
the card's last digit and refuses what Cielo refuses (`fake_cielo_rules`). Card
numbers live in this process's memory only, as at Cielo. `lose_next` makes it do an
operation and drop the connection without answering (a lost answer); `fail_next`
makes it answer an error instead.
"""

import datetime
import uuid

from odoo.addons.payment_br_base.tests.fake_https import FakeHttpsServer

from . import fake_cielo_rules as rules
from .fake_cielo_handler import FakeCieloHandler

MERCHANT_ID = "3f1d2c4b-5a69-4788-9e0f-a1b2c3d4e5f6"
MERCHANT_KEY = "FAKEMERCHANTKEYABCDEFGHIJKLMNOPQRSTUVWX0"


class FakeCieloServer(FakeHttpsServer):
    name = "fake_cielo"
    handler_class = FakeCieloHandler
    require_client_cert = False
    merchant_id = MERCHANT_ID
    merchant_key = MERCHANT_KEY

    def reset(self):
        with self.lock:
            self.sales = {}  # PaymentId -> sale (Cielo's JSON)
            self.sale_cards = {}  # PaymentId -> card number (in memory, as at Cielo)
            self.cards = {}  # CardToken -> card fields
            self.payment_tokens = {}  # PaymentToken -> card fields (single use)
            self.sop_tokens = set()  # AccessTokens of the Silent Order Post
            self.requests = []  # (operation, method, path, body, headers)
            self.lost = {}  # operation -> times its answer is lost
            self.failures = {}  # operation -> [(status, body)]

    # --- test helpers ---

    def lose_next(self, operation, times=1):
        """Do the next `times` `operation`s and drop their answers."""
        with self.lock:
            self.lost[operation] = self.lost.get(operation, 0) + times

    def fail_next(self, operation, status=503, body=None, times=1):
        """Answer the next `times` `operation`s with `status`, doing nothing."""
        with self.lock:
            self.failures.setdefault(operation, []).extend([(status, body)] * times)

    def operations(self, name):
        return [r for r in self.requests if r[0] == name]

    def sales_of(self, merchant_order_id):
        return [
            s for s in self.sales.values() if s["MerchantOrderId"] == merchant_order_id
        ]

    def charged(self):
        """The sales that took money (authorised or captured, not voided)."""
        return [s for s in self.sales.values() if s["Payment"]["Status"] in (1, 2)]

    # --- operations (called by the handler under the lock) ---

    def tokenize_card(self, card):
        """`POST /1/card` or the Silent Order Post with tokenisation: the card is
        kept here and a CardToken returned."""
        token = str(uuid.uuid4())
        self.cards[token] = dict(card)
        return token

    def create_sale(self, body):
        payment = body["Payment"]
        card_in = payment["CreditCard"]
        if card_in.get("CardToken"):
            card = self.cards.get(card_in["CardToken"])
        elif card_in.get("PaymentToken"):
            card = self.payment_tokens.pop(card_in["PaymentToken"], None)
        else:
            card = card_in
        if card is None:
            return None
        number = str(card["CardNumber"])
        capture = bool(payment.get("Capture"))
        status, code, message = rules.sandbox_answer(number, capture)
        payment_id = str(uuid.uuid4())
        card_out = {
            "CardNumber": rules.mask(number),
            "Holder": card.get("Holder"),
            "ExpirationDate": card.get("ExpirationDate"),
            "SaveCard": bool(card_in.get("SaveCard")),
            "Brand": card_in["Brand"],
        }
        if card_in.get("SaveCard") and status in (1, 2):
            card_out["CardToken"] = self.tokenize_card(
                {k: card[k] for k in ("CardNumber", "Holder", "ExpirationDate")}
            )
        sale = {
            "MerchantOrderId": body["MerchantOrderId"],
            "Customer": body.get("Customer") or {},
            "Payment": {
                "ServiceTaxAmount": 0,
                "Installments": payment.get("Installments", 1),
                "Interest": 0,
                "Capture": capture,
                "Authenticate": False,
                "Recurrent": bool(payment.get("Recurrent")),
                "CreditCard": card_out,
                "Tid": uuid.uuid4().hex[:20],
                "ProofOfSale": str(len(self.sales) + 100000),
                "AuthorizationCode": "123456" if status in (1, 2) else None,
                "SoftDescriptor": payment.get("SoftDescriptor"),
                "Provider": "Simulado",
                "Amount": payment["Amount"],
                "CapturedAmount": payment["Amount"] if status == 2 else 0,
                "VoidedAmount": 0,
                "ReceivedDate": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "Status": status,
                "ReturnCode": code,
                "ReturnMessage": message,
                "PaymentId": payment_id,
                "Type": "CreditCard",
                "Currency": "BRL",
                "Country": "BRA",
            },
        }
        self.sales[payment_id] = sale
        self.sale_cards[payment_id] = number
        return sale

    def capture(self, payment_id, amount):
        """(status, body) of `PUT /1/sales/{id}/capture`."""
        payment = self.sales[payment_id]["Payment"]
        if payment["Status"] != 1:
            return 400, [rules.error(308, "Transaction not available to capture")]
        amount = payment["Amount"] if amount is None else amount
        if amount <= 0 or amount > payment["Amount"]:
            return 400, [rules.error(316, "Invalid amount to capture")]
        payment.update(Status=2, CapturedAmount=amount, ReturnCode="6")
        return 200, self._update_answer(payment, "6")

    def void(self, payment_id, amount):
        """(status, body) of `PUT /1/sales/{id}/void`: cancels an authorisation,
        refunds (part of) a captured sale."""
        payment = self.sales[payment_id]["Payment"]
        if payment["Status"] == 1:
            if amount not in (None, payment["Amount"]):
                return 400, [rules.error(309, "Transaction not available to void")]
            payment.update(Status=10, VoidedAmount=payment["Amount"])
            return 200, self._update_answer(payment, "9")
        if payment["Status"] != 2:
            return 400, [rules.error(309, "Transaction not available to void")]
        left = payment["CapturedAmount"] - payment["VoidedAmount"]
        amount = left if amount is None else amount
        if amount <= 0 or amount > left:
            return 400, [rules.error(309, "Transaction not available to void")]
        payment["VoidedAmount"] += amount
        if payment["VoidedAmount"] == payment["CapturedAmount"]:
            payment["Status"] = 11
        return 200, self._update_answer(payment, "9")

    def _update_answer(self, payment, code):
        return {
            "Status": payment["Status"],
            "ReasonCode": 0,
            "ReasonMessage": "Successful",
            "ProviderReturnCode": code,
            "ProviderReturnMessage": "Operation Successful",
            "ReturnCode": code,
            "ReturnMessage": "Operation Successful",
        }
