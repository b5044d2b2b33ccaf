# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import (
    CARD_AUTHORISED,
    CARD_BLOCKED,
    CARD_DENIED,
    CieloBrCommon,
)


@tagged("post_install", "-at_install")
class TestPaymentFlows(CieloBrCommon):
    def test_first_payment_saves_the_card_as_a_token(self):
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=True)
        self.assertEqual(tx.state, "done")
        sale = self.fake.sales[tx.provider_reference]
        self.assertEqual(sale["MerchantOrderId"], tx.reference)
        self.assertEqual(sale["Payment"]["Amount"], 15000)
        self.assertFalse(sale["Payment"]["Recurrent"])
        token = tx.token_id
        self.assertTrue(token)
        self.assertEqual(token.payment_details, "2931")
        self.assertEqual(token.cielo_br_brand, "Visa")
        self.assertEqual(token.partner_id, self.payer)
        self.assertIn(token.provider_ref, self.fake.cards)
        self.assertEqual(token._build_display_name(), "Visa •••• 2931")
        # The browser got the token from Cielo; Odoo only asked for the access token.
        self.assertEqual(len(self.fake.operations("sop_access_token")), 1)
        self.assertEqual(len(self.fake.operations("sop_card")), 1)

    def test_payment_without_saving_uses_a_single_use_token(self):
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=False)
        self.assertEqual(tx.state, "done")
        self.assertFalse(tx.token_id)
        self.assertFalse(self.fake.cards)

    def test_declined_card_is_not_saved(self):
        tx = self._pay_in_form(CARD_DENIED, tokenize=True)
        self.assertEqual(tx.state, "error")
        self.assertEqual(tx.cielo_br_return_code, "05")
        self.assertIn("05", tx.state_message)
        self.assertFalse(tx.token_id)

    def test_blocked_card_message(self):
        tx = self._pay_in_form(CARD_BLOCKED, tokenize=False)
        self.assertEqual(tx.state, "error")
        self.assertIn("blocked", tx.state_message)

    def test_route_refuses_a_card_number(self):
        tx = self._create_transaction("direct", tokenize=True)
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, CARD_AUTHORISED)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._pay_route(values, answer, card_number=CARD_AUTHORISED)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self.fake.operations("sale"))

    def test_route_refuses_a_wrong_access_token(self):
        tx = self._create_transaction("direct", tokenize=True)
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, CARD_AUTHORISED)
        values["access_token"] = "forged"
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._pay_route(values, answer)
        self.assertEqual(tx.state, "draft")

    def test_a_transaction_is_paid_once(self):
        tx = self._create_transaction("direct", tokenize=True)
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, CARD_AUTHORISED)
        self._pay_route(values, answer)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._pay_route(values, answer)
        self.assertEqual(len(self.fake.operations("sale")), 1)

    def test_token_payment_in_the_portal(self):
        token = self._saved_card()
        tx = self._create_transaction("token", token_id=token.id, reference="TOK-1")
        tx._send_payment_request()
        self.assertEqual(tx.state, "done")
        sale = self.fake.sales[tx.provider_reference]
        self.assertEqual(sale["Payment"]["CreditCard"]["CardNumber"][-4:], "2931")

    def test_manual_capture_then_capture(self):
        self.cielo.capture_manually = True
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=False)
        self.assertEqual(tx.state, "authorized")
        self.assertEqual(self.fake.sales[tx.provider_reference]["Payment"]["Status"], 1)
        tx._send_capture_request()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.fake.sales[tx.provider_reference]["Payment"]["Status"], 2)

    def test_void_of_an_authorisation(self):
        self.cielo.capture_manually = True
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=False)
        tx._send_void_request()
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(
            self.fake.sales[tx.provider_reference]["Payment"]["Status"], 10
        )
        self.assertFalse(self.fake.charged())

    def test_refund_in_part_then_in_full(self):
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=False)
        refund = tx._send_refund_request(amount_to_refund=50.0)
        self.assertEqual(refund.state, "done")
        self.assertEqual(refund.amount, -50.0)
        payment = self.fake.sales[tx.provider_reference]["Payment"]
        self.assertEqual((payment["Status"], payment["VoidedAmount"]), (2, 5000))
        refund = tx._send_refund_request(amount_to_refund=100.0)
        self.assertEqual(refund.state, "done")
        self.assertEqual(payment["Status"], 11)

    def test_refund_beyond_the_sale_is_refused(self):
        tx = self._pay_in_form(CARD_AUTHORISED, tokenize=False)
        with self.assertRaisesRegex(ValidationError, "309"):
            tx._send_refund_request(amount_to_refund=200.0)
        self.assertEqual(self.fake.sales[tx.provider_reference]["Payment"]["Status"], 2)

    def test_wrong_key_is_reported(self):
        self.cielo.cielo_br_merchant_key_input = "WRONG"
        tx = self._create_transaction("direct")
        with self.assertRaisesRegex(ValidationError, "MerchantKey"):
            tx._get_processing_values()

    def test_merchant_key_is_write_only(self):
        self.assertFalse(self.cielo.cielo_br_merchant_key_input)
        self.assertTrue(self.cielo.cielo_br_merchant_key_set)
        field = self.env["payment.provider"]._fields["cielo_br_merchant_key"]
        self.assertEqual(field.groups, "base.group_system")

    def test_provider_is_brazilian(self):
        self.assertIn("cielo_br", self.env["payment.provider"]._get_br_provider_codes())
        self.assertTrue(self.cielo.support_tokenization)

    def test_card_saved_from_the_portal(self):
        """Validation (My Account > Payment Methods): the card replacing a declined
        one is checked with Zero Auth, saved, and nothing is charged."""
        tx = self._create_transaction(
            "direct", operation="validation", amount=0.0, tokenize=True
        )
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, CARD_AUTHORISED)
        self._pay_route(values, answer, brand="Master")
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.token_id.payment_details, "2931")
        self.assertEqual(tx.token_id.cielo_br_brand, "Master")
        self.assertFalse(self.fake.sales)
        self.assertEqual(len(self.fake.operations("zero_auth")), 1)

    def test_invalid_card_not_saved_from_the_portal(self):
        tx = self._create_transaction(
            "direct", operation="validation", amount=0.0, tokenize=True
        )
        values = tx._get_processing_values()
        answer = self._browser_tokenize(values, CARD_BLOCKED)
        self._pay_route(values, answer)
        self.assertEqual(tx.state, "error")
        self.assertFalse(tx.token_id)
