# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class CoworkingContractXlsx(models.AbstractModel):
    """The contracts list as a spreadsheet for finance (F10): one row a contract."""

    _name = "report.coworking_online_signup.contract_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Coworking Contracts Spreadsheet"

    def _get_contract_columns(self):
        """``(title, width, value(contract), kind)``; kind is text, date or money."""
        origin = dict(
            self.env["sale.subscription"]
            ._fields["signup_origin"]
            ._description_selection(self.env)
        )
        benefits = dict(
            self.env["sale.subscription"]
            ._fields["benefits_state"]
            ._description_selection(self.env)
        )
        return [
            (_("Contract"), 14, lambda c: c.name, "text"),
            (_("Client"), 30, lambda c: c.partner_id.name, "text"),
            (_("CPF/CNPJ"), 20, lambda c: c.partner_id.vat or "", "text"),
            (_("E-mail"), 28, lambda c: c.partner_id.email or "", "text"),
            (_("Plan"), 22, lambda c: c.plan_id.name or "", "text"),
            (_("Unit"), 18, lambda c: c.unit_id.name or "", "text"),
            (_("Registered by"), 16, lambda c: origin.get(c.signup_origin, ""), "text"),
            (_("Start date"), 12, lambda c: c.date_start, "date"),
            (_("Due day"), 9, lambda c: c.due_day or "", "text"),
            (_("Next invoice"), 12, lambda c: c.recurring_next_date, "date"),
            (_("Monthly amount"), 15, lambda c: c.recurring_total, "money"),
            (_("Currency"), 9, lambda c: c.currency_id.name or "", "text"),
            (_("Benefits"), 18, lambda c: benefits.get(c.benefits_state, ""), "text"),
            (_("Stage"), 14, lambda c: c.stage_id.name or "", "text"),
        ]

    def generate_xlsx_report(self, workbook, data, contracts):
        sheet = workbook.add_worksheet(_("Contracts"))
        bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        money_format = workbook.add_format({"num_format": "#,##0.00"})
        formats = {"date": date_format, "money": money_format}
        columns = self._get_contract_columns()
        for col, (title, width, _value, _kind) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, title, bold)
        sheet.freeze_panes(1, 0)
        for row, contract in enumerate(contracts.sorted("name"), start=1):
            for col, (_title, _width, value, kind) in enumerate(columns):
                cell = value(contract)
                if kind == "date":
                    if cell:
                        sheet.write_datetime(row, col, cell, formats["date"])
                elif kind == "money":
                    sheet.write_number(row, col, cell or 0.0, formats["money"])
                else:
                    sheet.write(row, col, cell)
        if contracts:
            sheet.autofilter(0, 0, len(contracts), len(columns) - 1)
