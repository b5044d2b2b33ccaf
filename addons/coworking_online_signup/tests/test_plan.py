# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from urllib.parse import unquote

from psycopg2.errors import CheckViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CoworkingCommon


@tagged("post_install", "-at_install")
class TestPlan(CoworkingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.coworking_signup_enabled = False
        cls.plan.is_published = True

    def _enable_signup(self):
        # bypass the prerequisite check: these tests are about the link itself
        self.env.cr.execute(
            "UPDATE res_company SET coworking_signup_enabled = true WHERE id = %s",
            [self.company.id],
        )
        self.company.invalidate_recordset(["coworking_signup_enabled"])

    def test_plan_creates_its_subscribable_product(self):
        product = self.plan.product_id
        self.assertTrue(product.subscribable)
        self.assertEqual(product.type, "service")
        self.assertEqual(
            product.subscription_template_id, self.plan.subscription_template_id
        )
        self.assertEqual(product.list_price, 800.0)

    def test_price_reads_per_the_templates_period(self):
        self.assertEqual(self.plan._coworking_period_label(), "month")
        quarterly = self.plan.subscription_template_id.copy(
            {"name": "Quarterly", "recurring_interval": 3}
        )
        self.plan.subscription_template_id = quarterly
        self.assertEqual(self.plan._coworking_period_label(), "3 months")
        quarterly.write({"recurring_interval": 1, "recurring_rule_type": "years"})
        self.assertEqual(self.plan._coworking_period_label(), "year")

    def test_setup_fee_zero_allowed_negative_refused(self):
        self.plan.setup_fee = 0.0
        self.assertEqual(self.plan.setup_fee, 0.0)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.plan.setup_fee = -1.0
            self.plan.flush_recordset()

    def test_needs_individuals_or_companies(self):
        self.plan.allow_individual = False
        with self.assertRaises(ValidationError):
            self.plan.allow_company = False

    def test_documents_fit_in_one_signup_request(self):
        """Every document at its largest is sent in the signup's one request: a
        plan whose documents could not fit is refused with a clear message, so no
        visitor meets the server's bare refusal of a request too large."""
        Document = self.env["coworking.plan.document"]
        documents = Document.create(
            [
                {"plan_id": self.plan.id, "name": f"Document {n}", "max_size_mb": 20}
                for n in range(3)
            ]
        )
        extra = {"plan_id": self.plan.id, "name": "Another", "max_size_mb": 1}
        with (
            self.assertRaisesRegex(ValidationError, "at most 60 MB"),
            self.env.cr.savepoint(),
        ):
            Document.create(extra)
        documents[0].max_size_mb = 19
        Document.create(extra)
        self.assertEqual(sum(self.plan.document_ids.mapped("max_size_mb")), 60)
        with (
            self.assertRaisesRegex(ValidationError, "now 61 MB in all"),
            self.env.cr.savepoint(),
        ):
            documents[0].max_size_mb = 20

    def test_token_is_long_random_and_unique(self):
        other = self.plan.copy({"name": "Hot desk"})
        token, other_token = self.plan.access_token, other.access_token
        self.assertGreaterEqual(len(token), 40)
        self.assertNotEqual(token, other_token)
        self.assertNotEqual(token, str(self.plan.id))
        self.assertTrue(self.plan.public_url.endswith("/coworking/plan/" + token))
        self.assertNotIn("fixed", self.plan.public_url.lower())

    def test_link_survives_renaming(self):
        url = self.plan.public_url
        self.plan.name = "Fixed desk premium"
        self.assertEqual(self.plan.public_url, url)
        self._enable_signup()
        self.assertEqual(
            self.env["coworking.plan"]._get_by_public_token(self.plan.access_token),
            self.plan,
        )

    def test_lookup_reveals_nothing_when_not_available(self):
        Plan = self.env["coworking.plan"]
        token = self.plan.access_token
        # signup switched off: nothing
        self.assertFalse(Plan._get_by_public_token(token))
        self._enable_signup()
        self.assertEqual(Plan._get_by_public_token(token), self.plan)
        # unpublished: nothing
        self.plan.is_published = False
        self.assertFalse(Plan._get_by_public_token(token))
        self.plan.is_published = True
        # archived: nothing
        self.plan.active = False
        self.assertFalse(Plan._get_by_public_token(token))
        self.plan.active = True
        # guesses: nothing
        for guess in ("", None, str(self.plan.id), token[:-1], token + "x", "x" * 500):
            self.assertFalse(Plan._get_by_public_token(guess))

    def test_regenerate_link_kills_the_old_one(self):
        self._enable_signup()
        old_token = self.plan.access_token
        self.plan.with_user(self.manager).action_regenerate_link()
        self.assertNotEqual(self.plan.access_token, old_token)
        Plan = self.env["coworking.plan"]
        self.assertFalse(Plan._get_by_public_token(old_token))
        self.assertEqual(Plan._get_by_public_token(self.plan.access_token), self.plan)

    def test_whatsapp_and_qr(self):
        self.assertTrue(self.plan.whatsapp_url.startswith("https://wa.me/?text="))
        self.assertIn(self.plan.public_url, unquote(self.plan.whatsapp_url))
        png = base64.b64decode(self.plan.qr_image)
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")

    def test_boleto_warning(self):
        boleto = self.env.ref("payment.payment_method_boleto")
        self.plan.benefits_start = "signup"
        self.assertFalse(self.plan.boleto_warning)
        provider = self.env["payment.provider"].create(
            {
                "name": "Boleto bank",
                "state": "test",
                "company_id": self.company.id,
                "payment_method_ids": [(6, 0, boleto.ids)],
            }
        )
        self.plan.invalidate_recordset(["boleto_warning"])
        self.assertTrue(self.plan.boleto_warning)
        self.plan.benefits_start = "payment"
        self.assertFalse(self.plan.boleto_warning)
        self.plan.benefits_start = "signup"
        provider.state = "disabled"
        self.plan.invalidate_recordset(["boleto_warning"])
        self.assertFalse(self.plan.boleto_warning)

    def test_funnel_counts_visits_and_signups(self):
        other = self.plan.copy({"name": "Other plan"})
        for _visit in range(4):
            self.plan._coworking_count_visit()
        other._coworking_count_visit()
        self.env["coworking.signup.submission"].create(
            {"token": "funnel-token-0123456789", "plan_id": self.plan.id}
        )
        self.assertEqual(self.plan.visit_count, 4)
        self.assertEqual(self.plan.signup_count, 1)
        self.assertAlmostEqual(self.plan.conversion_rate, 25.0)
        self.assertEqual(other.visit_count, 1)
        self.assertEqual(other.conversion_rate, 0.0)
