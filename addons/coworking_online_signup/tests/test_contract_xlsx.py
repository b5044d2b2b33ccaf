# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl

from odoo.tests import tagged

from ..report import coworking_contract_xlsx
from .common import CoworkingCommon

REPORT = "coworking_online_signup.contract_xlsx"


@tagged("post_install", "-at_install")
class TestContractXlsx(CoworkingCommon):
    """F10, N3: the contracts spreadsheet is streamed, typed and formula-safe."""

    def _sheet(self, contracts):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render_xlsx(REPORT, contracts.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content)).active

    def _rows(self, sheet):
        header, *rows = sheet.iter_rows()
        titles = [cell.value for cell in header]
        return [dict(zip(titles, row, strict=True)) for row in rows]

    def test_text_typed_by_the_public_never_becomes_a_formula(self):
        formula = '=HYPERLINK("http://x","y")'
        self.client.write(
            {"name": formula, "email": "=1+1@example.com", "vat": "+55 11"}
        )
        contract = self._new_contract(coworking_signup_origin="online")
        (row,) = self._rows(self._sheet(contract))
        for title, text in (
            ("Client", formula),
            ("E-mail", "=1+1@example.com"),
            ("CPF/CNPJ", "+55 11"),
        ):
            self.assertEqual(row[title].data_type, "s", title)
            self.assertEqual(row[title].value, text, title)

    def test_cells_are_typed_header_frozen_and_filtered(self):
        contract = self._new_contract(coworking_signup_origin="online")
        sheet = self._sheet(contract)
        (row,) = self._rows(sheet)
        self.assertEqual(row["Contract"].value, contract.name)
        self.assertEqual(row["Start date"].value, datetime(2026, 2, 7))
        self.assertTrue(row["Start date"].is_date)
        self.assertEqual(row["Due day"].data_type, "n")
        self.assertEqual(row["Due day"].value, 7)
        self.assertEqual(row["Amount per period"].data_type, "n")
        self.assertAlmostEqual(row["Amount per period"].value, 800.0)
        self.assertEqual(row["Plan"].value, "Fixed desk")
        self.assertEqual(row["Unit"].value, "Unit Test")
        self.assertEqual(row["Registered by"].value, "Online signup")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:N2")

    def test_batches_keep_every_row_in_name_order(self):
        contracts = self.env["sale.subscription"]
        for day in range(1, 6):
            contracts |= self._new_contract(start=date(2026, 1, day))
        with patch.object(coworking_contract_xlsx, "EXPORT_BATCH_SIZE", 2):
            rows = self._rows(self._sheet(contracts))
        self.assertEqual(
            [row["Contract"].value for row in rows],
            contracts.sorted("name").mapped("name"),
        )
        self.assertEqual(
            sorted(row["Start date"].value.day for row in rows), [1, 2, 3, 4, 5]
        )

    def test_empty_selection_gives_the_header_only(self):
        sheet = self._sheet(self.env["sale.subscription"])
        self.assertEqual(len(list(sheet.iter_rows())), 1)
