# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..tools import cob


@tagged("post_install", "-at_install")
class TestCobContent(BaseCase):
    def test_debtor(self):
        self.assertEqual(
            cob.debtor("529.982.247-25", " Maria "),
            {"cpf": "52998224725", "nome": "Maria"},
        )
        self.assertEqual(
            cob.debtor("12.ABC.345/01DE-35", "Coworking SA"),
            {"cnpj": "12ABC34501DE35", "nome": "Coworking SA"},
        )
        self.assertEqual(len(cob.debtor("52998224725", "x" * 300)["nome"]), 200)
        for vat, name in (
            ("529.982.247-26", "Maria"),
            ("52998224725", ""),
            (False, "M"),
        ):
            self.assertIsNone(cob.debtor(vat, name))

    def test_paid_amount(self):
        charge = {"pix": [{"valor": "10.00"}, {"valor": "0.50"}, {"valor": "x"}]}
        self.assertEqual(cob.paid_amount(charge), Decimal("10.50"))
        self.assertEqual(cob.paid_amount({}), 0)

    def test_is_expired(self):
        created = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
        charge = {
            "calendario": {"criacao": "2026-01-01T12:00:00.358Z", "expiracao": 60}
        }
        self.assertFalse(cob.is_expired(charge, created + timedelta(seconds=59), 3600))
        self.assertTrue(cob.is_expired(charge, created + timedelta(seconds=61), 3600))
        self.assertFalse(cob.is_expired({"calendario": {"criacao": "?"}}, created, 1))
