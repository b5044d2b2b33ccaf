# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public form under attack (B7): each case changes nothing and answers with a
clear message, never a server error."""

import io
import re

from hypothesis import (
    HealthCheck,
    given,
    settings,
    strategies as st,
)
from PIL import Image
from psycopg2 import IntegrityError

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .signup_common import PDF_BYTES, PNG_BYTES, SignupMixin

FIELDS = (
    "client_type",
    "name",
    "email",
    "phone",
    "cpf",
    "company_name",
    "cnpj",
    "zip",
    "street",
    "street_number",
    "street2",
    "district",
    "city",
    "state_code",
    "provider_id",
    "terms_accepted",
    "password",
    "password_confirm",
    "submission_token",
    "website_url",
)
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        '=HYPERLINK("http://x","y")',
        "\x00\x01\x1b[31m",
        "' OR 1=1 --",
        "../../etc/passwd",
        "🙂" * 50,
        "x" * 5000,
        "",
        "individual",
        "company",
        "529.982.247-25",
        "11.222.333/0001-81",
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=300))


@tagged("post_install", "-at_install")
class TestSignupAttacks(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.url = f"/coworking/plan/{cls.plan.access_token}"

    def _page(self):
        page = self.url_open(self.url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        return csrf, token

    def _counts(self):
        return {
            model: self.env[model].sudo().search_count([])
            for model in (
                "res.partner",
                "sale.order",
                "sale.subscription",
                "res.users",
                "coworking.signup.submission",
                "ir.attachment",
            )
        }

    def _post(self, data, files=None):
        return self.url_open(
            self.url + "/signup", data=data, files=files, allow_redirects=False
        )

    def _valid(self, **overrides):
        csrf, token = self._page()
        data = self.form(**overrides)
        data.update(csrf_token=csrf, submission_token=token)
        return data

    def test_invented_token_is_refused_without_server_error(self):
        before = self._counts()
        for invented in (
            "my-own-invented-token-123456",
            "a" * 10_000,
            "x.y.z",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.zzzz." + "0" * 64,
        ):
            data = self._valid()
            data["submission_token"] = invented
            response = self._post(data, self._pdf())
            self.assertEqual(response.status_code, 400, invented[:40])
            self.assertIn("This form has expired", response.text)
            self.assertEqual(self._counts(), before)

    def test_token_of_another_plan_is_refused(self):
        other = self.plan.copy({"name": "Other desk", "is_published": True})
        data = self._valid()
        data["submission_token"] = self.env["coworking.signup"]._make_form_token(other)
        self.assertEqual(self._post(data, self._pdf()).status_code, 400)

    def _pdf(self, content=PDF_BYTES, name="id.pdf"):
        return {f"document_{self.document.id}": (name, content, "application/pdf")}

    def test_oversized_upload_is_refused_never_cut(self):
        before = self._counts()
        limit = self.document._get_max_bytes()
        # a valid PDF start, then more than the limit: cutting it to size would
        # leave something that still looks like a PDF
        content = PDF_BYTES + b"%" * (limit + 10 - len(PDF_BYTES))
        response = self._post(self._valid(), self._pdf(content))
        self.assertEqual(response.status_code, 400)
        self.assertIn("is too large", response.text)
        self.assertEqual(self._counts(), before)
        # exactly at the limit is accepted
        content = PDF_BYTES + b"%" * (limit - len(PDF_BYTES))
        response = self._post(self._valid(), self._pdf(content))
        self.assertEqual(response.status_code, 303)

    def test_document_limit_is_bounded(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.document.max_size_mb = 60

    def test_stored_file_has_sniffed_type_and_clean_name(self):
        response = self._post(
            self._valid(), self._pdf(PNG_BYTES, name="../../evil\x00<b>.pdf")
        )
        self.assertEqual(response.status_code, 303)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("name", "like", "ID document")],
            order="id desc",
            limit=1,
        )
        self.assertEqual(attachment.mimetype, "image/png")
        self.assertNotIn("/", attachment.name)
        self.assertNotIn("<", attachment.name)
        self.assertNotIn("\x00", attachment.name)

    def test_image_bomb_is_refused_before_decoding(self):
        self.document.max_size_mb = 1
        buffer = io.BytesIO()
        Image.new("1", (10_000, 5_000)).save(buffer, format="PNG")
        self.assertLess(len(buffer.getvalue()), 1024 * 1024)
        before = self._counts()
        response = self._post(self._valid(), self._pdf(buffer.getvalue(), "a.png"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("million pixels", response.text)
        self.assertEqual(self._counts(), before)

    def test_invalid_forms_count_for_the_throttle(self):
        self.env["ir.config_parameter"].set_param(
            "coworking_online_signup.throttle_limit", 3
        )
        for _i in range(3):
            self.assertEqual(self._post(self._valid(cpf="1")).status_code, 400)
        before = self._counts()
        response = self._post(self._valid(), self._pdf())
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self._counts(), before)

    def test_hostile_posts_property(self):
        """Random and hostile posts: no server error, nothing written when the form
        is refused, everything echoed escaped."""
        self.env["ir.config_parameter"].set_param(
            "coworking_online_signup.throttle_limit", 0
        )
        csrf, token = self._page()
        before = self._counts()
        statuses = []

        @settings(
            max_examples=1000,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            fields=st.dictionaries(
                st.one_of(st.sampled_from(FIELDS), st.text(max_size=20)),
                st.one_of(VALUE, st.lists(VALUE, max_size=3)),
                max_size=len(FIELDS),
            ),
            keep_token=st.booleans(),
            upload=st.one_of(
                st.none(),
                st.binary(max_size=2048),
                st.sampled_from([PDF_BYTES, PNG_BYTES, b"\x89PNG\r\n\x1a\n"]),
            ),
        )
        def post(fields, keep_token, upload):
            data = [("csrf_token", csrf)]
            if keep_token:
                data.append(("submission_token", token))
            for key, value in fields.items():
                for item in value if isinstance(value, list) else [value]:
                    data.append((key, item))
            files = None
            if upload is not None:
                files = {
                    f"document_{self.document.id}": ("f\x01<x>.bin", upload, "x/y"),
                    "unexpected": ("u.txt", upload, "text/plain"),
                }
            response = self._post(data, files)
            statuses.append(response.status_code)
            self.assertLess(response.status_code, 500, response.text[:300])
            self.assertNotIn("Traceback", response.text)
            for _key, value in data:
                if "<script>" in value or "onerror=alert" in value:
                    self.assertNotIn(value, response.text)
            if response.status_code != 303:
                self.assertEqual(self._counts(), before)

        post()
        self.assertGreaterEqual(len(statuses), 1000)
        self.assertIn(400, statuses)
