# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestDueDate(CoworkingCommon):
    def _walk(self, start, count):
        contract = self._new_contract(start=start)
        dates, current = [], start
        for _i in range(count):
            current = contract._coworking_next_due_date(current)
            dates.append(current)
        return contract, dates

    def test_due_day_is_start_day(self):
        contract = self._new_contract(start=date(2026, 2, 7))
        self.assertEqual(contract.coworking_due_day, 7)
        contract.date_start = date(2026, 3, 19)
        self.assertEqual(contract.coworking_due_day, 19)

    def test_plain_day_every_month(self):
        _contract, dates = self._walk(date(2026, 2, 7), 3)
        self.assertEqual(dates, [date(2026, 3, 7), date(2026, 4, 7), date(2026, 5, 7)])

    def test_31st_clamps_then_returns_without_drift(self):
        _contract, dates = self._walk(date(2025, 1, 31), 4)
        self.assertEqual(
            dates,
            [
                date(2025, 2, 28),
                date(2025, 3, 31),
                date(2025, 4, 30),
                date(2025, 5, 31),
            ],
        )

    def test_31st_in_leap_year(self):
        _contract, dates = self._walk(date(2024, 1, 31), 2)
        self.assertEqual(dates, [date(2024, 2, 29), date(2024, 3, 31)])

    def test_29th_february_of_leap_year(self):
        contract, dates = self._walk(date(2024, 2, 29), 12)
        self.assertEqual(contract.coworking_due_day, 29)
        self.assertEqual(dates[0], date(2024, 3, 29))
        # one year later February has 28 days; March returns to the 29th
        self.assertEqual(dates[11], date(2025, 2, 28))
        self.assertEqual(
            contract._coworking_next_due_date(dates[11]), date(2025, 3, 29)
        )

    def test_30th_across_year_end(self):
        _contract, dates = self._walk(date(2026, 11, 30), 4)
        self.assertEqual(
            dates,
            [
                date(2026, 12, 30),
                date(2027, 1, 30),
                date(2027, 2, 28),
                date(2027, 3, 30),
            ],
        )

    def test_recurring_next_date_follows_rule_after_invoicing(self):
        """The subscription's own scheduling (invoice generation) uses the rule."""
        self.plan.subscription_template_id.invoicing_mode = "draft"
        contract = self._new_contract(start=date(2025, 1, 31))
        contract.recurring_next_date = date(2025, 1, 31)
        contract.generate_invoice()
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(contract.recurring_next_date, date(2025, 2, 28))
        contract.generate_invoice()
        self.assertEqual(contract.recurring_next_date, date(2025, 3, 31))

    def test_non_monthly_template_keeps_stock_behaviour(self):
        weekly = self.env["sale.subscription.template"].create(
            {
                "name": "Weekly",
                "recurring_rule_type": "weeks",
                "recurring_interval": 1,
                "invoicing_mode": "draft",
            }
        )
        contract = self._new_contract(start=date(2025, 1, 31), template_id=weekly.id)
        contract.recurring_next_date = date(2025, 1, 31)
        contract.generate_invoice()
        self.assertEqual(contract.recurring_next_date, date(2025, 2, 7))
