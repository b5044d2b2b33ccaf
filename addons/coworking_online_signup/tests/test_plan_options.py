# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the operator configures per plan and sees before publishing (issue 9)."""

import re

from odoo.tests import HttpCase, tagged

from .signup_common import SignupMixin


@tagged("post_install", "-at_install")
class TestPlanOptions(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.url = f"/coworking/plan/{cls.plan.access_token}"

    def test_preview_for_managers_only(self):
        self.plan.is_published = False
        visits = self._visits()
        # a visitor still gets the not-available page
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Fixed desk", response.text)
        # a portal user too
        self._new_user("portal-preview", "pp@example.com")
        self.authenticate("portal-preview", "portal-preview")
        self.assertEqual(self.url_open(self.url).status_code, 404)
        # a coworking manager sees the page, marked as a preview, not sendable
        self.authenticate("admin", "admin")
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fixed desk", response.text)
        self.assertIn("o_coworking_preview_note", response.text)
        self.assertRegex(response.text, r'class="[^"]*o_coworking_submit"[^>]*disabled')
        self.assertEqual(self._visits(), visits, "a preview is not a visit")
        # and even a manager cannot sign up on an unpublished plan
        csrf = re.search(
            r'(?:name="csrf_token" value="|csrf_token: ")([^"]+)"', response.text
        ).group(1)
        post = self.url_open(
            self.url + "/signup", data={**self.form(), "csrf_token": csrf}
        )
        self.assertEqual(post.status_code, 404)
        self.assertFalse(
            self.env["coworking.signup.submission"].search(
                [("plan_id", "=", self.plan.id)]
            )
        )

    def test_plan_form_preview_button_opens_the_page(self):
        action = self.plan.action_preview()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(self.plan.access_token, action["url"])

    def test_a_plan_without_payment_method_shows_no_form_button(self):
        self.provider.state = "disabled"
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("cannot be paid online", response.text)
        self.assertNotIn("o_coworking_submit", response.text)

    def test_methods_and_fields_of_the_plan_on_its_page(self):
        second = self.provider.copy({"name": "Segundo banco", "state": "test"})
        self.plan.write(
            {
                "ask_phone": "hidden",
                "ask_address": "hidden",
                "payment_ids": [
                    (0, 0, {"provider_id": second.id, "sequence": 1}),
                    (0, 0, {"provider_id": self.provider.id, "sequence": 2}),
                ],
            }
        )
        html = self.url_open(self.url).text
        self.assertNotIn('name="phone"', html)
        self.assertIn('data-address-mode="hidden"', html)
        self.assertLess(html.index("Segundo banco"), html.index("Banco Teste"))
        self.plan.payment_ids.filtered(lambda line: line.provider_id == second).unlink()
        html = self.url_open(self.url).text
        self.assertNotIn("Segundo banco", html)

    def test_disabling_the_last_provider_warns(self):
        draft = self.provider.new({"state": "disabled"}, origin=self.provider)
        warning = draft._onchange_state_coworking_warning()
        self.assertIn("Fixed desk", warning["warning"]["message"])
        # with another provider left, no warning
        self.provider.copy({"name": "Outro", "state": "enabled"})
        draft = self.provider.new({"state": "disabled"}, origin=self.provider)
        self.assertFalse(draft._onchange_state_coworking_warning())
