# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestContract(CoworkingCommon):
    def test_origin_defaults_to_manual(self):
        contract = self._new_contract()
        self.assertEqual(contract.coworking_signup_origin, "manual")

    def test_online_contract_refuses_deposit(self):
        contract = self._new_contract(coworking_signup_origin="online")
        with self.assertRaises(ValidationError):
            contract.coworking_deposit_amount = 500.0
        with self.assertRaises(ValidationError):
            self._new_contract(
                coworking_signup_origin="online", coworking_deposit_amount=1.0
            )

    def test_manual_contract_accepts_deposit(self):
        contract = self._new_contract(coworking_deposit_amount=500.0)
        self.assertEqual(contract.coworking_deposit_amount, 500.0)
        # and it cannot become "online" while it holds one
        with self.assertRaises(ValidationError):
            contract.coworking_signup_origin = "online"

    def test_filter_and_group_by_origin(self):
        online = self._new_contract(coworking_signup_origin="online")
        manual = self._new_contract()
        imported = self._new_contract(coworking_signup_origin="import")
        Contract = self.env["sale.subscription"]
        found = Contract.search([("coworking_signup_origin", "=", "online")])
        self.assertIn(online, found)
        self.assertNotIn(manual, found)
        self.assertNotIn(imported, found)
        groups = dict(
            Contract._read_group(
                [("id", "in", (online | manual | imported).ids)],
                ["coworking_signup_origin"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"online": 1, "manual": 1, "import": 1})
        # the search view offers the filter and the group-by
        arch = Contract.get_view(
            self.env.ref("coworking_online_signup.sale_subscription_view_search").id,
            "search",
        )["arch"]
        self.assertIn('name="filter_online"', arch)
        self.assertIn('name="groupby_signup_origin"', arch)
        self.assertTrue(Contract._fields["coworking_signup_origin"].index)

    def test_plan_onchange_sets_unit_and_template(self):
        contract = self.env["sale.subscription"].new(
            {"coworking_plan_id": self.plan.id}
        )
        contract._onchange_plan_id()
        self.assertEqual(contract.coworking_unit_id, self.unit)
        self.assertEqual(contract.template_id, self.plan.subscription_template_id)
