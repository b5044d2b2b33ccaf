# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestPortalCancellation(CoworkingCommon, HttpCase):
    """F13: the member asks to cancel from the portal, with the plan's notice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member, cls.stranger = cls._new_member_and_stranger(
            "cw_leaver", "Leo Saindo", "cw_other"
        )
        cls.plan.cancellation_notice_days = 15
        cls.contract = cls._new_contract(
            start=date(2026, 2, 7), partner_id=cls.member.partner_id.id
        )
        cls.contract.action_start_subscription()

    def _cancel_form(self):
        page = self.url_open(f"/my/coworking/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        return page.text

    def _csrf(self):
        page = self.url_open("/my").text
        return re.search(r'(?:name="csrf_token" value="|csrf_token: ")([^"]+)"', page)[
            1
        ]

    def test_member_requests_cancellation_with_notice(self):
        self.authenticate("cw_leaver", "cw_leaver")
        text = self._cancel_form()
        self.assertIn("o_coworking_cancel_form", text)
        self.assertIn("15 days after your request", text)
        self.assertFalse(self.contract.coworking_close_date, "a GET changes nothing")
        today = self.company._coworking_today()
        response = self.url_open(
            f"/my/coworking/{self.contract.id}/cancel",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            self.contract.coworking_close_date, today + relativedelta(days=15)
        )
        self.assertNotIn("o_coworking_cancel_form", self._cancel_form())

    def test_other_member_cannot_cancel(self):
        self.authenticate("cw_other", "cw_other")
        response = self.url_open(
            f"/my/coworking/{self.contract.id}/cancel",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.contract.coworking_close_date)
