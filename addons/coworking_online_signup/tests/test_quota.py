# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from psycopg2.errors import CheckViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestQuota(CoworkingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._new_contract(start=date(2025, 1, 31))
        cls.quotas = cls.contract._coworking_load_quotas()
        cls.room = cls.quotas.filtered(lambda q: q.plan_quota_id == cls.room_line)

    def _consume(self, quota, quantity, when=datetime(2025, 2, 10, 12, 0)):
        return self.env["coworking.quota.consumption"].create(
            {"quota_id": quota.id, "quantity": quantity, "date": when}
        )

    def test_load_first_period(self):
        self.assertEqual(len(self.quotas), 2)
        self.assertEqual(self.room.period_start, date(2025, 1, 31))
        # the period ends the day before the next due date (28 Feb 2025)
        self.assertEqual(self.room.period_end, date(2025, 2, 27))
        self.assertEqual(self.room.quantity_allowed, 10)
        self.assertEqual(self.room.balance, 10)
        self.assertEqual(self.contract.coworking_quota_count, 2)

    def test_load_is_idempotent_and_per_period(self):
        self.assertFalse(self.contract._coworking_load_quotas())
        second = self.contract._coworking_load_quotas(period_start=date(2025, 2, 28))
        self.assertEqual(len(second), 2)
        self.assertEqual(second[0].period_end, date(2025, 3, 30))

    def test_ledger_updates_balance(self):
        self._consume(self.room, 3)
        self._consume(self.room, 2.5)
        self.assertEqual(self.room.quantity_used, 5.5)
        self.assertEqual(self.room.balance, 4.5)
        self.assertEqual(len(self.room.consumption_ids), 2)

    def test_balance_never_negative(self):
        self._consume(self.room, 9)
        with (
            self.assertRaisesRegex(ValidationError, "Not enough"),
            self.env.cr.savepoint(),
        ):
            self._consume(self.room, 2)
        self.assertEqual(self.room.balance, 1)
        # exactly the rest is fine
        self._consume(self.room, 1)
        self.assertEqual(self.room.balance, 0)
        # editing an entry upward is checked too
        entry = self.room.consumption_ids[0]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            entry.quantity += 1

    def test_overuse_when_plan_allows(self):
        self.room_line.allow_overuse = True
        self._consume(self.room, 12)
        self.assertEqual(self.room.balance, -2)

    def test_zero_or_negative_consumption_refused(self):
        for bad in (0, -1):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(CheckViolation),
                self.env.cr.savepoint(),
            ):
                self._consume(self.room, bad)
                self.env.flush_all()

    def test_held_quota_cannot_be_used(self):
        contract = self._new_contract(start=date(2025, 1, 31))
        held = contract._coworking_load_quotas(state="held")
        self.assertEqual(set(held.mapped("state")), {"held"})
        with self.assertRaisesRegex(ValidationError, "cannot be used yet"):
            self._consume(held[0], 1)

    def test_outside_period_refused(self):
        with self.assertRaisesRegex(ValidationError, "outside the quota period"):
            self._consume(self.room, 1, when=datetime(2025, 3, 5, 9, 0))

    def test_action_consume_as_user(self):
        entry = self.room.with_user(self.user).action_consume(
            1, "Room A, 1h", when=datetime(2025, 2, 1, 9, 0)
        )
        self.assertEqual(entry.user_id, self.user)
        self.assertEqual(self.room.balance, 9)

    def test_invoicing_a_period_renews_its_quotas(self):
        """B3: the invoice of each period loads that period's quotas, whole."""
        self.plan.subscription_template_id.invoicing_mode = "draft"
        self._consume(self.room, 4)
        self.contract.recurring_next_date = date(2025, 2, 28)
        self.contract.generate_invoice()
        self.assertEqual(self.contract.recurring_next_date, date(2025, 3, 31))
        renewed = self.contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2025, 2, 28)
        )
        self.assertEqual(len(renewed), 2)
        room = renewed.filtered(lambda q: q.plan_quota_id == self.room_line)
        self.assertEqual(room.period_end, date(2025, 3, 30))
        self.assertEqual(room.balance, 10, "a new period starts whole")
        self.assertEqual(set(renewed.mapped("state")), {"active"})
        self.assertEqual(self.room.balance, 6, "the past period keeps its use")
        # the next period's invoice renews the next period, and only that
        self.contract.generate_invoice()
        self.assertEqual(len(self.contract.coworking_quota_ids), 6)
        self.assertEqual(
            sorted(set(self.contract.coworking_quota_ids.mapped("period_start"))),
            [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)],
        )

    def test_renewed_quotas_stay_held_while_benefits_wait(self):
        self.plan.subscription_template_id.invoicing_mode = "draft"
        self.contract.coworking_benefits_state = "held"
        self.contract.recurring_next_date = date(2025, 2, 28)
        self.contract.generate_invoice()
        renewed = self.contract.coworking_quota_ids.filtered(
            lambda q: q.period_start == date(2025, 2, 28)
        )
        self.assertEqual(set(renewed.mapped("state")), {"held"})
