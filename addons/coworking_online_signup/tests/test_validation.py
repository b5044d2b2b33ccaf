# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..validation import normalize_cep, normalize_cnpj, normalize_cpf, normalize_email


@tagged("post_install", "-at_install")
class TestValidation(BaseCase):
    def test_email(self):
        self.assertEqual(normalize_email(" Ana@Example.COM "), "ana@example.com")
        for bad in (
            "",
            None,
            "ana",
            "ana@",
            "a@@example.com",
            "x y@example.com",
            "a@example",
            "Ana <ana@example.com>",
            "a@example.com,b@example.com",
        ):
            self.assertIsNone(normalize_email(bad), bad)

    def test_cpf(self):
        self.assertEqual(normalize_cpf("529.982.247-25"), "52998224725")
        for bad in ("529.982.247-26", "111.111.111-11", "1234", "", None):
            self.assertIsNone(normalize_cpf(bad), bad)

    def test_cnpj(self):
        self.assertEqual(normalize_cnpj("11.222.333/0001-81"), "11222333000181")
        for bad in ("11.222.333/0001-82", "00.000.000/0000-00", "123", None):
            self.assertIsNone(normalize_cnpj(bad), bad)

    def test_cep(self):
        self.assertEqual(normalize_cep("01310100"), "01310-100")
        self.assertEqual(normalize_cep("01310-100"), "01310-100")
        for bad in ("0131-0100", "1310100", "01310-10a", "", None):
            self.assertIsNone(normalize_cep(bad), bad)
