# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestSettings(CoworkingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.coworking_signup_enabled = False
        # Our provider modules add their codes; here a core provider stands in for one.
        cls.provider = cls.env["payment.provider"].create(
            {"name": "Our bank", "company_id": cls.company.id, "state": "disabled"}
        )
        cls.env["coworking.plan"].search([]).is_published = False

    def _settings(self):
        return self.env["res.config.settings"].create({})

    def test_refused_without_plan_and_provider(self):
        with (
            self.assertRaisesRegex(ValidationError, "published plan") as caught,
            self.env.cr.savepoint(),
        ):
            self.company.coworking_signup_enabled = True
        self.assertIn("payment provider", str(caught.exception))
        self.assertFalse(self.company.coworking_signup_enabled)

    def test_checklist_and_switch(self):
        with patch.object(
            type(self.env["payment.provider"]),
            "_get_coworking_signup_codes",
            lambda self: ["none"],
        ):
            settings = self._settings()
            self.assertFalse(settings.coworking_has_published_plan)
            self.assertFalse(settings.coworking_has_payment_provider)

            self.plan.is_published = True
            settings = self._settings()
            self.assertTrue(settings.coworking_has_published_plan)
            self.assertFalse(settings.coworking_has_payment_provider)
            with self.assertRaisesRegex(ValidationError, "payment provider"):
                settings.coworking_signup_enabled = True
                settings.execute()

            self.provider.state = "test"
            settings = self._settings()
            self.assertTrue(settings.coworking_has_payment_provider)
            settings.coworking_signup_enabled = True
            settings.execute()
            self.assertTrue(self.company.coworking_signup_enabled)

    def test_provider_of_another_kind_does_not_count(self):
        self.plan.is_published = True
        self.provider.state = "test"  # code "none" is not one of ours
        with self.assertRaisesRegex(ValidationError, "payment provider"):
            self.company.coworking_signup_enabled = True

    def test_provider_of_another_company_does_not_count(self):
        other = self.env["res.company"].create({"name": "Other coworking"})
        self.provider.company_id = other
        self.provider.state = "test"
        self.plan.is_published = True
        with (
            patch.object(
                type(self.env["payment.provider"]),
                "_get_coworking_signup_codes",
                lambda self: ["none"],
            ),
            self.assertRaisesRegex(ValidationError, "payment provider"),
        ):
            self.company.coworking_signup_enabled = True
