# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestUnit(CoworkingCommon):
    def test_several_addresses(self):
        self.unit.notification_emails = "A@Example.com; b@example.com,\na@example.com"
        self.assertEqual(
            self.unit._get_notification_email_list(), ["a@example.com", "b@example.com"]
        )

    def test_invalid_address_refused(self):
        for bad in ("not-an-email", "a@example.com, b@", "a@@example.com"):
            with self.assertRaises(ValidationError, msg=bad), self.env.cr.savepoint():
                self.unit.notification_emails = bad
        self.assertEqual(
            self.unit._get_notification_email_list(),
            ["desk@example.com", "boss@example.com"],
        )

    def test_empty_is_allowed(self):
        self.unit.notification_emails = False
        self.assertEqual(self.unit._get_notification_email_list(), [])
