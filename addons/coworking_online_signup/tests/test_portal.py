# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestMemberPortal(CoworkingCommon, HttpCase):
    """B4: the member sees their contracts, balances per period and the ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member, cls.stranger = cls._new_member_and_stranger(
            "cw_member", "Ana Membro", "cw_stranger"
        )
        cls.contract = cls._new_contract(partner_id=cls.member.partner_id.id)
        cls.contract._coworking_load_quotas(period_start=date(2026, 2, 7))
        cls.room = cls.contract.coworking_quota_ids.filtered(
            lambda q: q.plan_quota_id == cls.room_line
        )
        cls.room.action_consume(2, "Room B, morning", datetime(2026, 2, 10, 12, 0))

    def test_member_sees_contract_balances_and_ledger(self):
        self.authenticate("cw_member", "cw_member")
        listing = self.url_open("/my/coworking")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.contract.name, listing.text)
        self.assertIn("Fixed desk", listing.text)
        page = self.url_open(f"/my/coworking/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Meeting room hours", page.text)
        self.assertIn("Prints", page.text)
        self.assertIn("Room B, morning", page.text)
        self.assertIn("8.00", page.text, "10 hours included, 2 used")
        self.assertEqual(page.text.count("o_coworking_portal_quota"), 2)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["coworking_contract_count"]}
        )
        self.assertEqual(counters["coworking_contract_count"], 1)

    def test_other_member_sees_nothing(self):
        self.authenticate("cw_stranger", "cw_stranger")
        listing = self.url_open("/my/coworking")
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn(self.contract.name, listing.text)
        self.assertIn("no coworking contract", listing.text)
        page = self.url_open(f"/my/coworking/{self.contract.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertTrue(page.headers["Location"].endswith("/my"))
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["coworking_contract_count"]}
        )
        self.assertEqual(counters["coworking_contract_count"], 0)

    def test_portal_record_rules(self):
        for model in (
            "sale.subscription",
            "coworking.quota",
            "coworking.quota.consumption",
        ):
            Model = self.env[model]
            self.assertFalse(Model.with_user(self.stranger).search([]), model)
            self.assertTrue(Model.with_user(self.member).search([]), model)
        with self.assertRaises(AccessError):
            self.room.with_user(self.member).write({"quantity_allowed": 99})
        with self.assertRaises(AccessError):
            self.room.with_user(self.member).action_consume(1, "self-service")
