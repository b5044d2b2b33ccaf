# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

# Contracts read (and their cache released) per batch: memory stays flat whatever the
# number of rows, and each batch costs a handful of queries.
EXPORT_BATCH_SIZE = 1000

CONTRACT_FIELDS = [
    "name",
    "partner_id",
    "coworking_plan_id",
    "coworking_unit_id",
    "coworking_signup_origin",
    "date_start",
    "coworking_due_day",
    "recurring_next_date",
    "recurring_total",
    "currency_id",
    "coworking_benefits_state",
    "stage_id",
]


class CoworkingContractXlsx(models.AbstractModel):
    """The contracts list as a spreadsheet for finance (F10): one row a contract.

    Streams: the workbook is written in ``constant_memory`` mode (each row goes to a
    temporary file as soon as it is complete) and contracts are read in batches of
    plain values, so exporting 100,000 contracts needs no more memory than 1,000.
    Cells are typed (dates are dates, amounts and due days are numbers) and text is
    always written as text: a client named ``=HYPERLINK(...)`` stays a name, never a
    formula.
    """

    _name = "report.coworking_online_signup.contract_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Coworking Contracts Spreadsheet"

    def get_workbook_options(self):
        """Override of `report_xlsx`: options of the Workbook it creates."""
        options = dict(super().get_workbook_options())
        options.update(
            {
                # rows are flushed to disk as they are written
                "constant_memory": True,
                # text typed by the public is never a formula, a link or a number
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            }
        )
        return options

    def _get_contract_columns(self):
        """``(title, width, kind, value(row))``; kind is text, number, date or money.

        ``row`` is a contract's ``read(load=None)`` values plus ``partner`` (the
        client's name, vat, email) and ``names`` (display names of plans, units,
        stages and currencies by model and id).
        """
        Contract = self.env["sale.subscription"]
        origin = dict(
            Contract._fields["coworking_signup_origin"]._description_selection(self.env)
        )
        benefits = dict(
            Contract._fields["coworking_benefits_state"]._description_selection(
                self.env
            )
        )

        def name_of(field):
            return lambda row: row["names"].get((field, row[field]), "")

        return [
            (_("Contract"), 14, "text", lambda r: r["name"] or ""),
            (_("Client"), 30, "text", lambda r: r["partner"].get("name") or ""),
            (_("CPF/CNPJ"), 20, "text", lambda r: r["partner"].get("vat") or ""),
            (_("E-mail"), 28, "text", lambda r: r["partner"].get("email") or ""),
            (_("Plan"), 22, "text", name_of("coworking_plan_id")),
            (_("Unit"), 18, "text", name_of("coworking_unit_id")),
            (
                _("Registered by"),
                16,
                "text",
                lambda r: origin.get(r["coworking_signup_origin"]),
            ),
            (_("Start date"), 12, "date", lambda r: r["date_start"]),
            (_("Due day"), 9, "number", lambda r: r["coworking_due_day"] or None),
            (_("Next invoice"), 12, "date", lambda r: r["recurring_next_date"]),
            (
                _("Amount per period"),
                15,
                "money",
                lambda r: r["recurring_total"] or 0.0,
            ),
            (_("Currency"), 9, "text", name_of("currency_id")),
            (
                _("Benefits"),
                18,
                "text",
                lambda r: benefits.get(r["coworking_benefits_state"]),
            ),
            (_("Stage"), 14, "text", name_of("stage_id")),
        ]

    def _iter_contract_rows(self, contracts):
        """The contracts' rows, sorted by name, read ``EXPORT_BATCH_SIZE`` at a time."""
        Contract = self.env["sale.subscription"]
        ids = Contract.search([("id", "in", contracts.ids)], order="name, id").ids
        names = {}  # plans, units, stages, currencies: few, kept for the whole run
        for start in range(0, len(ids), EXPORT_BATCH_SIZE):
            batch = Contract.browse(ids[start : start + EXPORT_BATCH_SIZE])
            rows = batch.read(CONTRACT_FIELDS, load=None)
            partners = self.env["res.partner"].browse(
                {row["partner_id"] for row in rows if row["partner_id"]}
            )
            partner_values = {
                values["id"]: values
                for values in partners.read(["name", "vat", "email"], load=None)
            }
            for field in (
                "coworking_plan_id",
                "coworking_unit_id",
                "stage_id",
                "currency_id",
            ):
                comodel = Contract._fields[field].comodel_name
                missing = {r[field] for r in rows if r[field]} - {
                    key[1] for key in names if key[0] == field
                }
                for record in self.env[comodel].browse(missing):
                    names[(field, record.id)] = record.display_name
            for row in rows:
                row["partner"] = partner_values.get(row["partner_id"], {})
                row["names"] = names
                yield row
            batch.invalidate_recordset()
            partners.invalidate_recordset()

    def generate_xlsx_report(self, workbook, data, contracts):
        sheet = workbook.add_worksheet(_("Contracts"))
        bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
        formats = {
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
        }
        columns = self._get_contract_columns()
        for col, (title, width, _kind, _value) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        sheet.freeze_panes(1, 0)
        row_index = 0
        for row_index, row in enumerate(self._iter_contract_rows(contracts), start=1):
            for col, (_title, _width, kind, value) in enumerate(columns):
                cell = value(row)
                if cell is None or cell is False or cell == "":
                    continue
                if kind == "date":
                    sheet.write_datetime(row_index, col, cell, formats["date"])
                elif kind in ("money", "number"):
                    sheet.write_number(row_index, col, cell, formats.get(kind))
                else:
                    sheet.write_string(row_index, col, str(cell))
        sheet.autofilter(0, 0, max(row_index, 1), len(columns) - 1)
