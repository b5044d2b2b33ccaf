# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, datetime

import openpyxl

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestContractReports(CoworkingCommon, HttpCase):
    """F10: the (filtered) contracts list exports to Excel and to PDF.

    An HttpCase: wkhtmltopdf fetches the report's assets from this Odoo, and only in
    an HttpCase do those requests share the test's transaction (else they wait for
    it, and it for them).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.vat = "529.982.247-25"
        cls.online = cls._new_contract(coworking_signup_origin="online")
        cls.manual = cls._new_contract(start=date(2026, 3, 31))
        cls.Report = cls.env["ir.actions.report"].with_user(cls.user)

    def test_excel_has_a_row_per_selected_contract(self):
        content, kind = self.Report._render_xlsx(
            "coworking_online_signup.contract_xlsx", self.online.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2, "header + the one selected contract")
        header, row = rows
        values = dict(zip(header, row, strict=True))
        self.assertEqual(values["Contract"], self.online.name)
        self.assertEqual(values["Client"], "Maria Silva")
        self.assertEqual(values["CPF/CNPJ"], "529.982.247-25")
        self.assertEqual(values["Plan"], "Fixed desk")
        self.assertEqual(values["Registered by"], "Online signup")
        self.assertEqual(values["Start date"], datetime(2026, 2, 7))
        self.assertEqual(values["Due day"], 7)
        self.assertAlmostEqual(values["Amount per period"], 800.0)

    def test_excel_of_the_online_filter(self):
        contracts = self.env["sale.subscription"].search(
            [
                ("coworking_signup_origin", "=", "online"),
                ("coworking_plan_id", "=", self.plan.id),
            ]
        )
        content, _kind = self.Report._render_xlsx(
            "coworking_online_signup.contract_xlsx", contracts.ids, {}
        )
        rows = list(
            openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(
                values_only=True
            )
        )
        names = [row[0] for row in rows[1:]]
        self.assertIn(self.online.name, names)
        self.assertNotIn(self.manual.name, names)

    def test_pdf_lists_the_selected_contracts(self):
        contracts = self.online | self.manual
        html = self.Report._render_qweb_html(
            "coworking_online_signup.report_contract_list", contracts.ids
        )[0].decode()
        self.assertEqual(html.count("<tr"), 3, "header + two contracts")
        self.assertIn(self.online.name, html)
        self.assertIn(self.manual.name, html)
        self.assertIn("Online signup", html)
        # Debian's wkhtmltopdf (unpatched Qt) warns on every render
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = self.Report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(
                "coworking_online_signup.report_contract_list", contracts.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
