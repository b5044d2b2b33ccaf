# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from .. import utils


@tagged("post_install", "-at_install")
class TestBrazilianIdentifiers(BaseCase):
    def test_cpf(self):
        self.assertEqual(utils.normalize_cpf("529.982.247-25"), "52998224725")
        for bad in ("529.982.247-26", "111.111.111-11", "1234", "5299822472A", ""):
            self.assertIsNone(utils.normalize_cpf(bad), bad)
        self.assertIsNone(utils.normalize_cpf(None))

    def test_cnpj_numeric(self):
        self.assertEqual(utils.normalize_cnpj("11.222.333/0001-81"), "11222333000181")
        for bad in ("11.222.333/0001-82", "00.000.000/0000-00", "123", "", None):
            self.assertIsNone(utils.normalize_cnpj(bad), bad)

    def test_cnpj_alphanumeric(self):
        # the Receita Federal's own example of the new format
        self.assertEqual(utils.normalize_cnpj("12.ABC.345/01DE-35"), "12ABC34501DE35")
        self.assertEqual(utils.normalize_cnpj("12abc34501de35"), "12ABC34501DE35")
        for bad in (
            "12.ABC.345/01DE-36",  # wrong check digit
            "12.ABC.345/01DE-3A",  # check digits are always numeric
            "AAAAAAAAAAAAAA",  # all alike
            "12.ABÇ.345/01DE-35",  # not an ASCII letter
            "12.ABC.345/01DE-35X",
        ):
            self.assertIsNone(utils.normalize_cnpj(bad), bad)

    def test_cnpj_check_digits_by_ascii_value(self):
        # letters count as ASCII code minus 48: "A" = 17
        base = "12ABC34501DE"
        self.assertEqual(utils.cnpj_check_digits(base), "35")
        self.assertEqual(utils.cnpj_check_digits("112223330001"), "81")

    def test_tax_id(self):
        self.assertEqual(utils.normalize_tax_id("529.982.247-25"), "52998224725")
        self.assertEqual(utils.normalize_tax_id("12ABC34501DE35"), "12ABC34501DE35")
        self.assertEqual(utils.format_cpf("52998224725"), "529.982.247-25")
        self.assertEqual(utils.format_cnpj("12ABC34501DE35"), "12.ABC.345/01DE-35")
        self.assertEqual(utils.tax_id_key("12.abc.345/01de-35"), "12ABC34501DE35")
        self.assertFalse(utils.tax_id_key(""))

    def test_cep_phone_centavos(self):
        self.assertEqual(utils.normalize_cep("01310100"), "01310-100")
        self.assertIsNone(utils.normalize_cep("0131-0100"))
        self.assertEqual(utils.split_phone("(11) 91234-5678"), ("11", "912345678"))
        self.assertEqual(utils.split_phone("+55 11 3123-4567"), ("11", "31234567"))
        self.assertIsNone(utils.split_phone("1234"))
        self.assertIsNone(utils.split_phone("(01) 91234-5678"))
        self.assertEqual(utils.to_centavos(490.1), 49010)
        self.assertEqual(utils.to_centavos("2.505"), 251)
