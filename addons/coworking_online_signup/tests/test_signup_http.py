# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from urllib.parse import parse_qs, urlparse

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .signup_common import PDF_BYTES, SignupMixin


@tagged("post_install", "-at_install")
class TestSignupHttp(SignupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.url = f"/coworking/plan/{cls.plan.access_token}"

    def _get_form(self, url=None):
        response = self.url_open(url or self.url)
        self.assertEqual(response.status_code, 200)
        html = response.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
        return html, csrf, token

    def _post(self, form=None, files=None, url=None, page_url=None, **overrides):
        _html, csrf, token = self._get_form(page_url or url)
        data = form or self.form(**overrides)
        data.update(
            csrf_token=csrf,
            submission_token=data.get("submission_token_fixed") or token,
        )
        data.pop("submission_token_fixed", None)
        if files is None:
            files = {
                f"document_{self.document.id}": ("id.pdf", PDF_BYTES, "application/pdf")
            }
        self._last_form = data
        return self.url_open(
            (url or self.url) + "/signup", data=data, files=files, allow_redirects=False
        )

    def _contracts(self):
        return self.env["sale.subscription"].search(
            [("coworking_plan_id", "=", self.plan.id)]
        )

    def test_plan_page_shows_the_plan_and_counts_visits(self):
        visits = self.plan.visit_count
        html, _csrf, _token = self._get_form()
        self.assertIn("Fixed desk", html)
        self.assertIn("800.00", html)
        self.assertIn("150.00", html)
        self.assertIn("Meeting room hours", html)
        self.assertIn("Paulista", html)
        self.assertIn("The rules of the house.", html)
        self.assertIn('name="website_url"', html, "honeypot field")
        self.plan.invalidate_recordset(["visit_count"])
        self.assertEqual(self.plan.visit_count, visits + 1)
        # a visit adds a row and leaves the plan's own row alone, so visitors
        # opening the link at once never conflict on it
        visit = self.env["coworking.plan.visit"].search(
            [("plan_id", "=", self.plan.id)], limit=1
        )
        self.assertEqual(visit.company_id, self.plan.company_id)
        self.assertTrue(visit.visit_date)
        self.env.cr.execute(
            "SELECT write_date FROM coworking_plan WHERE id = %s", [self.plan.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], self.plan.write_date)

    def test_unavailable_pages_reveal_nothing(self):
        cases = {
            "unknown": "/coworking/plan/does-not-exist",
        }
        for label, url in cases.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, label)
            self.assertIn("not available", response.text)
        self.plan.is_published = False
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Fixed desk", response.text)
        self.plan.is_published = True
        self.company.coworking_signup_enabled = False
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Fixed desk", response.text)
        self.assertNotIn("Traceback", response.text)

    def test_individual_signup_then_payment_page(self):
        response = self._post()
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertIn("/payment/pay", location)
        query = parse_qs(urlparse(location).query)
        contract = self._contracts()
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.coworking_signup_origin, "online")
        # the visitor pays the confirmed sale order at once; the first invoice
        # follows in the finishing job
        order = contract.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertFalse(contract.invoice_ids)
        self.assertEqual(query["sale_order_id"], [str(order.id)])
        self.assertAlmostEqual(float(query["amount"][0]), order.amount_total)
        # the payment page of Odoo's payment framework, with the chosen provider
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_form", page.text)
        self.assertIn(f'data-provider-id="{self.provider.id}"', page.text)
        self.assertIn(order.name, page.text)
        # and the thank-you page with the next steps; a GET never issues the
        # invoice or sends e-mails itself, it only asks the finishing job to run
        submission = self.env["coworking.signup.submission"].search(
            [("contract_id", "=", contract.id)]
        )
        mails = self.env["mail.mail"].search_count([])
        done = self.url_open(f"/coworking/signup/{submission.token}")
        self.assertEqual(done.status_code, 200)
        self.assertIn(contract.name, done.text)
        self.assertIn("Pay now", done.text)
        self.assertEqual(submission.state, "pending")
        self.assertFalse(contract.invoice_ids)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(submission.state, "done")
        invoice = contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, order.amount_total)
        # a boleto issued and waiting: the page says so instead of offering to pay
        self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_invoice_id.id,
                "reference": "SIGNUP-HTTP-1",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )._set_pending()
        waiting = self.url_open(f"/coworking/signup/{submission.token}")
        self.assertIn("waiting for the bank", waiting.text)
        self.assertIn("Banco Teste", waiting.text)
        self.assertNotIn("Pay now", waiting.text)
        # from now on the same form leads to the invoice's payment
        again = self.url_open(
            self.url + "/signup",
            data=dict(self._last_form),
            allow_redirects=False,
        )
        query = parse_qs(urlparse(again.headers["Location"]).query)
        self.assertEqual(query["invoice_id"], [str(invoice.id)])
        self.assertAlmostEqual(float(query["amount"][0]), invoice.amount_residual)

    def test_company_signup(self):
        response = self._post(
            client_type="company", company_name="Acme Ltda", cnpj="11.222.333/0001-81"
        )
        self.assertEqual(response.status_code, 303)
        contract = self._contracts()
        self.assertTrue(contract.partner_id.is_company)
        self.assertEqual(contract.partner_id.child_ids.name, "Maria Silva")

    def test_reused_client_when_logged_in(self):
        self.assertEqual(self._post().status_code, 303)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.authenticate("maria.silva@example.com", "s3cret-pass")
        self.assertEqual(self._post(email="maria.2@example.com").status_code, 303)
        contracts = self._contracts()
        self.assertEqual(len(contracts), 2)
        self.assertEqual(len(contracts.partner_id), 1)

    def test_existing_user_email(self):
        self._new_user("taken", "taken@example.com")
        response = self._post(email="taken@example.com")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Log in", response.text)
        self.assertIn("/web/login?redirect=", response.text)
        self.assertFalse(self._contracts())

    def test_invalid_cpf_keeps_values_and_creates_nothing(self):
        partners = self.env["res.partner"].search_count([])
        response = self._post(cpf="123.456.789-00", password="s3cret-pass")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Enter a valid CPF", response.text)
        self.assertIn('value="Maria Silva"', response.text)
        self.assertIn('value="maria.silva@example.com"', response.text)
        self.assertNotIn("s3cret-pass", response.text)
        self.assertFalse(self._contracts())
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_invalid_cnpj(self):
        response = self._post(
            client_type="company", company_name="Acme", cnpj="11.111.111/1111-11"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Enter a valid CNPJ", response.text)
        self.assertFalse(self._contracts())

    def test_boleto_needs_address(self):
        with self.boleto_address():
            response = self._post(
                zip="", street="", street_number="", district="", city="", state_code=""
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn("needs your full address", response.text)
            self.assertIn("Enter a valid CEP", response.text)
            self.assertFalse(self._contracts())
            self.assertEqual(self._post().status_code, 303)

    def test_oversize_and_disguised_files(self):
        key = f"document_{self.document.id}"
        big = {key: ("id.pdf", b"%PDF-1.4\n" + b"0" * 20000, "application/pdf")}
        response = self._post(files=big)
        self.assertEqual(response.status_code, 400)
        self.assertIn("too large", response.text)
        disguised = {key: ("id.pdf", b"#!/bin/sh\necho hi\n", "application/pdf")}
        response = self._post(files=disguised)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not an accepted file type", response.text)
        self.assertFalse(self._contracts())

    def test_tampered_price_is_ignored(self):
        response = self._post(recurring_price="1.00", setup_fee="0", amount="1")
        self.assertEqual(response.status_code, 303)
        self.assertAlmostEqual(self._contracts().sale_order_id.amount_untaxed, 950.0)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        invoice = self._contracts().invoice_ids
        self.assertAlmostEqual(invoice.amount_untaxed, 950.0)

    def _post_after(self, change):
        """Open the form, apply ``change``, then submit the form that was rendered."""
        _html, csrf, token = self._get_form()
        change()
        data = self.form()
        data.update(csrf_token=csrf, submission_token=token)
        return self.url_open(self.url + "/signup", data=data, allow_redirects=False)

    def test_switched_off_company_refuses_posts(self):
        response = self._post_after(
            lambda: self.company.write({"coworking_signup_enabled": False})
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._contracts())

    def test_unpublished_plan_refuses_posts(self):
        response = self._post_after(lambda: self.plan.write({"is_published": False}))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._contracts())

    def test_double_submit_returns_the_first_result(self):
        _html, csrf, token = self._get_form()
        data = self.form()
        data.update(csrf_token=csrf, submission_token=token)
        files = {
            f"document_{self.document.id}": ("id.pdf", PDF_BYTES, "application/pdf")
        }
        first = self.url_open(
            self.url + "/signup", data=data, files=files, allow_redirects=False
        )
        second = self.url_open(
            self.url + "/signup", data=data, files=files, allow_redirects=False
        )
        self.assertEqual(first.status_code, 303)
        self.assertEqual(second.status_code, 303)
        self.assertEqual(first.headers["Location"], second.headers["Location"])
        self.assertEqual(len(self._contracts()), 1)
        self.assertEqual(len(self._contracts().sale_order_id), 1)
        self.env["coworking.signup.submission"]._cron_finish_pending()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("subscription_id", "in", self._contracts().ids)]
            ),
            1,
        )

    def test_missing_csrf_is_refused(self):
        data = self.form()
        with mute_logger("odoo.http"):
            response = self.url_open(
                self.url + "/signup", data=data, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._contracts())

    def test_honeypot(self):
        response = self._post(website_url="http://spam.example.com")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._contracts())

    def test_throttle(self):
        self.env["ir.config_parameter"].set_param(
            "coworking_online_signup.throttle_limit", 1
        )
        self.assertEqual(self._post().status_code, 303)
        response = self._post(cpf="111.444.777-35", email="second@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many signups", response.text)
        self.assertEqual(len(self._contracts()), 1)

    def test_errors_in_portuguese(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"]._load_module_terms(
            ["coworking_online_signup"], ["pt_BR"], overwrite=True
        )
        website = self.env["website"].get_current_website()
        website.language_ids |= self.env.ref("base.lang_pt_BR")
        url = f"/pt_BR{self.url}"
        html, _csrf, _token = self._get_form(url)
        self.assertIn("Contratar e pagar", html)
        # the page sets the language cookie; the form posts to the plain URL
        response = self._post(page_url=url, cpf="123")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Informe um CPF válido", response.text)
