# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools import brcode
from .common import EVP_KEY, PixBrCommon


@tagged("post_install", "-at_install")
class TestPixProvider(PixBrCommon):
    def test_keys_of_each_type_normalized(self):
        cases = [
            ("529.982.247-25", "cpf", "52998224725"),
            ("11.222.333/0001-81", "cnpj", "11222333000181"),
            ("12.abc.345/01de-35", "cnpj", "12ABC34501DE35"),
            (" Pix@Coworking.com.br ", "email", "pix@coworking.com.br"),
            ("+55 (11) 98765-4321", "phone", "+5511987654321"),
            (EVP_KEY.upper(), "evp", EVP_KEY),
        ]
        for value, key_type, stored in cases:
            with self.subTest(value=value):
                self.pix_provider.pix_br_key = value
                self.assertEqual(self.pix_provider.pix_br_key, stored)
                self.assertEqual(self.pix_provider.pix_br_key_type, key_type)
                code = self.pix_provider._pix_br_build_code(amount=10)
                self.assertEqual(brcode.parse(code)["key"], stored)

    def test_invalid_keys_refused_with_a_clear_message(self):
        for value in (
            "529.982.247-26",  # wrong check digit
            "11.222.333/0001-82",
            "11987654321",  # a phone without +55 is read as a CPF
            "+1 212 555 0100",  # not a Brazilian phone
            "+55 (01) 98765-4321",  # no such area code
            "maria@",
            "123e4567-e12b-12d1-a456-42665544000",  # a random key one digit short
            "x" * 70 + "@example.com",  # an e-mail longer than 77
        ):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(
                    ValidationError, "is not valid. Use a CPF or CNPJ"
                ),
            ):
                self.pix_provider.pix_br_key = value
                self.pix_provider.flush_recordset()

    def test_invalid_key_message_translated(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        provider = self.pix_provider.with_context(lang="pt_BR")
        with self.assertRaisesRegex(ValidationError, "não é válida"):
            provider.pix_br_key = "maria@"

    def test_receiver_name_must_have_writable_letters(self):
        with self.assertRaisesRegex(ValidationError, "receiver name must contain"):
            self.pix_provider.pix_br_receiver_name = "日本"

    def test_no_payer_address_needed(self):
        self.assertFalse(self.pix_provider._br_requires_payer_address())

    def test_amount_allowed(self):
        provider, brl = self.pix_provider, self.currency_brl
        self.assertTrue(provider._br_amount_allowed(0.01, brl))
        self.assertTrue(provider._br_amount_allowed(9999999999.99, brl))
        self.assertFalse(provider._br_amount_allowed(10000000000, brl))
        self.assertFalse(provider._br_amount_allowed(0, brl))
        self.assertFalse(provider._br_amount_allowed(10, self.env.ref("base.USD")))

    def test_features_and_currencies(self):
        self.assertEqual(self.pix_provider.support_refund, "none")
        self.assertFalse(self.pix_provider.support_tokenization)
        self.assertEqual(
            self.pix_provider._get_supported_currencies().mapped("name"), ["BRL"]
        )
        self.assertEqual(self.pix_provider._get_default_payment_method_codes(), {"pix"})

    def test_txid_from_reference(self):
        tx = self._create_transaction("redirect", reference="S00042-1")
        self.assertEqual(tx._pix_br_compute_txid(), "S000421")
        tx.pix_br_txid = "S000421"
        other = self._create_transaction("redirect", reference="S00042/1")
        self.assertEqual(other._pix_br_compute_txid(), f"S000421T{other.id}")
        long_tx = self._create_transaction("redirect", reference="INV/2026/" + "9" * 30)
        txid = long_tx._pix_br_compute_txid()
        self.assertLessEqual(len(txid), brcode.TXID_STATIC_MAX)
        self.assertTrue(txid.isalnum() and txid.endswith(f"T{long_tx.id}"))

    def test_declared_as_a_brazilian_provider(self):
        """Products built on payment_br_base (the coworking signup) list PIX
        without naming it."""
        self.assertIn("pix_br", self.env["payment.provider"]._get_br_provider_codes())
