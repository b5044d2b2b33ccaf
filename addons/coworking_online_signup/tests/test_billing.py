# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The billing run (B3): company time zone, lead time, batches, one invoice per
period, a failing contract among others. Dates are frozen before the test
database's real today, so contracts committed by other tests are never due."""

from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class BillingCommon(CoworkingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "America/Sao_Paulo"
        cls.company.coworking_invoice_lead_days = 5
        cls.company.coworking_late_grace_days = 3
        cls.Contract = cls.env["sale.subscription"]

    def _due_contract(self, start, next_date, plan=None, partner=None):
        """A contract in progress whose next period starts on ``next_date``."""
        values = {"partner_id": partner.id} if partner else {}
        contract = self._new_contract(start=start, plan=plan, **values)
        contract.action_start_subscription()
        contract.recurring_next_date = next_date
        return contract

    def _run(self, batch_size=200):
        """What the cron machinery does: call again while a call billed some."""
        total = 0
        for _call in range(10):
            done = self.Contract._cron_coworking_billing(batch_size=batch_size)
            if not done:
                break
            total += done
        return total

    def _period_invoices(self, contract):
        return contract.invoice_ids.filtered("coworking_period_start")


class TestBillingRun(BillingCommon):
    def test_issued_lead_days_before_due_date(self):
        contract = self._due_contract(date(2026, 1, 31), date(2026, 2, 28))
        with freeze_time("2026-02-22 15:00:00"):
            self._run()
        self.assertFalse(self._period_invoices(contract), "7 days early: not yet")
        with freeze_time("2026-02-23 15:00:00"):
            self._run()
        invoice = self._period_invoices(contract)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_date, date(2026, 2, 23))
        self.assertEqual(invoice.invoice_date_due, date(2026, 2, 28))
        self.assertEqual(invoice.coworking_period_start, date(2026, 2, 28))
        self.assertEqual(invoice.coworking_period_end, date(2026, 3, 30))
        self.assertIn("02/28/2026 to 03/30/2026", invoice.invoice_line_ids.name)
        self.assertEqual(invoice.amount_untaxed, 800.0)
        self.assertEqual(contract.recurring_next_date, date(2026, 3, 31))

    def test_company_time_zone_decides_the_day(self):
        """23:30 in São Paulo is already tomorrow in UTC: not yet due there."""
        contract = self._due_contract(date(2026, 2, 1), date(2026, 3, 1))
        with freeze_time("2026-02-24 02:30:00"):  # 23 Feb, 23:30 in São Paulo
            self._run()
        self.assertFalse(self._period_invoices(contract))
        with freeze_time("2026-02-24 03:30:00"):  # 24 Feb, 00:30 in São Paulo
            self._run()
        self.assertEqual(
            self._period_invoices(contract).invoice_date, date(2026, 2, 24)
        )

    def test_run_twice_bills_once(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
            self._run()
        self.assertEqual(len(self._period_invoices(contract)), 1)

    def test_one_invoice_per_contract_and_period_in_the_database(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        invoice = self._period_invoices(contract)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            invoice.copy(
                {
                    "coworking_period_start": invoice.coworking_period_start,
                    "subscription_id": contract.id,
                }
            ).flush_recordset()

    def test_leap_year_and_month_ends(self):
        """Due on the 31st: 29 Feb in a leap year, then back to the 31st."""
        contract = self._due_contract(date(2024, 1, 31), date(2024, 1, 31))
        periods = []
        for today in ("2024-01-28", "2024-02-26", "2024-03-28", "2024-04-27"):
            with freeze_time(today + " 12:00:00"):
                self._run()
        for invoice in self._period_invoices(contract).sorted("coworking_period_start"):
            periods.append(
                (invoice.coworking_period_start, invoice.coworking_period_end)
            )
        self.assertEqual(
            periods,
            [
                (date(2024, 1, 31), date(2024, 2, 28)),
                (date(2024, 2, 29), date(2024, 3, 30)),
                (date(2024, 3, 31), date(2024, 4, 29)),
                (date(2024, 4, 30), date(2024, 5, 30)),
            ],
        )

    def test_late_run_catches_up_period_by_period(self):
        contract = self._due_contract(date(2025, 12, 5), date(2026, 1, 5))
        with freeze_time("2026-03-01 12:00:00"):
            self._run()
        starts = sorted(
            self._period_invoices(contract).mapped("coworking_period_start")
        )
        self.assertEqual(starts, [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)])
        self.assertEqual(contract.recurring_next_date, date(2026, 4, 5))

    def test_quotas_of_the_period_loaded_with_its_invoice(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        contract.coworking_benefits_state = "active"
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        quotas = contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2026, 2, 10)
        )
        self.assertEqual(len(quotas), 2)
        self.assertEqual(set(quotas.mapped("state")), {"active"})
        self.assertEqual(set(quotas.mapped("period_end")), {date(2026, 3, 9)})

    def test_batches_report_progress(self):
        contracts = self.Contract
        for day in range(1, 6):
            contracts |= self._due_contract(date(2026, 1, day), date(2026, 2, day))
        cron = self.env.ref("coworking_online_signup.ir_cron_billing_run")
        with freeze_time("2026-02-01 12:00:00"):
            cron, progress = cron._add_progress()
            self.Contract.with_context(
                ir_cron_progress_id=progress.id
            )._cron_coworking_billing(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (2, 3))
            billed = contracts.filtered(lambda c: self._period_invoices(c))
            self.assertEqual(billed, contracts[:2], "oldest due date first")
            cron, progress = cron._add_progress()
            self.Contract.with_context(
                ir_cron_progress_id=progress.id
            )._cron_coworking_billing(batch_size=10)
            self.assertEqual((progress.done, progress.remaining), (3, 0))

    def test_one_failing_contract_does_not_stop_the_others(self):
        contracts = self.Contract
        for day in (3, 4, 5):
            contracts |= self._due_contract(date(2026, 1, day), date(2026, 2, day))
        failing = contracts[1]
        Move = type(self.env["account.move"])
        original = Move._coworking_issue_charge

        def charge(invoice):
            if invoice.subscription_id == failing:
                raise ConnectionError("bank exploded")
            return original(invoice)

        with (
            patch.object(Move, "_coworking_issue_charge", charge),
            freeze_time("2026-02-01 12:00:00"),
            mute_logger("odoo.addons.coworking_online_signup.models.sale_subscription"),
        ):
            self._run()
            self._run()  # the failure is not retried the same day
        self.assertEqual(len(self._period_invoices(contracts[0])), 1)
        self.assertEqual(len(self._period_invoices(contracts[2])), 1)
        self.assertFalse(failing.invoice_ids, "its invoice was rolled back")
        self.assertEqual(failing.recurring_next_date, date(2026, 2, 4))
        self.assertIn("bank exploded", failing.coworking_billing_error)
        self.assertIn("bank exploded", failing.message_ids[0].body)
        with freeze_time("2026-02-02 12:00:00"):
            self._run()  # next day, the bank is back
        self.assertEqual(len(self._period_invoices(failing)), 1)
        self.assertFalse(failing.coworking_billing_error)

    def test_draft_invoicing_mode_is_not_charged(self):
        template = self.plan.subscription_template_id
        template.invoicing_mode = "draft"
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        self.assertEqual(self._period_invoices(contract).state, "draft")

    def test_closed_contracts_are_not_billed(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        contract.close_subscription()
        with freeze_time("2026-02-06 12:00:00"):
            self._run()
        self.assertFalse(contract.invoice_ids)

    def test_stock_cron_is_replaced(self):
        stock = self.env.ref("subscription_oca.ir_cron_subscription_management")
        self.assertFalse(stock.active)
        self.assertTrue(
            self.env.ref("coworking_online_signup.ir_cron_billing_run").active
        )

    def test_fixed_duration_contract_closed_at_its_end(self):
        """The stock cron's other duties are kept: end of fixed-duration contracts."""
        contract = self._due_contract(date(2026, 1, 10), date(2026, 3, 10))
        contract.write({"recurring_rule_boundary": False, "date": date(2026, 2, 10)})
        with freeze_time("2026-02-11 12:00:00"):
            self._run()
        self.assertEqual(contract.stage_id.type, "post")
        self.assertFalse(self._period_invoices(contract))
