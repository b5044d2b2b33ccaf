# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestAccess(CoworkingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Coworking B"})
        cls.unit_b = cls.env["coworking.unit"].create(
            {"name": "Unit B", "company_id": cls.company_b.id}
        )
        cls.plan_b = cls.env["coworking.plan"].create(
            {
                "name": "Plan B",
                "unit_id": cls.unit_b.id,
                "company_id": cls.company_b.id,
                "recurring_price": 100.0,
            }
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="cw_manager_b",
            groups="coworking_online_signup.group_coworking_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.internal = new_test_user(
            cls.env, login="cw_internal", groups="base.group_user"
        )
        cls.contract = cls._new_contract(start=date(2026, 2, 7))
        cls.quota = cls.contract._coworking_load_quotas()[0]

    def test_user_reads_but_cannot_configure(self):
        plan = self.plan.with_user(self.user)
        self.assertEqual(plan.name, "Fixed desk")
        self.assertTrue(plan.public_url)
        with self.assertRaises(AccessError):
            plan.write({"recurring_price": 1.0})
        with self.assertRaises(AccessError):
            self.env["coworking.plan"].with_user(self.user).create(
                {"name": "X", "unit_id": self.unit.id, "recurring_price": 1.0}
            )
        with self.assertRaises(AccessError):
            self.unit.with_user(self.user).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user).action_regenerate_link()

    def test_user_manages_contracts_and_consumption(self):
        contract = self.contract.with_user(self.user)
        self.assertEqual(contract.coworking_plan_id, self.plan)
        self.quota.with_user(self.user).action_consume(
            1, when=datetime(2026, 2, 8, 10, 0)
        )
        with self.assertRaises(AccessError):
            self.quota.consumption_ids.with_user(self.user).unlink()

    def test_manager_configures(self):
        plan = (
            self.env["coworking.plan"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Night desk",
                    "unit_id": self.unit.id,
                    "recurring_price": 300.0,
                }
            )
        )
        plan.write({"setup_fee": 50.0})
        self.unit.with_user(self.manager).write({"name": "Renamed unit"})
        self.quota.consumption_ids.with_user(self.manager).unlink()

    def test_plain_internal_user_sees_nothing(self):
        for model in ("coworking.plan", "coworking.unit", "coworking.quota"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.internal).search([])

    def test_multi_company_isolation(self):
        Plan = self.env["coworking.plan"]
        self.assertNotIn(self.plan_b, Plan.with_user(self.manager).search([]))
        self.assertIn(self.plan, Plan.with_user(self.manager).search([]))
        self.assertNotIn(self.plan, Plan.with_user(self.manager_b).search([]))
        self.assertIn(self.plan_b, Plan.with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            self.plan_b.with_user(self.manager).read(["name"])
        self.assertFalse(
            self.env["coworking.unit"]
            .with_user(self.manager_b)
            .search([("id", "=", self.unit.id)])
        )
        self.assertFalse(
            self.env["sale.subscription"]
            .with_user(self.manager_b)
            .search([("id", "=", self.contract.id)])
        )
        self.assertFalse(
            self.env["coworking.quota"]
            .with_user(self.manager_b)
            .search([("id", "=", self.quota.id)])
        )
