# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Closing a contract mid-period (F13): pro-rata to the cent, close reason kept,
later periods credited and their quotas not loaded, the member's cancellation
with the plan's notice."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .test_billing import BillingCommon


@tagged("post_install", "-at_install")
class TestClosing(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["sale.subscription.close.reason"].create(
            {"name": "Moved abroad"}
        )

    def _close(self, contract, last_day, when):
        with freeze_time(when):
            wizard = Form(
                self.env["close.reason.wizard"].with_context(
                    active_model="sale.subscription", active_id=contract.id
                )
            )
            wizard.close_reason_id = self.reason
            wizard.coworking_close_date = last_day
            wizard.save().button_confirm()

    def _billed(self, start, next_date, when):
        contract = self._due_contract(start, next_date)
        contract.coworking_benefits_state = "active"
        with freeze_time(when):
            self._run()
        return contract

    def test_invoiced_period_credits_unused_days(self):
        # period 10 Feb - 9 Mar 2026: 28 days; used up to 19 Feb; 18 days unused
        contract = self._billed(date(2026, 1, 10), date(2026, 2, 10), "2026-02-06")
        self._close(contract, date(2026, 2, 19), "2026-02-19 15:00:00")
        refund = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_untaxed, 514.29, places=2)  # 800*18/28
        self.assertIn("18 of 28 days", refund.invoice_line_ids.name)
        self.assertIn("02/20/2026 to 03/09/2026", refund.invoice_line_ids.name)
        self.assertEqual(contract.close_reason_id, self.reason)
        self.assertEqual(contract.stage_id.type, "post")
        self.assertFalse(contract.recurring_next_date)

    def test_period_not_invoiced_gets_final_invoice_for_days_used(self):
        contract = self._due_contract(date(2026, 1, 10), date(2026, 2, 10))
        self._close(contract, date(2026, 2, 14), "2026-02-14 15:00:00")
        final = contract.invoice_ids
        self.assertEqual(final.move_type, "out_invoice")
        self.assertAlmostEqual(final.amount_untaxed, 142.86, places=2)  # 800*5/28
        self.assertIn("5 of 28 days", final.invoice_line_ids.name)

    def test_leap_year_period(self):
        # due on the 29th: period 29 Feb - 28 Mar 2024 has 29 days
        contract = self._billed(date(2024, 1, 29), date(2024, 2, 29), "2024-02-26")
        self._close(contract, date(2024, 3, 15), "2024-03-15 15:00:00")
        refund = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(refund.amount_untaxed, 358.62, places=2)  # 800*13/29

    def test_last_day_of_period_needs_no_pro_rata(self):
        contract = self._billed(date(2026, 1, 10), date(2026, 2, 10), "2026-02-06")
        self._close(contract, date(2026, 3, 9), "2026-03-04 15:00:00")
        self.assertFalse(
            contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        )

    def test_later_period_credited_and_its_quotas_not_kept(self):
        contract = self._billed(date(2026, 1, 10), date(2026, 2, 10), "2026-02-06")
        with freeze_time("2026-03-06 12:00:00"):  # March invoiced in advance
            self._run()
        march = self._period_invoices(contract).filtered(
            lambda m: m.coworking_period_start == date(2026, 3, 10)
        )
        self.assertTrue(march)
        self._close(contract, date(2026, 3, 7), "2026-03-07 15:00:00")
        refunds = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertIn(march, refunds.reversed_entry_id)
        self.assertFalse(
            contract.coworking_quota_ids.filtered(
                lambda q: q.period_start >= date(2026, 3, 10)
            )
        )
        with freeze_time("2026-04-06 12:00:00"):
            self._run()
        self.assertEqual(len(self._period_invoices(contract)), 2, "nothing more")

    def test_member_cancellation_with_notice(self):
        self.plan.cancellation_notice_days = 30
        contract = self._billed(date(2026, 1, 10), date(2026, 2, 10), "2026-02-06")
        with freeze_time("2026-02-12 12:00:00"):
            contract.action_coworking_request_cancellation()
        self.assertEqual(contract.coworking_close_date, date(2026, 3, 14))
        with freeze_time("2026-03-06 12:00:00"):
            self._run()  # March is billed: the contract runs until 14 March
        with freeze_time("2026-04-06 12:00:00"):
            self._run()  # April starts after the close: never billed; closed
        starts = self._period_invoices(contract).mapped("coworking_period_start")
        self.assertEqual(sorted(starts), [date(2026, 2, 10), date(2026, 3, 10)])
        self.assertEqual(contract.stage_id.type, "post")
        refund = contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        # March period 10 Mar - 9 Apr: 31 days, used up to 14 Mar: 26 unused
        self.assertAlmostEqual(refund.amount_untaxed, 670.97, places=2)
